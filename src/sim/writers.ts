/**
 * Response writers: the text a simulated model sends, in the form real models use for each
 * benchmark, with realistic noise. Whether the answer is right was decided before; a writer
 * only chooses a wording, and every wording used for a right answer was checked at index time
 * with the benchmark's own score(), so "right" is really scored right.
 */
import type { Rng } from '../core/rng.js';
import { LETTERS } from '../bench/choices.js';

export interface LetterAnswer {
  kind: 'letter';
  /** Number of options. */
  n: number;
  /** Upstream indices of the accepted options. */
  gold: number[];
  /** Option texts in upstream order (first line), when the prompt shows them. */
  texts: string[] | null;
  /** Indices into the bench's letter formats that score the gold letter correct. */
  formats: number[];
  /** The no-answer wordings were checked to score wrong (an extractor may guess). */
  noAnswerScoresWrong: boolean;
}

export interface MathAnswer {
  kind: 'math';
  correct: string;
  /** Indices into MATH_FORMATS that score `correct` right. */
  formats: number[];
  /** Wrong final answers, checked to score wrong. */
  wrong: string[];
}

export interface CodeAnswer {
  kind: 'code';
  prompt: string;
  entry: string;
  canonical: string;
}

export interface JsonAnswer {
  kind: 'json';
  keys: string[];
  /** Options per key. */
  sizes: number[];
  /** Upstream gold index per key. */
  gold: number[];
  formats: number[];
}

export interface GenericAnswer {
  kind: 'generic';
}

export type Answer = LetterAnswer | MathAnswer | CodeAnswer | JsonAnswer | GenericAnswer;

export interface WriteContext {
  correct: boolean;
  rng: Rng;
  /** shown position k -> upstream index; null = upstream order. */
  perm: number[] | null;
  /** Thinking mode: the working goes to the reasoning field. */
  thinking: boolean;
  /** Plain answer only: the benchmark's own format, no noise (the fallback when a self-check fails). */
  plain?: boolean;
  /**
   * A 32-bit hash of (model, item): the model's favourite wrong answer on this item. Real models
   * err consistently (one attractive distractor), which is what keeps majority votes over
   * trials honest: wrong trials agree with each other instead of scattering.
   */
  lean?: number;
}

