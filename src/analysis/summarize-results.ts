/**
 * `masa summarize`'s engine: streams every run's per-sample log (bounded memory: one run's
 * compact trial outcomes at a time), takes the record that counts per (item, trial) (latest
 * success, else latest error, as the evaluation core does), folds each item's trials with
 * the benchmark's own `reduce`, and summarises accuracy, clustered SE and 95% interval with
 * src/bench/summary.ts. Items with a trial that still failed are left out of n and their
 * failed trials counted in `errors` (a transport failure is not the model's wrong answer);
 * truncated responses count as wrong and are counted in `truncated`. Every row carries both
 * extraction policies' accuracies (policy-scores.ts); `accuracy` is the chosen policy's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from '../core/catalog.js';
import { findModel } from '../core/catalog-load.js';
import { MasaError } from '../core/errors.js';
import { loadItems } from '../bench/data.js';
import { BENCHMARKS } from '../bench/registry.js';
import { scorePolicies } from '../bench/policies.js';
import type { ExtractionPolicy, Group, Item, TrialScore } from '../bench/types.js';
import { SAMPLES_FILE, type RunMeta, type SampleRecord } from '../eval/records.js';
import { listRuns, readRecords, replacesKept } from '../eval/store.js';
import * as aq from 'arquero';
import { gameRunRows, retentionRows } from './summarize-games.js';
import { completeVerdicts, policyColumns, policySummaries, trialVerdicts, type PolicyColumns, type Rescorer, type TrialVerdicts } from './policy-scores.js';
import { CostTally, type RunCostRow } from './run-costs.js';
import { precisionRow } from './precision-rows.js';
import { groupScores, type ModelFacts, type TidyScoreRow, type Weighting } from './tables.js';

/** How summarize folds one benchmark's trials: its group, items and reduce. */
export interface BenchAdapter {
  group: Group;
  /** True when the benchmark's items were loaded (so an unknown id is worth a warning). */
  loaded?: boolean;
  /** The benchmark's own item for an id, when its files could be loaded. */
  item(id: string): Item | undefined;
  reduce(item: Item, trials: TrialScore[]): number;
  /** Chance accuracy over these items, when known. */
  chance(items: Item[]): number | null;
  /** Both verdicts for a response, to rescore records written before both were kept (absent: not possible). */
  rescore?: Rescorer;
  /** Every item and its trial count, when loaded: a precision-targeted run is summarized over its order's prefix. */
  items?(): Item[];
  trials?(item: Item): number;
}

export type BenchAdapterFactory = (bench: string, options: Record<string, unknown>) => Promise<BenchAdapter>;

export interface SummarizeOptions {
  /** Model catalog for the family/size/generation join. */
  catalog: readonly ModelInfo[];
  /** Default: the benchmark registry, with items loaded from `dataRoot` (or fetched data, or the samples). */
  adapters?: BenchAdapterFactory;
  dataRoot?: string;
  /** Non-fatal problems (torn lines, unknown models, duplicate runs), one line each. */
  onWarning?: (message: string) => void;
  /** The policy `accuracy` reports (default 'robust'); both are always in the row. */
  extraction?: ExtractionPolicy;
}

/** A benchmark row carries both extraction policies' accuracies; a game row (one move reader) none. */
export type SummaryRow = TidyScoreRow & { chance: number | null } & Partial<PolicyColumns>;

export interface SummarizeResult {
  rows: SummaryRow[];
  records: number;
  runs: number;
  warnings: string[];
  /** What each run cost the server (one row per run folder, run-costs.ts). */
  costs: RunCostRow[];
}

