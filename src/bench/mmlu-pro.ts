/**
 * MMLU-Pro (Wang et al. 2024): 12,032 test questions with up to 10 options A-J, 14 categories.
 * Read from `<dir>/test.jsonl` (and `validation.jsonl` for the 5-shot CoT exemplars), the HF
 * splits as JSONL. Prompt and "N/A" handling follow TIGER-AI-Lab/MMLU-Pro evaluate_from_local.py.
 *
 * Extraction policy 'upstream' is evaluate_from_local.py @ 7478e268 (extract_answer ->
 * extract_again -> extract_final, and save_res' scoring), behaviour for behaviour: the first
 * "answer is (X)" (case-sensitive), else the first line's last "[aA]nswer: X", else the last
 * standalone capital A-J anywhere in the text (a letter in prose counts); a letter past the item's
 * options scores wrong. Option `fallbacks: false` gives the chain the 2024 published runs used
 * (their stored `pred` is the first rule alone; compute_accuracy.py @ 05c6997b). Upstream scores an
 * unanswered item as the seeded guess of save_res (`random.seed(12345); randint(0, n-1)`); masa
 * does so only with option `random_guess: true` (default false), because a guess is not an
 * answer the response gives: that option reproduces the published 52.78 for Llama-3-70B.
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows:
 * - a response that goes on into a new "Question:" block of its own (a base model continuing the
 *   few-shot prompt; 11,206 of the 12,032 Llama-3-70B outputs upstream published do) is read up to
 *   it: the model's answer is the one before the questions it invents (upstream's first-match
 *   regex reads the same in effect);
 * - the LAST answer cue wins: "the answer is (X)", "Answer: X", "**Answer:** X", in any case, with
 *   markdown, "$X$", "\boxed{X}" or brackets around the letter; lower-case letters count when
 *   they stand alone (never "a" or "I" starting a phrase: "the answer is a ...", "is I think");
 * - then a boxed letter, a last line that is only a letter, an option's full text after the cue,
 *   a last line "B) <that option's text>";
 * - never a letter picked out of prose (upstream's last-standalone-letter rule), never a guess
 *   (`random_guess` applies to the upstream policy only), never a letter past the options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MasaError } from '../core/errors.js';
import { parseJsonl } from '../core/jsonl.js';
import { letterAt, letterIndex, shownOptions, toUpstreamLetter } from './choices.js';
import { robustLetter } from './letters.js';
import type { Benchmark, ChatMessage, Extraction, ExtractionPolicy, Item, Trial, TrialScore } from './types.js';

export interface MmluProItem extends Item {
  questionId: number;
  question: string;
  /** Options after removing upstream's "N/A" padding, in upstream order. */
  options: string[];
  /** Gold letter in the options as shown (after "N/A" removal). */
  answer: string;
  category: string;
  src: string;
  /** Filled only in the validation split (the CoT exemplars). */
  cotContent: string;
  /** How many "N/A" options the loader removed. */
  removedNa: number;
  /** The dataset folder it was loaded from (where 5-shot prompts find validation.jsonl). */
  dir?: string;
}

export interface MmluProOptions {
  shots: 0 | 5;
  fallbacks: boolean;
  random_guess: boolean;
  patches: 'none' | '2025-10';
}

/**
 * The maintainers' October 2025 record replacements, in the order their scripts applied them
 * (local_251025/modify_merge.py, modify_merge_again.py, then local_251026/modify_1026.py).
 */
export const PATCHES_2025_10 = [
  'local_251025_merge_modify.jsonl',
  'local_251025_modified_again.jsonl',
  'local_251026_modify_items_1026.jsonl',
] as const;

/** Replaces records by question_id, as the upstream scripts do; a patch for an unknown id is an error. */
export function applyPatches(items: MmluProItem[], patchSets: ReadonlyArray<readonly MmluProItem[]>): { items: MmluProItem[]; replaced: number } {
  const index = new Map(items.map((it, k) => [it.id, k]));
  const out = [...items];
  const touched = new Set<string>();
  for (const patch of patchSets) {
    for (const rec of patch) {
      const k = index.get(rec.id);
      if (k === undefined) throw new MasaError(`${rec.source}: patch for question_id ${rec.id}, which the test split does not have`);
      out[k] = rec;
      touched.add(rec.id);
    }
  }
  return { items: out, replaced: touched.size };
}

/** Header of upstream's cot_prompt_lib/initial_prompt.txt ({$} = the category). */
export function mmluProHeader(category: string): string {
  return (
    `The following are multiple choice questions (with answers) about ${category}. Think step by step and then ` +
    'finish your answer with "the answer is (X)" where X is the correct letter choice.'
  );
}

