/**
 * Precision-targeted evaluation (`--target-ci <half-width>`): a (model, benchmark) run takes its
 * items in masa's stratified seeded order (order.ts) and stops once the 95% confidence sequence
 * for the accuracy of all its items (src/bench/confidence-sequence.ts, sampling without
 * replacement: the order is a random order of the run's items) is narrower than the target.
 *
 * The rule, as pure functions so the runner, `masa summarize`, `masa plan` and the simulation
 * study in the tests all apply the same one:
 *  - one observation per item: its trials folded by the benchmark's reduce (majority vote, mean);
 *  - observations are taken over the longest complete prefix of the order (answers arrive out of
 *    order; an item whose request still failed after every retry is skipped, as summaries leave
 *    it out, and counted in errors);
 *  - the interval is looked at when the prefix reaches MIN_ITEMS items and then every 1% (at
 *    least every item), and the run stops the first time its half-width is below the target;
 *  - never before MIN_ITEMS items (or the run's whole item set when it is smaller): by then every
 *    category of up to 100 has been seen, and the interval is no longer wide enough to be fooled
 *    by a lucky start;
 *  - the bets do not depend on the target, so the same records give the same interval whatever
 *    target stopped them, and a tighter target later continues the run with its coverage intact.
 */
import { MasaError } from '../core/errors.js';
import { ConfidenceSequenceTracker, type ConfidenceSequenceResult } from '../bench/confidence-sequence.js';

/** Fewest items a run is ever stopped at (unless it has fewer). */
export const MIN_ITEMS = 100;
export const DEFAULT_ALPHA = 0.05;
/** Checks of the interval after the minimum: each when the prefix has grown by this fraction. */
const CHECK_GROWTH = 0.01;

export interface PrecisionSettings {
  /** Stop once the interval's half-width is below this. */
  target: number;
  /** 1 - coverage of the interval (0.05: 95%). */
  alpha: number;
  /** Never stop before this many items (or all of them when there are fewer). */
  minItems: number;
}

export function precisionSettings(target: number, opts: { alpha?: number; minItems?: number } = {}, flag = '--target-ci'): PrecisionSettings {
  if (!(typeof target === 'number' && target > 0 && target < 0.5)) throw new MasaError(`${flag}: must be a half-width in (0, 0.5), e.g. 0.02; got ${target}`, { exitCode: 2 });
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new MasaError(`alpha must be in (0, 1), got ${alpha}`, { exitCode: 2 });
  const minItems = opts.minItems ?? MIN_ITEMS;
  if (!(Number.isInteger(minItems) && minItems >= 1)) throw new MasaError(`--min-items: must be a whole number >= 1, got ${minItems}`, { exitCode: 2 });
  return { target, alpha, minItems };
}

/** The prefix size at which the interval is looked at next, after looking at `n`. */
export function nextCheckpoint(n: number, minItems: number): number {
  return n < minItems ? minItems : Math.max(n + 1, Math.ceil(n * (1 + CHECK_GROWTH)));
}

/**
 * When the interval is looked at: at the minimum, then at each nextCheckpoint, and at the last
 * item. `due(n)` is asked once per prefix size, in order.
 */
class Checkpoints {
  private next: number;
  private readonly min: number;

  constructor(
    minItems: number,
    private readonly population: number,
  ) {
    this.min = Math.min(minItems, population);
    this.next = nextCheckpoint(0, this.min);
  }

  due(n: number): boolean {
    if (n < this.next && n !== this.population) return false;
    this.next = nextCheckpoint(n, this.min);
    return n >= this.min;
  }
}

/** Whether an interval over `cs.n` of `population` items lets the run stop. */
export function reachesTarget(cs: ConfidenceSequenceResult, population: number, s: PrecisionSettings): boolean {
  return cs.n >= Math.min(s.minItems, population) && cs.halfWidth < s.target;
}

/**
 * Item scores in order, one at a time; says when the run may stop. The interval it keeps is the
 * one at the last checkpoint (or at the last item, when every item is in).
 */
export class PrecisionTracker {
  private readonly cs: ConfidenceSequenceTracker;
  private readonly checks: Checkpoints;
  last: ConfidenceSequenceResult | null = null;
  /** Items in when the target was first reached; null while it is not. */
  stoppedAt: number | null = null;

  constructor(
    readonly population: number,
    readonly settings: PrecisionSettings,
  ) {
    this.cs = new ConfidenceSequenceTracker({ alpha: settings.alpha, population });
    this.checks = new Checkpoints(settings.minItems, population);
  }

  get n(): number {
    return this.cs.n;
  }

