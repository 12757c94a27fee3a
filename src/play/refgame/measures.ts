/**
 * The reference game's measures, per episode (a run's value is the mean over its episodes).
 *
 * The headline, `comm_score` in [0, 1], is the mean over trials of a per-trial credit:
 *   correct: efficiency = min(1, s / w), with s the target's shortest distinguishing description
 *            in attribute words (1 to 3) and w the words the speaker used (silence earns 0);
 *   wrong (or no valid answer): -1/3,
 * clamped at 0 for the episode. The -1/(k-1) for a wrong pick among k = 4 objects is formula
 * scoring's correction for guessing: a dyad whose listener picks at random expects at most 0
 * (1/4 x efficiency - 3/4 x 1/3), however short its messages, so a terse-but-wrong speaker scores
 * near 0. A verbose-but-correct one scores its efficiency: 12 words where 2 suffice earn 1/6.
 * Only a speaker that is both short and understood approaches 1. The cap at 1 credits any message
 * at most as long as the literal optimum fully; shortening below it (a shorthand the listener has
 * learned) shows in `length_reduction`, not here. The clamp makes a guessing dyad's expected
 * episode score slightly positive rather than exactly 0: about 0.05 over 24 trials when its
 * messages are no longer than the optimum, and less the longer they are.
 */
import type { EpisodeLog, MeasureDoc } from '../types.js';
import { wordCount } from '../common.js';
import { CONTEXT_SIZE, minimalAttributes } from './referents.js';
import { MAX_REPETITIONS, WORD_LIMIT, type RefAction, type RefState } from './rules.js';

const WRONG_CREDIT = -1 / (CONTEXT_SIZE - 1);
/** No natural bound on completion tokens; a generous max_tokens, for the figures' axes. */
const MAX_TOKENS = 32_768;
const REPS = Array.from({ length: MAX_REPETITIONS }, (_, i) => i + 1);

export const MEASURES: MeasureDoc[] = [
  {
    id: 'comm_score',
    group: 'MA-C',
    range: [0, 1],
    description:
      'Communication score: mean over trials of min(1, shortest sufficient words / words used) when the listener is right and -1/3 when it is wrong or gives no valid answer (correction for guessing), clamped at 0 per episode; silence earns 0. Verbose-but-correct and terse-but-wrong speakers both score low.',
  },
  { id: 'accuracy', range: [0, 1], description: 'Share of trials in which the listener picked the target.' },
  { id: 'words', range: [0, WORD_LIMIT - 1], description: 'Mean words (whitespace-separated) per message, as the listener was shown it; a forfeited turn counts 0.' },
  { id: 'tokens', range: [0, MAX_TOKENS], description: "Mean completion tokens of the speaker's applied replies (reasoning included where the server counts it); null when no model spoke." },
  { id: 'shortest_words', range: [1, 3], description: "Mean length in attribute words of the targets' shortest distinguishing descriptions: the literal optimum the efficiency is measured against." },
  {
    id: 'length_reduction',
    range: [-1, 1],
    description:
      "Convention formation: 1 - (words per message in the last repetition / in the first), clamped to [-1, 1]; ICCA's human games (7.89 -> 3.23 words, ../shared/notes/interactive-benchmarks.md section 4) give 0.59. null when the first repetition had no words.",
  },
  {
    id: 'length_reduction_held',
    range: [0, 1],
    description: 'The length reduction (0 if negative) in episodes where accuracy in the last repetition is at least that of the first, else 0: shortening that costs no accuracy.',
  },
  {
    id: 'swap_accuracy_drop',
    range: [-1, 1],
    description: 'Accuracy in the last repetition with the old listener minus in the first with the new one (positive: the swap cost accuracy); null without a swap.',
  },
  {
    id: 'swap_words_change',
    range: [-(WORD_LIMIT - 1), WORD_LIMIT - 1],
    description: 'Words per message in the first repetition with the new listener minus in the last with the old one (positive: the speaker re-expanded); null without a swap.',
  },
  {
    id: 'swap_recovery',
    range: [-1, 1],
    description: 'Mean accuracy over the repetitions after the first one with the new listener, minus accuracy in the last repetition with the old one (0 or more: recovered); null without a swap or with no such repetition.',
  },
  ...REPS.map((r): MeasureDoc => ({ id: `accuracy_rep${r}`, range: [0, 1], description: `Accuracy in repetition ${r} (each target's ${ordinal(r)} time as the target); null beyond the episode's repetitions.` })),
  ...REPS.map((r): MeasureDoc => ({ id: `words_rep${r}`, range: [0, WORD_LIMIT - 1], description: `Words per message in repetition ${r}; null beyond the episode's repetitions.` })),
  ...REPS.map((r): MeasureDoc => ({ id: `tokens_rep${r}`, range: [0, MAX_TOKENS], description: `Completion tokens per speaker reply in repetition ${r}; null when no model spoke or beyond the episode's repetitions.` })),
];

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

