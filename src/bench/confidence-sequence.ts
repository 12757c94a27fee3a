/**
 * An anytime-valid confidence sequence for the mean of observations in [0, 1]: the hedged
 * capital process of Waudby-Smith & Ramdas, "Estimating means of bounded random variables by
 * betting" (JRSS-B 86(1), 2024; arXiv:2010.09686), Sections 4 (hedged capital, Theorem 3) and 6
 * (sampling without replacement). Its coverage holds at every sample size at once, so a run may
 * be stopped the moment the interval is narrow enough (optional stopping) without losing it.
 *
 * For a candidate mean m, two gamblers bet on the observations: one that the mean is above m,
 * one that it is below. Their wealth after t observations is
 *   K+_t(m) = prod_i (1 + l+_i (X_i - mu_i(m))),   K-_t(m) = prod_i (1 - l-_i (X_i - mu_i(m))),
 * and m stays in the set while max(theta K+, (1 - theta) K-) < 1/alpha (theta = 1/2). Under the
 * true mean both are nonnegative martingales, so by Ville's inequality the set misses the truth
 * at any time with probability at most alpha. K+ falls and K- rises with m, so the set is an
 * interval and each end is found by bisection.
 *
 * mu_i(m) is what observation i is expected to be given the earlier ones:
 *  - population N (sampling without replacement from N values with mean m, as masa's seeded
 *    order samples a benchmark's items): mu_i(m) = (N m - sum_{j<i} X_j) / (N - i + 1). The
 *    interval is then about the mean of all N values (the accuracy of the whole benchmark) and
 *    shrinks to it as i reaches N; it also never leaves [S_t / N, (S_t + N - t) / N], the means
 *    the values seen so far allow whatever the unseen ones are.
 *  - population null (i.i.d. draws, or any sequence whose conditional mean is m): mu_i(m) = m.
 *
 * Bets (predictable: each uses only earlier observations), as in the paper's Section 3.3:
 *   mu^_t = (1/2 + sum_{i<=t} X_i) / (t + 1),  s2_t = (1/4 + sum_{i<=t} (X_i - mu^_i)^2) / (t + 1),
 *   l_t = sqrt(2 log(2/alpha) / (s2_{t-1} H_t)),  l+_t = min(l_t, c / mu_t(m)),  l-_t = min(l_t, c / (1 - mu_t(m))),
 * with c = 1/2. H_t = t log(1 + t) (the paper's predictable plug-in, tight over all t) with a
 * null population; with a population, H_t = N / 2, the bets the paper suggests for a planned
 * sample size, planned here as half the population (runs stopped at a precision target end
 * between a quarter and two thirds of a benchmark's items). Either way the bets are fixed before any data and
 * do not depend on a precision target, so a run stopped at one target and continued to a
 * tighter one later still has the coverage (a target-tuned bet would lose it when the target is
 * chosen after seeing results).
 *
 * Departures from the paper, on purpose: none in the capital process; the bet size with a
 * population (H_t = N / 2) is masa's choice among the paper's valid predictable bets.
 */

export interface ConfidenceSequenceOptions {
  /** 1 - coverage (default 0.05). */
  alpha?: number;
  /** Size of the finite population sampled without replacement; null (default) = i.i.d. */
  population?: number | null;
  /** Bet truncation c in (0, 1) (default 1/2). */
  truncation?: number;
}

export interface ConfidenceSequenceResult {
  n: number;
  /** Mean of the observations (the estimate of the mean). */
  mean: number;
  low: number;
  high: number;
  /** (high - low) / 2. */
  halfWidth: number;
  alpha: number;
  population: number | null;
  /** Names the interval in records and tables. */
  method: string;
}

/** Method names as records and summaries print them. */
export const CS_METHOD_WOR = 'betting-cs-wor (Waudby-Smith & Ramdas 2024, hedged capital, without replacement)';
export const CS_METHOD_IID = 'betting-cs (Waudby-Smith & Ramdas 2024, hedged capital)';


/** Bisection stops once an end is known to this precision. */
const TOLERANCE = 1e-7;
/** Factors multiplied before one log is taken: each lies in [1 - c, 1 + c], so 16 never over- or underflow. */
const CHUNK = 16;

function check(alpha: number, c: number, population: number | null, n: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(c > 0 && c < 1)) throw new RangeError(`truncation must be in (0, 1), got ${c}`);
  if (population !== null && !(Number.isInteger(population) && population >= n && population >= 1)) {
    throw new RangeError(`population must be a whole number >= the ${n} observations, got ${population}`);
  }
}