export interface Written {
  /** Working shown before the answer (goes to `reasoning` when thinking, else into content). */
  working: string;
  /** The answer part. */
  answer: string;
  /** The model loops until the token limit cuts it (finish_reason "length"). */
  ramble: boolean;
  /** An alternative wording or a no-answer whose score may depend on the shown order: check it. */
  unusual?: boolean;
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

// ---------------------------------------------------------------------------------------
// Letter formats per benchmark. Index 0 is the form the benchmark's prompt asks for.

export type LetterFormat = (letter: string, text: string) => string;

export const LETTER_FORMATS: Record<string, readonly LetterFormat[]> = {
  'mmlu-pro': [
    (l) => `Therefore, the answer is (${l}).`,
    (l) => `The answer is ${l}.`,
    (l) => `Answer: ${l}`,
    (l) => `So the answer is (${l}).`,
  ],
  'gpqa-diamond': [
    (l) => `Answer: ${l}`,
    (l) => `Answer: (${l})`,
    (l) => `answer: ${l}`,
    (l) => `**Answer: ${l}**`,
  ],
  tombench: [(l) => `[[${l}]]`, (l) => `[${l}]`, (l) => `The answer is [[${l}]].`, (l) => `Answer: [[${l}]]`],
  coordinationqa: [
    (l) => `Answer: ${l}.`,
    (l) => `Action: ${l}.`,
    (l, t) => `Answer: ${l}. ${t}`,
    (_l, t) => `Best action: ${t}`,
    // The directive asks for "Answer: <answer>."; models often drop the full stop.
    (l) => `Answer: ${l}`,
  ],
  '*': [(l) => `Answer: ${l}`, (l) => `The answer is (${l}).`, (l) => `[[${l}]]`],
};

export function letterFormats(benchId: string): readonly LetterFormat[] {
  return LETTER_FORMATS[benchId] ?? LETTER_FORMATS['*']!;
}

/** Wordings with no extractable answer (no standalone capital A-J, which fallbacks grab). */
export const NO_ANSWER = [
  'none of the options seems fully right to me; more context would be needed to decide.',
  'the information given is not enough to settle this one with confidence.',
  'both readings are defensible, so there is no single best choice here.',
];

// ---------------------------------------------------------------------------------------
// Math formats (index 0: what the prompt asks for).

export const MATH_FORMATS: readonly ((a: string) => string)[] = [
  (a) => `The final answer is $\\boxed{${a}}$.`,
  (a) => `Therefore, the answer is \\(\\boxed{${a}}\\).`,
  (a) => `**Final Answer**\n\\[\n\\boxed{${a}}\n\\]`,
  (a) => `\\boxed{${a}}`,
];

/** Plausible wrong final answers derived from the right one (checked against score() later). */
export function wrongMathCandidates(answer: string): string[] {
  const a = answer.trim();
  const out: string[] = [];
  const int = /^-?\d+$/.test(a) ? Number(a) : null;
  if (int !== null && Number.isSafeInteger(int)) {
    out.push(String(int + 1), String(int - 1), String(int * 2 + 1), String(int + 10));
  }
  const frac = /^\\d?frac\{(-?\d+)\}\{(\d+)\}$/.exec(a);
  if (frac) out.push(`\\frac{${frac[2]}}{${frac[1]}}`, `\\frac{${Number(frac[1]) + 1}}{${frac[2]}}`);
  const firstNum = /\d+/.exec(a);
  if (firstNum) {
    const bumped = String(Number(firstNum[0]) + 1);
    out.push(a.slice(0, firstNum.index) + bumped + a.slice(firstNum.index + firstNum[0].length));
  }
  out.push(`${a}+1`, '2', '0', '\\frac{1}{2}', '-1');
  return [...new Set(out)].filter((x) => x !== a);
}

// ---------------------------------------------------------------------------------------
// JSON formats (EmoBench asks for a JSON object with letter answers).

export const JSON_FORMATS: readonly ((keys: string[], letters: string[]) => string)[] = [
  (k, l) => JSON.stringify(Object.fromEntries(k.map((key, i) => [key, l[i]])), null, 2),
  (k, l) => '```json\n' + JSON.stringify(Object.fromEntries(k.map((key, i) => [key, l[i]])), null, 2) + '\n```',
  (k, l) => JSON.stringify(Object.fromEntries(k.map((key, i) => [key, l[i]]))),
  (k, l) => JSON.stringify({ reasoning: 'Considering how the person feels and what they want.', ...Object.fromEntries(k.map((key, i) => [key, l[i]])) }),
];

// ---------------------------------------------------------------------------------------
// Working (the reasoning before the answer).

const MC_STEPS = [
  'Let me go through the options one by one.',
  'First, restate what the question is really asking.',
  'Several options can be ruled out quickly because they contradict the setup.',
  'The remaining candidates differ in one key detail.',
  'Checking that detail against the question narrows it down.',
  'This is consistent with the standard result for this kind of problem.',
  'One option looks attractive but ignores a condition stated in the question.',
  'Comparing the two closest options, one of them fits the facts better.',
];

const TOM_STEPS = [
  'The character only knows what they saw before leaving.',
  'Their belief was formed before the change happened, so it was not updated.',
  'We have to answer from the character\'s point of view, not the narrator\'s.',
  'The other person in the story intended something different from what happened.',
  'Their reaction is best explained by what they expected.',
  'The story gives a cue about how they feel in that moment.',
];

const COORD_STEPS = [
  'My partner is heading to the other side, so I should not duplicate their work.',
  'The pot needs more ingredients before it can cook.',
  'Given what my teammate can see, the most useful move is the one that unblocks them.',
  'Playing this card now risks losing a life; the safer action is better for the team.',
  'Coordinating means taking the task my partner is not already doing.',
  'The closest useful target is reachable in a couple of steps.',
];

const MATH_STEPS = [
  'Let me set up the problem carefully.',
  'We can simplify the expression step by step.',
  'Substituting the given values into the equation gives a cleaner relation.',
  'Collecting like terms gives a simpler form.',
  'Checking the boundary cases confirms the pattern.',
  'Now we solve for the unknown.',
  'This factors nicely, which makes the computation easier.',
  'Verifying: plugging the value back in satisfies the original condition.',
];

const CODE_STEPS = [
  'I need to handle the empty input as a special case.',
  'A single pass over the input is enough here.',
  'The docstring examples clarify the expected output format.',
  'Let me make sure the edge cases from the examples work.',
];

const THINK_OPENERS = ['Okay, let me think about this.', 'Hmm, let me work through this carefully.', 'Alright, let me look at what the question is asking.'];

const SUMMARIES = ['To summarize the reasoning above:', 'Putting it together:', 'In short:', 'Based on the analysis:'];

/** k distinct sentences from a bank, in a random order. */
function steps(rng: Rng, bank: readonly string[], min: number, max: number): string {
  const k = Math.min(bank.length, min + rng.int(max - min + 1));
  const idx = Array.from({ length: bank.length }, (_, i) => i);
  const out: string[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(idx.length - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
    out.push(bank[idx[i]!]!);
  }
  return out.join(' ');
}

function working(rng: Rng, bank: readonly string[], thinking: boolean, min = 2, max = 5): string {
  const body = steps(rng, bank, min, max);
  return thinking ? `${pick(rng, THINK_OPENERS)} ${body} ${steps(rng, bank, 1, 3)}` : body;
}

/** The rambling loop of a response that runs into the token limit. */
export const RAMBLE_UNIT = 'Wait, let me reconsider that step again and re-check the previous computation. ';

function letterOf(k: number): string {
  return LETTERS[k]!;
}

/** Shown position of an upstream option index. */
function shownIndex(upstream: number, perm: number[] | null): number {
  if (!perm) return upstream;
  const k = perm.indexOf(upstream);
  return k < 0 ? upstream : k;
}

// Of the wrong responses: most give a wrong answer, some give none, a few ramble to the limit.
const P_NO_ANSWER = 0.08;
const P_RAMBLE = 0.06;
// Of the right responses: how often an alternative (still extractable) wording is used.
const P_ALT_FORMAT = 0.2;
// Of the wrong answers: how often it is the model's favourite distractor on the item.
const P_FAVOURITE = 0.75;

/** The wrong choice: the favourite distractor most of the time, else any. */
function pickWrong<T>(rng: Rng, xs: readonly T[], lean: number | undefined): T {
  if (lean !== undefined && rng.next() < P_FAVOURITE) return xs[lean % xs.length]!;
  return pick(rng, xs);
}

function chooseFormat(rng: Rng, verified: number[]): number {
  if (verified.length === 0) return 0;
  if (verified.length === 1 || rng.next() >= P_ALT_FORMAT) return verified.includes(0) ? 0 : verified[0]!;
  return pick(rng, verified);
}

function writeLetter(benchId: string, a: LetterAnswer, ctx: WriteContext): Written {
  const { rng } = ctx;
  const bank = benchId === 'tombench' || benchId === 'emobench' ? TOM_STEPS : benchId === 'coordinationqa' ? COORD_STEPS : MC_STEPS;
  const work = working(rng, bank, ctx.thinking);
  const formats = letterFormats(benchId);
  // An item no option of which scores right (a data error upstream) can only be answered wrong.
  if (!ctx.correct || a.gold.length === 0) {
    const u = ctx.plain ? 1 : rng.next();
    if (u < P_RAMBLE) return { working: work, answer: '', ramble: true };
    const noAnswer = { working: work, answer: `Honestly, ${pick(rng, NO_ANSWER)}`, ramble: false, unusual: true };
    if (u < P_RAMBLE + P_NO_ANSWER && a.noAnswerScoresWrong) return noAnswer;
    const wrong: number[] = [];
    for (let k = 0; k < a.n; k++) if (!a.gold.includes(k)) wrong.push(k);
    if (wrong.length === 0) return noAnswer;
    const up = pickWrong(rng, wrong, ctx.lean);
    return { working: work, answer: formats[0]!(letterOf(shownIndex(up, ctx.perm)), a.texts?.[up] ?? ''), ramble: false };
  }
  const up = pick(rng, a.gold);
  const f = ctx.plain ? (a.formats.includes(0) ? 0 : a.formats[0] ?? 0) : chooseFormat(rng, a.formats);
  return { working: work, answer: (formats[f] ?? formats[0]!)(letterOf(shownIndex(up, ctx.perm)), a.texts?.[up] ?? ''), ramble: false, unusual: f !== 0 };
}

function writeMath(a: MathAnswer, ctx: WriteContext): Written {
  const { rng } = ctx;
  const work = working(rng, MATH_STEPS, ctx.thinking, 3, 6);
  if (!ctx.correct) {
    const u = rng.next();
    if (u < P_RAMBLE) return { working: work, answer: '', ramble: true };
    if (u < P_RAMBLE + P_NO_ANSWER || a.wrong.length === 0) {
      return { working: work, answer: 'So the value cannot be pinned down from this approach alone; a different method is needed.', ramble: false };
    }
    return { working: work, answer: MATH_FORMATS[0]!(pickWrong(rng, a.wrong, ctx.lean)), ramble: false };
  }
  return { working: work, answer: MATH_FORMATS[chooseFormat(rng, a.formats)]!(a.correct), ramble: false };
}

/** Python that wraps the reference body so every result is off: plausible-looking, always failing. */
function wrongCode(a: CodeAnswer, rng: Rng): string {
  const style = rng.int(2);
  const defAt = a.prompt.lastIndexOf(`def ${a.entry}(`);
  if (style === 0 || defAt < 0) {
    // Forgot the general case: handles the trivial input and falls through.
    return `${a.prompt}    # handle the simple case first\n    return None\n`;
  }
  const renamed = `${a.prompt.slice(0, defAt)}def _${a.entry}_core(${a.prompt.slice(defAt + `def ${a.entry}(`.length)}`;
  return (
    `${renamed}${a.canonical.replace(/\s*$/, '')}\n\n\n` +
    `def _adjust(value):\n` +
    `    if isinstance(value, bool):\n        return not value\n` +
    `    if isinstance(value, (int, float)):\n        return value + 1\n` +
    `    if isinstance(value, str):\n        return value[::-1] + "_"\n` +
    `    if isinstance(value, (list, tuple)):\n        return type(value)(list(value)[1:]) if len(value) > 0 else type(value)([0])\n` +
    `    return None\n\n\n` +
    `def ${a.entry}(*args):\n    return _adjust(_${a.entry}_core(*args))\n`
  );
}

function writeCode(a: CodeAnswer, ctx: WriteContext): Written {
  const { rng } = ctx;
  const work = working(rng, CODE_STEPS, ctx.thinking, 1, 3);
  if (!ctx.correct) {
    const u = rng.next();
    if (u < P_RAMBLE) return { working: work, answer: '', ramble: true };
    return { working: work, answer: `Here is the implementation:\n\n\`\`\`python\n${wrongCode(a, rng)}\`\`\``, ramble: false };
  }
  const code = `${a.prompt}${a.canonical.replace(/\s*$/, '')}\n`;
  return { working: work, answer: `Here is the implementation:\n\n\`\`\`python\n${code}\`\`\``, ramble: false };
}

function writeJson(a: JsonAnswer, ctx: WriteContext): Written {
  const { rng } = ctx;
  // The prompt asks for the JSON alone; most answers comply, some explain first anyway.
  const work = ctx.thinking || rng.next() < 0.25 ? working(rng, TOM_STEPS, ctx.thinking) : '';
  const letters = a.gold.map((g) => letterOf(g));
  if (!ctx.correct) {
    const u = rng.next();
    if (u < P_RAMBLE) return { working: work, answer: '', ramble: true };
    if (u < P_RAMBLE + P_NO_ANSWER) return { working: work, answer: `Honestly, ${pick(rng, NO_ANSWER)}`, ramble: false };
    // Get one sub-answer wrong: mostly the same one, with the same distractor.
    const lean = ctx.lean;
    const favourite = lean !== undefined && rng.next() < P_FAVOURITE;
    const k = favourite ? lean % a.keys.length : rng.int(a.keys.length);
    const size = a.sizes[k]!;
    if (size > 1) {
      const off = 1 + (favourite ? (lean >>> 8) % (size - 1) : rng.int(size - 1));
      letters[k] = letterOf((a.gold[k]! + off) % size);
    }
    return { working: work, answer: JSON_FORMATS[0]!(a.keys, letters), ramble: false };
  }
  return { working: work, answer: JSON_FORMATS[chooseFormat(rng, a.formats)]!(a.keys, letters), ramble: false };
}

const GENERIC = [
  'Here is a short answer based on what you asked. The key point is to look at the main constraint first and then check the details.',
  'Good question. In short, it depends on the assumptions, but under the usual ones the straightforward approach works.',
  'Let me answer briefly: the most direct reading of the question suggests the simplest explanation is the right one.',
];

/** After thinking, models usually restate the gist before the final answer. */
function withSummary(w: Written, ctx: WriteContext, bank: readonly string[]): Written {
  if (!ctx.thinking || w.ramble || ctx.rng.next() < 0.4) return w;
  return { ...w, answer: `${pick(ctx.rng, SUMMARIES)} ${pick(ctx.rng, bank)}\n\n${w.answer}` };
}

export function writeAnswer(benchId: string, a: Answer, ctx: WriteContext): Written {
  switch (a.kind) {
    case 'letter':
      return withSummary(writeLetter(benchId, a, ctx), ctx, benchId === 'tombench' ? TOM_STEPS : benchId === 'coordinationqa' ? COORD_STEPS : MC_STEPS);
    case 'math':
      return withSummary(writeMath(a, ctx), ctx, MATH_STEPS);
    case 'code':
      return writeCode(a, ctx);
    case 'json':
      return writeJson(a, ctx);
    default:
      return { working: ctx.thinking ? `${pick(ctx.rng, THINK_OPENERS)} The user wants a helpful reply.` : '', answer: pick(ctx.rng, GENERIC), ramble: false };
  }
}
