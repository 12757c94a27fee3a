/**
 * Seeded nonparametric bootstrap over rows (models), or over blocks of rows (families) for
 * the family-block bootstrap, with percentile and BCa intervals. BCa follows Efron (1987)
 * as scipy.stats.bootstrap computes it: bias correction z0 from the share of resampled
 * statistics below the estimate (ties count half), acceleration from the jackknife
 * (leave one row out, or one block out in block mode).
 */
import { MasaError } from '../core/errors.js';
import { mulberry32 } from '../core/rng.js';
import { normalCdf, normalQuantile } from './distributions.js';
import { quantileSorted } from './quantile.js';

/** A statistic of the rows selected by `rows` (indices into the data, repeats allowed). */
export type RowStatistic = (rows: Int32Array) => number;

export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** RNG seed (default 0); the same seed gives the same resamples. */
  seed?: number;
  /** Interval coverage (default 0.95). */
  level?: number;
  /** One label per row: resample whole blocks (e.g. model families) instead of rows. */
  blocks?: readonly string[];
}

export interface BootstrapInterval {
  estimate: number;
  level: number;
  /** Resamples drawn, and those whose statistic was defined (a resample may be degenerate). */
  resamples: number;
  valid: number;
  /** Standard deviation of the resampled statistics. */
  se: number;
  percentile: [number, number];
  bca: [number, number];
  /** BCa's bias correction and acceleration. */
  z0: number;
  acceleration: number;
  /** 'rows', or 'blocks' with the number of blocks. */
  unit: 'rows' | 'blocks';
  units: number;
}

/** Draws the resampled statistics; exported so other resampling users share one generator. */
export function bootstrapDistribution(n: number, statistic: RowStatistic, opts: BootstrapOptions = {}): Float64Array {
  const B = opts.resamples ?? 2000;
  const rng = mulberry32(opts.seed ?? 0);
  const out = new Float64Array(B);
  if (opts.blocks) {
    const members = blockMembers(opts.blocks, n);
    const G = members.length;
    for (let b = 0; b < B; b++) {
      const picks: number[] = [];
      for (let g = 0; g < G; g++) picks.push(...members[rng.int(G)]!);
      out[b] = statistic(Int32Array.from(picks));
    }
    return out;
  }
  const rows = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    out[b] = statistic(rows);
  }
  return out;
}

function blockMembers(blocks: readonly string[], n: number): number[][] {
  if (blocks.length !== n) throw new MasaError(`block labels: ${blocks.length} given for ${n} rows`);
  const by = new Map<string, number[]>();
  blocks.forEach((b, i) => {
    let list = by.get(b);
    if (!list) by.set(b, (list = []));
    list.push(i);
  });
  return [...by.values()];
}

/** Leave-one-out values of the statistic (one row, or one block, left out at a time). */
export function jackknife(n: number, statistic: RowStatistic, blocks?: readonly string[]): number[] {
  const units = blocks ? blockMembers(blocks, n) : Array.from({ length: n }, (_, i) => [i]);
  return units.map((leave) => {
    const out = new Set(leave);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (!out.has(i)) rows.push(i);
    return statistic(Int32Array.from(rows));
  });
}

/** BCa interval from the estimate, the resampled statistics and the jackknife values. */
export function bcaInterval(estimate: number, distribution: ArrayLike<number>, jack: readonly number[], level: number): { interval: [number, number]; z0: number; acceleration: number } {
  const sorted = Float64Array.from(distribution).filter((v) => !Number.isNaN(v)).sort();
  const B = sorted.length;
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < B; i++) {
    if (sorted[i]! < estimate) below++;
    if (sorted[i]! <= estimate) atOrBelow++;
  }
  const z0 = normalQuantile((below + atOrBelow) / (2 * B));
  const finiteJack = jack.filter((v) => Number.isFinite(v));
  const jm = finiteJack.reduce((a, b) => a + b, 0) / finiteJack.length;
  let num = 0;
  let den = 0;
  for (const v of finiteJack) {
    num += (jm - v) ** 3;
    den += (jm - v) ** 2;
  }
  const acceleration = den === 0 ? 0 : num / (6 * den ** 1.5);
  const alpha = (1 - level) / 2;
  const adjust = (z: number): number => {
    const s = z0 + z;
    return normalCdf(z0 + s / (1 - acceleration * s));
  };
  const lo = adjust(normalQuantile(alpha));
  const hi = adjust(normalQuantile(1 - alpha));
  if (!Number.isFinite(z0) || Number.isNaN(lo) || Number.isNaN(hi)) return { interval: [NaN, NaN], z0, acceleration };
  return { interval: [quantileSorted(sorted, lo), quantileSorted(sorted, hi)], z0, acceleration };
}

/** Percentile and BCa bootstrap intervals of a row statistic over n rows. */
export function bootstrapInterval(n: number, statistic: RowStatistic, opts: BootstrapOptions = {}): BootstrapInterval {
  const level = opts.level ?? 0.95;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(all);
  const dist = bootstrapDistribution(n, statistic, opts);
  const valid = dist.filter((v) => !Number.isNaN(v)).sort();
  const B = valid.length;
  const m = valid.reduce((a, b) => a + b, 0) / B;
  const se = Math.sqrt(valid.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, B - 1));
  const alpha = (1 - level) / 2;
  const bca = bcaInterval(estimate, valid, jackknife(n, statistic, opts.blocks), level);
  return {
    estimate,
    level,
    resamples: dist.length,
    valid: B,
    se,
    percentile: [quantileSorted(valid, alpha), quantileSorted(valid, 1 - alpha)],
    bca: bca.interval,
    z0: bca.z0,
    acceleration: bca.acceleration,
    unit: opts.blocks ? 'blocks' : 'rows',
    units: opts.blocks ? new Set(opts.blocks).size : n,
  };
}
