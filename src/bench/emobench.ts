/**
 * EmoBench (Sabour et al., ACL 2024): Emotional Application (EA, 4-way choice) and Emotional
 * Understanding (EU: emotion, 6-way, and its cause, 4-7-way), 200 items per task and language.
 *
 * Prompts are upstream's current ones (src/configs/{prompts,response}.yaml @ 3b4f8431): a system
 * prompt asking for JSON, choices rendered "A) ...", EA answers {"answer": "X"}, EU answers
 * {"answer_q1": "X", "answer_q2": "Y"} for both questions in ONE prompt. (The 2024 code behind
 * the paper's tables asked the cause in a second call, conditioned on the model's own emotion
 * answer; masa asks both at once, as upstream does now, so an item is one request per trial.)
 * Upstream's current model.py also prefixes "/no_think" to the system prompt of Qwen models
 * when CoT is off; masa sends the same prompt to every model.
 *
 * Aggregation is the paper's (evaluate.py @ cef95c3c): several samples per item (default 5),
 * majority vote per question, a top vote of "no answer" yields to the runner-up; an EU item is
 * right only when the voted emotion AND the voted cause are right (upstream's current
 * src/data.py scores one sample per item).
 *
 * Extraction policy 'upstream' follows, by option `upstream_version`:
 * - '2025-05' (default): the current code (src/utils.py parse_json_response and src/data.py
 *   @ 3b4f8431), behaviour for behaviour: when the text holds "```json", the first fenced block,
 *   else the WHOLE response, must parse as JSON (a word before or after it and nothing is read);
 *   the value of "answer" (EU: "answer_q1", "answer_q2") must equal the gold letter exactly, so
 *   "a", "A)" or "A) text" score wrong.
 * - '2024-03': generate.py process_output @ cef95c3c, the parser behind the paper's tables (the
 *   replay test checks it against the recorded answers): lines from the last, "(a)", ": a",
 *   "option a", a contained choice text, a lone letter, ...; 4 letters for EA and 6 for both EU
 *   questions as upstream. For masa's one-call EU prompt it reads each question's part of the
 *   response (split at "Question 2" / "answer_q2").
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows:
 * - the JSON object is found inside other text and code fences, single quotes and a trailing
 *   comma are repaired, and a missing key is read from a `"answer": X` line;
 * - an answer value counts when it is the letter in any case and wrapping ("b", "(B)", "B) text")
 *   or a choice's full text;
 * - without JSON: an answer cue ("Answer: B"), a boxed letter, a last line that is only a letter, or
 *   a choice's full text, or a last line "B) <that choice's text>" (EU: for each question's part of the response);
 * - never process_output's looser rules (a "(b)" anywhere in a line, ": b" anywhere).
 *
 * For result files of the 2024 code (`masa import --format emobench-results`) an EU response may
 * hold the two answers of the 2024 two-call protocol joined by EMOBENCH_CAUSE_SEPARATOR; both
 * policies split there first. Imports read them with upstream_version '2024-03'. The majority vote
 * compares with the gold the trials carry (the option order the model was shown), which is the
 * item's own gold for masa's runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MasaError } from '../core/errors.js';
import { parseJsonl } from '../core/jsonl.js';
import { letterAt, letterIndex } from './choices.js';
import { letterAtStart, optionByText, robustLetter } from './letters.js';
import type { Benchmark, ChatMessage, Extraction, ExtractionPolicy, GenerationHints, Item, TrialScore } from './types.js';

export type EmoTask = 'EA' | 'EU';
export type EmoLanguage = 'en' | 'zh';

export interface EmoBenchOptions {
  language: EmoLanguage | 'both';
  tasks: EmoTask[];
  /** Samples per item (the paper: 5). */
  trials: number;
  /** 'majority' (the paper's vote) or 'mean' (fraction of right samples). */
  aggregate: 'majority' | 'mean';
  /** Ask for step-by-step reasoning before the JSON answer (upstream's CoT variant). */
  cot: boolean;
  /** Which upstream code the upstream policy reads answers with (see the file header). */
  upstream_version: '2025-05' | '2024-03';
}

