/**
 * `masa import`: other harnesses' per-sample logs in, masa's records out. Each run is matched
 * and scored whole before anything of it is written, so a file with an unmatched sample, an
 * unknown format or a truncated line adds nothing (and what earlier files imported stays).
 * Records go through the one record path (outcome.ts importedRecord: the same scoring as a
 * served response) and the one store (SampleWriter, writeMeta); a re-import of the same files
 * finds its request keys done and writes nothing twice.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { sha256, sha256File, stableStringify } from '../../core/hash.js';
import { runsDir } from '../../core/paths.js';
import { loadItems, type DatasetLocation } from '../../bench/data.js';
import { summarizeBench, type BenchSummary, type ItemScore } from '../../bench/summary.js';
import type { AnyBenchmark, ExtractionPolicy, Item, Trial, TrialScore } from '../../bench/types.js';
import { lookupModel } from '../catalog.js';
import { failureRecord, importedRecord } from '../outcome.js';
import { benchOptions, resolveBench, type RunPlan } from '../plan.js';
import { gitCommit, hashDataset, masaVersion } from '../provenance.js';
import { modelSlug, SAMPLES_FILE, type RunMeta, type RunSession, type SampleRecord } from '../records.js';
import { Redactor } from '../redact.js';
import { readMeta, recordPolicyScore, recordScore, SampleWriter, scanRun, writeMeta } from '../store.js';
import { expandPaths } from './files.js';
import { isInspectFile, readInspect } from './inspect.js';
import { isLmEvalFile, readLmEval } from './lm-eval.js';
import { ItemIndex, isIdentity, permutationOf } from './match.js';
import { isEmoResultsFile, readEmoBenchResults } from './emobench-results.js';
import { isMmluProResultsFile, readMmluProResults } from './mmlu-pro-results.js';
import { readOpenCompass } from './opencompass.js';
import type { HarnessRun, HarnessSample, ImportFormat, ReadResult, SkippedFile } from './types.js';

export interface ImportConfig {
  format: ImportFormat;
  paths: string[];
  /** Force the masa benchmark (else read from the harness's task name). */
  bench?: string;
  /** Force the model name (else the one the harness recorded). */
  model?: string;
  out?: string;
  dataRoot?: string;
  /** Benchmark options by benchmark id, '*' for all (as `--option`); they override the format's. */
  options?: Record<string, Record<string, unknown>>;
  /** Password for encrypted zip members (default: GPQA's published one). */
  password?: string;
}

export interface ImportedRun {
  run_id: string;
  dir: string;
  format: ImportFormat;
  bench: string;
  model: string;
  tasks: string[];
  files: string[];
  status: string | null;
  samples: number;
  imported: number;
  duplicates: number;
  errors: number;
  /** Samples matched to masa's item by id, by a content hash, or by the nearest item. */
  matched: Record<string, number>;
  /** Items whose copy in the file differs from masa's (scored against the file's copy). */
  differing: number;
  /** masa's accuracy over the run's items (its scorer under the run's extraction policy, its fold of trials). */
  masa: BenchSummary;
  /** The same under each extraction policy (the upstream one is the authors' own reading). */
  policies: Record<ExtractionPolicy, BenchSummary>;
  /** The harness's own verdicts folded the same way, per scorer. */
  harness: Array<{ scorer: string; n: number; accuracy: number }>;
  /** What the harness itself reported for the run. */
  reported: Record<string, number>;
}

export interface ImportResult {
  runs: ImportedRun[];
  skipped: SkippedFile[];
  /** Files or runs that could not be imported, each with a one-line reason naming file and line. */
  failed: Array<{ file: string; error: string }>;
}

const FILE_FILTERS: Record<ImportFormat, (p: string) => boolean> = {
  'lm-eval': (p) => isLmEvalFile(p) || /(^|\/)results_.*\.json$/.test(p),
  inspect: (p) => isInspectFile(p) || p.endsWith('.zip'),
  opencompass: (p) => p.endsWith('.json'),
  'emobench-results': isEmoResultsFile,
  'mmlu-pro-results': isMmluProResultsFile,
};

