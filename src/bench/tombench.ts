/**
 * ToMBench (Chen et al., ACL 2024): bilingual Theory-of-Mind multiple choice, 20 task files,
 * 2,860 items. Run as upstream (run_huggingface.py @ 40efc1ec, get_results.py @ 2c27b147): options
 * shuffled per trial, 5 trials, greedy decoding, "[[X]]" answers, majority vote against gold.
 *
 * Where masa departs from upstream in what it sends, on purpose (both policies):
 * - 2-option items (OPTION-C/D = NaN upstream) are shown with 2 options. Upstream's `!= None`
 *   test is true for NaN, so its script would render them with "nan" options.
 * - The option's own letter prefix ("A. ", "A.") is stripped with a regex; upstream's
 *   `.replace("A. ", "")` misses "A.是" and also deletes "A. " anywhere inside the text.
 * - In the majority vote, "no answer" is one more candidate (it can win, and then the item is
 *   wrong); ties go to the candidate seen first, as upstream's dict-ordered max() does.
 *
 * Extraction policy 'upstream' is get_results.py's extract_answer, behaviour for behaviour: an
 * if-chain that prefers "[[A]]" over "[[B]]" over "[[C]]" over "[[D]]" wherever they stand, then
 * "[A]".."[D]" likewise, then the LAST capital A, B, C or D anywhere in the text (the B of "Based"
 * counts), upper case only; the letter maps through the trial's shuffle, and a letter past a
 * 2-option item's options maps to nothing (upstream's map holds "" there) and scores wrong.
 * Upstream answers "A" when nothing is found; masa does so only with option `defaultAnswer: 'A'`
 * (default 'none': no answer, wrong), because a guess is not an answer the response gives.
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows:
 * - the LAST "[[X]]" wins (then the last "[X]"), within the item's options, whatever the order of
 *   letters; "[[b]]" and "[[ B ]]" count (lower case and spaces, which upstream misses);
 * - then an answer cue ("the answer is B", "Answer: (b)"), a boxed letter, a last line that is
 *   only a letter, an option's full text after the cue or as the last line, or a last line
 *   "B) <that option's text>";
 * - never a letter picked out of prose (upstream's last-capital rule), never the default "A".
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MasaError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { parseJsonl } from '../core/jsonl.js';
import { isPermutationOf, letterAt, letterIndex, shownOptions, shuffledTrials, toUpstreamLetter } from './choices.js';
import { robustLetter } from './letters.js';
import type { Benchmark, ChatMessage, Extraction, ExtractionPolicy, GenerationHints, Item, Trial, TrialScore } from './types.js';

export type TomLanguage = 'en' | 'zh';

export interface TomBenchOptions {
  language: TomLanguage;
  /** Presentations per item (upstream try_times = 5). */
  trials: number;
  /** Shuffle the option order per trial (upstream does). */
  shuffle: boolean;
  /** Seed of the per-trial shuffles. */
  seed: number;
  /** Chain-of-thought system prompt variant. */
  cot: boolean;
  /** What an answer-less response counts as: 'none' (wrong) or upstream's 'A' (the shown A). */
  defaultAnswer: 'none' | 'A';
}

export interface TomBenchText {
  story: string;
  question: string;
  /** Option texts without their letter prefix; 2 or 4 of them. */
  options: string[];
}

export interface TomBenchItem extends Item {
  /** Upstream file name without .jsonl. */
  task: string;
  /** 1-based line in the upstream file. */
  line: number;
  /** Upstream INDEX (numbers questions within a story; repeats). */
  index: number;
  /** Full ability label, normalised (e.g. 'Non-Literal Communication: Humor'). */
  ability: string;
  en: TomBenchText;
  zh: TomBenchText;
  /** Gold letter in upstream order. */
  gold: string;
}