/** Joins the emotion answer and the cause answer of the 2024 two-call EU protocol in one response. */
export const EMOBENCH_CAUSE_SEPARATOR = '\n\n<<<masa: answer to the cause question (second call)>>>\n\n';

export interface EmoBenchItem extends Item {
  task: EmoTask;
  qid: string;
  language: EmoLanguage;
  scenario: string;
  subject: string;
  /** EA: 'Action' | 'Response'; EU: the fine-grained category. */
  kind: string;
  /** EA choices, or EU emotion choices. */
  choices: string[];
  /** Gold letter within `choices`. */
  gold: string;
  /** EU only: cause choices and gold cause letter. */
  causeChoices?: string[];
  causeGold?: string;
}

export const EMOBENCH_DEFAULTS: EmoBenchOptions = {
  language: 'en',
  tasks: ['EA', 'EU'],
  trials: 5,
  aggregate: 'majority',
  cot: false,
  upstream_version: '2025-05',
};

function str(row: Record<string, unknown>, key: string, where: string): string {
  const v = row[key];
  if (typeof v !== 'string' && typeof v !== 'number') throw new MasaError(`${where}: missing field '${key}'`);
  return String(v);
}

function strList(row: Record<string, unknown>, key: string, where: string): string[] {
  const v = row[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string') || v.length < 2) {
    throw new MasaError(`${where}: field '${key}' is not a list of choice texts`);
  }
  return v as string[];
}

/** Gold letter = position of the label text among the choices (upstream stores text, not letters). */
export function goldLetter(choices: readonly string[], label: string, where: string, field: string): string {
  const k = choices.indexOf(label);
  if (k < 0) throw new MasaError(`${where}: ${field} "${label}" is not among the choices`);
  return letterAt(k);
}

function language(v: string, where: string): EmoLanguage {
  if (v !== 'en' && v !== 'zh') throw new MasaError(`${where}: language '${v}' is neither 'en' nor 'zh'`);
  return v;
}

export function parseEmoBenchFile(text: string, file: string, task: EmoTask): EmoBenchItem[] {
  return parseJsonl<Record<string, unknown>>(text, file).map(({ line, value: row }) => {
    const where = `${file}:${line}`;
    const qid = str(row, 'qid', where);
    const lang = language(str(row, 'language', where), where);
    const base = {
      id: `${task.toLowerCase()}-${qid}-${lang}`,
      cluster: `${task.toLowerCase()}-${qid}-${lang}`,
      source: where,
      task,
      qid,
      language: lang,
      scenario: str(row, 'scenario', where),
      subject: str(row, 'subject', where),
    };
    if (task === 'EA') {
      const choices = strList(row, 'choices', where);
      return {
        ...base,
        tags: { task, category: str(row, 'category', where), language: lang },
        kind: str(row, 'question type', where),
        choices,
        gold: goldLetter(choices, str(row, 'label', where), where, 'label'),
      };
    }
    const choices = strList(row, 'emotion_choices', where);
    const causeChoices = strList(row, 'cause_choices', where);
    return {
      ...base,
      tags: { task, category: str(row, 'coarse_category', where), language: lang },
      kind: str(row, 'finegrained_category', where),
      choices,
      gold: goldLetter(choices, str(row, 'emotion_label', where), where, 'emotion_label'),
      causeChoices,
      causeGold: goldLetter(causeChoices, str(row, 'cause_label', where), where, 'cause_label'),
    };
  });
}

/** The `tasks` option as a list; a CLI string "EA,EU" is accepted too. */
export function emoTasks(value: unknown): EmoTask[] {
  const list = (Array.isArray(value) ? value : String(value).split(/[,+/\s]+/)).map((t) => String(t).trim().toUpperCase()).filter((t) => t !== '');
  if (list.length === 0 || list.some((t) => t !== 'EA' && t !== 'EU')) {
    throw new MasaError(`emobench option tasks: '${String(value)}' is not a list of EA, EU`);
  }
  return list as EmoTask[];
}

