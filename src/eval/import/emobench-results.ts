/**
 * EmoBench's 2024 result files (Sahandfer/EmoBench @ cef95c3c, data/{EA,EU}/Results/<model>/
 * <model>-<en|zh>[_cot][1-3].csv): 200 rows, 5 samples per item. EA columns `Choices, Label,
 * Res k, Pred k`; EU `Emo Choices, Emo Label, Cause Choices, Cause Label, Emo Res k, Emo Pred k,
 * Cause Res k, Cause Pred k`. `Res` is the raw response, `Pred` the option index the 2024 code
 * parsed (-1: none), which is the harness's verdict kept beside masa's.
 *
 * The rows are in a draft order and some options were edited later, so each row is matched to
 * masa's item by its options (exactly, else the nearest item by their words) and scored against
 * its own options and label, as the model saw them (records then carry the file's labelling;
 * the majority vote reads the gold from them). EU asked the cause in a second call conditioned
 * on the model's own emotion answer: the two responses are joined by EMOBENCH_CAUSE_SEPARATOR.
 * Each file is one run; the permutation files (1-3) are runs of their own, as the paper
 * averages accuracy over them.
 */
import { basename, dirname } from 'node:path';
import { parseCsv } from '../../core/csv.js';
import { MasaError } from '../../core/errors.js';
import { letterAt } from '../../bench/choices.js';
import { EMOBENCH_CAUSE_SEPARATOR, euPair, type EmoBenchItem, type EmoLanguage, type EmoTask } from '../../bench/emobench.js';
import type { Item } from '../../bench/types.js';
import type { HarnessScore } from '../records.js';
import { readText } from './files.js';
import type { HarnessRun, HarnessSample, ReadResult } from './types.js';

const NAME_RE = /^(.+)-(en|zh)(_cot)?([1-9]?)\.csv$/;
const SAMPLES = 5;

/** A Python list-of-strings literal as pandas wrote it ("['a', \"b's\"]"). */
export function parsePyStringList(text: string, where: string): string[] {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) throw new MasaError(`${where}: '${t.slice(0, 40)}' is not a Python list of strings`);
  const out: string[] = [];
  let i = 1;
  while (i < t.length - 1) {
    const c = t[i]!;
    if (c === "'" || c === '"') {
      let s = '';
      i++;
      while (i < t.length && t[i] !== c) {
        if (t[i] === '\\') {
          const n = t[i + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else s += t[i++]!;
      }
      if (i >= t.length) throw new MasaError(`${where}: unterminated string in the choice list`);
      out.push(s);
    }
    i++;
  }
  return out;
}

function index(v: string | undefined, where: string, col: string): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new MasaError(`${where}: column '${col}' is '${v}', not an option index`);
  return n < 0 ? null : Math.trunc(n);
}

function letterOrNull(k: number | null): string | null {
  return k === null ? null : letterAt(k);
}

