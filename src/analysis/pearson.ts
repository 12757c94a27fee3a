/**
 * Pearson's r with its two-sided p-value from Student's t with n - 2 degrees of freedom
 * (identical to scipy.stats.pearsonr's exact beta-distribution p-value).
 */
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { studentTTwoSided } from './distributions.js';

export interface CorrelationTest {
  /** The coefficient (r, rho or tau). */
  estimate: number;
  p: number;
  /** Complete rows used. */
  n: number;
  /** Rows dropped for a missing value. */
  dropped: number;
}

/** r of two complete, non-constant columns (no checks: the inner loop of the bootstrap). */
export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Two-sided p-value of a correlation coefficient with `df` degrees of freedom (t test). */
export function correlationP(r: number, df: number): number {
  if (Math.abs(r) >= 1) return 0;
  const t = r * Math.sqrt(df / ((1 + r) * (1 - r)));
  return studentTTwoSided(t, df);
}

export function pearson(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, names: [string, string] = ['x', 'y']): CorrelationTest {
  const c = dropIncomplete([x, y], names);
  const [cx, cy] = c.columns as [number[], number[]];
  assertMinN(cx.length, 3, 'Pearson correlation');
  assertNotConstant(cx, names[0]);
  assertNotConstant(cy, names[1]);
  const r = pearsonR(cx, cy);
  return { estimate: r, p: correlationP(r, cx.length - 2), n: cx.length, dropped: c.dropped };
}