export function loadEmoBench(dir: string, options: Pick<EmoBenchOptions, 'language' | 'tasks'>): EmoBenchItem[] {
  if (!['en', 'zh', 'both'].includes(options.language)) {
    throw new MasaError(`emobench option language: '${String(options.language)}' is not en, zh or both`);
  }
  const tasks = emoTasks(options.tasks);
  const out: EmoBenchItem[] = [];
  for (const task of ['EA', 'EU'] as const) {
    if (!tasks.includes(task)) continue;
    const file = join(dir, 'data', `${task}.jsonl`);
    if (!existsSync(file)) throw new MasaError(`${file}: EmoBench ${task} file not found`);
    const items = parseEmoBenchFile(readFileSync(file, 'utf8'), file, task);
    out.push(...items.filter((it) => options.language === 'both' || it.language === options.language));
  }
  const seen = new Set<string>();
  for (const it of out) {
    if (seen.has(it.id)) throw new MasaError(`${it.source}: duplicate item ${it.id}`);
    seen.add(it.id);
  }
  return out;
}

// ---- prompts (upstream src/configs/*.yaml) ----

const SYSTEM: Record<EmoLanguage, string> = {
  en: '# Instructions\n\nIn this task, you are presented with a scenario, a question, and multiple choices. \nCarefully analyze the scenario and take the perspective of the individual involved.\nThen, select the option that best reflects their perspective or emotional response.\n\n# Output\n',
  zh: '# 说明\n在这个任务中，你会面临一个场景、一个问题和多个选项。\n仔细分析场景，并从相关人员的角度进行思考。\n然后，选择最能反映他们的观点或情绪反应的选项。\n\n# 输出\n',
};

const STATEMENT: Record<'base' | 'cot', Record<EmoLanguage, string>> = {
  base: {
    en: 'Provide only one single correct answer to this question. Do not provide any additional information or explanations. The response should be in the following JSON format:',
    zh: '只提供一个正确的答案。 不要提供任何额外的信息或解释。 回复应采用以下JSON格式：',
  },
  cot: {
    en: "Provide a step-by-step reasoning that explores each option's potential impact on the individual(s) in question, considering their emotions, previous experiences mentioned in the scenario, and the possible outcomes of each choice. Then, select the most appropriate answer based on your reasoning. The response should be in the following JSON format:",
    zh: '提供逐步推理，探索每个选项对相关个人的潜在影响，考虑他们的情绪、场景中提到的先前经历以及每个选择的可能结果。 然后，根据你的推理选择最合适的答案。 回复应采用以下JSON格式：',
  },
};

const CONDITIONS: Record<EmoTask | 'reasoning', Record<EmoLanguage, string>> = {
  EA: {
    en: '"answer": "<Respond with the corresponding letter numbering>"',
    zh: '"answer": "<用相应的字母进行回答>"',
  },
  EU: {
    en: '"answer_q1": "<Respond to the Question 1 with the corresponding letter numbering>",\n"answer_q2": "<Respond to the Question 2 with the corresponding letter numbering>"',
    zh: '"answer_q1": "<用相应的字母进行回答问题1>",\n"answer_q2": "<用相应的字母进行回答问题2>"',
  },
  reasoning: { en: '"reasoning": "<Step by step reasoning>"', zh: '"reasoning": "<逐步推理>"' },
};

export function emoSystemPrompt(task: EmoTask, lang: EmoLanguage, cot: boolean): string {
  const conditions = (cot ? `${CONDITIONS.reasoning[lang]},\n` : '') + CONDITIONS[task][lang];
  return `${SYSTEM[lang]}\n${STATEMENT[cot ? 'cot' : 'base'][lang]}\n\`\`\`json\n{\n${conditions}\n}\n\`\`\``;
}

