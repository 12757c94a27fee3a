/**
 * Multiple-choice plumbing shared by the letter-answer benchmarks: letters, seeded option
 * shuffles, and mapping an answer between the shown order and the upstream order.
 */
import { permutation, rngFor } from '../core/rng.js';
import type { Trial } from './types.js';

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function letterAt(index: number): string {
  const l = LETTERS[index];
  if (l === undefined) throw new RangeError(`no letter for option index ${index}`);
  return l;
}

/** Index of a letter (case-insensitive), or -1. */
export function letterIndex(letter: string): number {
  return letter.length === 1 ? LETTERS.indexOf(letter.toUpperCase()) : -1;
}

/** The options in the order shown for a trial. */
export function shownOptions<T>(options: readonly T[], trial: Trial): T[] {
  return trial.permutation ? trial.permutation.map((i) => options[i]!) : [...options];
}

/** Maps a letter as shown in a trial back to the upstream letter (null stays null). */
export function toUpstreamLetter(shown: string | null, trial: Trial): string | null {
  if (shown === null) return null;
  const k = letterIndex(shown);
  if (k < 0) return null;
  if (!trial.permutation) return letterAt(k);
  const up = trial.permutation[k];
  return up === undefined ? null : letterAt(up);
}

/** Maps an upstream letter to the letter shown in a trial. */
export function toShownLetter(upstream: string, trial: Trial): string {
  const u = letterIndex(upstream);
  if (!trial.permutation) return letterAt(u);
  return letterAt(trial.permutation.indexOf(u));
}

/**
 * Trials for an item: `count` repeats, each with its own seeded permutation of the options
 * (derived from the run seed, the item id and the trial index, so reruns see the same orders),
 * or upstream order when `shuffle` is false.
 */
export function shuffledTrials(itemId: string, nOptions: number, count: number, seed: number, shuffle: boolean): Trial[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    permutation: shuffle ? permutation(nOptions, rngFor(seed, itemId, index)) : null,
  }));
}

/** Checks that a caller-supplied permutation (e.g. from a responses file) is one of 0..n-1. */
export function isPermutationOf(p: readonly number[], n: number): boolean {
  if (p.length !== n) return false;
  const seen = new Set(p);
  return seen.size === n && p.every((x) => Number.isInteger(x) && x >= 0 && x < n);
}