export const TOMBENCH_DEFAULTS: TomBenchOptions = {
  language: 'en',
  trials: 5,
  shuffle: true,
  seed: 42,
  cot: false,
  defaultAnswer: 'none',
};

// The six ability groups of the paper's ability table; upstream spells one of them two ways.
const ABILITY_GROUPS = ['Emotion', 'Desire', 'Intention', 'Knowledge', 'Belief', 'Non-Literal Communication'];

/** Normalises an upstream ability label: trimmed, group name spelled one way. */
export function normaliseAbility(raw: string): { group: string; label: string } {
  const text = raw.replace(/\s+/g, ' ').trim();
  const colon = text.indexOf(':');
  const head = (colon >= 0 ? text.slice(0, colon) : text).trim();
  const group = ABILITY_GROUPS.find((g) => g.toLowerCase() === head.toLowerCase()) ?? head;
  return { group, label: colon >= 0 ? `${group}: ${text.slice(colon + 1).trim()}` : group };
}

/** Upstream files hold Python-style bare NaN values, which JSON.parse rejects. */
export function replaceBareNaN(text: string): string {
  return text.replace(/(:\s*)NaN(?=\s*[,}])/g, '$1null');
}

/** Looks a field up with whitespace in its key normalised (upstream keys hold literal newlines). */
function field(row: Record<string, unknown>, key: string): unknown {
  if (key in row) return row[key];
  const want = key.replace(/\s+/g, ' ');
  for (const k of Object.keys(row)) if (k.replace(/\s+/g, ' ') === want) return row[k];
  return undefined;
}

function stripLetterPrefix(text: string, letter: string): string {
  return text.replace(new RegExp(`^\\s*${letter}\\s*[.．、:：)]\\s*`), '').trim();
}

function readText(row: Record<string, unknown>, where: string, keys: { story: string; question: string; options: string[] }): TomBenchText {
  const story = field(row, keys.story);
  const question = field(row, keys.question);
  if (typeof story !== 'string' || typeof question !== 'string') {
    throw new MasaError(`${where}: missing '${keys.story}' or '${keys.question}'`);
  }
  const raw = keys.options.map((k) => field(row, k));
  const options: string[] = [];
  let ended = false;
  raw.forEach((v, i) => {
    if (v === null || v === undefined) {
      ended = true;
      return;
    }
    if (ended) throw new MasaError(`${where}: option '${keys.options[i]}' follows an empty option`);
    options.push(stripLetterPrefix(String(v), letterAt(i)));
  });
  if (options.length < 2) throw new MasaError(`${where}: fewer than 2 options`);
  return { story, question, options };
}

/** Parses one upstream task file (the text, after nothing else). */
export function parseTomBenchFile(text: string, file: string): TomBenchItem[] {
  const task = basename(file).replace(/\.jsonl$/, '');
  return parseJsonl<Record<string, unknown>>(replaceBareNaN(text), file).map(({ line, value }) => {
    const where = `${file}:${line}`;
    const abilityRaw = field(value, '能力\nABILITY');
    const goldRaw = field(value, '答案\nANSWER');
    if (typeof abilityRaw !== 'string') throw new MasaError(`${where}: missing ability field '能力\\nABILITY'`);
    if (typeof goldRaw !== 'string') throw new MasaError(`${where}: missing answer field '答案\\nANSWER'`);
    // One upstream label reads "A. ": the letter is its first character.
    const gold = goldRaw.trim().charAt(0).toUpperCase();
    const en = readText(value, where, { story: 'STORY', question: 'QUESTION', options: ['OPTION-A', 'OPTION-B', 'OPTION-C', 'OPTION-D'] });
    const zh = readText(value, where, { story: '故事', question: '问题', options: ['选项A', '选项B', '选项C', '选项D'] });
    const gi = letterIndex(gold);
    if (gi < 0 || gi >= Math.min(en.options.length, zh.options.length)) {
      throw new MasaError(`${where}: gold answer '${goldRaw}' is not one of the item's options`);
    }
    const { group, label } = normaliseAbility(abilityRaw);
    const index = Number(field(value, '序号\nINDEX'));
    return {
      id: `${task}#${line}`,
      tags: { task, ability: group },
      cluster: `${task}|${sha256(en.story).slice(0, 16)}`,
      source: where,
      task,
      line,
      index: Number.isFinite(index) ? index : 0,
      ability: label,
      en,
      zh,
      gold,
    };
  });
}

