/**
 * Resampling for the three correlation coefficients: bootstrap intervals over models (or
 * over families) and a permutation test of no association.
 */
import { mulberry32 } from '../core/rng.js';
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { bootstrapInterval, type BootstrapInterval, type BootstrapOptions, type RowStatistic } from './bootstrap.js';
import { kendallTau } from './kendall.js';
import { pearsonR } from './pearson.js';
import { spearmanRho } from './spearman.js';

export type CorrelationMethod = 'pearson' | 'spearman' | 'kendall';

/** The coefficient of two complete columns; NaN when either is constant. */
export function coefficient(method: CorrelationMethod, x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (isConstant(x) || isConstant(y)) return NaN;
  if (method === 'pearson') return pearsonR(x, y);
  if (method === 'spearman') return spearmanRho(x, y);
  return kendallTau(x, y);
}

function isConstant(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

/** Dense ascending group index of each value (ties share a group) and the number of groups. */
function valueGroups(v: readonly number[]): { group: Int32Array; count: number } {
  const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const group = new Int32Array(v.length);
  let g = -1;
  order.forEach((i, k) => {
    if (k === 0 || v[i] !== v[order[k - 1]!]) g++;
    group[i] = g;
  });
  return { group, count: g + 1 };
}

/**
 * Spearman's rho of selected rows in O(n) per resample: a resample only repeats original
 * rows, so each row's average rank follows from counts over the original value groups
 * (rank = #picks with a smaller value + (#picks with an equal value + 1) / 2), no sort needed.
 */
function spearmanStatistic(x: readonly number[], y: readonly number[]): RowStatistic {
  const gx = valueGroups(x);
  const gy = valueGroups(y);
  const cx = new Float64Array(gx.count);
  const cy = new Float64Array(gy.count);
  let rx = new Float64Array(x.length);
  let ry = new Float64Array(y.length);
  const ranksOf = (rows: Int32Array, g: Int32Array, counts: Float64Array, out: Float64Array): boolean => {
    counts.fill(0);
    for (let k = 0; k < rows.length; k++) counts[g[rows[k]!]!]!++;
    let below = 0;
    let groupsUsed = 0;
    for (let j = 0; j < counts.length; j++) {
      const c = counts[j]!;
      if (c > 0) groupsUsed++;
      counts[j] = below + (c + 1) / 2;
      below += c;
    }
    for (let k = 0; k < rows.length; k++) out[k] = counts[g[rows[k]!]!]!;
    return groupsUsed > 1;
  };
  return (rows) => {
    if (rows.length !== rx.length) {
      rx = new Float64Array(rows.length);
      ry = new Float64Array(rows.length);
    }
    if (!ranksOf(rows, gx.group, cx, rx) || !ranksOf(rows, gy.group, cy, ry)) return NaN;
    return pearsonR(rx, ry);
  };
}

/** The coefficient as a statistic of selected rows (buffers reused: no allocation per resample). */
export function correlationStatistic(method: CorrelationMethod, x: readonly number[], y: readonly number[]): RowStatistic {
  if (method === 'spearman') return spearmanStatistic(x, y);
  let bx = new Float64Array(x.length);
  let by = new Float64Array(y.length);
  return (rows) => {
    if (rows.length !== bx.length) {
      bx = new Float64Array(rows.length);
      by = new Float64Array(rows.length);
    }
    for (let i = 0; i < rows.length; i++) {
      bx[i] = x[rows[i]!]!;
      by[i] = y[rows[i]!]!;
    }
    return coefficient(method, bx, by);
  };
}

/**
 * Bootstrap intervals (percentile and BCa) for a correlation, resampling models, or whole
 * blocks when `blocks` gives each model's family. Rows with a missing value are dropped
 * first (the labels with them); resamples where a column comes out constant are skipped
 * and counted (`resamples - valid`).
 */
export function bootstrapCorrelation(
  method: CorrelationMethod,
  x: ReadonlyArray<number | null>,
  y: ReadonlyArray<number | null>,
  opts: BootstrapOptions = {},
): BootstrapInterval & { dropped: number } {
  const c = dropIncomplete([x, y], ['x', 'y']);
  const [cx, cy] = c.columns as [number[], number[]];
  assertMinN(cx.length, 3, `${method} bootstrap`);
  assertNotConstant(cx, 'x');
  assertNotConstant(cy, 'y');
  const blocks = opts.blocks ? c.kept.map((i) => opts.blocks![i]!) : undefined;
  return { ...bootstrapInterval(cx.length, correlationStatistic(method, cx, cy), { ...opts, blocks }), dropped: c.dropped };
}

export interface PermutationResult {
  observed: number;
  /** Two-sided p = (1 + #{|r_perm| >= |r_obs|}) / (1 + permutations), never 0. */
  p: number;
  permutations: number;
}

/** Permutation test of no association: y is shuffled against x `permutations` times. */
export function permutationTest(
  method: CorrelationMethod,
  x: ReadonlyArray<number | null>,
  y: ReadonlyArray<number | null>,
  opts: { permutations?: number; seed?: number } = {},
): PermutationResult {
  const c = dropIncomplete([x, y], ['x', 'y']);
  const [cx, cy] = c.columns as [number[], number[]];
  assertMinN(cx.length, 3, `${method} permutation test`);
  assertNotConstant(cx, 'x');
  assertNotConstant(cy, 'y');
  const P = opts.permutations ?? 10000;
  const rng = mulberry32(opts.seed ?? 0);
  const fx = Float64Array.from(cx);
  const fy = Float64Array.from(cy);
  const observed = coefficient(method, fx, fy);
  // Relative slack so permutations equal to the observed value up to rounding count as extreme.
  const bar = Math.abs(observed) * (1 - 1e-12);
  let extreme = 0;
  for (let b = 0; b < P; b++) {
    for (let i = fy.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = fy[i]!;
      fy[i] = fy[j]!;
      fy[j] = t;
    }
    if (Math.abs(coefficient(method, fx, fy)) >= bar) extreme++;
  }
  return { observed, p: (extreme + 1) / (P + 1), permutations: P };
}
