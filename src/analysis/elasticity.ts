/**
 * Elasticity of multi-agent on single-agent skill: the slope b of MA = a + b·SA across
 * models, i.e. MA points gained per SA point. b < 1 means MA grows more slowly than SA.
 * Reported with analytic (t, n - 2 df), HC3-robust and bootstrap (percentile, BCa)
 * intervals, and one-sided tests of H0: b >= 1 against H1: b < 1.
 */
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { bootstrapInterval, bootstrapDistribution, type BootstrapInterval } from './bootstrap.js';
import { studentTCdf, studentTQuantile } from './distributions.js';

export interface Elasticity {
  n: number;
  dropped: number;
  slope: number;
  intercept: number;
  se: number;
  hc3_se: number;
  level: number;
  ci_analytic: [number, number];
  ci_hc3: [number, number];
  bootstrap: BootstrapInterval;
  /** One-sided p-values for H1: slope < 1. */
  p_below_1: number;
  p_below_1_hc3: number;
  /** Share of bootstrap slopes at or above 1 (a bootstrap p-value for H1: slope < 1). */
  p_below_1_bootstrap: number;
}

function slopeOf(x: ArrayLike<number>, y: ArrayLike<number>, rows: ArrayLike<number>): number {
  const n = rows.length;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[rows[k]!]!;
    my += y[rows[k]!]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    const dx = x[rows[k]!]! - mx;
    sxy += dx * (y[rows[k]!]! - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

export function elasticity(
  sa: ReadonlyArray<number | null>,
  ma: ReadonlyArray<number | null>,
  opts: { resamples?: number; seed?: number; level?: number; blocks?: readonly string[] } = {},
): Elasticity {
  const c = dropIncomplete([sa, ma], ['sa', 'ma']);
  const [x, y] = c.columns as [number[], number[]];
  assertMinN(x.length, 3, 'elasticity');
  assertNotConstant(x, 'sa');
  const n = x.length;
  const level = opts.level ?? 0.95;
  const all = Array.from({ length: n }, (_, i) => i);
  const slope = slopeOf(x, y, all);
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const intercept = my - slope * mx;
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const resid = y.map((v, i) => v - intercept - slope * x[i]!);
  const rss = resid.reduce((s, e) => s + e * e, 0);
  const se = Math.sqrt(rss / (n - 2) / sxx);
  // HC3 for the slope: Σ (x_i - x̄)² e_i² / (1 - h_i)² / sxx², h_i = 1/n + (x_i - x̄)²/sxx.
  let meat = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const h = 1 / n + (dx * dx) / sxx;
    meat += (dx * dx * resid[i]! ** 2) / (1 - h) ** 2;
  }
  const hc3 = Math.sqrt(meat) / sxx;
  const t = studentTQuantile(1 - (1 - level) / 2, n - 2);
  const blocks = opts.blocks ? c.kept.map((i) => opts.blocks![i]!) : undefined;
  const stat = (rows: Int32Array): number => slopeOf(x, y, rows);
  const bopts = { resamples: opts.resamples ?? 2000, seed: opts.seed ?? 0, level, blocks };
  const boot = bootstrapInterval(n, stat, bopts);
  const dist = bootstrapDistribution(n, stat, bopts).filter((v) => !Number.isNaN(v));
  return {
    n,
    dropped: c.dropped,
    slope,
    intercept,
    se,
    hc3_se: hc3,
    level,
    ci_analytic: [slope - t * se, slope + t * se],
    ci_hc3: [slope - t * hc3, slope + t * hc3],
    bootstrap: boot,
    p_below_1: studentTCdf((slope - 1) / se, n - 2),
    p_below_1_hc3: studentTCdf((slope - 1) / hc3, n - 2),
    p_below_1_bootstrap: dist.filter((v) => v >= 1).length / dist.length,
  };
}
