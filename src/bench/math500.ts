/**
 * MATH-500 (Lightman et al. 2023's 500-problem test split of MATH, Hendrycks et al. 2021).
 * Read from `<dir>/test.jsonl` (keys problem, solution, answer, subject, level, unique_id).
 * The model reasons step by step and boxes its final answer.
 *
 * Extraction policy 'upstream' scores as the paper's group would (src/bench/math/upstream.ts: the
 * same lab's Avengers evaluator with DeepScaleR's graders; that file names the commits and the one
 * place masa cannot follow them, sympy).
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows: the answer is extracted from
 * free text (src/bench/math/extract.ts: the last box, neighbouring boxes that together form the
 * answer, a stated final answer, an answer cue, a final sentence's answer, the last math span)
 * and judged by masa's own equivalence checker (src/bench/math/equivalence.ts: exact rationals,
 * structure-aware lists, tuples, intervals, matrices; a decimal comma only with option
 * `decimal_comma`). An undecided comparison scores wrong and is recorded as status 'undecided'.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MasaError } from '../core/errors.js';
import { parseJsonl } from '../core/jsonl.js';
import { checkEquivalence } from './math/equivalence.js';
import { extractAnswer } from './math/extract.js';
import { avengersExtract, gradeUpstream } from './math/upstream.js';
import type { Benchmark, ExtractionPolicy, Item, Trial, TrialScore } from './types.js';

export interface Math500Item extends Item {
  problem: string;
  solution: string;
  /** Gold final answer, LaTeX. */
  answer: string;
  subject: string;
  level: number;
}

export interface Math500Options {
  /** 'same-lab': the co-authors' MATH500 evaluator prompt; 'boxed': the common one-line instruction. */
  prompt: 'same-lab' | 'boxed';
  trials: number;
  max_tokens: number;
  /** Robust policy: read "1,5" as 1.5 where the comma cannot be a thousands separator (default false). */
  decimal_comma: boolean;
}

/** Prompt of ZhangYiqun018/Avengers evaluate/MATH500/math500.py (same lab as the paper; not confirmed as the paper's). */
export function sameLabPrompt(problem: string): string {
  return (
    'Solve the following math problem step by step. The last line of your response should only contain your final answer inside a \\boxed{} command.\n\n' +
    `${problem}\n\n` +
    'Remember to put your final answer on the last line using the format \\boxed{$ANSWER} where $ANSWER is the answer to the problem.'
  );
}

/** The instruction Qwen2.5-Math and DeepSeek-R1 model cards recommend. */
export function boxedPrompt(problem: string): string {
  return `${problem}\n\nPlease reason step by step, and put your final answer within \\boxed{}.`;
}

interface RawRecord {
  problem?: unknown;
  solution?: unknown;
  answer?: unknown;
  subject?: unknown;
  level?: unknown;
  unique_id?: unknown;
}

export function math500ItemFromRecord(rec: RawRecord, source: string): Math500Item {
  const bad = (what: string): never => {
    throw new MasaError(`${source}: ${what}`);
  };
  for (const k of ['problem', 'solution', 'answer', 'subject', 'unique_id'] as const) {
    if (typeof rec[k] !== 'string' || rec[k] === '') bad(`${k} is not a non-empty string`);
  }
  if (typeof rec.level !== 'number' || !Number.isInteger(rec.level) || rec.level < 1 || rec.level > 5) bad('level is not an integer 1-5');
  const id = rec.unique_id as string;
  return {
    id,
    tags: { subject: rec.subject as string, level: String(rec.level) },
    cluster: id,
    source,
    problem: rec.problem as string,
    solution: rec.solution as string,
    answer: rec.answer as string,
    subject: rec.subject as string,
    level: rec.level as number,
  };
}

export function parseMath500Jsonl(text: string, file: string): Math500Item[] {
  const items = parseJsonl<RawRecord>(text, file).map(({ line, value }) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MasaError(`${file}:${line}: not a JSON object`);
    return math500ItemFromRecord(value, `${file}:${line}`);
  });
  const seen = new Map<string, string>();
  for (const it of items) {
    const prev = seen.get(it.id);
    if (prev) throw new MasaError(`${it.source}: duplicate unique_id ${it.id} (first at ${prev})`);
    seen.set(it.id, it.source);
  }
  return items;
}

