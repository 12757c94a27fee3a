/**
 * `masa sweep`: models x benchmarks from one JSON config, each model at its own endpoint(s).
 * Every (model, benchmark) is an ordinary resumable run, so rerunning the sweep after a crash
 * or a failed endpoint requests only what is missing. The result is a table of what is done,
 * partial (some items missing or failed) or failed (the run could not proceed).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { MasaError } from '../core/errors.js';
import type { AnyBenchmark } from '../bench/types.js';
import type { GenerationOverrides } from './generation.js';
import { optionsByBench } from './plan.js';
import { runEval, type EvalConfig } from './runner.js';
import { crossplayTasks, readCrossplay, type CrossplayConfig } from './crossplay.js';
import { readClusterConfig, readModelTime, readModelVllmArgs, type ClusterConfig } from './scheduler/config.js';
import type { ProgressMode } from './progress.js';

export interface SweepModel {
  model: string;
  /** Where the model is served; empty only in scheduler mode, where each job starts its own server. */
  endpoints: string[];
  /** Benchmarks for this model (default: the sweep's). */
  benches?: string[];
  /** Overrides for this model, on top of the sweep's. */
  generation?: GenerationOverrides;
  greedy?: boolean;
  concurrency?: number;
  /** Name of the environment variable holding this model's API key (default OPENAI_API_KEY). */
  api_key_env?: string;
  /** Scheduler mode: this model's job time limit in minutes (default the cluster's). */
  time?: number;
  /** Scheduler mode: extra `vllm serve` flags for this model. */
  vllm_args?: string[];
}

export interface SweepConfig {
  benches: string[];
  models: SweepModel[];
  out?: string;
  data?: string;
  limit?: number;
  seed?: number;
  concurrency?: number;
  /** Benchmark options as for --option: { "shots": 5, "mmlu-pro.fallbacks": false }. */
  options?: Record<string, unknown>;
  generation?: GenerationOverrides;
  greedy?: boolean;
  timeout_s?: number;
  max_attempts?: number;
  /** Models evaluated at once (default 1), each with its own dispatcher and per-endpoint
   * concurrency: models at different servers keep all of them busy, and the tail of one model's
   * run overlaps the start of the next. Models sharing a server multiply its load. */
  parallel_models?: number;
  /** Precision target for every (model, benchmark), as --target-ci (src/eval/precision.ts). */
  target_ci?: number;
  min_items?: number;
  /** As --order and --no-share-trials. */
  order?: 'prefix' | 'arrival';
  share_trials?: boolean;
  /** Games played again with other partners after each model's own runs (crossplay.ts). */
  crossplay?: CrossplayConfig;
  /** Site specifics for `--scheduler` (src/eval/scheduler/config.ts); every default when absent. */
  cluster?: ClusterConfig;
}

export interface ReadSweepOptions {
  /** Scheduler mode: models may leave out endpoints (each job starts its own server). */
  endpointsOptional?: boolean;
}

export type SweepStatus = 'done' | 'partial' | 'failed';

export interface SweepRow {
  model: string;
  bench: string;
  status: SweepStatus;
  n: number;
  accuracy: number | null;
  stderr: number | null;
  errors: number;
  missing: number;
  truncated: number;
  run_id: string | null;
  /** Why the run failed (status 'failed'). */
  reason: string | null;
  /** A cross-play run's partner. */
  partner?: string;
  /** Precision-targeted runs: items the interval is over, of how many, where the rule stopped, its half-width. */
  precision?: { items: number; population: number; stopped_at: number | null; half_width: number };
}

function fail(file: string, msg: string): never {
  throw new MasaError(`${file}: ${msg}`, { exitCode: 2 });
}

const GEN_KEYS = new Set(['temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty', 'presence_penalty', 'frequency_penalty', 'max_tokens', 'stop', 'chat_template_kwargs', 'extra', 'request_seed']);

export function checkGeneration(file: string, where: string, g: unknown): GenerationOverrides | undefined {
  if (g === undefined) return undefined;
  if (!g || typeof g !== 'object' || Array.isArray(g)) fail(file, `${where}: must be an object`);
  for (const k of Object.keys(g)) if (!GEN_KEYS.has(k)) fail(file, `${where}.${k}: unknown generation setting (known: ${[...GEN_KEYS].join(', ')})`);
  return g as GenerationOverrides;
}

