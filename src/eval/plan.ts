/**
 * Preparing a run: benchmark options, items (a seeded, prefix-stable subset under --limit),
 * generation settings, the run id and folder, and the lazy list of requests with their keys.
 * Shared by the online runner and batch export/import, so all three agree on every key.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SamplingPreset } from '../core/catalog.js';
import { MasaError } from '../core/errors.js';
import { hash32 } from '../core/rng.js';
import { loadItems, type DatasetLocation } from '../bench/data.js';
import { getBenchmark } from '../bench/registry.js';
import { DEFAULT_EXTRACTION, type AnyBenchmark, type ExtractionPolicy, type Item, type Trial } from '../bench/types.js';
import type { AnyGame } from '../play/types.js';
import { getGame, isGame } from '../play/registry.js';
import { buildBody, requestKey, requestSeed, resolveGeneration, runHash, type ChatBody, type GenerationOverrides, type ResolvedGeneration } from './generation.js';
import { stratifiedOrder } from './order.js';
import type { PrecisionSettings } from './precision.js';
import { modelSlug } from './records.js';

/** What selects a run's requests, shared by online evaluation (EvalConfig) and batch export. */
export interface RunSelection {
  model: string;
  /** Benchmark and game ids, or benchmark/game objects (a game is recognised by its `seats`). */
  benches: Array<string | AnyBenchmark | AnyGame>;
  seed?: number;
  limit?: number | null;
  out?: string;
  dataRoot?: string;
  /** Benchmark options by benchmark id, '*' for all (see optionsByBench). */
  options?: Record<string, Record<string, unknown>>;
  generation?: GenerationOverrides;
  greedy?: boolean;
  /** The sampling preset to use; undefined = look the model up in the catalog; null = none. */
  preset?: SamplingPreset | null;
  /** Which policy's verdict the records' top level holds (default 'robust'); never part of the run id. */
  extraction?: ExtractionPolicy;
  /** Precision target (`--target-ci`): stop each benchmark once its 95% interval's half-width is below it (src/eval/precision.ts). */
  targetCi?: number | null;
  /** Fewest items before a precision-targeted run may stop (default precision.ts MIN_ITEMS). */
  minItems?: number;
  /** 'prefix' (default): requests in hand are sent grouped by shared prompt prefix; 'arrival': in plan order. */
  order?: 'prefix' | 'arrival';
  /** Trials of an item with identical prompts go as one request (default true; see sharing.ts). */
  shareTrials?: boolean;
}

export interface PlanConfig {
  model: string;
  seed: number;
  limit: number | null;
  /** Options by benchmark id ('*' applies to every benchmark that has the option). */
  options: Record<string, Record<string, unknown>>;
  generation: GenerationOverrides;
  greedy: boolean;
  preset: SamplingPreset | undefined;
  dataRoot?: string;
  out: string;
  extraction?: ExtractionPolicy;
  /** Set for a precision-targeted run: items in the stratified seeded order (the first `limit` of it). */
  precision?: PrecisionSettings | null;
}

export interface RunPlan {
  bench: AnyBenchmark;
  options: Record<string, unknown>;
  items: Item[];
  location: DatasetLocation;
  generation: ResolvedGeneration;
  runId: string;
  dir: string;
  /** Items x trials. */
  total: number;
  seed: number;
  model: string;
  /** The policy the records' top level reports (both verdicts are always kept); absent = 'robust'. */
  extraction?: ExtractionPolicy;
  /** Precision-targeted (items in the stratified order); null: every planned item is requested. */
  precision: PrecisionSettings | null;
}

export interface PlannedRequest {
  item: Item;
  trial: Trial;
  body: ChatBody;
  key: string;
}

/** Parses `k=v` flag values: JSON when it parses (numbers, booleans, objects), else the string. */
export function parseKeyValues(pairs: readonly string[], flag: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new MasaError(`${flag} expects key=value, got '${p}'`, { exitCode: 2 });
    const k = p.slice(0, eq).trim();
    const raw = p.slice(eq + 1);
    let v: unknown = raw;
    try {
      v = JSON.parse(raw);
    } catch {
      v = raw;
    }
    out[k] = v;
  }
  return out;
}

/** Splits `--option` pairs into per-benchmark maps: `key=v` applies to all, `bench.key=v` to one. */
export function optionsByBench(values: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(values)) {
    const dot = k.indexOf('.');
    const [bench, key] = dot > 0 ? [k.slice(0, dot), k.slice(dot + 1)] : ['*', k];
    (out[bench] ??= {})[key] = v;
  }
  return out;
}

/** What option checking needs of a benchmark or a game. */
export type OptionOwner = Pick<AnyBenchmark, 'id' | 'optionDocs' | 'defaultOptions'>;