function read(format: ImportFormat, files: string[], cfg: ImportConfig): ReadResult {
  const o = { bench: cfg.bench, model: cfg.model };
  switch (format) {
    case 'lm-eval':
      return readLmEval(files, o);
    case 'inspect':
      return readInspect(files, { ...o, password: cfg.password });
    case 'opencompass':
      return readOpenCompass(files, o);
    case 'emobench-results':
      return readEmoBenchResults(files, o);
    case 'mmlu-pro-results':
      return readMmluProResults(files, o);
  }
}

/** The permutation a sample was shown, for benchmarks scored against masa's own item. */
function trialOf(sample: HarnessSample, item: Item, scoring: Item): Trial {
  if (scoring !== item || !sample.shownOptions) return { index: sample.trial, permutation: null };
  const upstream = (item as unknown as { options?: string[] }).options;
  if (!Array.isArray(upstream)) return { index: sample.trial, permutation: null };
  const p = permutationOf(sample.shownOptions, upstream);
  if (!p) throw new MasaError(`${sample.where}: the options shown do not pair up with ${item.id}'s options in masa's copy`);
  return { index: sample.trial, permutation: isIdentity(p) ? null : p };
}

function sameItem(a: Item, b: Item): boolean {
  const pick = (i: Item): string => {
    const x = i as unknown as Record<string, unknown>;
    return stableStringify({ q: x.question ?? x.problem ?? null, o: x.options ?? x.choices ?? null, c: x.causeChoices ?? null, g: x.answer ?? x.gold ?? null, cg: x.causeGold ?? null });
  };
  return pick(a) === pick(b);
}

interface Prepared {
  plan: RunPlan;
  meta: RunMeta;
  records: SampleRecord[];
  matched: Record<string, number>;
  differing: number;
  items: Map<string, Item>;
}

/** masa's items (and their files' hashes) per benchmark and options, loaded once per import. */
type ItemCache = Map<string, Promise<{ index: ItemIndex; location: DatasetLocation; files: Record<string, string> }>>;