function halfWidth(file: string, v: number | undefined): number | undefined {
  if (v !== undefined && !(v > 0 && v < 0.5)) fail(file, `target_ci: must be a half-width in (0, 0.5), e.g. 0.02; got ${v}`);
  return v;
}

function positiveInt(file: string, where: string, v: number | undefined): number | undefined {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) fail(file, `${where}: must be a whole number >= 1, got ${v}`);
  return v;
}

/** Reads and validates a sweep config, naming the field at fault. Relative out/data resolve against the file. */
export function readSweepConfig(file: string, opts: ReadSweepOptions = {}): SweepConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `cannot read as JSON (${(e as Error).message})`);
  }
  const c = raw as Record<string, unknown>;
  if (!c || typeof c !== 'object') fail(file, 'must hold a JSON object');
  const strList = (v: unknown, where: string): string[] => {
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === '')) fail(file, `${where}: must be a non-empty list of strings`);
    return v as string[];
  };
  const benches = strList(c.benches, 'benches');
  if (!Array.isArray(c.models) || c.models.length === 0) fail(file, 'models: must be a non-empty list');
  const models = (c.models as unknown[]).map((m, i): SweepModel => {
    const o = m as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.model !== 'string' || o.model === '') fail(file, `models[${i}].model: must be a served model name`);
    return {
      model: o.model as string,
      endpoints:
        typeof o.endpoint === 'string'
          ? [o.endpoint]
          : opts.endpointsOptional && o.endpoints === undefined && o.endpoint === undefined
            ? []
            : strList(o.endpoints, `models[${i}].endpoints`),
      benches: o.benches === undefined ? undefined : strList(o.benches, `models[${i}].benches`),
      generation: checkGeneration(file, `models[${i}].generation`, o.generation),
      greedy: typeof o.greedy === 'boolean' ? o.greedy : undefined,
      concurrency: typeof o.concurrency === 'number' ? o.concurrency : undefined,
      api_key_env: typeof o.api_key_env === 'string' ? o.api_key_env : undefined,
      time: readModelTime(file, `models[${i}]`, o.time),
      vllm_args: readModelVllmArgs(file, `models[${i}]`, o.vllm_args),
    };
  });
  const num = (k: string): number | undefined => {
    if (c[k] === undefined) return undefined;
    if (typeof c[k] !== 'number' || !Number.isFinite(c[k])) fail(file, `${k}: must be a number`);
    return c[k] as number;
  };
  const base = dirname(resolve(file));
  const path = (k: string): string | undefined => {
    if (c[k] === undefined) return undefined;
    if (typeof c[k] !== 'string') fail(file, `${k}: must be a path`);
    return isAbsolute(c[k] as string) ? (c[k] as string) : resolve(base, c[k] as string);
  };
  return {
    benches,
    models,
    out: path('out'),
    data: path('data'),
    limit: num('limit'),
    seed: num('seed'),
    concurrency: num('concurrency'),
    options: c.options === undefined ? undefined : (c.options as Record<string, unknown>),
    generation: checkGeneration(file, 'generation', c.generation),
    greedy: typeof c.greedy === 'boolean' ? c.greedy : undefined,
    timeout_s: num('timeout_s'),
    max_attempts: num('max_attempts'),
    parallel_models: positiveInt(file, 'parallel_models', num('parallel_models')),
    crossplay: readCrossplay(file, c.crossplay),
    cluster: readClusterConfig(file, c.cluster),
    target_ci: halfWidth(file, num('target_ci')),
    min_items: positiveInt(file, 'min_items', num('min_items')),
    order: c.order === undefined ? undefined : c.order === 'prefix' || c.order === 'arrival' ? c.order : fail(file, `order: must be "prefix" or "arrival", got ${JSON.stringify(c.order)}`),
    share_trials: c.share_trials === undefined ? undefined : typeof c.share_trials === 'boolean' ? c.share_trials : fail(file, 'share_trials: must be true or false'),
  };
}

export interface SweepHooks {
  out?: string;
  progress?: ProgressMode;
  log?: (m: string) => void;
  drainSignal?: AbortSignal;
  abortSignal?: AbortSignal;
  /** Extra benchmarks (modules) by id. */
  benches?: AnyBenchmark[];
  /** Overrides the config's parallel_models (the --parallel-models flag). */
  parallelModels?: number;
  /** Overrides the config's target_ci (the --target-ci flag). */
  targetCi?: number;
}