/**
 * The state the interval is computed from: observations, their running sums and the bets l_t
 * (before truncation; predictable, from X_1..X_{t-1}). Extended one observation at a time.
 */
class Sequence {
  readonly xs: number[] = [];
  readonly bets: number[] = [];
  /** Per observation i (0-based), without replacement: sum_{j<i} X_j and 1 / (N - i). */
  private readonly before: number[] = [];
  private readonly inv: number[] = [];
  sum = 0;
  private ss = 0.25;
  private readonly num: number;

  constructor(
    readonly alpha: number,
    readonly population: number | null,
    readonly c: number,
  ) {
    this.num = 2 * Math.log(2 / alpha);
  }

  push(x: number): void {
    if (!(x >= 0 && x <= 1)) throw new RangeError(`observations must lie in [0, 1], got ${x}`);
    const t = this.xs.length + 1;
    if (this.population !== null && t > this.population) throw new RangeError(`more observations than the population of ${this.population}`);
    const s2 = this.ss / t; // s2_{t-1} = (1/4 + sum_{i<t} (X_i - mu^_i)^2) / t
    const horizon = this.population === null ? t * Math.log(1 + t) : Math.max(1, this.population / 2);
    this.bets.push(Math.sqrt(this.num / (s2 * horizon)));
    this.before.push(this.sum);
    this.inv.push(this.population === null ? 0 : 1 / (this.population - (t - 1)));
    this.xs.push(x);
    this.sum += x;
    const muHat = (0.5 + this.sum) / (t + 1);
    this.ss += (x - muHat) * (x - muHat);
  }

  /** log K+_t(m) (sign 1) or log K-_t(m) (sign -1); +Infinity when m cannot be the mean. */
  logCapital(m: number, sign: 1 | -1): number {
    return this.capital(m, sign, false);
  }

  /**
   * log K(m), and with `slope` its derivative in m stored in `this.slope` (for Newton steps).
   * Factors are multiplied CHUNK at a time before one log is taken (logs dominate the cost).
   */
  capital(m: number, sign: 1 | -1, slope: boolean): number {
    const { xs, bets, before, inv, population: N, c } = this;
    const wor = N !== null;
    const Nm = wor ? N * m : 0;
    let log = 0;
    let prod = 1;
    let inChunk = 0;
    let d = 0;
    for (let i = 0; i < xs.length; i++) {
      let mu = wor ? (Nm - before[i]!) * inv[i]! : m;
      // At the ends of the allowed range rounding can step just outside it.
      if (mu < 0) {
        if (mu < -1e-12) return Infinity;
        mu = 0;
      } else if (mu > 1) {
        if (mu > 1 + 1e-12) return Infinity;
        mu = 1;
      }
      const x = xs[i]!;
      const room = sign === 1 ? mu : 1 - mu;
      const free = bets[i]!;
      const capped = free * room >= c;
      const bet = capped ? c / room : free;
      const f = 1 + sign * bet * (x - mu);
      prod *= f;
      if (++inChunk === CHUNK) {
        log += Math.log(prod);
        prod = 1;
        inChunk = 0;
      }
      if (slope) {
        // d/dmu of f: -sign*bet when the bet is free; with bet = c/room it also moves with mu.
        const df = capped ? (sign === 1 ? (-c * x) / (mu * mu) : (c * (1 - x)) / ((1 - mu) * (1 - mu))) : -sign * bet;
        d += (wor ? df * N * inv[i]! : df) / f;
      }
    }
    this.slope = d;
    return log + Math.log(prod);
  }

  slope = 0;

  /** What the seen values allow of the mean, whatever the unseen ones are. */
  bounds(): [number, number] {
    const { population: N, sum } = this;
    return N === null ? [0, 1] : [sum / N, (sum + N - this.xs.length) / N];
  }
}

/**
 * One end of the interval: the root of log K(m) = threshold over [lo, hi], where K is monotone
 * (K+ falls with m: `up`, the lower end; K- rises: the upper end). Safeguarded Newton: steps
 * that leave the bracket are replaced by bisection. `hint`, a previous end, starts the search.
 */