function itemsFor(cache: ItemCache, bench: AnyBenchmark, options: Record<string, unknown>, dataRoot: string | undefined) {
  const key = `${bench.id}|${stableStringify(options)}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const { items, location } = await loadItems(bench, options, dataRoot);
      return { index: new ItemIndex(bench, items), location, files: await hashDataset(location.dir) };
    })();
    cache.set(key, p);
  }
  return p;
}

/** Matches and scores a whole run in memory; throws on the first sample it cannot place. */
async function prepare(run: HarnessRun, cfg: ImportConfig, out: string, cache: ItemCache): Promise<Prepared> {
  const bench: AnyBenchmark = resolveBench(run.bench);
  const given = { ...(cfg.options ?? {}) };
  const options = benchOptions(bench, { '*': given['*'] ?? {}, [bench.id]: { ...run.options, ...(given[bench.id] ?? {}) } }, [bench]);
  const { index, location, files: datasetFiles } = await itemsFor(cache, bench, options, cfg.dataRoot);
  const model = run.model || cfg.model;
  if (!model) throw new MasaError(`${run.files[0]}: the files name no model; give --model`);
  const runId = `${modelSlug(model)}__${bench.id}__${sha256(stableStringify({ import: run.format, run: run.runKey, options })).slice(0, 10)}`;
  const dir = join(out, runId);
  const plan: RunPlan = {
    bench,
    options,
    items: [],
    location,
    generation: { settings: { ...(run.settings as object) } as RunPlan['generation']['settings'], sources: {} },
    runId,
    dir,
    total: run.samples.length,
    seed: 0,
    model,
    precision: null,
  };
  const source = `${run.format}:${basename(run.files[run.files.length - 1]!)}`;
  const records: SampleRecord[] = [];
  const matched: Record<string, number> = {};
  const seen = new Map<string, string>();
  const used = new Map<string, Item>();
  let differing = 0;
  for (const s of run.samples) {
    const m = index.find(s.key);
    if ('reason' in m) throw new MasaError(`${s.where}: sample not matched to a masa item: ${m.reason}`);
    matched[m.match] = (matched[m.match] ?? 0) + 1;
    const dup = `${m.item.id}\u0000${s.trial}`;
    const prev = seen.get(dup);
    if (prev) throw new MasaError(`${s.where}: second sample for ${bench.id} item ${m.item.id} trial ${s.trial} (first at ${prev})`);
    seen.set(dup, s.where);
    const scoring = s.ownItem ? s.ownItem(m.item) : m.item;
    if (!used.has(m.item.id)) {
      used.set(m.item.id, m.item);
      if (scoring !== m.item && !sameItem(scoring, m.item)) differing++;
    }
    const trial = trialOf(s, m.item, scoring);
    const key = sha256(stableStringify({ import: run.format, run: run.runKey, item: m.item.id, trial: trial.index }));
    const input = { plan, item: scoring, trial, key };
    const verdict = { name: run.format, where: s.where, match: m.match, harness_id: s.key.harnessId, verdicts: s.verdicts };
    let rec: SampleRecord;
    if (s.error !== undefined) {
      rec = failureRecord(input, { error: s.error, latency_ms: null, endpoint: source, attempts: 1 });
      rec.harness = verdict;
    } else {
      rec = await importedRecord(input, {
        result: { content: s.response, reasoning: s.reasoning ?? null, finish_reason: s.finishReason ?? null, usage: s.usage ?? null, model },
        source,
        verdict,
      });
    }
    // Sub-score tags and cluster stay masa's, whatever copy of the item was scored.
    rec.tags = m.item.tags;
    rec.cluster = m.item.cluster;
    records.push(rec);
  }
  plan.items = [...used.values()];
  const files: Record<string, string> = {};
  // A log read from inside an archive (`outer.zip!member`) is identified by the archive's hash.
  for (const f of run.files) files[f] = await sha256File(existsSync(f) || !f.includes('!') ? f : f.slice(0, f.indexOf('!')));
  const catalog = lookupModel([model]);
  const now = new Date().toISOString();
  const meta: RunMeta = {
    v: 1,
    run_id: runId,
    model,
    catalog_id: catalog.model?.id ?? null,
    served: null,
    bench: bench.id,
    bench_options: options,
    generation: run.settings,
    endpoints: [],
    seed: 0,
    limit: typeof (run.settings.config as { limit?: unknown } | undefined)?.limit === 'number' ? ((run.settings.config as { limit: number }).limit) : typeof run.settings.limit === 'number' ? run.settings.limit : null,
    masa_version: masaVersion(),
    git_commit: gitCommit(),
    dataset: { origin: location.origin, files: datasetFiles },
    started_at: now,
    finished_at: null,
    data_root: cfg.dataRoot ?? null,
    source: { harness: run.format, version: run.version, tasks: run.tasks, harness_model: run.model, files, settings: run.settings, reported: run.reported, status: run.status },
  };
  return { plan, meta, records, matched, differing, items: used };
}

function harnessAccuracy(records: readonly SampleRecord[]): ImportedRun['harness'] {
  const scorers = new Map<string, Map<string, boolean[]>>();
  for (const r of records) {
    for (const v of r.harness?.verdicts ?? []) {
      if (v.correct === null) continue;
      let byItem = scorers.get(v.scorer);
      if (!byItem) scorers.set(v.scorer, (byItem = new Map()));
      byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), v.correct]);
    }
  }
  return [...scorers].map(([scorer, byItem]) => {
    // Each item's verdicts averaged, then the mean over items (inspect's epoch reducer "mean").
    const per = [...byItem.values()].map((v) => v.filter(Boolean).length / v.length);
    return { scorer, n: per.length, accuracy: per.reduce((a, b) => a + b, 0) / per.length };
  });
}

function masaSummary(bench: AnyBenchmark, options: Record<string, unknown>, items: Map<string, Item>, records: readonly SampleRecord[], policy?: ExtractionPolicy): BenchSummary {
  const trials = new Map<string, TrialScore[]>();
  const failed = new Set<string>();
  for (const r of records) {
    if (r.error !== null) failed.add(r.item_id);
    else trials.set(r.item_id, [...(trials.get(r.item_id) ?? []), (policy ? recordPolicyScore(r, policy) : null) ?? recordScore(r)]);
  }
  const scored: ItemScore[] = [];
  for (const [id, ts] of trials) {
    if (failed.has(id)) continue;
    const item = items.get(id)!;
    scored.push({ id, score: bench.reduce(item, ts, options), cluster: item.cluster, tags: item.tags });
  }
  return summarizeBench(bench.id, scored);
}

function write(p: Prepared, done: Set<string>, redactor: Redactor): { imported: number; duplicates: number } {
  mkdirSync(p.plan.dir, { recursive: true });
  const previous = readMeta(p.plan.dir);
  const s: RunSession = {
    mode: 'import',
    started_at: p.meta.started_at,
    finished_at: null,
    endpoints: [],
    limit: p.meta.limit,
    planned: p.records.length,
    resumed: 0,
    requested: 0,
    succeeded: 0,
    failed: 0,
    interrupted: false,
    torn: null,
  };
  const writer = new SampleWriter(join(p.plan.dir, SAMPLES_FILE), redactor);
  let imported = 0;
  let duplicates = 0;
  try {
    for (const r of p.records) {
      if (done.has(r.request_key)) {
        duplicates++;
        continue;
      }
      writer.append(r);
      imported++;
      if (r.error === null) s.succeeded++;
      else s.failed++;
    }
  } finally {
    writer.close();
  }
  s.resumed = duplicates;
  s.requested = imported;
  s.finished_at = new Date().toISOString();
  writeMeta(p.plan.dir, { ...p.meta, started_at: previous?.started_at ?? p.meta.started_at, finished_at: s.finished_at, sessions: [...(previous?.sessions ?? []), s] }, redactor);
  return { imported, duplicates };
}

function lmEvalGroups(files: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const stamp = /_(\d{4}-\d\d-\d\dT[\d.-]+)\.jsonl?$/.exec(basename(f))?.[1] ?? basename(f);
    const k = `${dirname(f)}|${stamp}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return [...groups.values()];
}