export interface TrialRow {
  rep: number;
  correct: boolean;
  words: number;
  shortest: number;
  tokens: number | null;
}

/** One row per finished trial, from the final state and the speaker's turns. */
export function trialRows(log: EpisodeLog<RefState, RefAction>): TrialRow[] {
  const s = log.final;
  const speakerTurns = log.turns.filter((t) => t.seat === 0);
  const shortest = s.objects.map((_, i) => minimalAttributes(s.objects, i).length);
  return s.results.map((r, t) => ({
    rep: Math.floor(t / CONTEXT_SIZE),
    correct: r.pick === s.trials[t]!.target,
    words: wordCount(r.message),
    shortest: shortest[s.trials[t]!.target]!,
    tokens: speakerTurns[t]?.completion_tokens ?? null,
  }));
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function credit(row: TrialRow): number {
  if (!row.correct) return WRONG_CREDIT;
  return row.words === 0 ? 0 : Math.min(1, row.shortest / row.words);
}

export function commScore(rows: readonly TrialRow[]): number | null {
  const m = mean(rows.map(credit));
  return m === null ? null : Math.max(0, m);
}

interface RepStats {
  accuracy: number | null;
  words: number | null;
  tokens: number | null;
}

function repStats(rows: readonly TrialRow[], rep: number): RepStats {
  const in_ = rows.filter((r) => r.rep === rep);
  return {
    accuracy: mean(in_.map((r) => (r.correct ? 1 : 0))),
    words: mean(in_.map((r) => r.words)),
    tokens: mean(in_.flatMap((r) => (r.tokens === null ? [] : [r.tokens]))),
  };
}

/** 1 - last/first, clamped to [-1, 1]; null without words in the first repetition. */
export function lengthReduction(firstWords: number | null, lastWords: number | null): number | null {
  if (firstWords === null || lastWords === null || firstWords === 0) return null;
  return Math.max(-1, Math.min(1, 1 - lastWords / firstWords));
}

function swapMeasures(reps: RepStats[], swapRep: number | null): Record<string, number | null> {
  const none = { swap_accuracy_drop: null, swap_words_change: null, swap_recovery: null };
  if (swapRep === null || swapRep < 1 || swapRep >= reps.length) return none;
  const before = reps[swapRep - 1]!;
  const at = reps[swapRep]!;
  const after = mean(reps.slice(swapRep + 1).flatMap((r) => (r.accuracy === null ? [] : [r.accuracy])));
  const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
  return {
    swap_accuracy_drop: diff(before.accuracy, at.accuracy),
    swap_words_change: diff(at.words, before.words),
    swap_recovery: diff(after, before.accuracy),
  };
}

export function score(log: EpisodeLog<RefState, RefAction>): Record<string, number | null> {
  const rows = trialRows(log);
  const nReps = log.final.trials.length / CONTEXT_SIZE;
  const reps = Array.from({ length: nReps }, (_, r) => repStats(rows, r));
  const first = reps[0]!;
  const last = reps[nReps - 1]!;
  const lr = lengthReduction(first.words, last.words);
  const held = lr === null || first.accuracy === null || last.accuracy === null ? null : last.accuracy >= first.accuracy ? Math.max(0, lr) : 0;
  const swapRep = log.final.swapTrial === null ? null : log.final.swapTrial / CONTEXT_SIZE;
  const out: Record<string, number | null> = {
    comm_score: commScore(rows),
    accuracy: mean(rows.map((r) => (r.correct ? 1 : 0))),
    words: mean(rows.map((r) => r.words)),
    tokens: mean(rows.flatMap((r) => (r.tokens === null ? [] : [r.tokens]))),
    shortest_words: mean(rows.map((r) => r.shortest)),
    length_reduction: lr,
    length_reduction_held: held,
    ...swapMeasures(reps, swapRep),
  };
  for (const r of REPS) {
    const st = reps[r - 1];
    out[`accuracy_rep${r}`] = st?.accuracy ?? null;
    out[`words_rep${r}`] = st?.words ?? null;
    out[`tokens_rep${r}`] = st?.tokens ?? null;
  }
  return out;
}