interface RawRecord {
  question_id?: unknown;
  question?: unknown;
  options?: unknown;
  answer?: unknown;
  answer_index?: unknown;
  cot_content?: unknown;
  category?: unknown;
  src?: unknown;
}

/** Validates one upstream record and removes "N/A" options (upstream `preprocess`). */
export function mmluProItemFromRecord(rec: RawRecord, source: string): MmluProItem {
  const bad = (what: string): never => {
    throw new MasaError(`${source}: ${what}`);
  };
  if (typeof rec.question_id !== 'number' || !Number.isInteger(rec.question_id)) bad('question_id is not an integer');
  if (typeof rec.question !== 'string') bad('question is not a string');
  if (!Array.isArray(rec.options) || !rec.options.every((o) => typeof o === 'string')) bad('options is not a list of strings');
  if (typeof rec.answer !== 'string' || letterIndex(rec.answer) < 0) bad(`answer '${String(rec.answer)}' is not a letter`);
  if (typeof rec.category !== 'string' || rec.category === '') bad('category is missing');
  const all = rec.options as string[];
  const goldIdx = letterIndex(rec.answer as string);
  if (typeof rec.answer_index === 'number' && rec.answer_index !== goldIdx) {
    bad(`answer '${rec.answer}' disagrees with answer_index ${rec.answer_index}`);
  }
  if (goldIdx >= all.length) bad(`answer '${rec.answer}' is past the ${all.length} options`);
  if (all[goldIdx] === 'N/A') bad(`answer '${rec.answer}' points at an "N/A" option`);
  // Upstream drops "N/A" padding and keeps the letter; the padding sits at the end, so the
  // letter is unchanged there. Re-index anyway so an "N/A" before the answer cannot shift it.
  const options = all.filter((o) => o !== 'N/A');
  const answer = letterAt(all.slice(0, goldIdx).filter((o) => o !== 'N/A').length);
  if (options.length > 10) bad(`${options.length} options (at most 10, A-J)`);
  // Older snapshots hold single-option questions (e.g. question 2129 in the 2024 runs); upstream prompts them as they are.
  if (options.length < 1) bad('no options left after removing "N/A"');
  const id = String(rec.question_id);
  return {
    id,
    tags: { category: rec.category as string },
    cluster: id,
    source,
    questionId: rec.question_id as number,
    question: rec.question as string,
    options,
    answer,
    category: rec.category as string,
    src: typeof rec.src === 'string' ? rec.src : '',
    cotContent: typeof rec.cot_content === 'string' ? rec.cot_content : '',
    removedNa: all.length - options.length,
  };
}

export function parseMmluProJsonl(text: string, file: string): MmluProItem[] {
  const items = parseJsonl<RawRecord>(text, file).map(({ line, value }) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MasaError(`${file}:${line}: not a JSON object`);
    }
    return mmluProItemFromRecord(value, `${file}:${line}`);
  });
  const seen = new Map<string, string>();
  for (const it of items) {
    const prev = seen.get(it.id);
    if (prev) throw new MasaError(`${it.source}: duplicate question_id ${it.id} (first at ${prev})`);
    seen.set(it.id, it.source);
  }
  return items;
}

function readSplit(dir: string, name: string): MmluProItem[] {
  const file = join(dir, name);
  if (!existsSync(file)) throw new MasaError(`${file}: missing (run 'masa data fetch --bench mmlu-pro')`);
  return parseMmluProJsonl(readFileSync(file, 'utf8'), file);
}

const UPSTREAM_ORDER: Trial = { index: 0, permutation: null };

/** Upstream format_cot_example: "Question:\n...\nOptions:\nA. ...\n" then the CoT or the cue. */
export function formatQuestion(item: MmluProItem, withAnswer: boolean, trial: Trial = UPSTREAM_ORDER): string {
  let s = `Question:\n${item.question}\nOptions:\n`;
  shownOptions(item.options, trial).forEach((o, i) => (s += `${letterAt(i)}. ${o}\n`));
  if (withAnswer) s += item.cotContent.replace("A: Let's think step by step.", "Answer: Let's think step by step.") + '\n\n';
  else s += "Answer: Let's think step by step.";
  return s;
}

/** Upstream generate_cot_prompt: header, then the first k validation exemplars of the category. */
export function mmluProPrompt(item: MmluProItem, exemplars: readonly MmluProItem[], trial: Trial = UPSTREAM_ORDER): string {
  let s = mmluProHeader(item.category) + '\n';
  for (const ex of exemplars) s += formatQuestion(ex, true);
  return s + formatQuestion(item, false, trial);
}