/** Extraction plus equivalence for one response against one gold answer, under a policy. */
export function scoreMathResponse(response: string | null, gold: string, policy: ExtractionPolicy = 'robust', decimalComma = false): TrialScore {
  if (response === null) return { extracted: null, rule: 'no-response', gold, correct: false, status: 'no-response' };
  if (policy === 'upstream') {
    const ex = avengersExtract(response);
    if (ex.answer === '') return { extracted: null, rule: ex.rule, gold, correct: false, status: 'unanswered' };
    const g = gradeUpstream(ex.answer, gold);
    return { extracted: ex.answer, rule: ex.rule, gold, correct: g.correct, status: g.correct ? 'equal' : 'different', detail: g.reason };
  }
  const ex = extractAnswer(response);
  if (ex.answer === null) return { extracted: null, rule: ex.rule, gold, correct: false, status: 'unanswered' };
  const v = checkEquivalence(ex.answer, gold, { decimalComma });
  return { extracted: ex.answer, rule: ex.rule, gold, correct: v.verdict === 'equal', status: v.verdict, detail: v.reason };
}

export const math500: Benchmark<Math500Item, Math500Options> = {
  id: 'math500',
  title: 'MATH-500',
  group: 'SA',
  pillar: 'single-agent',
  metric: 'accuracy',
  dataset: 'MATH-500',
  citation:
    'Hendrycks et al. (2021), Measuring Mathematical Problem Solving With the MATH Dataset, NeurIPS, arXiv:2103.03874; 500-problem split of Lightman et al. (2023), Let\'s Verify Step by Step, arXiv:2305.20050',
  defaultOptions: { prompt: 'same-lab', trials: 1, max_tokens: 4096, decimal_comma: false },
  optionDocs: {
    prompt: {
      description:
        "'same-lab' (default): the MATH500 prompt of the paper's co-authors' Avengers repo (step by step, final answer alone on the last line in \\boxed{}); " +
        "'boxed': the one-line 'Please reason step by step, and put your final answer within \\boxed{}.' of the Qwen/DeepSeek model cards. The paper gives no prompt.",
      choices: ['same-lab', 'boxed'],
    },
    trials: { description: 'Samples per problem (default 1); the item score is the mean over samples.' },
    max_tokens: {
      description: 'Generation budget (default 4096). Reasoning models (e.g. Qwen3 in thinking mode) need far more, up to 32768, or their boxes are cut off.',
    },
    decimal_comma: {
      description:
        'Robust policy only. false (default): a comma separates list items or thousands, as MATH writes; true: a comma between digits that cannot be a thousands separator ("1,5", "0,111", "1000,99") is a decimal point, on both sides of the comparison.',
      choices: [false, true],
    },
  },

  async load(dir) {
    const file = join(dir, 'test.jsonl');
    if (!existsSync(file)) throw new MasaError(`${file}: missing (run 'masa data fetch --bench math500')`);
    return parseMath500Jsonl(readFileSync(file, 'utf8'), file);
  },

  trials(_item, options): Trial[] {
    const n = Number(options.trials);
    if (!Number.isInteger(n) || n < 1) throw new MasaError(`math500 option trials: ${options.trials} is not a positive integer`);
    return Array.from({ length: n }, (_, index) => ({ index, permutation: null }));
  },

  messages(item, _trial, options) {
    const content = options.prompt === 'boxed' ? boxedPrompt(item.problem) : sameLabPrompt(item.problem);
    return [{ role: 'user', content }];
  },

  generation(options) {
    return { max_tokens: Number(options.max_tokens) || 4096 };
  },

  extract(response, _item, _trial, _options, policy = 'robust') {
    if (policy === 'upstream') {
      const ex = avengersExtract(response);
      return { answer: ex.answer === '' ? null : ex.answer, rule: ex.rule };
    }
    return extractAnswer(response);
  },

  score(item, response, _trial, options, policy = 'robust') {
    return scoreMathResponse(response, item.answer, policy, options.decimal_comma === true);
  },

  reduce(_item, trials) {
    return trials.length === 0 ? 0 : trials.filter((t) => t.correct).length / trials.length;
  },

  chance() {
    // Free-form answers: guessing has no meaningful floor.
    return 0;
  },
};