/** Parses one result CSV into samples (5 per row). */
export function parseEmoResultsCsv(text: string, file: string, task: EmoTask, lang: EmoLanguage): HarnessSample[] {
  const rows = parseCsv(text, file);
  const need = task === 'EA' ? ['Choices', 'Label', 'Res 1'] : ['Emo Choices', 'Emo Label', 'Cause Choices', 'Cause Label', 'Emo Res 1', 'Cause Res 1'];
  const header = rows.length > 0 ? Object.keys(rows[0]!.record) : [];
  const missing = need.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new MasaError(`${file}:1: missing column(s) ${missing.join(', ')}: not an EmoBench ${task} result file`);
  const out: HarnessSample[] = [];
  for (const { line, record: r } of rows) {
    const where = `${file}:${line}`;
    const choices = parsePyStringList(r[task === 'EA' ? 'Choices' : 'Emo Choices']!, where);
    const label = index(r[task === 'EA' ? 'Label' : 'Emo Label'], where, 'Label');
    const causeChoices = task === 'EU' ? parsePyStringList(r['Cause Choices']!, where) : undefined;
    const causeLabel = task === 'EU' ? index(r['Cause Label'], where, 'Cause Label') : null;
    if (label === null || label >= choices.length) throw new MasaError(`${where}: label ${r.Label ?? r['Emo Label']} is not one of the ${choices.length} options`);
    if (task === 'EU' && (causeLabel === null || causeLabel >= causeChoices!.length)) throw new MasaError(`${where}: cause label is not one of the ${causeChoices!.length} options`);
    const own = (masa: Item): Item => {
      const m = masa as EmoBenchItem;
      const item: EmoBenchItem = { ...m, language: lang, choices, gold: letterAt(label) };
      if (task === 'EU') {
        item.causeChoices = causeChoices;
        item.causeGold = letterAt(causeLabel!);
      }
      return item;
    };
    for (let k = 1; k <= SAMPLES; k++) {
      let response: string | null;
      const verdicts: HarnessScore[] = [];
      const gold = task === 'EA' ? letterAt(label) : euPair(letterAt(label), letterAt(causeLabel!));
      if (task === 'EA') {
        response = r[`Res ${k}`] ?? null;
        const p = letterOrNull(index(r[`Pred ${k}`], where, `Pred ${k}`));
        if (r[`Pred ${k}`] !== undefined && r[`Pred ${k}`] !== '') verdicts.push({ scorer: 'pred', extracted: p, correct: p === gold });
      } else {
        const e = r[`Emo Res ${k}`];
        const c = r[`Cause Res ${k}`];
        response = e === undefined && c === undefined ? null : `${e ?? ''}${EMOBENCH_CAUSE_SEPARATOR}${c ?? ''}`;
        const pe = r[`Emo Pred ${k}`];
        const pc = r[`Cause Pred ${k}`];
        if (pe !== undefined && pe !== '' && pc !== undefined && pc !== '') {
          const pair = euPair(letterOrNull(index(pe, where, `Emo Pred ${k}`)), letterOrNull(index(pc, where, `Cause Pred ${k}`)));
          verdicts.push({ scorer: 'pred', extracted: pair, correct: pair === gold });
        }
      }
      if (response === null) throw new MasaError(`${where}: no 'Res ${k}' column (expected ${SAMPLES} samples per row)`);
      out.push({ where, key: { choices: task === 'EA' ? choices : [...choices, ...causeChoices!], harnessId: String(line - 1) }, trial: k - 1, ownItem: own, response, verdicts });
    }
  }
  return out;
}

export function isEmoResultsFile(path: string): boolean {
  return NAME_RE.test(basename(path));
}

/** Reads EmoBench result CSVs; each file is one run (model from its name, task from its folder or columns). */
export function readEmoBenchResults(files: readonly string[], opts: { model?: string } = {}): ReadResult {
  const out: ReadResult = { runs: [], skipped: [] };
  for (const file of files) {
    const m = NAME_RE.exec(basename(file));
    if (!m) throw new MasaError(`${file}: not an EmoBench result file (expected <model>-<en|zh>[_cot][1-3].csv): unknown format`);
    const [, model, lang, cot, perm] = m as unknown as [string, string, EmoLanguage, string | undefined, string];
    const text = readText(file);
    const head = text.split('\n', 1)[0] ?? '';
    const task: EmoTask = /(^|,)"?Emo Choices/.test(head) ? 'EU' : /(^|,)"?Choices/.test(head) ? 'EA' : (basename(dirname(dirname(file))) as EmoTask);
    if (task !== 'EA' && task !== 'EU') throw new MasaError(`${file}:1: neither EA nor EU columns: not an EmoBench result file`);
    const samples = parseEmoResultsCsv(text, file, task, lang);
    out.runs.push({
      format: 'emobench-results',
      bench: 'emobench',
      runKey: `${task}|${lang}|${cot ? 'cot' : 'base'}|${perm || '0'}|${basename(file)}`,
      version: null,
      tasks: [`${task}-${lang}${cot ? '-cot' : ''}${perm ? `-permutation-${perm}` : ''}`],
      model: opts.model ?? model,
      settings: { task, language: lang, cot: Boolean(cot), permutation: perm ? Number(perm) : 0, samples_per_item: SAMPLES, protocol: task === 'EU' ? 'two calls (cause asked after the emotion answer)' : 'one call' },
      options: { language: lang, tasks: [task], trials: SAMPLES, aggregate: 'majority', cot: Boolean(cot), upstream_version: '2024-03' },
      reported: {},
      status: null,
      files: [file],
      samples,
    });
  }
  return out;
}