// Python's `re` semantics, spelled out: `.` without DOTALL excludes only '\n'; `\s` is
// str.isspace(); `\b` is a boundary between [\p{L}\p{N}_] and anything else.
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const RE_ANSWER_IS = /answer is \(?([A-J])\)?/;
const RE_ANSWER_COLON = new RegExp(`[aA]nswer:${PY_SPACE}*([A-J])`, 'gu');
const RE_STANDALONE = /(?<![\p{L}\p{N}_])[A-J](?![\p{L}\p{N}_])/gu;

/**
 * Upstream `re.search(r'.*[aA]nswer:\s*([A-J])', text)` without its quadratic backtracking:
 * `.*` cannot cross a newline, so the match starts on the first line holding an occurrence,
 * and greedy `.*` takes the last occurrence that starts on that line.
 */
function answerColon(text: string): string | null {
  let lineStart = -2;
  let found: string | null = null;
  for (const m of text.matchAll(RE_ANSWER_COLON)) {
    const ls = text.lastIndexOf('\n', m.index! - 1);
    if (lineStart === -2) lineStart = ls;
    else if (ls !== lineStart) break;
    found = m[1]!;
  }
  return found;
}

/**
 * Upstream extract_answer -> extract_again -> extract_final:
 * 1. `answer is \(?([A-J])\)?` (first match, case-sensitive);
 * 2. `.*[aA]nswer:\s*([A-J])` (first line holding one, last occurrence on that line);
 * 3. the last standalone letter A-J anywhere (`\b[A-J]\b(?!.*\b[A-J]\b)`, DOTALL).
 * With `fallbacks` false only rule 1 applies, as in the 2024 published runs.
 */
export function extractMmluProUpstream(text: string, fallbacks = true): Extraction {
  const m1 = RE_ANSWER_IS.exec(text);
  if (m1) return { answer: m1[1]!, rule: 'answer-is' };
  if (!fallbacks) return { answer: null, rule: 'none' };
  const m2 = answerColon(text);
  if (m2) return { answer: m2, rule: 'answer-colon' };
  let last: string | null = null;
  for (const m of text.matchAll(RE_STANDALONE)) last = m[0];
  if (last !== null) return { answer: last, rule: 'last-letter' };
  return { answer: null, rule: 'none' };
}

/** Where a response goes on into a question of its own (a base model continuing the few-shot prompt). */
const NEXT_QUESTION = /\n\s*Question:\s*\n/;

/** masa's reading (see the file header): letters as shown, within the item's options. */
export function extractMmluProRobust(text: string, options: readonly string[]): Extraction {
  const next = NEXT_QUESTION.exec(text);
  const own = next && next.index > 0 ? text.slice(0, next.index) : text;
  const r = robustLetter(own, options.length, options);
  return r ? { answer: letterAt(r.index), rule: r.rule } : { answer: null, rule: 'none' };
}

export function extractMmluPro(text: string, policy: ExtractionPolicy = 'robust', fallbacks = true, shown: readonly string[] = []): Extraction {
  return policy === 'upstream' ? extractMmluProUpstream(text, fallbacks) : extractMmluProRobust(text, shown);
}

/**
 * Upstream's fallback for an unextracted answer: `random.seed(12345); random.randint(0, n-1)`,
 * re-seeded before every draw, so the guess depends only on the option count n. These are
 * CPython's values for n = 1..10.
 */
export const UPSTREAM_RANDOM_GUESS: readonly number[] = [0, 1, 1, 3, 3, 3, 3, 6, 6, 6];

export function upstreamRandomGuess(nOptions: number): string {
  const k = UPSTREAM_RANDOM_GUESS[nOptions - 1];
  if (k === undefined) throw new RangeError(`no upstream guess for ${nOptions} options`);
  return letterAt(k);
}

// The validation exemplars per dataset folder, read once.
const exemplarCache = new Map<string, MmluProItem[]>();

function exemplarsFor(item: MmluProItem, validation: readonly MmluProItem[], k: number): MmluProItem[] {
  return validation.filter((v) => v.category === item.category).slice(0, k);
}

