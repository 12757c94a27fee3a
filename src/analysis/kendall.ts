/**
 * Kendall's tau-b with scipy.stats.kendalltau's default p-value (method 'auto'): the exact
 * null distribution when neither column has ties and n <= 33 (or at most one discordant or
 * concordant pair), otherwise the normal approximation with the tie-corrected variance.
 */
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { normalSf } from './distributions.js';
import type { CorrelationTest } from './pearson.js';

export interface KendallCounts {
  /** Concordant minus discordant pairs. */
  s: number;
  discordant: number;
  /** Pairs tied in x, in y, and in both. */
  xTies: number;
  yTies: number;
  jointTies: number;
  /** Σ t(t-1)(t-2) and Σ t(t-1)(2t+5) over the tie groups of x and of y (variance terms). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function tieStats(v: readonly number[]): [number, number, number] {
  const counts = new Map<number, number>();
  for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
  let pairs = 0;
  let t0 = 0;
  let t1 = 0;
  for (const t of counts.values()) {
    if (t < 2) continue;
    pairs += (t * (t - 1)) / 2;
    t0 += t * (t - 1) * (t - 2);
    t1 += t * (t - 1) * (2 * t + 5);
  }
  return [pairs, t0, t1];
}

/** Pair counts by direct O(n²) comparison (n is the number of models: tens, not thousands). */
export function kendallCounts(x: ArrayLike<number>, y: ArrayLike<number>): KendallCounts {
  const n = x.length;
  let con = 0;
  let dis = 0;
  let joint = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - xi;
      const dy = y[j]! - yi;
      if (dx === 0 && dy === 0) joint++;
      else if (dx * dy > 0) con++;
      else if (dx * dy < 0) dis++;
    }
  }
  const [xTies, x0, x1] = tieStats(Array.from(x));
  const [yTies, y0, y1] = tieStats(Array.from(y));
  return { s: con - dis, discordant: dis, xTies, yTies, jointTies: joint, x0, x1, y0, y1 };
}

/** tau-b from counts; NaN when a column is constant. */
export function tauB(c: KendallCounts, n: number): number {
  const tot = (n * (n - 1)) / 2;
  const tau = c.s / Math.sqrt(tot - c.xTies) / Math.sqrt(tot - c.yTies);
  return Math.max(-1, Math.min(1, tau));
}

/** tau-b alone, for resampling loops. */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let con = 0;
  let dis = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - xi;
      const dy = y[j]! - yi;
      if (dx === 0) tx++;
      if (dy === 0) ty++;
      const p = dx * dy;
      if (p > 0) con++;
      else if (p < 0) dis++;
    }
  }
  const tot = (n * (n - 1)) / 2;
  return (con - dis) / Math.sqrt((tot - tx) * (tot - ty));
}

/**
 * Two-sided exact p-value for c concordant pairs among n untied observations: the number
 * of permutations with at most min(c, tot - c) inversions (Kendall 1970), as scipy computes it.
 */
export function kendallExactP(n: number, c: number): number {
  const tot = (n * (n - 1)) / 2;
  c = Math.min(c, tot - c);
  if (n <= 1) return 1;
  if (n === 2) return 1;
  if (4 * c === n * (n - 1)) return 1;
  // new[k] = (number of permutations of j elements with k inversions) / j!, for k <= c.
  let cur = new Float64Array(c + 1);
  cur[0] = 1 / 2;
  if (c >= 1) cur[1] = 1 / 2;
  for (let j = 3; j <= n; j++) {
    const next = new Float64Array(c + 1);
    let acc = 0;
    for (let k = 0; k <= c; k++) {
      acc += cur[k]!;
      next[k] = acc / j;
    }
    if (j <= c) for (let k = c; k >= j; k--) next[k]! -= next[k - j]!;
    cur = next;
  }
  let prob = 0;
  for (let k = 0; k <= c; k++) prob += cur[k]!;
  return Math.min(1, Math.max(0, 2 * prob));
}

export function kendall(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, names: [string, string] = ['x', 'y']): CorrelationTest & { method: 'exact' | 'asymptotic' } {
  const cl = dropIncomplete([x, y], names);
  const [cx, cy] = cl.columns as [number[], number[]];
  assertMinN(cx.length, 3, 'Kendall correlation');
  assertNotConstant(cx, names[0]);
  assertNotConstant(cy, names[1]);
  const n = cx.length;
  const c = kendallCounts(cx, cy);
  const tau = tauB(c, n);
  const tot = (n * (n - 1)) / 2;
  const noTies = c.xTies === 0 && c.yTies === 0;
  if (noTies && (n <= 33 || Math.min(c.discordant, tot - c.discordant) <= 1)) {
    return { estimate: tau, p: kendallExactP(n, tot - c.discordant), n, dropped: cl.dropped, method: 'exact' };
  }
  const m = n * (n - 1);
  const variance = (m * (2 * n + 5) - c.x1 - c.y1) / 18 + (2 * c.xTies * c.yTies) / m + (c.x0 * c.y0) / (9 * m * (n - 2));
  const z = c.s / Math.sqrt(variance);
  return { estimate: tau, p: Math.min(1, 2 * normalSf(Math.abs(z))), n, dropped: cl.dropped, method: 'asymptotic' };
}
