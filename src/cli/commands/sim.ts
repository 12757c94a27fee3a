import { findModel, loadCatalog } from '../../core/catalog-load.js';
import { MasaError } from '../../core/errors.js';
import { BENCHMARKS, getBenchmark } from '../../bench/registry.js';
import { abilityOf, loadProfile, startSimulator, type GroupName, type Profile } from '../../sim/index.js';
import { bool, list, num, str, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';

function abilityTable(profile: Profile): string {
  const benches = BENCHMARKS.map((b) => ({ id: b.id, group: b.group as GroupName }));
  const header = ['model', ...benches.map((b) => b.id)];
  const rows = loadCatalog().map((m) => [`sim/${m.id}`, ...benches.map((b) => abilityOf(profile, m, b.id, b.group, m.thinking).toFixed(2))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`profile '${profile.name}': probability that one response is scored correct (thinking models in thinking mode)`, fmt(header), ...rows.map(fmt)].join('\n');
}

export const command: Command = {
  name: 'sim',
  summary: 'serve synthetic models through a local vLLM-compatible OpenAI API (masa\'s embedded default)',
  usage: [
    'masa sim [--port P] [--host 127.0.0.1] [--profile <name|file>] [--seed S] [--latency-ms L] [--tokens-per-s T] [--prefill-tokens-per-s P] [--kv-cache-tokens n] [--fail-rate r] [--rate-limit n|n/s]',
    'masa sim --model <catalog id|HF id> --served-model-name sim/<name> [--max-model-len N] [--port P] ...',
    'masa sim --abilities [--profile <name|file>]',
  ],
  flags: {
    port: { type: 'number', description: 'port to listen on (0 = any free port)', default: 8000, arg: '<P>' },
    host: { type: 'string', description: 'address to bind (loopback by default; anything else exposes the server)', default: '127.0.0.1', arg: '<addr>' },
    profile: { type: 'string', description: "ability profile: 'paper', 'emergence' or a JSON file (format: src/sim/profile.ts)", default: 'paper', arg: '<name|file>' },
    seed: { type: 'number', description: 'seed of every simulated answer (same seed + same request = same response)', default: 0, arg: '<S>' },
    'latency-ms': { type: 'number', description: 'time to first token in milliseconds', default: 0, arg: '<L>' },
    'tokens-per-s': { type: 'number', description: 'decode speed per request (0 = instant)', default: 0, arg: '<T>' },
    'prefill-tokens-per-s': { type: 'number', description: 'prefill speed: prompt tokens not served from the prefix cache per second (0 = instant)', default: 0, arg: '<P>' },
    'kv-cache-tokens': { type: 'number', description: "each model's KV cache for automatic prefix caching, in tokens (0 = no prefix caching)", default: 200000, arg: '<n>' },
    'block-size': { type: 'number', description: 'tokens per KV block (vLLM --block-size)', default: 16, arg: '<n>' },
    'no-prompt-tokens-details': { type: 'boolean', description: 'do not report usage.prompt_tokens_details.cached_tokens (vLLM without --enable-prompt-tokens-details)' },
    'fail-rate': { type: 'number', description: 'probability of an injected HTTP 500 per chat request', default: 0, arg: '<r>' },
    'rate-limit': { type: 'string', description: "emulate a router: 'n' concurrent requests or 'n/s' per second; beyond it 429 with Retry-After", arg: '<n|n/s>' },
    'api-key': { type: 'string', description: 'require Authorization: Bearer <key> on /v1/* (as vllm --api-key; default $VLLM_API_KEY, as vllm)', arg: '<key>' },
    model: { type: 'string', description: 'serve only this catalog model (catalog id or HF id), as `vllm serve <model>`', arg: '<id>' },
    'served-model-name': { type: 'string', description: "with --model: serve it under this name, which must start with 'sim/' (default sim/<catalog id>)", arg: '<name>' },
    'max-model-len': { type: 'number', description: 'context length reported and enforced (as vllm --max-model-len; default the catalog\'s)', arg: '<n>' },
    data: { type: 'string', description: 'dataset root to recognise items from (default: fetched data, else the bundled samples)', arg: '<dir>' },
    bench: { type: 'list', description: 'recognise only these benchmarks (default: all registered; fewer start faster on the full data)', arg: '<id,...>' },
    abilities: { type: 'boolean', description: "print each model's ability per benchmark under the profile and exit" },
  },
  details: [
    'Serves every catalog model (data/models.csv) as sim/<catalog id>: GET /v1/models, POST /v1/chat/completions',
    '(stream too), GET /health, GET /version. Answers are synthetic: the simulator recognises the benchmark item',
    'in the prompt, decides right or wrong from the profile and the item, and writes it the way models do.',
    'Profiles are assumptions for demos and tests, not findings. Stop with Ctrl-C.',
  ].join('\n'),
  async run(args: ParsedArgs) {
    const profileName = str(args, 'profile', 'paper');
    if (bool(args, 'abilities')) {
      process.stdout.write(abilityTable(loadProfile(profileName)) + '\n');
      return 0;
    }
    const port = num(args, 'port', 8000);
    if (!Number.isInteger(port)) throw new MasaError(`masa sim: --port must be an integer, got ${port}`, { exitCode: 2 });
    const only = str(args, 'model');
    const servedName = str(args, 'served-model-name');
    if (servedName !== undefined && only === undefined) throw new MasaError('masa sim: --served-model-name needs --model', { exitCode: 2 });
    let models;
    if (only !== undefined) {
      const m = findModel(only);
      if (!m) throw new MasaError(`masa sim: --model '${only}' is not in the catalog (see 'masa models')`, { exitCode: 2 });
      models = [m];
    }
    const sim = await startSimulator({
      models,
      servedModelName: servedName,
      maxModelLen: num(args, 'max-model-len'),
      port,
      host: str(args, 'host', '127.0.0.1'),
      profile: profileName,
      seed: num(args, 'seed', 0),
      latencyMs: num(args, 'latency-ms', 0),
      tokensPerS: num(args, 'tokens-per-s', 0),
      prefillTokensPerS: num(args, 'prefill-tokens-per-s', 0),
      kvCacheTokens: num(args, 'kv-cache-tokens', 200000),
      blockSize: num(args, 'block-size', 16),
      promptTokensDetails: !bool(args, 'no-prompt-tokens-details'),
      failRate: num(args, 'fail-rate', 0),
      rateLimit: str(args, 'rate-limit'),
      // An empty VLLM_API_KEY means none, as in vLLM.
      apiKey: str(args, 'api-key') ?? (process.env.VLLM_API_KEY || undefined),
      dataRoot: str(args, 'data'),
      benchmarks: list(args, 'bench')?.map((id) => getBenchmark(id)),
    });
    if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(sim.host)) {
      process.stderr.write(`masa sim: WARNING: listening on ${sim.host}, not loopback: anyone who can reach this address can use it\n`);
    }
    const items = sim.index.stats.map((s) => `${s.bench} ${s.items}${s.origin ? ` (${s.origin})` : ''}${s.error ? ` [error: ${s.error}]` : ''}`).join(', ');
    process.stdout.write(
      `masa sim: ${sim.models.length} synthetic models, profile '${sim.profile.name}', items: ${items || 'none (no benchmarks registered)'}\n` +
        `masa sim: listening on ${sim.url}  (OPENAI_BASE_URL=${sim.url}; Ctrl-C to stop)\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void sim.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    const s = sim.stats();
    process.stdout.write(`masa sim: stopped after ${s.requests} chat requests (${s.recognised} recognised)\n`);
    return 0;
  },
};