  /** Adds the next item's score; true once the run may stop. */
  push(score: number): boolean {
    this.cs.push(score);
    const n = this.cs.n;
    // The cheap test first; the full interval only once it may have reached the target.
    if (this.stoppedAt === null && this.checks.due(n) && this.cs.narrowerThan(2 * this.settings.target)) {
      this.last = this.cs.evaluate();
      if (reachesTarget(this.last, this.population, this.settings)) this.stoppedAt = n;
    }
    return this.stoppedAt !== null;
  }

  /** The interval over every item pushed so far (evaluated now if the last check is older). */
  current(): ConfidenceSequenceResult {
    if (!this.last || this.last.n !== this.cs.n) this.last = this.cs.evaluate();
    return this.last;
  }
}

/**
 * The run the rule makes of item scores that arrive in order: where it stops (null: never,
 * every item was needed) and the interval there. Used by the simulation study and `masa plan`.
 */
export function stoppingRun(scores: readonly number[], population: number, s: PrecisionSettings): { stoppedAt: number | null; cs: ConfidenceSequenceResult } {
  const t = new PrecisionTracker(population, s);
  for (const x of scores) if (t.push(x)) break;
  return { stoppedAt: t.stoppedAt, cs: t.current() };
}

/**
 * Where the rule stops the same item scores at each of several targets (null: never), in one
 * pass: the interval does not depend on the target and neither do the checkpoints, so each
 * target's stop is the first checkpoint whose interval is narrower than it. Equals
 * stoppingRun(scores, population, settings with that target).stoppedAt for every target; used
 * to ask of one all-items run what a precision-targeted run would have spent at each target.
 */
export function stopsAtTargets(scores: readonly number[], population: number, targets: readonly number[], opts: { alpha?: number; minItems?: number } = {}): Array<number | null> {
  const settings = targets.map((t) => precisionSettings(t, opts));
  const stops: Array<number | null> = targets.map(() => null);
  if (settings.length === 0) return stops;
  const checks = new Checkpoints(settings[0]!.minItems, population);
  const cs = new ConfidenceSequenceTracker({ alpha: settings[0]!.alpha, population });
  let open = targets.length;
  for (const x of scores) {
    cs.push(x);
    if (!checks.due(cs.n)) continue;
    const n = cs.n;
    const interval = cs.evaluate();
    settings.forEach((s, k) => {
      if (stops[k] === null && reachesTarget(interval, population, s)) {
        stops[k] = n;
        open--;
      }
    });
    if (open === 0) break;
  }
  return stops;
}

/**
 * The longest complete prefix of an order, as items resolve out of order: an item is resolved
 * when its score is known or it failed for good; `onItem` receives the scores of the prefix in
 * order (failed items skipped).
 */
export class OrderedPrefix {
  private readonly state: Uint8Array;
  private readonly scores: Float64Array;
  /** Ranks below this are resolved. */
  end = 0;
  included = 0;
  failed = 0;

  constructor(
    readonly size: number,
    private readonly onItem: (score: number, rank: number) => void,
  ) {
    this.state = new Uint8Array(size);
    this.scores = new Float64Array(size);
  }

  isResolved(rank: number): boolean {
    return this.state[rank] !== 0;
  }

  /** Marks an item resolved: its folded score, or null when a trial failed for good. */
  resolve(rank: number, score: number | null): void {
    if (this.state[rank] !== 0) return;
    this.state[rank] = score === null ? 2 : 1;
    if (score !== null) this.scores[rank] = score;
    while (this.end < this.size && this.state[this.end] !== 0) {
      if (this.state[this.end] === 1) {
        this.included++;
        this.onItem(this.scores[this.end]!, this.end);
      } else this.failed++;
      this.end++;
    }
  }
}

/**
 * The rule replayed over every complete item of a run (in order): where it reached the target
 * (null: not yet) and the interval over all of them, the one summaries report. What a run
 * that is resumed, continued to a tighter target, or summarized later concludes from its records.
 */
export function replayPrecision(scores: readonly number[], population: number, s: PrecisionSettings): { stoppedAt: number | null; cs: ConfidenceSequenceResult } {
  const t = new PrecisionTracker(population, s);
  for (const x of scores) t.push(x);
  return { stoppedAt: t.stoppedAt, cs: t.current() };
}

export type PrefixStatus = 'complete' | 'failed' | 'missing';

/**
 * The longest complete prefix of items in order: the complete ones, the failed ones skipped
 * (counted), up to the first that is neither. `end` is where it stops.
 */
export function prefixOf<T>(order: readonly T[], status: (item: T) => PrefixStatus): { included: T[]; failed: T[]; end: number } {
  const included: T[] = [];
  const failed: T[] = [];
  let end = 0;
  for (; end < order.length; end++) {
    const s = status(order[end]!);
    if (s === 'missing') break;
    (s === 'complete' ? included : failed).push(order[end]!);
  }
  return { included, failed, end };
}
