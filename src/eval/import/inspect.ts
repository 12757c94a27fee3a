/**
 * inspect_ai logs: the `.eval` format (a zip: header.json, or _journal/start.json while a run
 * was still going or was cut off, and one samples/<id>_epoch_<n>.json per sample and epoch)
 * and the JSON format (one EvalLog with a `samples` list). Log format versions 1 and 2 are
 * read; a cancelled run keeps the samples it finished. `.eval`/`.json` logs inside another zip
 * (as GPQA's are kept, under GPQA's published password) are read in memory only.
 *
 * The shown option order is read from the user message ("A) ...", inspect's multiple_choice
 * template, shuffled or not), so masa scores the letter the model saw.
 */
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { MasaError } from '../../core/errors.js';
import { GPQA_PASSWORD } from '../../bench/gpqa-diamond.js';
import type { HarnessScore } from '../records.js';
import { isObject, parseJsonDocument, ZipFile } from './files.js';
import type { HarnessRun, HarnessSample, ReadResult } from './types.js';

const KNOWN_VERSIONS = new Set([1, 2]);

/** inspect task names of masa's benchmarks: the last path segment decides ('inspect_evals/gpqa_diamond'). */
export function inspectBench(task: string): string | null {
  const t = task.split('/').pop()!.toLowerCase();
  if (t === 'gpqa_diamond' || t === 'gpqa-diamond') return 'gpqa-diamond';
  if (t === 'mmlu_pro' || t === 'mmlu-pro') return 'mmlu-pro';
  if (/^math_?500$/.test(t)) return 'math500';
  if (t === 'humaneval') return 'humaneval';
  if (t === 'tombench') return 'tombench';
  if (t === 'emobench') return 'emobench';
  return null;
}

export function isInspectFile(path: string): boolean {
  return /\.(eval|json)$/.test(path);
}

function textOf(content: unknown): { text: string | null; reasoning: string | null } {
  if (typeof content === 'string') return { text: content, reasoning: null };
  if (!Array.isArray(content)) return { text: null, reasoning: null };
  const texts: string[] = [];
  const reasons: string[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else if (part.type === 'reasoning' && typeof part.reasoning === 'string') reasons.push(part.reasoning);
  }
  return { text: texts.length ? texts.join('\n') : null, reasoning: reasons.length ? reasons.join('\n') : null };
}

/** Options as shown: the last run of lines "A) ...", "B) ...", ... in the prompt. */
export function shownChoices(prompt: string): string[] | null {
  const starts: Array<{ letter: string; at: number; body: number }> = [];
  const re = /(^|\n)([A-Z])\) /g;
  for (const m of prompt.matchAll(re)) starts.push({ letter: m[2]!, at: m.index! + m[1]!.length, body: m.index! + m[0].length });
  // The last place where A, B, C, ... follow each other.
  for (let i = starts.length - 1; i >= 0; i--) {
    if (starts[i]!.letter !== 'A') continue;
    const run = [starts[i]!];
    for (let j = i + 1; j < starts.length && starts[j]!.letter === String.fromCharCode(65 + run.length); j++) run.push(starts[j]!);
    if (run.length < 2) continue;
    return run.map((s, k) => prompt.slice(s.body, k + 1 < run.length ? run[k + 1]!.at : prompt.length).trim());
  }
  return null;
}

function verdicts(scores: unknown): HarnessScore[] {
  if (!isObject(scores)) return [];
  const out: HarnessScore[] = [];
  for (const [name, s] of Object.entries(scores)) {
    if (!isObject(s)) continue;
    const v = s.value;
    const correct = v === 'C' || v === true || v === 1 ? true : v === 'I' || v === false || v === 0 ? false : null;
    out.push({ scorer: name, extracted: typeof s.answer === 'string' ? s.answer : null, correct });
  }
  return out;
}