function findEnd(seq: Sequence, sign: 1 | -1, threshold: number, lo: number, hi: number, hint: number | null): number {
  const up = sign === 1;
  const f = (m: number): number => seq.capital(m, sign, true) - threshold; // < 0: inside
  const edge = up ? lo : hi;
  if (f(edge) < 0) return edge;
  // a: outside (f >= 0), b: inside (f < 0); the root lies between.
  let a = edge;
  let b = up ? hi : lo;
  if (!(f(b) < 0)) return b; // nowhere inside: the caller reports where the two ends meet
  let m = hint !== null && hint > lo && hint < hi ? hint : (a + b) / 2;
  for (let k = 0; k < 200; k++) {
    const v = f(m);
    if (v < 0) b = m;
    else a = m;
    if (Math.abs(b - a) <= TOLERANCE) break;
    const s = seq.slope;
    let next = Number.isFinite(v) && s !== 0 ? m - v / s : NaN;
    // Newton only while it stays strictly inside the bracket; else bisect.
    if (!(next > Math.min(a, b) && next < Math.max(a, b))) next = (a + b) / 2;
    // Converged from one side: look just across the root so the bracket closes.
    else if (Math.abs(next - m) < TOLERANCE / 2) next = m + Math.sign((v < 0 ? a : b) - m) * (TOLERANCE / 2);
    m = next;
  }
  return b;
}

function solve(seq: Sequence, hint: { low: number; high: number } | null): ConfidenceSequenceResult {
  const { alpha, population } = seq;
  const n = seq.xs.length;
  const method = population === null ? CS_METHOD_IID : CS_METHOD_WOR;
  const mean = n === 0 ? 0.5 : seq.sum / n;
  const [lo, hi] = seq.bounds();
  const done = (low: number, high: number): ConfidenceSequenceResult => ({ n, mean, low, high, halfWidth: (high - low) / 2, alpha, population, method });
  if (n === 0 || hi - lo <= 0) return done(lo, hi);
  // max(K+/2, K-/2) < 1/alpha  <=>  both capitals below 2/alpha.
  const threshold = Math.log(2 / alpha);
  // K+ falls with m: inside above the lower end. K- rises with m: inside below the upper end.
  let low = findEnd(seq, 1, threshold, lo, hi, hint?.low ?? null);
  let high = findEnd(seq, -1, threshold, lo, hi, hint?.high ?? null);
  // Both gamblers rich at every m (an event of probability <= alpha): report the point they meet.
  if (high < low) low = high = (low + high) / 2;
  return done(low, high);
}

/**
 * The 1 - alpha (default 95%) confidence sequence evaluated after the observations `xs` (each in
 * [0, 1], in the order they were drawn). Pure: the same observations give the same interval.
 */
export function bettingConfidenceSequence(xs: readonly number[], opts: ConfidenceSequenceOptions = {}): ConfidenceSequenceResult {
  const alpha = opts.alpha ?? 0.05;
  const population = opts.population ?? null;
  const c = opts.truncation ?? 0.5;
  check(alpha, c, population, xs.length);
  const seq = new Sequence(alpha, population, c);
  for (const x of xs) seq.push(x);
  return solve(seq, null);
}

/**
 * The same interval for a sequence that grows: observations are added one at a time and the
 * interval evaluated now and then (the evaluation starts from the previous one, which is what
 * makes checking a run every few items cheap). `evaluate()` equals bettingConfidenceSequence
 * over the observations so far, to within 1e-7 on each end.
 */
export class ConfidenceSequenceTracker {
  private readonly seq: Sequence;
  private last: { low: number; high: number } | null = null;

  constructor(opts: ConfidenceSequenceOptions = {}) {
    const alpha = opts.alpha ?? 0.05;
    const population = opts.population ?? null;
    const c = opts.truncation ?? 0.5;
    check(alpha, c, population, 0);
    this.seq = new Sequence(alpha, population, c);
  }

  get n(): number {
    return this.seq.xs.length;
  }

  push(x: number): void {
    this.seq.push(x);
  }

  evaluate(): ConfidenceSequenceResult {
    const r = solve(this.seq, this.last);
    this.last = { low: r.low, high: r.high };
    return r;
  }

  /**
   * Whether the interval is now narrower than `width` (high - low < width), at half the cost of
   * evaluate(): the lower end by bisection, then one look at the upper gambler at low + width.
   */
  narrowerThan(width: number): boolean {
    const seq = this.seq;
    if (seq.xs.length === 0) return false;
    const [lo, hi] = seq.bounds();
    if (hi - lo < width) return true;
    const threshold = Math.log(2 / seq.alpha);
    const low = findEnd(seq, 1, threshold, lo, hi, this.last?.low ?? null);
    this.last = { low, high: this.last?.high ?? hi };
    const m = low + width;
    return m > hi || !(seq.logCapital(m, -1) < threshold);
  }
}