export function loadTomBench(dir: string): TomBenchItem[] {
  const dataDir = join(dir, 'data');
  if (!existsSync(dataDir)) throw new MasaError(`${dataDir}: ToMBench data folder not found`);
  const files = readdirSync(dataDir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new MasaError(`${dataDir}: no ToMBench task files (*.jsonl)`);
  return files.flatMap((f) => {
    const path = join(dataDir, f);
    return parseTomBenchFile(readFileSync(path, 'utf8'), path);
  });
}

// Upstream prompts.py, verbatim.
const SYSTEM_PROMPTS: Record<TomLanguage, { plain: string; cot: string }> = {
  zh: {
    plain:
      '下面给你提供一段故事，一个问题和若干答案选项，请你根据故事内容和给定的问题，按照常理推测，选择一个最可能的答案选项，并输出答案序号。\n注意：\n（1）请只输出最可能的答案序号，格式为：[[答案序号]]，例如，最可能的答案选项为“A. 手提包”，则输出“[[A]]”；\n（2）请必须从给定的答案选项“A、B、C、D”中选择一个做为最可能的答案作为输出，无论故事中是否提供足够的信息，如果你认为故事里没有足够的信息选出答案，请随机输出“[[A]]”，“[[B]]”，“[[C]]”，“[[D]]”其中之一；\n（3）请只输出在给定的信息下最可能的答案序号，不要输出其他内容。',
    cot:
      '下面给你提供一段故事，一个问题和若干答案选项，请你根据故事内容和给定的问题，按照常理推测，选择一个最可能的答案选项，并输出答案序号。\n注意：\n（1）请先一步步思考，对问题的答案进行推理分析，最后请输出最可能的答案序号，格式为：[[答案序号]]，例如，最可能的答案选项为“A. 手提包”，则输出“[[A]]”；\n（2）请必须从给定的答案选项“A、B、C、D”中选择一个做为最可能的答案作为输出，无论故事中是否提供足够的信息，如果你认为故事里没有足够的信息选出答案，请随机输出“[[A]]”，“[[B]]”，“[[C]]”，“[[D]]”其中之一；\n（3）再次强调，你必须先给出一步步推理的结果，最后再输出最可能的答案序号。你不应该直接输出答案。',
  },
  en: {
    plain:
      "Below is a multiple-choice question with a story and serveral answer options. Based on the content of the story and the given question, please infer the most likely answer and output the answer index.\nNote:\n(1) Please only output the most likely answer index in the format: [[Answer Index]], for example, if the most likely answer option is 'A. Handbag', then output '[[A]]';\n(2) You must choose one of the given answer options 'A, B, C, D' as the most likely answer, regardless of whether the story provides enough information. If you think there is not enough information in the story to choose an answer, please randomly output one of \"[[A]]\", \"[[B]]\", \"[[C]]\", or \"[[D]]\";\n(3) Please only output the most likely answer index based on the given information, and do not output any other content.",
    cot:
      "Below is a multiple-choice question with a story and serveral answer options. Based on the content of the story and the given question, please infer the most likely answer and output the answer index.\nNote:\n(1) Please first think step by step, conduct analysis on the answers to the questions, and finally output the most likely answer index in the format: [[Answer Index]], for example, if the most likely answer option is 'A. Handbag', then output '[[A]]';\n(2) You must choose one of the given answer options 'A, B, C, D' as the most likely answer, regardless of whether the story provides enough information. If you think there is not enough information in the story to choose an answer, please randomly output one of \"[[A]]\", \"[[B]]\", \"[[C]]\", or \"[[D]]\";\n(3) Again, you must first output the results of step-by-step reasoning, and finally output the most likely answer index. You should not directly output the answer index.",
  },
};

const USER_HEADINGS: Record<TomLanguage, [string, string, string]> = {
  zh: ['[故事]', '[问题]', '[答案选项]'],
  en: ['[Story]', '[Question]', '[Candidate Answers]'],
};

export function tomUserPrompt(text: TomBenchText, trial: Trial, language: TomLanguage): string {
  const [s, q, c] = USER_HEADINGS[language];
  const lines = shownOptions(text.options, trial).map((o, k) => `${letterAt(k)}. ${o}`);
  return `${s}\n${text.story}\n\n${q}\n${text.question}\n\n${c}\n${lines.join('\n')}`;
}

function last<T>(xs: T[]): T | undefined {
  return xs.length ? xs[xs.length - 1] : undefined;
}

/** Upstream extract_answer (see the file header); a shown letter, possibly past the options. */
export function extractTomUpstream(response: string, defaultAnswer: 'none' | 'A' = 'none'): Extraction {
  for (const l of 'ABCD') if (response.includes(`[[${l}]]`)) return { answer: l, rule: 'double-bracket' };
  for (const l of 'ABCD') if (response.includes(`[${l}]`)) return { answer: l, rule: 'bracket' };
  for (let i = response.length - 1; i >= 0; i--) {
    const c = response[i]!;
    if (c === 'A' || c === 'B' || c === 'C' || c === 'D') return { answer: c, rule: 'last-capital' };
  }
  return defaultAnswer === 'A' ? { answer: 'A', rule: 'default' } : { answer: null, rule: 'none' };
}

/** masa's reading (see the file header): a shown letter within the item's options. */
export function extractTomRobust(response: string, nOptions: number, shown: readonly string[] = []): Extraction {
  const inRange = (l: string): boolean => {
    const k = letterIndex(l);
    return k >= 0 && k < nOptions;
  };
  const double = last([...response.matchAll(/\[\[\s*([A-Da-d])\s*\]\]/g)].map((m) => m[1]!.toUpperCase()).filter(inRange));
  if (double) return { answer: double, rule: 'double-bracket' };
  const single = last([...response.matchAll(/\[\s*([A-D])\s*\]/g)].map((m) => m[1]!).filter(inRange));
  if (single) return { answer: single, rule: 'bracket' };
  const r = robustLetter(response, nOptions, shown);
  return r ? { answer: letterAt(r.index), rule: r.rule } : { answer: null, rule: 'none' };
}

export function extractTomAnswer(
  response: string,
  nOptions: number,
  policy: ExtractionPolicy = 'robust',
  defaultAnswer: 'none' | 'A' = 'none',
  shown: readonly string[] = [],
): Extraction {
  return policy === 'upstream' ? extractTomUpstream(response, defaultAnswer) : extractTomRobust(response, nOptions, shown);
}

/**
 * Most common answer (null = no answer is a candidate too); ties go to the one seen first,
 * as upstream's most_common_element (max over an insertion-ordered dict) does.
 */
export function majorityVote(answers: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string | null, number>();
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [a, c] of counts) {
    if (c > bestCount) {
      best = a;
      bestCount = c;
    }
  }
  return best;
}