export const mmluPro: Benchmark<MmluProItem, MmluProOptions> = {
  id: 'mmlu-pro',
  title: 'MMLU-Pro',
  group: 'SA',
  pillar: 'single-agent',
  metric: 'accuracy',
  dataset: 'MMLU-Pro',
  citation:
    'Wang et al. (2024), MMLU-Pro: A More Robust and Challenging Multi-Task Language Understanding Benchmark, NeurIPS Datasets and Benchmarks, arXiv:2406.01574',
  defaultOptions: { shots: 0, fallbacks: true, random_guess: false, patches: 'none' },
  optionDocs: {
    shots: {
      description:
        '0: the upstream CoT prompt (header + question + "Answer: Let\'s think step by step.") with no exemplars, as one user message; ' +
        '5: upstream evaluate_from_local.py, the first 5 validation questions of the same category with their CoT. The paper does not say which it used.',
      choices: [0, 5],
    },
    fallbacks: {
      description:
        'Upstream policy only. true: the current upstream chain "answer is (X)" -> "Answer: X" -> last standalone letter; false: only "answer is (X)", as in the 2024 published runs.',
      choices: [true, false],
    },
    random_guess: {
      description:
        'false (default): no extracted answer scores wrong. true: under the upstream policy, upstream\'s fallback, a fixed "random" option (random.seed(12345) before each randint), which adds about 1/n per unanswered item. The robust policy never guesses.',
      choices: [true, false],
    },
    patches: {
      description:
        'none (default): the HF test split as of 2025-08-24; 2025-10: with the maintainers\' October 2025 record replacements (patches_2025-10/, about 300 items). Which one the paper used is unknown.',
      choices: ['none', '2025-10'],
    },
  },

  async load(dir, options) {
    let items: MmluProItem[] = readSplit(dir, 'test.jsonl').map((it) => ({ ...it, dir }));
    if (options.patches === '2025-10') {
      const patches = PATCHES_2025_10.map((f) => readSplit(join(dir, 'patches_2025-10'), f).map((it) => ({ ...it, dir })));
      items = applyPatches(items, patches).items;
    } else if (options.patches !== undefined && options.patches !== 'none') {
      throw new MasaError(`mmlu-pro: option patches must be 'none' or '2025-10', got '${String(options.patches)}'`);
    }
    if (Number(options.shots) === 5) {
      const validation = readSplit(dir, 'validation.jsonl');
      exemplarCache.set(dir, validation);
      const cats = new Set(validation.map((v) => v.category));
      const missing = [...new Set(items.map((i) => i.category))].filter((c) => !cats.has(c));
      if (missing.length > 0) throw new MasaError(`${join(dir, 'validation.jsonl')}: no exemplars for categories ${missing.join(', ')}`);
    }
    return items;
  },

  trials() {
    return [{ index: 0, permutation: null }];
  },

  messages(item, trial, options) {
    let exemplars: MmluProItem[] = [];
    if (Number(options.shots) === 5) {
      const dir = item.dir;
      if (dir === undefined) throw new MasaError(`${item.source}: 5-shot prompts need the item's dataset folder (load it with mmluPro.load)`);
      const validation = exemplarCache.get(dir) ?? readSplit(dir, 'validation.jsonl');
      exemplarCache.set(dir, validation);
      exemplars = exemplarsFor(item, validation, 5);
    }
    const msg: ChatMessage = { role: 'user', content: mmluProPrompt(item, exemplars, trial) };
    return [msg];
  },

  generation(options) {
    // Upstream: temperature 0, max_tokens 2048, stop "Question:" (which ends a runaway next exemplar).
    return Number(options.shots) === 5 ? { temperature: 0, max_tokens: 2048, stop: ['Question:'] } : { temperature: 0, max_tokens: 2048 };
  },

  extract(response, item, trial, options, policy = 'robust') {
    return extractMmluPro(response, policy, options.fallbacks !== false, shownOptions(item.options, trial));
  },

  // Upstream never shuffles MMLU-Pro; a trial with a permutation (e.g. from a responses file)
  // is honoured: the shown letter is mapped back to the upstream one.
  score(item, response, trial, options, policy = 'robust'): TrialScore {
    const ex = response === null ? { answer: null, rule: 'no-response' } : extractMmluPro(response, policy, options.fallbacks !== false, shownOptions(item.options, trial));
    let shown = ex.answer;
    let rule = ex.rule;
    if (shown !== null && letterIndex(shown) >= item.options.length) {
      return { extracted: shown, rule, gold: item.answer, correct: false, status: 'out-of-range' };
    }
    let status = shown === null ? 'unanswered' : 'answered';
    if (shown === null && options.random_guess && policy === 'upstream') {
      shown = upstreamRandomGuess(item.options.length);
      rule = `${rule}+random-guess`;
      status = 'guessed';
    }
    const extracted = toUpstreamLetter(shown, trial);
    return { extracted, rule, gold: item.answer, correct: extracted === item.answer, status };
  },

  reduce(_item, trials) {
    return trials.length === 0 ? 0 : trials.filter((t) => t.correct).length / trials.length;
  },

  chance(items) {
    return items.length === 0 ? 0 : items.reduce((a, i) => a + 1 / i.options.length, 0) / items.length;
  },
};
