import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { runsDir } from '../../core/paths.js';
import { precisionSettings } from '../../eval/precision.js';
import { readSweepConfig, runSweep, type SweepRow } from '../../eval/sweep.js';
import { bool, num, str } from '../args.js';
import type { Command } from '../command.js';

function table(rows: SweepRow[]): string {
  const body = rows.map((r) => [
    r.model,
    r.bench,
    r.status,
    String(r.n),
    r.accuracy === null ? '-' : `${(100 * r.accuracy).toFixed(1)}% ± ${(100 * (r.stderr ?? 0)).toFixed(1)}`,
    String(r.errors),
    String(r.missing),
    String(r.truncated),
    r.precision ? (r.precision.stopped_at !== null ? `stopped at ${r.precision.stopped_at}/${r.precision.population} (±${r.precision.half_width.toFixed(4)})` : `${r.precision.items}/${r.precision.population} (±${r.precision.half_width.toFixed(4)})`) : '',
    r.reason ?? '',
  ]);
  const head = ['model', 'bench', 'status', 'n', 'accuracy ± se', 'errors', 'missing', 'truncated', 'precision', 'reason'];
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n');
}

export const command: Command = {
  name: 'sweep',
  summary: 'evaluate models x benchmarks from a JSON config (each model at its endpoints), resumable',
  usage: ['masa sweep --config <sweep.json> [--out <dir>] [--parallel-models N] [--target-ci H] [--json] [--quiet]'],
  flags: {
    config: { type: 'string', description: 'sweep config (JSON, see below)', arg: '<file>' },
    out: { type: 'string', description: 'results folder (overrides the config\'s "out")', arg: '<dir>' },
    json: { type: 'boolean', description: 'last stdout line: {"rows":[...]} with one row per model and benchmark' },
    quiet: { type: 'boolean', description: 'no progress output' },
    'parallel-models': { type: 'number', description: 'models evaluated at once, each with its own per-endpoint concurrency (overrides the config\'s "parallel_models"; default 1)', arg: '<n>' },
    'target-ci': { type: 'number', description: 'stop each (model, benchmark) once its 95% interval has this half-width (overrides the config\'s "target_ci"; see masa eval --help)', arg: '<h>' },
  },
  details: `Config:
  {
    "benches": ["math500", "mmlu-pro"],          every model runs these unless it lists its own
    "limit": 200, "seed": 0, "concurrency": 32,  as for masa eval
    "options": {"mmlu-pro.shots": 5},            as --option
    "generation": {"max_tokens": 4096},          overrides for every model (catalog presets still apply)
    "out": "data/runs", "data": "../datasets",   relative to the config file
    "parallel_models": 2,                        models evaluated at once (default 1)
    "target_ci": 0.02, "min_items": 100,         precision target, as masa eval --target-ci
    "order": "prefix", "share_trials": true,     request order and sharing, as masa eval
    "models": [
      {"model": "qwen3-8b", "endpoints": ["http://gpu1:8000/v1", "http://gpu2:8000/v1"],
       "generation": {"chat_template_kwargs": {"enable_thinking": false}}, "api_key_env": "VLLM_KEY"},
      {"model": "llama-3.1-8b-instruct", "endpoint": "http://gpu3:8000/v1", "benches": ["mmlu-pro"]}
    ]
  }
Models run one after another (parallel_models / --parallel-models N: N at once, each with its
own dispatcher and per-endpoint concurrency, so models at different servers keep them all busy;
models sharing a server multiply its load), each over all its endpoints. Every (model, benchmark) is an
ordinary run: rerun the sweep to resume it. Status: done (every item answered), partial (some
failed or missing: rerun), failed (the run could not proceed, e.g. endpoint down: see reason).
The table is also written to <out>/sweep-<config name>.json.
Exit status: 0 when all done, 3 otherwise, 130 when interrupted.`,
  async run(args) {
    const file = str(args, 'config');
    if (!file) throw new MasaError("masa sweep: --config is required (see 'masa sweep --help')", { exitCode: 2 });
    const cfg = readSweepConfig(resolve(file));
    const parallelModels = num(args, 'parallel-models');
    if (parallelModels !== undefined && !(Number.isInteger(parallelModels) && parallelModels >= 1)) {
      throw new MasaError(`masa sweep: --parallel-models must be a whole number >= 1, got ${parallelModels}`, { exitCode: 2 });
    }
    const targetCi = num(args, 'target-ci');
    if (targetCi !== undefined) precisionSettings(targetCi);
    const out = str(args, 'out') ? resolve(str(args, 'out')!) : (cfg.out ?? runsDir());
    const drain = new AbortController();
    const abort = new AbortController();
    let interrupts = 0;
    const onSignal = (): void => {
      interrupts++;
      (interrupts === 1 ? drain : abort).abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let res;
    try {
      res = await runSweep(cfg, {
        out,
        progress: bool(args, 'quiet') ? 'none' : 'auto',
        log: (m) => process.stderr.write(m + '\n'),
        drainSignal: drain.signal,
        abortSignal: abort.signal,
        parallelModels,
        targetCi,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    mkdirSync(out, { recursive: true });
    const name = resolve(file).split(/[\\/]/).pop()!.replace(/\.json$/, '');
    writeFileSync(join(out, `sweep-${name}.json`), JSON.stringify({ config: resolve(file), finished_at: new Date().toISOString(), rows: res.rows }, null, 2) + '\n');
    process.stdout.write(table(res.rows) + '\n');
    if (bool(args, 'json')) process.stdout.write(JSON.stringify({ rows: res.rows }) + '\n');
    if (res.interrupted) return 130;
    return res.rows.every((r) => r.status === 'done') ? 0 : 3;
  },
};