function textFor(item: TomBenchItem, options: TomBenchOptions): TomBenchText {
  return options.language === 'zh' ? item.zh : item.en;
}

function checkTrial(item: TomBenchItem, trial: Trial, n: number): void {
  if (trial.permutation && !isPermutationOf(trial.permutation, n)) {
    throw new MasaError(`${item.id}: permutation [${trial.permutation.join(',')}] is not a permutation of ${n} options`);
  }
}

export const tombench: Benchmark<TomBenchItem, TomBenchOptions> = {
  id: 'tombench',
  title: 'ToMBench',
  group: 'MA-U',
  pillar: 'understanding',
  metric: 'accuracy',
  dataset: 'ToMBench',
  citation: 'Chen et al., ToMBench: Benchmarking Theory of Mind in Large Language Models, ACL 2024 (arXiv:2402.15052)',
  defaultOptions: TOMBENCH_DEFAULTS,
  optionDocs: {
    language: { description: "Story language: 'en' (default) or 'zh'; the paper does not say which it used.", choices: ['en', 'zh'] },
    trials: { description: 'Presentations per item, each with its own option order; the item counts by majority vote (upstream try_times = 5).' },
    shuffle: { description: 'Shuffle the options per trial (upstream does; default true).', choices: [true, false] },
    seed: { description: 'Seed of the per-trial option shuffles (upstream random.seed(42); default 42).' },
    cot: { description: "Use upstream's chain-of-thought system prompt (default false, upstream's default).", choices: [true, false] },
    defaultAnswer: {
      description: "Upstream policy only. An answer-less response: 'none' (default) scores wrong; 'A' takes the shown A as upstream's extract_answer does. The robust policy never guesses.",
      choices: ['none', 'A'],
    },
  },
  async load(dir) {
    return loadTomBench(dir);
  },
  trials(item, options) {
    return shuffledTrials(item.id, textFor(item, options).options.length, options.trials, options.seed, options.shuffle);
  },
  messages(item, trial, options): ChatMessage[] {
    const text = textFor(item, options);
    checkTrial(item, trial, text.options.length);
    const system = SYSTEM_PROMPTS[options.language][options.cot ? 'cot' : 'plain'];
    return [
      { role: 'system', content: system },
      { role: 'user', content: tomUserPrompt(text, trial, options.language) },
    ];
  },
  generation(): GenerationHints {
    // Upstream decodes greedily (do_sample=False); the variation between trials is the option order.
    return { temperature: 0 };
  },
  extract(response, item, trial, options, policy = 'robust') {
    const text = textFor(item, options);
    return extractTomAnswer(response, text.options.length, policy, options.defaultAnswer, shownOptions(text.options, trial));
  },
  score(item, response, trial, options, policy = 'robust'): TrialScore {
    const text = textFor(item, options);
    const n = text.options.length;
    checkTrial(item, trial, n);
    if (response === null) return { extracted: null, rule: 'no-response', gold: item.gold, correct: false };
    const { answer, rule } = extractTomAnswer(response, n, policy, options.defaultAnswer, shownOptions(text.options, trial));
    // Upstream's map has "" for a letter past a 2-option item's options: it votes as no answer.
    const outside = answer !== null && letterIndex(answer) >= n;
    const extracted = outside ? null : toUpstreamLetter(answer, trial);
    const s: TrialScore = { extracted, rule, gold: item.gold, correct: extracted === item.gold };
    if (outside) s.status = 'out-of-range';
    return s;
  },
  reduce(item, trials) {
    if (trials.length === 0) return 0;
    return majorityVote(trials.map((t) => t.extracted)) === item.gold ? 1 : 0;
  },
  chance(items, options) {
    if (items.length === 0) return 0;
    return items.reduce((s, it) => s + 1 / textFor(it, options).options.length, 0) / items.length;
  },
};

/**
 * ToMBench's published AVG: the unweighted mean of the per-task (or per-ability) accuracies,
 * a macro average, not the accuracy over all items. `summary` is a BenchSummary.
 */
export function macroAverage(summary: { subscores: Record<string, Record<string, { accuracy: number }>> }, tag: 'task' | 'ability'): number {
  const groups = Object.values(summary.subscores[tag] ?? {});
  return groups.length === 0 ? 0 : groups.reduce((s, g) => s + g.accuracy, 0) / groups.length;
}