/** One sample-epoch of an inspect log. */
export function inspectSample(s: unknown, where: string): HarnessSample {
  if (!isObject(s) || (typeof s.id !== 'string' && typeof s.id !== 'number') || typeof s.epoch !== 'number') {
    throw new MasaError(`${where}: not an inspect_ai sample (no id and epoch): unknown format or version`);
  }
  const messages = Array.isArray(s.messages) ? (s.messages as unknown[]).filter(isObject) : [];
  const user = messages.find((m) => m.role === 'user');
  const prompt = user ? textOf(user.content).text : null;
  const out = isObject(s.output) ? s.output : {};
  const choice = Array.isArray(out.choices) && isObject(out.choices[0]) ? (out.choices[0] as Record<string, unknown>) : null;
  const msg = choice && isObject(choice.message) ? choice.message : null;
  const parts = textOf(msg?.content);
  const completion = typeof out.completion === 'string' ? out.completion : parts.text;
  const usage = isObject(out.usage) && typeof out.usage.input_tokens === 'number' && typeof out.usage.output_tokens === 'number'
    ? { prompt_tokens: out.usage.input_tokens, completion_tokens: out.usage.output_tokens }
    : null;
  const stop = choice?.stop_reason;
  const shown = (prompt ? shownChoices(prompt) : null) ?? (Array.isArray(s.choices) && s.choices.every((c) => typeof c === 'string') ? (s.choices as string[]) : undefined);
  const err = s.error;
  return {
    where,
    key: { id: String(s.id), text: typeof s.input === 'string' ? s.input : undefined, harnessId: String(s.id) },
    trial: s.epoch - 1,
    shownOptions: shown ?? undefined,
    response: err ? null : completion,
    reasoning: parts.reasoning,
    finishReason: stop === 'max_tokens' || stop === 'model_length' ? 'length' : typeof stop === 'string' ? stop : null,
    usage,
    verdicts: verdicts(s.scores),
    ...(err ? { error: `inspect: ${isObject(err) && typeof err.message === 'string' ? err.message : String(err)}`.slice(0, 500) } : {}),
  } as HarnessSample;
}

interface LogHead {
  version: unknown;
  status: unknown;
  eval: Record<string, unknown>;
  plan: unknown;
  results: unknown;
}

function checkHead(h: unknown, where: string): LogHead {
  if (!isObject(h) || !isObject(h.eval)) throw new MasaError(`${where}: not an inspect_ai log header (no "eval"): unknown format or version`);
  if (!KNOWN_VERSIONS.has(h.version as number)) throw new MasaError(`${where}: inspect_ai log format version ${JSON.stringify(h.version)} is not one masa reads (1, 2)`);
  return h as unknown as LogHead;
}

function runOf(head: LogHead, file: string, samples: HarnessSample[], bench: string, model: string): HarnessRun {
  const ev = head.eval;
  const cfg = isObject(ev.config) ? ev.config : {};
  const reported: Record<string, number> = {};
  const results = isObject(head.results) ? head.results : null;
  for (const sc of results && Array.isArray(results.scores) ? results.scores : []) {
    if (!isObject(sc) || !isObject(sc.metrics)) continue;
    for (const [k, m] of Object.entries(sc.metrics)) if (isObject(m) && typeof m.value === 'number') reported[`${sc.name}/${k}`] = m.value;
  }
  const pkgs = isObject(ev.packages) ? ev.packages : {};
  const epochs = typeof cfg.epochs === 'number' ? cfg.epochs : Math.max(1, ...samples.map((s) => s.trial + 1));
  const dataset = isObject(ev.dataset) ? { name: ev.dataset.name ?? null, samples: ev.dataset.samples ?? null, shuffled: ev.dataset.shuffled ?? null } : null;
  return {
    format: 'inspect',
    bench,
    runKey: String(ev.task_id ?? ev.run_id ?? basename(file)),
    version: typeof pkgs.inspect_ai === 'string' ? `inspect_ai ${pkgs.inspect_ai} (log format ${head.version})` : `log format ${head.version}`,
    tasks: [String(ev.task)],
    model,
    settings: { config: cfg, plan: head.plan ?? null, model_generate_config: ev.model_generate_config ?? null, task_args: ev.task_args ?? null, dataset },
    options: bench === 'gpqa-diamond' ? { repeats: epochs } : {},
    reported,
    status: typeof head.status === 'string' ? head.status : results ? 'success' : 'unfinished',
    files: [file],
    samples,
  };
}

