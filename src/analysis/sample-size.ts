/**
 * How many items a fixed-size 95% interval for a benchmark's accuracy needs to be narrower than a
 * half-width: the reference point against which the confidence sequence's stopping points
 * (src/eval/precision.ts) are judged in `npm run bench` and in `masa plan`.
 *
 * Sampling n of a benchmark's N item scores without replacement, the mean's variance is
 * (1 - n/N) S^2 / n, S^2 the population variance with divisor N - 1; solving the normal
 * interval's z S sqrt((1 - n/N) / n) <= h for n gives
 *   n0 = z^2 S^2 / h^2,   n = ceil(n0 / (1 + n0 / N))
 * (Cochran, Sampling Techniques, 3rd ed., 1977: simple random sampling and sample size). With the
 * sample drawn in proportion to strata (masa's stratified order), S^2 becomes the within-stratum
 * variance sum_s (N_s / N) S_s^2 (there: stratified sampling, proportional allocation).
 *
 * This is a lower reference, not an achievable plan: the interval is checked once, at an n fixed
 * in advance, with the true variance known. A run that looks at its interval as it goes and stops
 * when it is narrow enough needs an anytime-valid interval, which is wider at every n.
 */
import { normalQuantile } from '../core/distributions.js';
import { variance } from './clean.js';

export interface FixedSampleSizeOptions {
  /** Population variance S^2 of the item scores (divisor N - 1). */
  variance: number;
  /** Items in the benchmark (N). */
  population: number;
  /** Target half-width h. */
  halfWidth: number;
  /** 1 - coverage (default 0.05). */
  alpha?: number;
}

/** Items a fixed-n normal interval with the finite-population correction needs (at most N). */
export function fixedSampleSize(o: FixedSampleSizeOptions): number {
  const alpha = o.alpha ?? 0.05;
  if (!(o.variance >= 0)) throw new RangeError(`variance must be >= 0, got ${o.variance}`);
  if (!(Number.isInteger(o.population) && o.population >= 1)) throw new RangeError(`population must be a whole number >= 1, got ${o.population}`);
  if (!(o.halfWidth > 0)) throw new RangeError(`halfWidth must be > 0, got ${o.halfWidth}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (o.variance === 0) return 1;
  const z = normalQuantile(1 - alpha / 2);
  const n0 = (z * z * o.variance) / (o.halfWidth * o.halfWidth);
  return Math.min(o.population, Math.ceil(n0 / (1 + n0 / o.population)));
}

/** The within-stratum variance sum_s (N_s / N) S_s^2 of values grouped by stratum (a stratum of one item adds none). */
export function withinStratumVariance(strata: ReadonlyArray<readonly number[]>): number {
  let total = 0;
  let weighted = 0;
  for (const s of strata) {
    total += s.length;
    if (s.length > 1) weighted += s.length * variance(s);
  }
  return total === 0 ? 0 : weighted / total;
}