function failedRows(m: SweepModel, benchIds: string[], reason: string): SweepRow[] {
  return benchIds.map((b) => ({ model: m.model, bench: b, status: 'failed' as const, n: 0, accuracy: null, stderr: null, errors: 0, missing: 0, truncated: 0, run_id: null, reason }));
}

export async function runSweep(cfg: SweepConfig, hooks: SweepHooks = {}): Promise<{ rows: SweepRow[]; interrupted: boolean }> {
  let interrupted = false;
  const options = optionsByBench(cfg.options ?? {});
  const parallel = Math.max(1, Math.min(cfg.models.length, Math.floor(hooks.parallelModels ?? cfg.parallel_models ?? 1)));
  // Redrawn progress lines of several runs would overwrite each other: plain lines, each labelled with its model.
  const progress: ProgressMode = parallel > 1 && (hooks.progress ?? 'auto') !== 'none' ? 'plain' : (hooks.progress ?? 'auto');

  const evalModel = async (m: SweepModel, cross?: { bench: string; partner: string }): Promise<SweepRow[]> => {
    const benchIds = cross ? [cross.bench] : (m.benches ?? cfg.benches);
    if (interrupted || hooks.drainSignal?.aborted) return failedRows(m, benchIds, 'sweep stopped before this model');
    const benches = benchIds.map((id) => hooks.benches?.find((b) => b.id === id) ?? id);
    const ec: EvalConfig = {
      model: m.model,
      endpoints: m.endpoints,
      benches,
      apiKey: process.env[m.api_key_env ?? 'OPENAI_API_KEY'],
      limit: cfg.limit ?? null,
      concurrency: m.concurrency ?? cfg.concurrency ?? 32,
      seed: cfg.seed ?? 0,
      out: hooks.out ?? cfg.out,
      dataRoot: cfg.data,
      options: cross ? { ...options, [cross.bench]: { ...(options[cross.bench] ?? {}), partner: cross.partner } } : options,
      generation: { ...(cfg.generation ?? {}), ...(m.generation ?? {}) },
      greedy: m.greedy ?? cfg.greedy ?? false,
      timeoutMs: (cfg.timeout_s ?? 600) * 1000,
      maxAttempts: cfg.max_attempts ?? 6,
      targetCi: hooks.targetCi ?? cfg.target_ci ?? null,
      minItems: cfg.min_items,
      order: cfg.order,
      shareTrials: cfg.share_trials,
      progress,
      log: hooks.log,
      drainSignal: hooks.drainSignal,
      abortSignal: hooks.abortSignal,
    };
    hooks.log?.(`sweep: ${m.model} (${benchIds.join(', ')}${cross ? ` with ${cross.partner}` : ''}) at ${m.endpoints.join(', ')}`);
    const rows: SweepRow[] = [];
    try {
      const res = await runEval(ec);
      if (res.interrupted) interrupted = true;
      for (const r of res.runs) {
        rows.push({
          model: m.model,
          bench: r.bench,
          status: r.errors === 0 && r.missing === 0 ? 'done' : 'partial',
          n: r.n,
          accuracy: r.n > 0 ? r.accuracy : null,
          stderr: r.n > 0 ? r.stderr : null,
          errors: r.errors,
          missing: r.missing,
          truncated: r.truncated,
          run_id: r.run_id,
          reason: null,
          ...(cross ? { partner: cross.partner } : {}),
          ...(r.precision ? { precision: { items: r.precision.items, population: r.precision.population, stopped_at: r.precision.stopped_at, half_width: r.precision.half_width } } : {}),
        });
      }
      return rows;
    } catch (e) {
      const reason = (e as Error).message;
      hooks.log?.(`sweep: ${m.model} failed: ${reason}`);
      return failedRows(m, benchIds, reason).map((r) => (cross ? { ...r, partner: cross.partner } : r));
    }
  };

  // A pool of `parallel` workers takes models in config order, then the cross-play runs; the table keeps that order.
  const tasks: Array<() => Promise<SweepRow[]>> = cfg.models.map((m) => () => evalModel(m));
  for (const t of cfg.crossplay ? crossplayTasks(cfg.crossplay, cfg.models) : []) tasks.push(() => evalModel(cfg.models[t.model]!, t));
  const results: SweepRow[][] = tasks.map(() => []);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, tasks.length)) }, worker));
  return { rows: results.flat(), interrupted };
}