function rankChoices(choices: readonly string[]): string {
  return choices.map((c, i) => `${letterAt(i)}) ${c}`).join('\n');
}

export function emoUserPrompt(item: EmoBenchItem): string {
  const { scenario, subject } = item;
  if (item.task === 'EA') {
    return item.language === 'en'
      ? `## Scenario\n${scenario}\n\n## Question \nIn this scenario, what is the most effective ${item.kind} for ${subject}?\n\n## Choices\n${rankChoices(item.choices)}\n`
      : `## 场景\n${scenario}\n\n## 问题\n在这个场景中，${subject}最有效的${item.kind}是什么？\n\n## 选项\n${rankChoices(item.choices)}\n`;
  }
  const emo = rankChoices(item.choices);
  const cause = rankChoices(item.causeChoices ?? []);
  return item.language === 'en'
    ? `## Scenario\n${scenario}\n\n## Question 1\nWhat emotion(s) would ${subject} ultimately feel in this situation?\n\n## Choices for Question 1\n${emo}\n\n## Question 2\nWhy would ${subject} feel these emotions in this situation?\n\n## Choices for Question 2\n${cause}`
    : `## 场景\n${scenario}\n\n## 问题 1\n在这种情况下，${subject}最终会感受到什么情绪？\n\n## 问题 1 的选项\n${emo}\n\n## 问题 2\n${subject}为什么会在这种情况下感受到这些情绪？\n\n## 问题 2 的选项\n${cause}`;
}

