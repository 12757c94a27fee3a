import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MasaError } from '../../core/errors.js';
import { benchmarkIds } from '../../bench/registry.js';
import { parseExtraction } from '../../bench/policies.js';
import type { AnyBenchmark } from '../../bench/types.js';
import { gameIds, getGame } from '../../play/registry.js';
import type { AnyGame } from '../../play/types.js';
import type { GenerationOverrides } from '../../eval/generation.js';
import { optionsByBench, parseKeyValues } from '../../eval/plan.js';
import { checkGeneration } from '../../eval/sweep.js';
import { precisionSettings } from '../../eval/precision.js';
import { runEval, type EvalConfig } from '../../eval/runner.js';
import type { RunSummary } from '../../eval/summarize.js';
import type { GameRunSummary } from '../../eval/game-summary.js';

/** A benchmark run's summary or a game run's. */
export type AnyRunSummary = RunSummary | GameRunSummary;
import { bool, list, num, str, type FlagSpec, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';

/** Flags that shape the request body; shared by eval, batch export and sweep. */
export const GENERATION_FLAGS: Record<string, FlagSpec> = {
  'max-tokens': { type: 'number', description: 'max tokens to generate (default: the benchmark\'s)', arg: '<n>' },
  temperature: { type: 'number', description: 'sampling temperature (default: the model card\'s, from the catalog)', arg: '<t>' },
  'top-p': { type: 'number', description: 'nucleus sampling', arg: '<p>' },
  'top-k': { type: 'number', description: 'top-k sampling (vLLM extra)', arg: '<k>' },
  'min-p': { type: 'number', description: 'min-p sampling (vLLM extra)', arg: '<p>' },
  'repetition-penalty': { type: 'number', description: 'repetition penalty (vLLM extra)', arg: '<r>' },
  'presence-penalty': { type: 'number', description: 'presence penalty', arg: '<r>' },
  'frequency-penalty': { type: 'number', description: 'frequency penalty', arg: '<r>' },
  stop: { type: 'list', description: 'stop strings (comma-separated; replaces the benchmark\'s)', arg: '<s,...>' },
  greedy: { type: 'boolean', description: 'greedy decoding (temperature 0; drops top-p/top-k/min-p)' },
  thinking: { type: 'string', description: 'chat_template_kwargs.enable_thinking (Qwen3 hybrid models)', arg: 'on|off' },
  'template-kwarg': { type: 'list', description: 'chat_template_kwargs entries, key=value (JSON values)', arg: '<k=v,...>' },
  param: { type: 'list', description: 'any other request-body field, key=value (JSON values)', arg: '<k=v,...>' },
  'no-request-seed': { type: 'boolean', description: 'do not send a per-request seed' },
  'no-preset': { type: 'boolean', description: 'ignore the catalog\'s sampling preset for the model' },
  'generation-json': { type: 'string', description: 'overrides as one JSON object, as a sweep config\'s "generation" (exact for any stop string or value; the flags above apply on top)', arg: '<json>' },
};

/** Parses a flag holding one JSON object, naming the flag when it is not one. */
export function jsonObjectFlag(args: ParsedArgs, name: string): Record<string, unknown> | undefined {
  const raw = str(args, name);
  if (raw === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new MasaError(`--${name}: not valid JSON (${(e as Error).message})`, { exitCode: 2 });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new MasaError(`--${name}: must be a JSON object`, { exitCode: 2 });
  return v as Record<string, unknown>;
}

export function generationOverrides(args: ParsedArgs): GenerationOverrides {
  const o: GenerationOverrides = { ...(checkGeneration('--generation-json', 'generation', jsonObjectFlag(args, 'generation-json')) ?? {}) };
  const numFlag: Array<[string, keyof GenerationOverrides]> = [
    ['max-tokens', 'max_tokens'],
    ['temperature', 'temperature'],
    ['top-p', 'top_p'],
    ['top-k', 'top_k'],
    ['min-p', 'min_p'],
    ['repetition-penalty', 'repetition_penalty'],
    ['presence-penalty', 'presence_penalty'],
    ['frequency-penalty', 'frequency_penalty'],
  ];
  for (const [flag, key] of numFlag) {
    const v = num(args, flag);
    if (v !== undefined) (o as Record<string, unknown>)[key] = v;
  }
  const stop = list(args, 'stop');
  if (stop) o.stop = stop;
  const kwargs = parseKeyValues(list(args, 'template-kwarg') ?? [], '--template-kwarg');
  const thinking = str(args, 'thinking');
  if (thinking !== undefined) {
    if (!['on', 'off', 'true', 'false'].includes(thinking)) throw new MasaError(`--thinking must be on or off, got '${thinking}'`, { exitCode: 2 });
    kwargs.enable_thinking = thinking === 'on' || thinking === 'true';
  }
  if (Object.keys(kwargs).length > 0) o.chat_template_kwargs = { ...(o.chat_template_kwargs ?? {}), ...kwargs };
  const extra = parseKeyValues(list(args, 'param') ?? [], '--param');
  for (const reserved of ['model', 'messages', 'stream', 'seed']) {
    if (reserved in extra) throw new MasaError(`--param ${reserved}: set by masa, not overridable`, { exitCode: 2 });
  }
  if (Object.keys(extra).length > 0) o.extra = { ...(o.extra ?? {}), ...extra };
  if (bool(args, 'no-request-seed')) o.request_seed = false;
  return o;
}

let tsLoader: Promise<void> | null = null;

/**
 * A user's TypeScript module needs tsx's loader when masa runs from its compiled bundle
 * (bin/compile-cache.mjs sets MASA_COMPILED); running from the sources, tsx is already there.
 */
function typeScriptLoader(path: string): Promise<void> {
  if (process.env.MASA_COMPILED !== '1' || !/\.[cm]?tsx?$/.test(path)) return Promise.resolve();
  // A non-literal specifier: tslab's compiler (Node10 resolution) cannot read tsx's exports map.
  const api = 'tsx/esm/api';
  tsLoader ??= (import(api) as Promise<{ register(): unknown }>).then((m) => {
    m.register();
  });
  return tsLoader;
}

/** Benchmarks by registry id, plus a user module (`--bench-module file.ts` exporting `benchmark`). */
export async function selectBenches(args: ParsedArgs, command: string): Promise<Array<AnyBenchmark | AnyGame>> {
  const ids = list(args, 'bench') ?? [];
  const modulePath = str(args, 'bench-module');
  const out: Array<string | AnyBenchmark | AnyGame> = [...ids];
  if (modulePath) {
    await typeScriptLoader(modulePath);
    const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as { benchmark?: AnyBenchmark; game?: AnyGame };
    if (mod.benchmark && typeof mod.benchmark.load === 'function') out.push(mod.benchmark);
    else if (mod.game && typeof mod.game.init === 'function') out.push(mod.game);
    else throw new MasaError(`${modulePath}: exports neither a 'benchmark' nor a 'game'`, { exitCode: 2 });
  }
  if (out.length === 0) throw new MasaError(`masa ${command}: --bench is required (known: ${[...benchmarkIds(), ...gameIds()].join(', ')})`, { exitCode: 2 });
  const { resolveBench, isGameSelection } = await import('../../eval/plan.js');
  return out.map((b) => (isGameSelection(b) ? (typeof b === 'string' ? getGame(b) : b) : resolveBench(b)));
}

export function benchOptionFlags(args: ParsedArgs, benches: Array<AnyBenchmark | AnyGame>, log: (m: string) => void): Record<string, Record<string, unknown>> {
  const opts = optionsByBench({ ...(jsonObjectFlag(args, 'option-json') ?? {}), ...parseKeyValues(list(args, 'option') ?? [], '--option') });
  if (bool(args, 'unsafe-exec')) {
    // Benchmarks that run model-written code (HumanEval) gate it behind an `unsafe_exec` option.
    const takers = benches.filter((b) => 'unsafe_exec' in (b.optionDocs as object));
    if (takers.length === 0) log('warning: --unsafe-exec: none of the selected benchmarks executes code');
    for (const b of takers) (opts[b.id] ??= {}).unsafe_exec = true;
  }
  return opts;
}

export function pct(x: number): string {
  return (100 * x).toFixed(1);
}

/** How a precision-targeted run stands: "stopped at 3,412/12,032 (±0.0198)", or "not yet (±0.0341)". */
export function precisionCell(r: RunSummary): string {
  const p = r.precision;
  if (!p) return '';
  const hw = `±${p.half_width.toFixed(4)}`;
  return p.stopped ? `stopped at ${p.stopped_at}/${p.population} (${hw})` : `${p.items}/${p.population}, not yet (${hw})`;
}

export function summaryTable(runs: AnyRunSummary[]): string {
  const precise = runs.some((r) => r.kind !== 'game' && (r as RunSummary).precision);
  const rows = runs.map((r) => [
    r.bench,
    String(r.n),
    `${pct(r.accuracy)}% ± ${pct(r.stderr)}`,
    `[${pct(r.ci_low)}, ${pct(r.ci_high)}]`,
    r.kind === 'game' ? '–' : `${pct((r as RunSummary).accuracy_upstream)} / ${pct((r as RunSummary).accuracy_robust)}`,
    String(r.errors),
    String(r.truncated),
    String(r.missing),
    ...(precise ? [r.kind === 'game' ? '' : precisionCell(r as RunSummary)] : []),
    r.dir,
  ]);
  const extraction = (runs.find((r) => r.kind !== 'game') as RunSummary | undefined)?.extraction ?? 'robust';
  const head = ['bench', 'n', `accuracy ± se (${extraction})`, '95% CI', 'upstream / robust', 'errors', 'truncated', 'missing', ...(precise ? ['precision'] : []), 'records'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ')).join('\n');
}

/** The JSON a run prints: the fields the issue names first, then the rest of the summary. */
export function runJson(r: AnyRunSummary): Record<string, unknown> {
  const { summary, model, bench, n, accuracy, stderr, errors, truncated, ...rest } = r;
  return { model, bench, n, accuracy, stderr, errors, truncated, ...rest, subscores: summary.subscores };
}

/** --target-ci, checked before anything is loaded (null: not given). */
export function targetCi(args: ParsedArgs): number | null {
  const v = num(args, 'target-ci');
  if (v === undefined) return null;
  precisionSettings(v);
  return v;
}

export function requestOrder(args: ParsedArgs): 'prefix' | 'arrival' {
  const o = str(args, 'order', 'prefix');
  if (o !== 'prefix' && o !== 'arrival') throw new MasaError(`--order must be prefix or arrival, got '${o}'`, { exitCode: 2 });
  return o;
}

export const EVAL_FLAGS: Record<string, FlagSpec> = {
  endpoint: { type: 'list', description: 'base URL(s) of OpenAI-compatible servers serving the model (comma-separated share the load)', arg: '<url,...>' },
  model: { type: 'string', description: 'served model name', arg: '<name>' },
  bench: { type: 'list', description: 'benchmark id(s)', arg: '<id,...>' },
  'bench-module': { type: 'string', description: 'also run a benchmark or game defined in a module exporting `benchmark` or `game`', arg: '<file.ts>' },
  limit: { type: 'number', description: 'at most N items per benchmark (a seeded subset; a larger N extends the run)', arg: '<n>' },
  'target-ci': { type: 'number', description: 'stop each benchmark once its 95% interval (an anytime-valid confidence sequence) has this half-width, e.g. 0.02', arg: '<h>' },
  'min-items': { type: 'number', description: 'with --target-ci: never stop before this many items', default: 100, arg: '<n>' },
  order: { type: 'string', description: "prefix: send the requests in hand grouped by shared prompt prefix (for the server's prefix cache); arrival: plan order", default: 'prefix', arg: 'prefix|arrival' },
  'no-share-trials': { type: 'boolean', description: 'one request per trial even when trials repeat one prompt (default: one request with n)' },
  concurrency: { type: 'number', description: 'requests in flight per endpoint (start and ceiling of the adaptive limit)', default: 32, arg: '<n>' },
  'min-concurrency': { type: 'number', description: 'floor of the adaptive limit (default: concurrency/8)', arg: '<n>' },
  seed: { type: 'number', description: 'run seed (option shuffles, per-request seeds, --limit subset)', default: 0, arg: '<s>' },
  out: { type: 'string', description: 'results folder', default: 'data/runs', arg: '<dir>' },
  data: { type: 'string', description: 'dataset root holding <dataset>/ folders (default: fetched data, else bundled samples)', arg: '<dir>' },
  option: { type: 'list', description: 'benchmark option key=value, or bench.key=value for one benchmark', arg: '<k=v,...>' },
  'option-json': { type: 'string', description: 'benchmark options as one JSON object, as a sweep config\'s "options" (--option applies on top)', arg: '<json>' },
  'unsafe-exec': { type: 'boolean', description: 'allow benchmarks that run model-written code to execute it' },
  'api-key': { type: 'string', description: 'API key (default: $OPENAI_API_KEY); never written anywhere', arg: '<key>' },
  timeout: { type: 'number', description: 'per-request timeout in seconds', default: 600, arg: '<s>' },
  'max-attempts': { type: 'number', description: 'attempts per item before it is recorded as an error', default: 6, arg: '<n>' },
  'item-budget': { type: 'number', description: 'seconds an item may spend over all its attempts and backoff', default: 3600, arg: '<s>' },
  'no-model-check': { type: 'boolean', description: 'skip GET /v1/models before starting' },
  extraction: { type: 'string', description: "whose answer reading the records' top level and this summary report: upstream (the benchmark authors' code) or robust; both are always recorded", default: 'robust', arg: '<upstream|robust>' },
  json: { type: 'boolean', description: 'last stdout line: JSON (see below)' },
  quiet: { type: 'boolean', description: 'no progress output' },
  ...GENERATION_FLAGS,
};

export const command: Command = {
  name: 'eval',
  summary: 'evaluate a served model on benchmarks (resumable, adaptive concurrency, several endpoints)',
  usage: [
    'masa eval --endpoint <url>[,<url>...] --model <served name> --bench <id>[,<id>...] [--limit N | --target-ci H] [--concurrency N] [--seed S] [--out <dir>] [--json]',
  ],
  flags: EVAL_FLAGS,
  details: `Writes <out>/<run_id>/samples.jsonl (one record per item and trial, appended as answers arrive)
and meta.json. run_id = <model>__<bench>__<hash of every setting that shapes a response>, so a
rerun with the same settings resumes: only missing or failed items are requested. A torn last
line (kill -9 mid-write) is set aside in samples.torn-<time>.jsonl and reported.

Generation settings: benchmark defaults < the model card's preset (catalog) < flags < --greedy.

Ctrl-C once: finish the requests in flight, record them, stop (exit 130). Twice: abandon them.
Exit status: 0 when every item was answered, 3 when some still failed (rerun to retry them).

--target-ci H: items are taken in a seeded order stratified by the benchmark's categories; a
benchmark stops once the 95% confidence sequence for its accuracy (betting, Waudby-Smith & Ramdas
2024, valid under this optional stopping) over the longest complete prefix has half-width < H, never
before --min-items items. Rerun with a smaller H to continue the same run; a larger H requests
nothing more. The summary's interval is that sequence (widened to the items' Wilson interval where wider).

Requests: trials that repeat one prompt go as one request (n, or one answer under greedy decoding;
same request keys, one record per trial), and the requests in hand are sent ordered by prompt so
shared prefixes reach the server's prefix cache together (--order arrival, --no-share-trials: off).

--json: the last stdout line is one JSON object: the run's fields (model, bench, n, accuracy,
stderr, errors, truncated, ..., accuracy_upstream, accuracy_robust) plus a "runs" array with one
such object per benchmark; with several benchmarks the top level holds only model and runs.

Every response is scored under both extraction policies and both verdicts are recorded
(records' "policies" field); --extraction picks the one the top level and "accuracy" report. It
never changes a request or the run id: switch it later with masa score / summarize / audit.`,
  async run(args) {
    const model = str(args, 'model');
    if (!model) throw new MasaError("masa eval: --model is required (see 'masa eval --help')", { exitCode: 2 });
    const endpoints = list(args, 'endpoint') ?? [];
    if (endpoints.length === 0) throw new MasaError("masa eval: --endpoint is required (see 'masa eval --help')", { exitCode: 2 });
    const quiet = bool(args, 'quiet');
    const log = (m: string): void => {
      process.stderr.write(m + '\n');
    };
    const benches = await selectBenches(args, 'eval');
    const drain = new AbortController();
    const abort = new AbortController();
    let interrupts = 0;
    const onSignal = (): void => {
      interrupts++;
      if (interrupts === 1) drain.abort();
      else abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const extraction = parseExtraction(str(args, 'extraction'), 'masa eval --extraction');
    const cfg: EvalConfig = {
      model,
      endpoints,
      benches,
      extraction,
      apiKey: str(args, 'api-key') ?? process.env.OPENAI_API_KEY,
      limit: num(args, 'limit') ?? null,
      concurrency: num(args, 'concurrency', 32),
      minConcurrency: num(args, 'min-concurrency'),
      seed: num(args, 'seed', 0),
      out: str(args, 'out') ? resolve(str(args, 'out')!) : undefined,
      dataRoot: str(args, 'data') ? resolve(str(args, 'data')!) : undefined,
      options: benchOptionFlags(args, benches, log),
      generation: generationOverrides(args),
      greedy: bool(args, 'greedy'),
      preset: bool(args, 'no-preset') ? null : undefined,
      timeoutMs: num(args, 'timeout', 600) * 1000,
      maxAttempts: num(args, 'max-attempts', 6),
      itemBudgetMs: num(args, 'item-budget', 3600) * 1000,
      skipModelCheck: bool(args, 'no-model-check'),
      targetCi: targetCi(args),
      minItems: num(args, 'min-items'),
      order: requestOrder(args),
      shareTrials: !bool(args, 'no-share-trials'),
      progress: quiet ? 'none' : 'auto',
      drainSignal: drain.signal,
      abortSignal: abort.signal,
    };
    let result;
    try {
      result = await runEval(cfg);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const runs = result.runs;
    if (!quiet || !bool(args, 'json')) process.stdout.write(summaryTable(runs) + '\n');
    if (result.interrupted) process.stderr.write('interrupted: rerun the same command to resume\n');
    if (bool(args, 'json')) {
      const objs = runs.map(runJson);
      const top = objs.length === 1 ? { ...objs[0]!, runs: objs } : { model, runs: objs };
      process.stdout.write(JSON.stringify(top) + '\n');
    }
    if (result.interrupted) return 130;
    return runs.some((r) => r.errors > 0 || r.missing > 0) ? 3 : 0;
  },
};