/** Adapters from the benchmark registry; items loaded once per (benchmark, options). */
export function registryAdapters(dataRoot?: string, warn: (m: string) => void = () => {}): BenchAdapterFactory {
  const cache = new Map<string, Promise<BenchAdapter>>();
  return (id, options) => {
    const key = `${id}|${JSON.stringify(options)}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        const bench = BENCHMARKS.find((b) => b.id === id);
        if (!bench) throw new MasaError(`unknown benchmark '${id}' in the results (known: ${BENCHMARKS.map((b) => b.id).join(', ')})`);
        const opts = { ...(bench.defaultOptions as Record<string, unknown>), ...options };
        let byId: Map<string, Item> | null = null;
        try {
          const { items } = await loadItems(bench, opts, dataRoot);
          byId = new Map(items.map((i) => [i.id, i]));
        } catch (e) {
          warn(`${id}: could not load its items (${(e as Error).message}); folding trials from the records alone, chance level unknown`);
        }
        return {
          group: bench.group,
          loaded: byId !== null,
          item: (itemId) => byId?.get(itemId),
          reduce: (item, trials) => bench.reduce(item, trials, opts),
          chance: (items) => (byId ? bench.chance(items, opts) : null),
          // Rescoring a code benchmark would execute code while summarizing: its old records keep one verdict.
          rescore: 'unsafe_exec' in (bench.defaultOptions as object) ? undefined : (item, response, trial) => scorePolicies(bench, item, response, trial, opts),
          items: () => (byId ? [...byId.values()] : []),
          trials: (item) => bench.trials(item, opts).length,
        };
      })();
      cache.set(key, p);
    }
    return p;
  };
}

interface Outcome {
  ok: boolean;
  truncated: boolean;
  verdicts: TrialVerdicts | null;
  /** Kept only for a record without both verdicts (to rescore it). */
  old: SampleRecord | null;
}

interface ItemInfo {
  tags: Record<string, string>;
  cluster: string;
  gold: string | null;
  trials: Map<number, Outcome>;
}

function modelFacts(model: string, catalogId: string | null, catalog: readonly ModelInfo[]): ModelFacts | null {
  const m = (catalogId ? catalog.find((c) => c.id === catalogId) : undefined) ?? findModel(model, catalog);
  if (!m) return null;
  return {
    model,
    family: m.family,
    generation: m.generation,
    generation_rank: m.generation_rank,
    params_b: m.params_b,
    active_params_b: m.active_params_b,
    release_date: m.release_date,
    synthetic: model.startsWith('sim/'),
  };
}

/** Summarises one run folder; null when it holds no records. */
async function summarizeRun(
  dir: string,
  runId: string,
  meta: RunMeta | null,
  opts: SummarizeOptions,
  adapters: BenchAdapterFactory,
  warn: (m: string) => void,
): Promise<{ row: SummaryRow; records: number; cost: RunCostRow } | null> {
  const items = new Map<string, ItemInfo>();
  const cost = new CostTally();
  let model = meta?.model;
  let bench = meta?.bench;
  let records = 0;
  let badLine: number | null = null;
  const file = join(dir, SAMPLES_FILE);
  // JSON.parse dominates the cost (a chunked synchronous reader measured no faster), so the
  // store's streaming reader is used: the event loop stays free for progress output.
  for await (const r of readRecords(dir, { onBadLine: (line) => (badLine = line) }) as AsyncGenerator<SampleRecord>) {
    if (badLine !== null) throw new MasaError(`${file}:${badLine}: not valid JSON, and it is not the last line (the log is corrupt)`);
    records++;
    cost.add(r);
    model ??= r.model;
    bench ??= r.bench;
    let it = items.get(r.item_id);
    if (!it) items.set(r.item_id, (it = { tags: r.tags ?? {}, cluster: r.cluster ?? r.item_id, gold: r.gold, trials: new Map() }));
    const ok = r.error === null;
    if (!replacesKept(it.trials.get(r.trial)?.ok, ok)) continue;
    const verdicts = ok ? trialVerdicts(r) : null;
    it.trials.set(r.trial, { ok, truncated: r.truncated === true, verdicts, old: verdicts?.pending ? r : null });
  }
  if (badLine !== null) warn(`${file}:${badLine}: torn last line ignored (an interrupted write; 'masa eval' sets it aside on resume)`);
  if (records === 0 || !model || !bench) return null;
  const adapter = await adapters(bench, meta?.bench_options ?? {});
  const facts = modelFacts(model, meta?.catalog_id ?? null, opts.catalog);
  if (!facts) warn(`${runId}: model '${model}' is not in the catalog; family, generation and size left empty`);
  const folded: Array<{ item: Item; id: string; cluster: string; tags: Record<string, string>; trials: TrialVerdicts[] }> = [];
  const toComplete: Array<{ verdicts: TrialVerdicts; record: SampleRecord; item: Item | undefined }> = [];
  const real: Item[] = [];
  let errors = 0;
  let truncated = 0;
  let fallback = 0;
  for (const [id, info] of items) {
    const trials = [...info.trials.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    const failed = trials.filter((t) => !t.ok).length;
    truncated += trials.filter((t) => t.ok && t.truncated).length;
    if (failed > 0) {
      errors += failed;
      continue;
    }
    const known = adapter.item(id);
    let item = known;
    if (item) real.push(item);
    else {
      fallback++;
      item = { id, tags: info.tags, cluster: info.cluster, source: `${file} (record)`, gold: info.gold } as Item;
    }
    for (const t of trials) if (t.old) toComplete.push({ verdicts: t.verdicts!, record: t.old, item: known });
    folded.push({ item, id, cluster: info.cluster, tags: info.tags, trials: trials.map((t) => t.verdicts!) });
  }
  if (fallback > 0 && adapter.loaded) warn(`${runId}: ${fallback} item ids not found among the loaded ${bench} items (run on other data?); folded from their records, chance level unknown`);
  const done = await completeVerdicts(toComplete, adapter.rescore);
  if (done.rescored > 0) warn(`${runId}: ${done.rescored} record(s) written before both extraction policies were kept: rescored from their stored responses (no request)`);
  if (done.single > 0) warn(`${runId}: ${done.single} record(s) hold one verdict only and could not be rescored here (${adapter.rescore ? 'item unknown' : 'the benchmark runs code'}): that verdict stands for both policies`);
  const extraction = opts.extraction ?? 'robust';
  const summaries = policySummaries(folded, (item, trials) => adapter.reduce(item, trials));
  // A precision-targeted run counts the prefix of its order only (src/eval/precision.ts), under each policy.
  const precise = meta?.precision
    ? (['upstream', 'robust'] as const).map((policy) => precisionRow(meta, policyTrials(items, policy), adapter, warn, runId))
    : null;
  if (precise && precise[0] && precise[1]) {
    summaries.upstream = precise[0].summary;
    summaries.robust = precise[1].summary;
    errors = precise[extraction === 'upstream' ? 0 : 1]!.errors;
  }
  const s = summaries[extraction];
  const columns = precise?.[0]?.columns;
  return {
    records,
    cost: cost.row(model, bench, runId, meta),
    row: {
      ...(facts ?? { model, family: '', generation: '', generation_rank: null, params_b: null, active_params_b: null, release_date: '', synthetic: model.startsWith('sim/') }),
      benchmark: bench,
      group: adapter.group,
      n: s.n,
      accuracy: s.accuracy,
      stderr: s.stderr,
      ci_low: s.ci_low,
      ci_high: s.ci_high,
      errors,
      truncated,
      run_id: runId,
      source: meta?.source?.harness ?? 'masa',
      chance: fallback === 0 && real.length > 0 ? adapter.chance(real) : null,
      ...policyColumns(extraction, summaries, done.rescored),
      interval: 'wilson',
      ...(columns ?? {}),
    },
  };
}

/** Each item's trials as one policy scored them, the form precisionRow reads. */
function policyTrials(items: ReadonlyMap<string, ItemInfo>, policy: ExtractionPolicy): Map<string, { trials: Map<number, { ok: boolean; score: TrialScore | null }> }> {
  const out = new Map<string, { trials: Map<number, { ok: boolean; score: TrialScore | null }> }>();
  for (const [id, info] of items) {
    const trials = new Map<number, { ok: boolean; score: TrialScore | null }>();
    for (const [t, o] of info.trials) trials.set(t, { ok: o.ok, score: o.ok ? (o.verdicts?.[policy] ?? null) : null });
    out.set(id, { trials });
  }
  return out;
}

/** A game run's rows (summarize-games.ts), with the model's catalog facts. */
async function gameRun(dir: string, runId: string, meta: RunMeta, opts: SummarizeOptions, warn: (m: string) => void): Promise<{ rows: Array<TidyScoreRow & { chance: number | null }>; records: number } | null> {
  const facts = modelFacts(meta.model, meta.catalog_id, opts.catalog);
  if (!facts) warn(`${runId}: model '${meta.model}' is not in the catalog; family, generation and size left empty`);
  return gameRunRows(dir, runId, meta, facts ?? { model: meta.model, family: '', generation: '', generation_rank: null, params_b: null, active_params_b: null, release_date: '', synthetic: meta.model.startsWith('sim/') }, warn);
}

/**
 * One tidy row per (model, benchmark) from a results folder (`<dir>/<run_id>/samples.jsonl`
 * + meta.json). When several runs hold the same (model, benchmark) (different settings),
 * the most recently started one is kept and the others named in a warning.
 */
export async function summarizeResults(dir: string, opts: SummarizeOptions): Promise<SummarizeResult> {
  if (!existsSync(dir)) throw new MasaError(`${dir}: no such results folder`);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    opts.onWarning?.(m);
  };
  const adapters = opts.adapters ?? registryAdapters(opts.dataRoot, warn);
  const runs = listRuns(dir);
  if (runs.length === 0) throw new MasaError(`${dir}: no run folders (expected <dir>/<run_id>/samples.jsonl)`);
  const kept = new Map<string, { row: SummaryRow; started: string }>();
  let records = 0;
  const costs: RunCostRow[] = [];
  for (const run of runs) {
    const r = run.meta?.kind === 'game' ? await gameRun(run.dir, run.run_id, run.meta, opts, warn) : await summarizeRun(run.dir, run.run_id, run.meta, opts, adapters, warn);
    if (!r) continue;
    records += r.records;
    if ('cost' in r && r.cost) costs.push(r.cost);
    const started = run.meta?.started_at ?? '';
    for (const row of 'rows' in r ? r.rows : [r.row]) {
      // Imported and measured runs of one model stay apart, as do a game's partners: (model, benchmark, partner, source).
      const label = `${row.benchmark}${row.partner ? ` (partner ${row.partner})` : ''}${row.source && row.source !== 'masa' ? ` (${row.source})` : ''}`;
      const key = `${row.model}\u0000${row.benchmark}\u0000${row.partner ?? ''}\u0000${row.source ?? 'masa'}`;
      const prev = kept.get(key);
      if (prev) {
        const [win, lose] = started > prev.started ? [run.run_id, prev.row.run_id] : [prev.row.run_id, run.run_id];
        warn(`${row.model} × ${label}: several runs (${win} kept, ${lose} ignored: it started earlier)`);
        if (started <= prev.started) continue;
      }
      kept.set(key, { row, started });
    }
  }
  const rows = [...kept.values()].map((k) => k.row);
  rows.push(...retentionRows(rows.filter((r) => r.partner)));
  const order = new Map(BENCHMARKS.map((b, i) => [b.id, i]));
  rows.sort((a, b) => a.family.localeCompare(b.family) || (a.params_b ?? 0) - (b.params_b ?? 0) || a.model.localeCompare(b.model) || (order.get(a.benchmark) ?? 99) - (order.get(b.benchmark) ?? 99) || a.benchmark.localeCompare(b.benchmark));
  return { rows, records, runs: runs.length, warnings, costs };
}

/** summarizeResults as arquero tables: `tidy` (model × benchmark) and `groups` (one row per model). */
export async function loadResultsTables(
  dir: string,
  opts: SummarizeOptions & { weighting?: Weighting },
): Promise<{ tidy: aq.ColumnTable; groups: aq.ColumnTable; warnings: string[]; records: number }> {
  const res = await summarizeResults(dir, opts);
  return {
    tidy: aq.from(res.rows),
    groups: aq.from(groupScores(res.rows, opts.weighting ?? 'unweighted')),
    warnings: res.warnings,
    records: res.records,
  };
}