export function benchOptions(bench: OptionOwner, all: Record<string, Record<string, unknown>>, known: readonly OptionOwner[]): Record<string, unknown> {
  const docs = bench.optionDocs as Record<string, { choices?: readonly unknown[] }>;
  const chosen: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all['*'] ?? {})) {
    if (k in docs) chosen[k] = v;
    else if (!known.some((b) => k in (b.optionDocs as object))) {
      throw new MasaError(`--option ${k}: no benchmark among ${known.map((b) => b.id).join(', ')} has this option`, { exitCode: 2 });
    }
  }
  for (const [k, v] of Object.entries(all[bench.id] ?? {})) {
    if (!(k in docs)) throw new MasaError(`--option ${bench.id}.${k}: unknown option (known: ${Object.keys(docs).join(', ') || 'none'})`, { exitCode: 2 });
    chosen[k] = v;
  }
  for (const [k, v] of Object.entries(chosen)) {
    const choices = docs[k]?.choices;
    if (choices && !choices.includes(v as never)) {
      throw new MasaError(`--option ${bench.id}.${k}=${JSON.stringify(v)}: must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, { exitCode: 2 });
    }
  }
  return { ...(bench.defaultOptions as Record<string, unknown>), ...chosen };
}

/**
 * The first `limit` items of a seeded order (by a hash of seed and id, not the file order, which is
 * often sorted by category). A larger limit keeps every item a smaller one chose, so it extends a run.
 */
export function selectItems<I extends { id: string }>(items: readonly I[], limit: number | null, seed: number): I[] {
  if (limit === null || limit >= items.length) return items.slice();
  const keyed = items.map((it) => ({ it, h: hash32(`${seed}|${it.id}`) }));
  keyed.sort((a, b) => a.h - b.h || (a.it.id < b.it.id ? -1 : a.it.id > b.it.id ? 1 : 0));
  return keyed.slice(0, Math.max(0, limit)).map((k) => k.it);
}

/** Options that change how a response is scored but never the response or its score (sandboxing) stay out of the run id. */
const UNHASHED_OPTIONS = new Set(['unsafe_exec']);

/**
 * Scoring-only options added after runs existed, with their defaults: at the default they stay out
 * of the run id, so adding them changed no existing run's id; any other value makes a new run.
 */
const LATER_OPTIONS: Record<string, unknown> = { upstream_version: '2025-05', decimal_comma: false };

export function hashedOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => !UNHASHED_OPTIONS.has(k) && !(k in LATER_OPTIONS && LATER_OPTIONS[k] === v)));
}

export function resolveBench(b: string | AnyBenchmark | AnyGame): AnyBenchmark {
  if (isGameSelection(b)) throw new MasaError(`${typeof b === 'string' ? b : b.id} is an interactive game: it runs online (masa eval), not here`, { exitCode: 2 });
  return typeof b === 'string' ? getBenchmark(b) : (b as AnyBenchmark);
}

/** True for a game id or a game object (games have seats; benchmarks do not). */
export function isGameSelection(b: string | AnyBenchmark | AnyGame): boolean {
  return typeof b === 'string' ? isGame(b) : 'seats' in b;
}

/** The selection split into benchmarks and games, each in the order given. */
export function splitSelection(sel: ReadonlyArray<string | AnyBenchmark | AnyGame>): { benches: AnyBenchmark[]; games: AnyGame[] } {
  const games = sel.filter(isGameSelection).map((g) => (typeof g === 'string' ? getGame(g) : (g as AnyGame)));
  const benches = sel.filter((b) => !isGameSelection(b)).map(resolveBench);
  return { benches, games };
}

/** `create` false: only work out the plan (status readers), without making the run's folder. */
export async function planRun(bench: AnyBenchmark, cfg: PlanConfig, known: readonly OptionOwner[], create = true): Promise<RunPlan> {
  const options = benchOptions(bench, cfg.options, known);
  const { items: all, location } = await loadItems(bench, options, cfg.dataRoot);
  const plan = planFromItems(bench, options, all, location, cfg);
  if (create) mkdirSync(plan.dir, { recursive: true });
  return plan;
}

/** The plan of a run over loaded items, without touching the disk (`masa plan` estimates from it). */
export function planFromItems(bench: AnyBenchmark, options: Record<string, unknown>, all: readonly Item[], location: DatasetLocation, cfg: PlanConfig): RunPlan {
  if (all.length === 0) throw new MasaError(`${bench.id}: no items found in ${location.dir}`);
  const precision = cfg.precision ?? null;
  // --limit alone keeps its seeded subset; a precision run takes the stratified order (its first `limit`).
  const items = precision ? stratifiedOrder(all, cfg.seed).slice(0, cfg.limit ?? undefined) : selectItems(all, cfg.limit, cfg.seed);
  const generation = resolveGeneration(bench.generation(options), cfg.preset, cfg.generation, cfg.greedy);
  const hash = runHash({ model: cfg.model, bench: bench.id, bench_options: hashedOptions(options), generation: generation.settings, seed: cfg.seed });
  const runId = `${modelSlug(cfg.model)}__${bench.id}__${hash.slice(0, 10)}`;
  const dir = join(cfg.out, runId);
  let total = 0;
  for (const it of items) total += bench.trials(it, options).length;
  return { bench, options, items, location, generation, runId, dir, total, seed: cfg.seed, model: cfg.model, extraction: cfg.extraction ?? DEFAULT_EXTRACTION, precision };
}

/** Every request of a run, built lazily (a 100,000-item run never holds its bodies in memory). */
export function* plannedRequests(plan: RunPlan): Generator<PlannedRequest> {
  for (const item of plan.items) for (const req of itemRequests(plan, item)) yield req;
}

/** The requests of one item of a run, one per trial. */
export function itemRequests(plan: RunPlan, item: Item): PlannedRequest[] {
  const g = plan.generation.settings;
  const out: PlannedRequest[] = [];
  for (const trial of plan.bench.trials(item, plan.options) as Trial[]) {
    const messages = plan.bench.messages(item, trial, plan.options);
    const seed = g.request_seed ? requestSeed(plan.seed, item.id, trial.index) : null;
    const body = buildBody(plan.model, messages, g, seed);
    out.push({ item, trial, body, key: requestKey(body, trial.index, trial.permutation) });
  }
  return out;
}