function fromEval(zip: ZipFile, where: string, file: string, opts: { bench?: string; model?: string }, out: ReadResult): void {
  const names = zip.names();
  const headName = names.includes('header.json') ? 'header.json' : names.includes('_journal/start.json') ? '_journal/start.json' : null;
  if (!headName) throw new MasaError(`${where}: no header.json or _journal/start.json: not an inspect_ai .eval log`);
  const head = checkHead(parseJsonDocument(zip.text(headName), `${where}!${headName}`), `${where}!${headName}`);
  const task = String(head.eval.task ?? '');
  const bench = opts.bench ?? inspectBench(task);
  if (!bench) {
    out.skipped.push({ file: where, task, reason: `inspect task '${task}' is not one of masa's benchmarks` });
    return;
  }
  const samples = names
    .filter((n) => /^samples\/.+\.json$/.test(n))
    .map((n) => inspectSample(parseJsonDocument(zip.text(n), `${where}!${n}`), `${where}!${n}`));
  out.runs.push(runOf(head, file, samples, bench, opts.model ?? String(head.eval.model ?? '')));
}

function fromJson(doc: unknown, where: string, file: string, opts: { bench?: string; model?: string }, out: ReadResult): void {
  const head = checkHead(doc, where);
  const task = String(head.eval.task ?? '');
  const bench = opts.bench ?? inspectBench(task);
  if (!bench) {
    out.skipped.push({ file: where, task, reason: `inspect task '${task}' is not one of masa's benchmarks` });
    return;
  }
  const list = (doc as Record<string, unknown>).samples;
  const samples = (Array.isArray(list) ? list : []).map((s, i) => inspectSample(s, `${where}:samples[${i}]`));
  out.runs.push(runOf(head, file, samples, bench, opts.model ?? String(head.eval.model ?? '')));
}

function looksLikeJsonLog(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('utf8');
  return /^\s*\{/.test(head) && /"eval"\s*:/.test(bytes.toString('utf8', 0, Math.min(bytes.length, 1 << 20)));
}

function readBytes(bytes: Buffer, where: string, opts: { bench?: string; model?: string; password?: string }, out: ReadResult): void {
  if (where.endsWith('.json')) {
    fromJson(parseJsonDocument(bytes.toString('utf8'), where), where, where, opts, out);
    return;
  }
  const zip = new ZipFile(bytes, where, opts.password ?? GPQA_PASSWORD);
  if (where.endsWith('.eval')) {
    fromEval(zip, where, where, opts, out);
    return;
  }
  // An archive of logs: read each member in memory (GPQA's logs stay encrypted on disk). Other
  // files kept beside the logs (another harness's outputs) are reported, not read as logs.
  const logs = zip.names().filter((n) => /\.(eval|json)$/.test(n));
  if (logs.length === 0) throw new MasaError(`${where}: holds no .eval or .json inspect_ai logs`);
  for (const n of logs) {
    const bytes = zip.read(n);
    if (n.endsWith('.json') && !looksLikeJsonLog(bytes)) {
      out.skipped.push({ file: `${where}!${n}`, task: '', reason: 'not an inspect_ai log (a JSON file of another kind in the archive)' });
      continue;
    }
    readBytes(bytes, `${where}!${n}`, opts, out);
  }
}

/** Reads inspect_ai logs (.eval, .json, or a zip of them) into runs; off-list tasks are skipped by name. */
export function readInspect(files: readonly string[], opts: { bench?: string; model?: string; password?: string } = {}): ReadResult {
  const out: ReadResult = { runs: [], skipped: [] };
  for (const file of files) {
    if (!/\.(eval|json|zip)$/.test(file)) throw new MasaError(`${file}: not an inspect_ai log (.eval, .json, or a .zip of them): unknown format`);
    readBytes(readFileSync(file), file, opts, out);
  }
  return out;
}
