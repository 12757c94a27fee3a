/**
 * A precision-targeted run as the runner follows it (the rule itself is in precision.ts): the
 * trial scores of every item of its stratified order, the longest complete prefix as answers
 * arrive out of order, and whether the interval over it has reached the target. It starts from
 * the records already on disk, so a resumed run, or one continued to a tighter target, picks
 * up where the rule stands (and stops at once when the records already suffice).
 */
import type { TrialScore } from '../bench/types.js';
import { itemRequests, type RunPlan } from './plan.js';
import { OrderedPrefix, PrecisionTracker } from './precision.js';
import type { SampleRecord } from './records.js';
import { readRecords, recordScore } from './store.js';

export class RunPrecision {
  private readonly ranks = new Map<string, number>();
  private readonly scores: Array<Array<TrialScore | undefined>>;
  private readonly pending: Int32Array;
  private readonly failed: Uint8Array;
  private readonly prefix: OrderedPrefix;
  readonly tracker: PrecisionTracker;

  constructor(readonly plan: RunPlan) {
    const n = plan.items.length;
    this.tracker = new PrecisionTracker(n, plan.precision!);
    this.prefix = new OrderedPrefix(n, (score) => this.tracker.push(score));
    this.scores = plan.items.map((it) => new Array(plan.bench.trials(it, plan.options).length));
    this.pending = Int32Array.from(this.scores, (s) => s.length);
    this.failed = new Uint8Array(n);
    plan.items.forEach((it, r) => this.ranks.set(it.id, r));
  }

  get stopped(): boolean {
    return this.tracker.stoppedAt !== null;
  }

  rankOf(itemId: string): number | undefined {
    return this.ranks.get(itemId);
  }

  /** Reads the run's successful records of its planned requests (what earlier sessions answered). */
  async load(onBadLine?: (line: number) => void): Promise<void> {
    const where = new Map<string, [number, number]>();
    this.plan.items.forEach((item, rank) => {
      itemRequests(this.plan, item).forEach((req, t) => where.set(req.key, [rank, t]));
    });
    for await (const r of readRecords(this.plan.dir, { onBadLine })) {
      if (r.error !== null) continue;
      const at = where.get(r.request_key);
      if (!at || this.scores[at[0]]![at[1]] !== undefined) continue;
      this.scores[at[0]]![at[1]] = recordScore(r);
      this.pending[at[0]]!--;
    }
    for (let rank = 0; rank < this.pending.length; rank++) if (this.pending[rank] === 0) this.settle(rank);
  }

  /** A record this session wrote. */
  record(rec: SampleRecord): void {
    const rank = this.ranks.get(rec.item_id);
    if (rank === undefined || this.prefix.isResolved(rank)) return;
    const s = this.scores[rank]!;
    if (rec.error === null) {
      if (s[rec.trial] !== undefined) return;
      s[rec.trial] = recordScore(rec);
    } else this.failed[rank] = 1;
    if (--this.pending[rank]! <= 0) this.settle(rank);
  }

  private settle(rank: number): void {
    const item = this.plan.items[rank]!;
    const s = this.scores[rank]!;
    this.prefix.resolve(rank, this.failed[rank] ? null : this.plan.bench.reduce(item, s as TrialScore[], this.plan.options));
  }
}