// ---- extraction ----

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Port of the 2024 `generate.py:process_output` (the parser behind the paper's numbers): the
 * index of the chosen option or -1. Reads lines from the last; per line tries "(a)", "[a]",
 * ": a", "option a", "option (a)", "choice a", "choice (a)", "选项 a", "选项 (a)", then a choice
 * text contained in the line, then a lone letter, then a letter followed by < [ ( ) :.
 * `nLetters` is 4 for EA and 6 for EU (upstream uses 6 for the cause question too).
 */
export function processOutput(pred: string, choices: readonly string[], nLetters: number, lang: EmoLanguage): number {
  const text = pred.toLowerCase().replace(/（/g, '(').replace(/）/g, ')').replace(/\./g, '');
  const cs = choices.map((c) => c.split(' & ').join(lang === 'en' ? ' and ' : '和'));
  const letters = LOWER.slice(0, nLetters);
  const patterns: Array<(l: string) => string> = [
    (l) => `(${l})`,
    (l) => `[${l}]`,
    (l) => `: ${l}`,
    (l) => `option ${l}`,
    (l) => `option (${l})`,
    (l) => `choice ${l}`,
    (l) => `choice (${l})`,
    (l) => `选项 ${l}`,
    (l) => `选项 (${l})`,
  ];
  // Not in the 2024 source, but needed to reproduce the paper's numbers from the raw texts: the
  // recorded answers also read an unclosed ASCII "(b" opening a line (optionally after
  // "answer :"), or ending an English response cut off by the token limit. The full-width
  // "（b" did not count there, so these rules look at the text before that conversion.
  const opening = new RegExp(`^(?:answer\\s*:\\s*)?\\(\\s*([${letters}])(?![a-z\\]])`);
  const trailing = new RegExp(`\\(\\s*([${letters}])\\s*$`);
  const rawLines = pred.toLowerCase().replace(/\./g, '').split('\n');
  const lines = text.split('\n');
  for (let j = lines.length - 1; j >= 0; j--) {
    const out = lines[j]!;
    if (!out) continue;
    const open = opening.exec(rawLines[j]!) ?? (lang === 'en' && j === lines.length - 1 ? trailing.exec(rawLines[j]!) : null);
    if (open) return LOWER.indexOf((open[1] ?? open[2])!);
    for (const p of patterns) {
      for (let i = 0; i < letters.length; i++) if (out.includes(p(letters[i]!))) return i;
    }
    for (let i = 0; i < cs.length; i++) if (out.includes(cs[i]!.toLowerCase())) return i;
    if (out.length === 1 && letters.includes(out)) return LOWER.indexOf(out);
    if (out.length > 1 && letters.includes(out[0]!) && ['<', '[', '(', ')', ':'].includes(out[1]!)) return LOWER.indexOf(out[0]!);
  }
  return -1;
}

/** The last balanced {...} blocks of a text, last first. */
function jsonCandidates(text: string): string[] {
  const out: string[] = [];
  const stack: number[] = [];
  let inString: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === inString) inString = null;
      continue;
    }
    if (c === '"' && stack.length) inString = c;
    else if (c === '{') stack.push(i);
    else if (c === '}' && stack.length) {
      const start = stack.pop()!;
      if (stack.length === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out.reverse();
}

function tryParseObject(s: string): Record<string, unknown> | null {
  const attempts = [s, s.replace(/'/g, '"'), s.replace(/,\s*}/g, '}')];
  for (const a of attempts) {
    try {
      const v: unknown = JSON.parse(a);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // try the next repair
    }
  }
  return null;
}

/** Reads a letter (or a choice text) given as a JSON answer value (robust policy). */
export function answerValueToLetter(value: unknown, choices: readonly string[]): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const v = String(value).trim();
  const k = letterAtStart(v, choices.length);
  if (k !== null) return letterAt(k);
  const t = optionByText(v.replace(/^[A-Za-z][).]\s*/, ''), choices);
  return t !== null ? letterAt(t) : null;
}

/** Finds `key: value` with JSON, then with a regex over the raw text (quotes of either kind). */
export function readAnswerFields(response: string, keys: readonly string[]): Record<string, unknown> | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(response);
  const texts = fenced ? [fenced[1]!, response] : [response];
  for (const t of texts) {
    for (const cand of jsonCandidates(t)) {
      const obj = tryParseObject(cand);
      if (obj && keys.some((k) => k in obj)) return obj;
    }
  }
  const found: Record<string, unknown> = {};
  for (const k of keys) {
    const re = new RegExp(`["']?${k}["']?\\s*[:：=]\\s*["']?\\s*([^"',}\\n]*)`, 'g');
    const matches = [...response.matchAll(re)];
    const m = matches[matches.length - 1];
    if (m) found[k] = m[1]!.trim();
  }
  return Object.keys(found).length ? found : null;
}

export interface EmoExtraction extends Extraction {
  /** EU: the cause letter (the emotion letter is `answer`). */
  cause?: string | null;
}

/** Splits an EU response into its two answers: at the two-call separator, else at its "Question 2" marker. */
function splitAtQuestion2(response: string): [string, string] | null {
  const cut = response.indexOf(EMOBENCH_CAUSE_SEPARATOR);
  if (cut >= 0) return [response.slice(0, cut), response.slice(cut + EMOBENCH_CAUSE_SEPARATOR.length)];
  const m = /(answer_q2|question\s*2|q2\b|问题\s*2)/i.exec(response);
  return m ? [response.slice(0, m.index), response.slice(m.index + m[0].length)] : null;
}

/** Upstream 2025-05 parse_json_response: the first ```json block, else the whole text, as JSON. */
export function parseJsonUpstream(response: string): Record<string, unknown> | null {
  let text = response;
  if (response.includes('```json')) {
    const m = /```json\s*([\s\S]*?)```/.exec(response);
    if (!m) return null;
    text = m[0].replace(/```json/g, '').replace(/```/g, '');
  }
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Upstream compares the stored value with the gold letter as a string: only "A".."Z" itself can score. */
function upstreamValue(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function extractEmoUpstream(response: string, item: EmoBenchItem, version: EmoBenchOptions['upstream_version']): EmoExtraction {
  if (version === '2024-03') {
    const read = (text: string, choices: readonly string[], n: number): string | null => {
      const k = processOutput(text, choices, n, item.language);
      return k >= 0 ? letterAt(k) : null;
    };
    if (item.task === 'EA') {
      const a = read(response, item.choices, 4);
      return { answer: a, rule: a ? 'process-output' : 'none' };
    }
    const parts = splitAtQuestion2(response) ?? [response, ''];
    const emo = read(parts[0], item.choices, 6);
    const cause = parts[1] ? read(parts[1], item.causeChoices ?? [], 6) : null;
    return { answer: emo, cause, rule: emo || cause ? 'process-output' : 'none' };
  }
  const obj = parseJsonUpstream(response);
  if (item.task === 'EA') {
    const a = obj ? upstreamValue(obj.answer) : null;
    return { answer: a, rule: a ? 'json' : 'none' };
  }
  const emo = obj ? upstreamValue(obj.answer_q1) : null;
  const cause = obj ? upstreamValue(obj.answer_q2) : null;
  return { answer: emo, cause, rule: emo || cause ? 'json' : 'none' };
}

function extractEmoRobust(response: string, item: EmoBenchItem): EmoExtraction {
  const fallback = (text: string, choices: readonly string[]): string | null => {
    const r = robustLetter(text, choices.length, choices);
    return r ? letterAt(r.index) : null;
  };
  if (item.task === 'EA') {
    const obj = readAnswerFields(response, ['answer']);
    const fromJson = obj ? answerValueToLetter(obj.answer, item.choices) : null;
    if (fromJson) return { answer: fromJson, rule: 'json' };
    const fb = fallback(response, item.choices);
    return fb ? { answer: fb, rule: 'answer-text' } : { answer: null, rule: 'none' };
  }
  const causes = item.causeChoices ?? [];
  const obj = readAnswerFields(response, ['answer_q1', 'answer_q2']);
  let emo = obj ? answerValueToLetter(obj.answer_q1, item.choices) : null;
  let cause = obj ? answerValueToLetter(obj.answer_q2, causes) : null;
  let rule = emo || cause ? 'json' : 'none';
  if (!emo || !cause) {
    const parts = splitAtQuestion2(response);
    if (parts) {
      emo ??= fallback(parts[0], item.choices);
      cause ??= fallback(parts[1], causes);
      if (rule === 'none' && (emo || cause)) rule = 'answer-text';
      else if (rule === 'json' && (emo || cause)) rule = 'json+answer-text';
    }
  }
  return { answer: emo, cause, rule };
}

export function extractEmoAnswer(
  response: string,
  item: EmoBenchItem,
  policy: ExtractionPolicy = 'robust',
  version: EmoBenchOptions['upstream_version'] = '2025-05',
): EmoExtraction {
  return policy === 'upstream' ? extractEmoUpstream(response, item, version) : extractEmoRobust(response, item);
}

/** EU verdict strings: "<emotion>/<cause>", '?' for a missing part. */
export function euPair(emo: string | null, cause: string | null): string {
  return `${emo ?? '?'}/${cause ?? '?'}`;
}

/**
 * The paper's vote (evaluate.py get_pred): Counter.most_common (count, then first seen);
 * if the top answer is "no answer" (null), the runner-up wins when there is one.
 */
export function emoMajority<T>(answers: ReadonlyArray<T | null>): T | null {
  const counts = new Map<T | null, number>();
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]); // stable: ties keep first-seen order
  if (ranked.length === 0) return null;
  if (ranked[0]![0] !== null) return ranked[0]![0];
  return ranked.length > 1 ? ranked[1]![0] : null;
}

function splitPair(s: string | null): [string | null, string | null] {
  if (s === null) return [null, null];
  const [e, c] = s.split('/');
  return [e && e !== '?' ? e : null, c && c !== '?' ? c : null];
}

export const emobench: Benchmark<EmoBenchItem, EmoBenchOptions> = {
  id: 'emobench',
  title: 'EmoBench',
  group: 'MA-U',
  pillar: 'understanding',
  metric: 'accuracy',
  dataset: 'EmoBench',
  citation: 'Sabour et al., EmoBench: Evaluating the Emotional Intelligence of Large Language Models, ACL 2024 (arXiv:2402.12071)',
  defaultOptions: EMOBENCH_DEFAULTS,
  optionDocs: {
    language: { description: "Item language: 'en' (default), 'zh' or 'both'; the paper does not say which it used.", choices: ['en', 'zh', 'both'] },
    tasks: { description: 'Which tasks to include, a list or separated by + or commas (EA+EU on the CLI): EA (Emotional Application), EU (Emotional Understanding); default both.' },
    trials: { description: 'Samples per item (the EmoBench paper: 5, majority vote).' },
    aggregate: {
      description: "'majority' (default, the paper's vote; a top vote of 'no answer' yields to the runner-up) or 'mean' over samples.",
      choices: ['majority', 'mean'],
    },
    cot: { description: "Ask for step-by-step reasoning in the JSON ('reasoning' field) as upstream's CoT variant (default false).", choices: [true, false] },
    upstream_version: {
      description:
        "Upstream policy only: '2025-05' (default) reads answers as the current code does (the whole response, or its ```json block, must be JSON; the value must be the letter exactly); '2024-03' uses process_output, the parser behind the paper's tables.",
      choices: ['2025-05', '2024-03'],
    },
  },
  async load(dir, options) {
    return loadEmoBench(dir, options);
  },
  trials(_item, options) {
    return Array.from({ length: options.trials }, (_, index) => ({ index, permutation: null }));
  },
  messages(item, _trial, options): ChatMessage[] {
    return [
      { role: 'system', content: emoSystemPrompt(item.task, item.language, options.cot) },
      { role: 'user', content: emoUserPrompt(item) },
    ];
  },
  generation(options): GenerationHints {
    // Upstream samples at temperature 0.6; the votes need varied samples.
    return { temperature: 0.6, max_tokens: options.cot ? 2048 : 256 };
  },
  extract(response, item, _trial, options, policy = 'robust') {
    return extractEmoAnswer(response, item, policy, options.upstream_version);
  },
  score(item, response, _trial, options, policy = 'robust'): TrialScore {
    const gold = item.task === 'EA' ? item.gold : euPair(item.gold, item.causeGold ?? null);
    if (response === null) return { extracted: null, rule: 'no-response', gold, correct: false };
    const ex = extractEmoAnswer(response, item, policy, options.upstream_version);
    if (item.task === 'EA') return { extracted: ex.answer, rule: ex.rule, gold, correct: ex.answer === item.gold };
    const extracted = ex.answer || ex.cause ? euPair(ex.answer, ex.cause ?? null) : null;
    return { extracted, rule: ex.rule, gold, correct: ex.answer === item.gold && ex.cause === item.causeGold };
  },
  reduce(item, trials, options) {
    if (trials.length === 0) return 0;
    if (options.aggregate === 'mean') return trials.filter((t) => t.correct).length / trials.length;
    // The gold in the labelling the trials were shown (an imported file may order options its own way).
    const shownGold = trials[0]!.gold || null;
    if (item.task === 'EA') return emoMajority(trials.map((t) => t.extracted)) === (shownGold ?? item.gold) ? 1 : 0;
    const [goldEmo, goldCause] = shownGold ? splitPair(shownGold) : [item.gold, item.causeGold ?? null];
    const pairs = trials.map((t) => splitPair(t.extracted));
    const emo = emoMajority(pairs.map((p) => p[0]));
    const cause = emoMajority(pairs.map((p) => p[1]));
    return emo === goldEmo && cause === goldCause ? 1 : 0;
  },
  chance(items) {
    if (items.length === 0) return 0;
    const p = (it: EmoBenchItem): number =>
      it.task === 'EA' ? 1 / it.choices.length : 1 / (it.choices.length * (it.causeChoices?.length ?? 1));
    return items.reduce((s, it) => s + p(it), 0) / items.length;
  },
};
