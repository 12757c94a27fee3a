/**
 * Offline batch mode: export the requests of a run as OpenAI Batch JSONL (the input of
 * `vllm run-batch` or a hosted batch API), then import the outputs as the same per-sample
 * records an online run writes. custom_id = `masa|<run_id>|<trial>|<key prefix>|<item_id>`
 * (item id last, so it may hold '|'); the key prefix lets import refuse outputs whose request
 * no longer matches the run's settings or items.
 */
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SamplingPreset } from '../core/catalog.js';
import { MasaError } from '../core/errors.js';
import { runsDir } from '../core/paths.js';
import { loadItems } from '../bench/data.js';
import { DEFAULT_EXTRACTION, type AnyBenchmark, type ExtractionPolicy, type Item, type Trial } from '../bench/types.js';
import { lookupModel, presetFor } from './catalog.js';
import { chatResultFromBody } from './client.js';
import { runHash, type GenerationSettings } from './generation.js';
import { failureRecord, successRecord } from './outcome.js';
import { hashedOptions, planRun, plannedRequests, resolveBench, selectItems, type RunPlan, type RunSelection } from './plan.js';
import { gitCommit, hashDataset, masaVersion } from './provenance.js';
import { META_FILE, SAMPLES_FILE, modelSlug, type RunMeta, type RunSession } from './records.js';
import { Redactor } from './redact.js';
import { readMeta, SampleWriter, scanRun, writeMeta } from './store.js';
import { summarizeRun, type RunSummary } from './summarize.js';

export const BATCH_URL = '/v1/chat/completions';

export function customId(runId: string, trial: number, key: string, itemId: string): string {
  return `masa|${runId}|${trial}|${key.slice(0, 16)}|${itemId}`;
}

export function parseCustomId(id: string): { runId: string; trial: number; keyPrefix: string; itemId: string } | null {
  const parts = id.split('|');
  if (parts.length < 5 || parts[0] !== 'masa') return null;
  const trial = Number(parts[2]);
  if (!Number.isInteger(trial)) return null;
  return { runId: parts[1]!, trial, keyPrefix: parts[3]!, itemId: parts.slice(4).join('|') };
}

export interface BatchExportConfig extends RunSelection {
  /** The JSONL file to write. */
  output: string;
  /** Export every request, not only those the run has no answer for. */
  all?: boolean;
}

export interface BatchExportResult {
  file: string;
  requests: number;
  runs: Array<{ run_id: string; dir: string; planned: number; exported: number }>;
}

function session(mode: RunSession['mode'], plan: RunPlan, limit: number | null): RunSession {
  return {
    mode,
    started_at: new Date().toISOString(),
    finished_at: null,
    endpoints: [],
    limit,
    planned: plan.total,
    resumed: 0,
    requested: 0,
    succeeded: 0,
    failed: 0,
    interrupted: false,
    torn: null,
  };
}

async function baseMeta(plan: RunPlan, catalogId: string | null, limit: number | null, dataRoot: string | undefined, s: RunSession): Promise<RunMeta> {
  const previous = readMeta(plan.dir);
  return {
    v: 1,
    run_id: plan.runId,
    model: plan.model,
    catalog_id: catalogId,
    served: previous?.served ?? null,
    bench: plan.bench.id,
    bench_options: plan.options,
    generation: { ...plan.generation.settings },
    generation_sources: plan.generation.sources,
    endpoints: previous?.endpoints ?? [],
    seed: plan.seed,
    limit,
    masa_version: masaVersion(),
    git_commit: gitCommit(),
    dataset: { origin: plan.location.origin, files: await hashDataset(plan.location.dir) },
    data_root: dataRoot ?? null,
    started_at: previous?.started_at ?? s.started_at,
    finished_at: null,
    sessions: [...(previous?.sessions ?? []), s],
  };
}

