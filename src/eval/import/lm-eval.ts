/**
 * lm-evaluation-harness per-sample logs (`--log_samples`): `samples_<task>_<time>.jsonl` (older
 * versions wrote the same JSON lines to a `.json` file, or one JSON array) beside
 * `results_<time>.json`, which names the model, the harness version and the settings.
 *
 * A line is one document and one filter: `doc_id, doc, target, arguments, resps,
 * filtered_resps` (0.4.3+ add `filter` and `metrics`; before, there is one line per document and
 * the metric values are keys of their own). `resps[0]` holds the generations of a
 * generate_until task (one per repeat) or [log-likelihood, is-greedy] pairs of a
 * multiple-choice task: masa scores generated text only, so a log-likelihood file of a masa
 * benchmark is refused with its reason. Tasks masa does not have are reported by name.
 */
import { basename, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { MasaError } from '../../core/errors.js';
import { mmluProItemFromRecord } from '../../bench/mmlu-pro.js';
import type { Item } from '../../bench/types.js';
import type { HarnessScore } from '../records.js';
import { isObject, parseJsonDocument, parseJsonLines, readText, type JsonLine } from './files.js';
import type { HarnessRun, HarnessSample, ItemKey, ReadResult } from './types.js';

const SAMPLES_RE = /^samples_(.+?)(?:_(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(?:\.\d+)?))?\.jsonl?$/;

/** lm-eval task names of masa's benchmarks (subtasks and variants included). */
export function lmEvalBench(task: string): string | null {
  if (/^(leaderboard_)?mmlu_pro(_[a-z_]+)?$/.test(task)) return 'mmlu-pro';
  if (/gpqa_diamond/.test(task)) return 'gpqa-diamond';
  if (/^(minerva_math500|hendrycks_math500|math_?500)$/.test(task)) return 'math500';
  if (/^humaneval(_instruct|_plus)?$/.test(task)) return 'humaneval';
  if (/^tombench/.test(task)) return 'tombench';
  if (/^emobench/.test(task)) return 'emobench';
  return null;
}

export function isLmEvalFile(path: string): boolean {
  return SAMPLES_RE.test(basename(path));
}

/** A local checkpoint path as the model's name: its last two folders ('/mnt/model/org/name' -> 'org/name'). */
export function modelNameFromPath(name: string): string {
  if (!/^[./~]/.test(name)) return name;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.' && p !== '~');
  return parts.slice(-2).join('/');
}

function modelFromResults(results: Record<string, unknown>): string | null {
  const cfg = isObject(results.config) ? results.config : {};
  const args = cfg.model_args;
  let pretrained: string | undefined;
  if (isObject(args)) pretrained = typeof args.pretrained === 'string' ? args.pretrained : typeof args.model === 'string' ? args.model : undefined;
  else if (typeof args === 'string') pretrained = /(?:^|,)(?:pretrained|model)=([^,]+)/.exec(args)?.[1];
  const name = pretrained ?? (typeof results.model_name === 'string' ? results.model_name : undefined);
  return name ? modelNameFromPath(name) : null;
}

/** Rows of a samples file: JSON lines, or (old versions) one JSON array. */
export function parseSamplesText(text: string, file: string): JsonLine[] {
  if (text.trimStart().startsWith('[')) {
    const arr = parseJsonDocument(text, file);
    if (!Array.isArray(arr)) throw new MasaError(`${file}:1: not a list of lm-eval samples`);
    return arr.map((value, i) => ({ line: i + 1, value }));
  }
  return parseJsonLines(text, file);
}

function docKey(bench: string, doc: Record<string, unknown>, docId: string): ItemKey {
  const s = (k: string): string | undefined => (typeof doc[k] === 'string' ? (doc[k] as string) : typeof doc[k] === 'number' ? String(doc[k]) : undefined);
  switch (bench) {
    case 'mmlu-pro':
      return { id: s('question_id'), text: s('question'), harnessId: docId };
    case 'gpqa-diamond':
      return { id: s('Record ID'), text: s('Question') ?? s('question'), harnessId: docId };
    case 'math500':
      return { text: s('problem'), harnessId: s('unique_id') ?? docId };
    case 'humaneval':
      return { id: s('task_id'), text: s('prompt'), harnessId: docId };
    default:
      return { id: s('id'), text: s('question') ?? s('problem') ?? s('prompt'), harnessId: docId };
  }
}

/** The document itself as masa's item when it is a complete upstream record (MMLU-Pro's are). */
function ownItem(bench: string, doc: Record<string, unknown>, where: string): ((masa: Item) => Item) | undefined {
  if (bench !== 'mmlu-pro') return undefined;
  try {
    const own = mmluProItemFromRecord(doc, where);
    return (masa) => ({ ...masa, ...own, id: masa.id, tags: masa.tags, cluster: masa.cluster, dir: (masa as { dir?: string }).dir } as Item);
  } catch {
    return undefined;
  }
}

function verdictsOf(row: Record<string, unknown>): HarnessScore[] {
  const filter = typeof row.filter === 'string' ? row.filter : null;
  const metrics = Array.isArray(row.metrics) ? (row.metrics as unknown[]).filter((m): m is string => typeof m === 'string') : ['exact_match', 'acc', 'acc_norm'];
  const fr = Array.isArray(row.filtered_resps) ? row.filtered_resps[0] : undefined;
  const extracted = typeof fr === 'string' ? fr : Array.isArray(fr) && typeof fr[0] === 'string' ? (fr[0] as string) : null;
  const out: HarnessScore[] = [];
  for (const m of metrics) {
    const v = row[m];
    if (typeof v !== 'number' && typeof v !== 'boolean') continue;
    out.push({ scorer: filter ? `${filter}/${m}` : m, extracted, correct: typeof v === 'boolean' ? v : v === 1 ? true : v === 0 ? false : null });
  }
  return out;
}

function isLogLikelihood(resps: unknown): boolean {
  return Array.isArray(resps) && resps.length > 0 && Array.isArray(resps[0]) && Array.isArray((resps[0] as unknown[])[0]);
}

/** Parses one samples file (its text) into samples of a masa benchmark. */
export function parseLmEvalSamples(text: string, file: string, task: string, bench: string): HarnessSample[] {
  const rows = parseSamplesText(text, file);
  const byDoc = new Map<string, HarnessSample[]>();
  const order: string[] = [];
  for (const { line, value } of rows) {
    const where = `${file}:${line}`;
    if (!isObject(value) || !('doc_id' in value) || !Array.isArray(value.resps) || !isObject(value.doc)) {
      throw new MasaError(`${where}: not an lm-evaluation-harness sample (no doc_id, doc and resps): unknown format or version`);
    }
    const docId = String(value.doc_id);
    if (isLogLikelihood(value.resps)) {
      throw new MasaError(`${where}: task ${task} is scored by log-likelihood (no generated text): masa scores generated answers, so it cannot rescore this file`);
    }
    const gens = (value.resps as unknown[])[0];
    if (!Array.isArray(gens) || !gens.every((g) => typeof g === 'string' || g === null)) {
      throw new MasaError(`${where}: resps[0] is not a list of generated texts: unknown format or version`);
    }
    const verdicts = verdictsOf(value);
    const known = byDoc.get(docId);
    if (known) {
      // Another filter of the same document: same generations, one more verdict.
      for (const s of known) s.verdicts.push(...verdicts);
      continue;
    }
    const key = docKey(bench, value.doc, docId);
    const own = ownItem(bench, value.doc, where);
    const samples = (gens as Array<string | null>).map((g, k): HarnessSample => ({ where, key, trial: k, ownItem: own, response: g, verdicts: k === 0 ? [...verdicts] : [] }));
    byDoc.set(docId, samples);
    order.push(docId);
  }
  return order.flatMap((d) => byDoc.get(d)!);
}

interface ResultsInfo {
  model: string | null;
  version: string | null;
  settings: Record<string, unknown>;
  reported: Record<string, number>;
  file: string;
}

export function parseLmEvalResults(text: string, file: string, task: string): ResultsInfo {
  const r = parseJsonDocument(text, file);
  if (!isObject(r) || !isObject(r.results)) throw new MasaError(`${file}:1: not an lm-evaluation-harness results file (no "results"): unknown format or version`);
  const cfg = isObject(r.config) ? r.config : {};
  const taskCfg = isObject(r.configs) && isObject(r.configs[task]) ? (r.configs[task] as Record<string, unknown>) : {};
  const reported: Record<string, number> = {};
  const res = isObject(r.results[task]) ? (r.results[task] as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(res)) if (typeof v === 'number' && !k.includes('_stderr')) reported[k] = v;
  const version = typeof r.lm_eval_version === 'string' ? r.lm_eval_version : typeof r.git_hash === 'string' ? `git ${r.git_hash}` : null;
  const settings: Record<string, unknown> = {
    model: cfg.model ?? null,
    model_args: cfg.model_args ?? null,
    gen_kwargs: cfg.gen_kwargs ?? null,
    limit: cfg.limit ?? null,
    seeds: { random: cfg.random_seed ?? null, numpy: cfg.numpy_seed ?? null, torch: cfg.torch_seed ?? null, fewshot: cfg.fewshot_seed ?? null },
    git_hash: r.git_hash ?? null,
    output_type: taskCfg.output_type ?? null,
    num_fewshot: isObject(r['n-shot']) ? (r['n-shot'] as Record<string, unknown>)[task] ?? null : null,
    generation_kwargs: taskCfg.generation_kwargs ?? null,
    filters: Array.isArray(taskCfg.filter_list) ? (taskCfg.filter_list as Array<Record<string, unknown>>).map((f) => f.name) : null,
    n_samples: isObject(r['n-samples']) ? (r['n-samples'] as Record<string, unknown>)[task] ?? null : null,
    chat_template_sha: r.chat_template_sha ?? null,
    system_instruction: r.system_instruction ?? null,
    fewshot_as_multiturn: r.fewshot_as_multiturn ?? null,
  };
  return { model: modelFromResults(r), version, settings, reported, file };
}

/** Reads lm-eval samples files (pairing each with its results file) into runs; off-list tasks are skipped by name. */
export function readLmEval(files: readonly string[], opts: { bench?: string; model?: string } = {}): ReadResult {
  const runs = new Map<string, HarnessRun>();
  const out: ReadResult = { runs: [], skipped: [] };
  for (const file of files) {
    const name = basename(file);
    if (/^results_.*\.json$/.test(name)) continue; // read beside its samples
    const m = SAMPLES_RE.exec(name);
    if (!m) throw new MasaError(`${file}: not an lm-eval samples file (expected samples_<task>_<time>.jsonl): unknown format`);
    const [, task, stamp] = m as unknown as [string, string, string | undefined];
    const bench = opts.bench ?? lmEvalBench(task);
    if (!bench) {
      out.skipped.push({ file, task, reason: `lm-eval task '${task}' is not one of masa's benchmarks` });
      continue;
    }
    const resultsFile = stamp ? join(dirname(file), `results_${stamp}.json`) : null;
    const info = resultsFile && existsSync(resultsFile) ? parseLmEvalResults(readText(resultsFile), resultsFile, task) : null;
    const model = opts.model ?? info?.model ?? null;
    if (!model) throw new MasaError(`${file}: no results_<time>.json beside it names the model; give --model`);
    const samples = parseLmEvalSamples(readText(file), file, task, bench);
    const runKey = `${dirname(file)}|${stamp ?? name}`;
    const key = `${bench}|${model}|${runKey}`;
    let run = runs.get(key);
    if (!run) {
      run = { format: 'lm-eval', bench, runKey, version: info?.version ?? null, tasks: [], model, settings: info ? { ...info.settings, tasks: {} } : { tasks: {} }, options: {}, reported: {}, status: null, files: [], samples: [] };
      runs.set(key, run);
      if (resultsFile && info) run.files.push(resultsFile);
    }
    run.tasks.push(task);
    run.files.push(file);
    if (info) {
      (run.settings.tasks as Record<string, unknown>)[task] = { output_type: info.settings.output_type, num_fewshot: info.settings.num_fewshot, generation_kwargs: info.settings.generation_kwargs, filters: info.settings.filters, n_samples: info.settings.n_samples };
      for (const [k, v] of Object.entries(info.reported)) run.reported[`${task}:${k}`] = v;
    }
    run.samples.push(...samples);
  }
  out.runs = [...runs.values()];
  return out;
}
