import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { runsDir } from '../../core/paths.js';
import { precisionSettings } from '../../eval/precision.js';
import { readSweepConfig, runSweep, type SweepRow } from '../../eval/sweep.js';
import { bool, num, str } from '../args.js';
import type { Command } from '../command.js';
import { runClusterStatus, runClusterSubmit } from './sweep-cluster.js';

function table(rows: SweepRow[]): string {
  const body = rows.map((r) => [
    r.model,
    r.partner ? `${r.bench} with ${r.partner.replace(/@.*$/, '')}` : r.bench,
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
  usage: [
    'masa sweep --config <sweep.json> [--out <dir>] [--parallel-models N] [--target-ci H] [--json] [--quiet]',
    'masa sweep --config <sweep.json> --scheduler slurm [--partition P] [--account A] [--dry-run] [--out <dir>] [--json]',
    'masa sweep status --config <sweep.json> [--scheduler slurm] [--out <dir>] [--json]',
  ],
  flags: {
    config: { type: 'string', description: 'sweep config (JSON, see below)', arg: '<file>' },
    out: { type: 'string', description: 'results folder (overrides the config\'s "out")', arg: '<dir>' },
    json: { type: 'boolean', description: 'last stdout line: {"rows":[...]} with one row per model and benchmark' },
    quiet: { type: 'boolean', description: 'no progress output' },
    'parallel-models': { type: 'number', description: 'models evaluated at once, each with its own per-endpoint concurrency (overrides the config\'s "parallel_models"; default 1)', arg: '<n>' },
    scheduler: { type: 'string', description: 'submit one job per model (a job array where shapes allow) that serves it, evaluates it and stops it', arg: 'slurm' },
    partition: { type: 'string', description: 'with --scheduler slurm: partition (overrides cluster.slurm.partition)', arg: '<P>' },
    account: { type: 'string', description: 'with --scheduler slurm: account (overrides cluster.slurm.account)', arg: '<A>' },
    'dry-run': { type: 'boolean', description: 'with --scheduler: write the job scripts and print the submit commands, submit nothing' },
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
    "crossplay": {"benches": ["hanabi"], "bots": ["simple", "smart"],
                  "models": true, "max_pairs": 6},  games replayed with other partners (see below)
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
Cross-play: after the models' own runs, each game in crossplay.benches is played again by every
model with each scripted bot, and by model pairs (evaluated, partner) taken in an order that
grows the matrix one model at a time, at most max_pairs of them; each is an ordinary run.
The table is also written to <out>/sweep-<config name>.json.
Exit status: 0 when all done, 3 otherwise, 130 when interrupted.

On a cluster (--scheduler slurm): models may leave out endpoints; each model's job starts
\`vllm serve\` with its serve plan's flags (masa serve-plan) on a free port of its node, waits for
/health and /v1/models, runs masa eval for the sweep's benchmarks into the results folder, and
stops the server on every exit path. Scripts, job outputs, server logs and jobs.json (model ->
job ids) go to <out>/slurm/<config name>/. Rerun to resume: jobs only for models whose runs are
missing or partial, never a second one while a model's job is pending or running. Secrets reach
jobs only through the environment (sbatch --export=ALL). Site specifics, all optional:
  "cluster": {
    "gpu_mem_gb": 80, "gpus_per_node": 8, "max_model_len": 32768,   serve-plan sizing
    "time": "12:00:00",                 per job; a model's own "time" wins (minutes or [D-]HH:MM[:SS])
    "health_timeout_s": 1800,           wait for the server, then fail with its log's reason
    "stop_grace_s": 20,                 masa eval's time to record what is in flight when stopped
    "vllm": "vllm", "vllm_args": ["--enforce-eager"],   a model's own "vllm_args" come after
    "masa": "masa",                     how a node runs masa (default: this checkout, by path)
    "api_key_env": "VLLM_KEY",          env var with a key the server requires (default none)
    "slurm": {"partition": "gpu", "account": "proj", "modules": ["cuda/12.4"],
              "setup": ["source ~/venvs/vllm/bin/activate"],
              "container": "apptainer exec --nv /images/vllm.sif",
              "sbatch": ["--qos=normal"], "gpu_request": "gres|gpus-per-node|none",
              "cpus_per_gpu": 8, "cpus_per_task": 16, "mem": "64G", "signal_s": 120}
  }
masa sweep status: per model, the latest job's state (pending, running, completed, failed,
cancelled, timeout; scontrol) and what the records say (items answered, failed, missing), with
the job's own reason when it failed. Exit status 0 when every model is done, 3 otherwise.`,
  async run(args) {
    const file = str(args, 'config');
    if (args._[0] !== undefined && args._[0] !== 'status') throw new MasaError(`masa sweep: unknown sub-command '${args._[0]}' (only 'status')`, { exitCode: 2 });
    if (!file) throw new MasaError("masa sweep: --config is required (see 'masa sweep --help')", { exitCode: 2 });
    if (args._[0] === 'status') return runClusterStatus(args, resolve(file));
    if (str(args, 'scheduler') !== undefined) return runClusterSubmit(args, resolve(file));
    for (const f of ['partition', 'account', 'dry-run']) {
      if (args.flags[f] !== undefined) throw new MasaError(`masa sweep: --${f} needs --scheduler slurm`, { exitCode: 2 });
    }
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