export async function exportBatch(cfg: BatchExportConfig): Promise<BatchExportResult> {
  const redactor = new Redactor([]);
  let preset: SamplingPreset | undefined;
  let catalogId: string | null = null;
  if (cfg.preset === undefined) {
    const m = lookupModel([cfg.model]);
    preset = presetFor(m.model, cfg.generation?.chat_template_kwargs);
    catalogId = m.model?.id ?? null;
  } else preset = cfg.preset ?? undefined;
  const benches = cfg.benches.map(resolveBench);
  const out = cfg.out ?? runsDir();
  const limit = cfg.limit ?? null;
  mkdirSync(dirname(cfg.output), { recursive: true });
  const fd = openSync(cfg.output, 'w');
  const result: BatchExportResult = { file: cfg.output, requests: 0, runs: [] };
  try {
    for (const bench of benches) {
      const plan = await planRun(
        bench,
        { model: cfg.model, seed: cfg.seed ?? 0, limit, options: cfg.options ?? {}, generation: cfg.generation ?? {}, greedy: cfg.greedy ?? false, preset, dataRoot: cfg.dataRoot, out },
        benches,
      );
      const scan = await scanRun(plan.dir);
      const s = session('batch-export', plan, limit);
      let exported = 0;
      for (const req of plannedRequests(plan)) {
        if (!cfg.all && scan.done.has(req.key)) {
          s.resumed++;
          continue;
        }
        writeSync(fd, JSON.stringify({ custom_id: customId(plan.runId, req.trial.index, req.key, req.item.id), method: 'POST', url: BATCH_URL, body: req.body }) + '\n');
        exported++;
      }
      s.requested = exported;
      s.finished_at = new Date().toISOString();
      writeMeta(plan.dir, await baseMeta(plan, catalogId, limit, cfg.dataRoot, s), redactor);
      result.requests += exported;
      result.runs.push({ run_id: plan.runId, dir: plan.dir, planned: plan.total, exported });
    }
  } finally {
    closeSync(fd);
  }
  return result;
}

/** Rebuilds a run's plan from its meta.json (what batch import needs to score the outputs). */
export async function planFromMeta(runDir: string, benches: readonly AnyBenchmark[], dataRoot?: string, extraction: ExtractionPolicy = DEFAULT_EXTRACTION): Promise<RunPlan> {
  const meta = readMeta(runDir);
  if (!meta) throw new MasaError(`${join(runDir, META_FILE)}: missing (export the batch with 'masa batch export' into this --out)`);
  const bench = benches.find((b) => b.id === meta.bench) ?? resolveBench(meta.bench);
  const generation = meta.generation as unknown as GenerationSettings;
  const hash = runHash({ model: meta.model, bench: meta.bench, bench_options: hashedOptions(meta.bench_options), generation, seed: meta.seed });
  const runId = `${modelSlug(meta.model)}__${meta.bench}__${hash.slice(0, 10)}`;
  if (runId !== meta.run_id) throw new MasaError(`${join(runDir, META_FILE)}: settings do not hash to run id ${meta.run_id} (edited by hand?)`);
  const { items: all, location } = await loadItems(bench, meta.bench_options, dataRoot ?? meta.data_root ?? undefined);
  const items = selectItems(all, meta.limit, meta.seed);
  let total = 0;
  for (const it of items) total += bench.trials(it, meta.bench_options).length;
  return {
    bench,
    options: meta.bench_options,
    items,
    location,
    generation: { settings: generation, sources: (meta.generation_sources ?? {}) as RunPlan['generation']['sources'] },
    precision: null,
    runId,
    dir: runDir,
    total,
    seed: meta.seed,
    model: meta.model,
    extraction,
  };
}

export interface BatchImportConfig {
  input: string;
  out?: string;
  dataRoot?: string;
  /** Benchmarks not in the registry (custom modules) the runs may refer to. */
  benches?: AnyBenchmark[];
  /** The policy the imported records report at the top level (default 'robust'). */
  extraction?: ExtractionPolicy;
}

export interface BatchImportResult {
  runs: RunSummary[];
  lines: number;
  imported: number;
  /** Lines for requests already answered in the run (a re-import). */
  duplicates: number;
  /** Lines that were not masa requests or no longer match the run (reported, not imported). */
  rejected: Array<{ line: number; reason: string }>;
}

interface Open {
  plan: RunPlan;
  writer: SampleWriter;
  index: Map<string, { item: Item; trial: Trial; key: string }>;
  done: Set<string>;
  meta: RunMeta;
  session: RunSession;
  keys: Set<string>;
}