async function importRun(run: HarnessRun, cfg: ImportConfig, out: string, cache: ItemCache, redactor: Redactor): Promise<ImportedRun> {
  if (run.samples.length === 0) throw new MasaError(`${run.files.join(', ')}: no samples (the harness finished none)`);
  const p = await prepare(run, cfg, out, cache);
  mkdirSync(p.plan.dir, { recursive: true });
  const scan = await scanRun(p.plan.dir);
  const w = write(p, scan.done, redactor);
  return {
    run_id: p.plan.runId,
    dir: p.plan.dir,
    format: run.format,
    bench: run.bench,
    model: p.plan.model,
    tasks: run.tasks,
    files: run.files,
    status: run.status,
    samples: p.records.length,
    imported: w.imported,
    duplicates: w.duplicates,
    errors: p.records.filter((r) => r.error !== null).length,
    matched: p.matched,
    differing: p.differing,
    masa: masaSummary(p.plan.bench, p.plan.options, p.items, p.records),
    policies: { upstream: masaSummary(p.plan.bench, p.plan.options, p.items, p.records, 'upstream'), robust: masaSummary(p.plan.bench, p.plan.options, p.items, p.records, 'robust') },
    harness: harnessAccuracy(p.records),
    reported: run.reported,
  };
}

export async function importRuns(cfg: ImportConfig): Promise<ImportResult> {
  if (cfg.paths.length === 0) throw new MasaError('masa import: no files given', { exitCode: 2 });
  const out = cfg.out ?? runsDir();
  const redactor = new Redactor([]);
  const result: ImportResult = { runs: [], skipped: [], failed: [] };
  const files = expandPaths(cfg.paths, FILE_FILTERS[cfg.format]);
  // One file at a time, so a bad file is named alone; lm-eval reads the subtask files of one
  // harness run (same folder, same timestamp) together.
  const groups = cfg.format === 'lm-eval' ? lmEvalGroups(files) : files.map((f) => [f]);
  const cache: ItemCache = new Map();
  // A group is read, scored and written before the next is read: memory holds one group's runs.
  for (const g of groups) {
    let runs: HarnessRun[];
    try {
      const r = read(cfg.format, g, cfg);
      runs = r.runs;
      result.skipped.push(...r.skipped);
    } catch (e) {
      if (!(e instanceof MasaError)) throw e;
      result.failed.push({ file: g.length === 1 ? g[0]! : g.join(', '), error: e.message });
      continue;
    }
    for (const run of runs) {
      try {
        result.runs.push(await importRun(run, cfg, out, cache, redactor));
      } catch (e) {
        if (!(e instanceof MasaError)) throw e;
        result.failed.push({ file: run.files.join(', '), error: e.message });
      }
    }
  }
  return result;
}