function errorText(line: Record<string, unknown>): string {
  const resp = line.response as Record<string, unknown> | null | undefined;
  const status = resp?.status_code;
  const err = line.error as unknown;
  let msg = '';
  if (typeof err === 'string') msg = err;
  else if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    const inner = (e.error && typeof e.error === 'object' ? e.error : e) as Record<string, unknown>;
    msg = typeof inner.message === 'string' ? inner.message : JSON.stringify(err);
  }
  return `batch: ${status !== undefined ? `${status} ` : ''}${msg || 'no response body'}`.slice(0, 500);
}

export async function importBatch(cfg: BatchImportConfig): Promise<BatchImportResult> {
  if (!existsSync(cfg.input)) throw new MasaError(`${cfg.input}: no such file`);
  const out = cfg.out ?? runsDir();
  const redactor = new Redactor([]);
  const runs = new Map<string, Open>();
  const result: BatchImportResult = { runs: [], lines: 0, imported: 0, duplicates: 0, rejected: [] };
  const source = `batch:${basename(cfg.input)}`;
  const open = async (runId: string): Promise<Open> => {
    let o = runs.get(runId);
    if (o) return o;
    const dir = join(out, runId);
    const plan = await planFromMeta(dir, cfg.benches ?? [], cfg.dataRoot, cfg.extraction);
    const scan = await scanRun(dir);
    const index = new Map<string, { item: Item; trial: Trial; key: string }>();
    const keys = new Set<string>();
    for (const r of plannedRequests(plan)) {
      index.set(`${r.trial.index}|${r.item.id}`, { item: r.item, trial: r.trial, key: r.key });
      keys.add(r.key);
    }
    const meta = readMeta(dir)!;
    const s = session('batch-import', plan, meta.limit);
    s.extraction = plan.extraction ?? 'robust';
    s.torn = scan.torn?.file ?? null;
    meta.sessions = [...(meta.sessions ?? []), s];
    o = { plan, writer: new SampleWriter(join(dir, SAMPLES_FILE), redactor), index, done: scan.done, meta, session: s, keys };
    runs.set(runId, o);
    return o;
  };
  try {
    const rl = createInterface({ input: createReadStream(cfg.input, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const raw of rl) {
      n++;
      if (raw.trim() === '') continue;
      result.lines++;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        result.rejected.push({ line: n, reason: 'not valid JSON' });
        continue;
      }
      const id = typeof line.custom_id === 'string' ? parseCustomId(line.custom_id) : null;
      if (!id) {
        result.rejected.push({ line: n, reason: `custom_id ${JSON.stringify(line.custom_id)} is not a masa request` });
        continue;
      }
      const o = await open(id.runId);
      const req = o.index.get(`${id.trial}|${id.itemId}`);
      if (!req || !req.key.startsWith(id.keyPrefix)) {
        result.rejected.push({ line: n, reason: `${id.itemId} trial ${id.trial}: not in run ${id.runId} as planned now (items or settings changed)` });
        continue;
      }
      if (o.done.has(req.key)) {
        result.duplicates++;
        continue;
      }
      const resp = line.response as Record<string, unknown> | null | undefined;
      const body = (resp?.body ?? null) as Record<string, unknown> | null;
      const status = resp?.status_code;
      const chat = line.error == null && (status === undefined || status === 200) && body ? chatResultFromBody(body) : null;
      const input = { plan: o.plan, item: req.item, trial: req.trial, key: req.key };
      const rec = chat
        ? await successRecord(input, { result: chat, latency_ms: null, endpoint: source, attempts: 1 })
        : failureRecord(input, { error: errorText(line), latency_ms: null, endpoint: source, attempts: 1 });
      o.writer.append(rec);
      if (rec.error === null) {
        o.done.add(req.key);
        o.session.succeeded++;
      } else o.session.failed++;
      o.session.requested++;
      result.imported++;
    }
  } finally {
    for (const o of runs.values()) o.writer.close();
  }
  const finished = new Date().toISOString();
  for (const o of runs.values()) {
    o.session.finished_at = finished;
    o.meta.finished_at = finished;
    writeMeta(o.plan.dir, o.meta, redactor);
    result.runs.push(await summarizeRun(o.plan, o.keys));
  }
  return result;
}
