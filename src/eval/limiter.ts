/**
 * Adaptive in-flight limit for one endpoint (AIMD, judged per window of completions rather
 * than per response). vLLM itself never answers 429 (it queues); 429/503 and timeouts come
 * from a router or gateway in front, or from a host that is truly overloaded. A few stray
 * throttles must not shrink the limit, or 5% of 429s would cost far more than 5% of the
 * throughput; a window where a fifth or more of the answers say "slow down" must.
 */

export interface LimiterOptions {
  /** Start and ceiling. */
  ceiling: number;
  floor: number;
  /** Fraction of congested completions in a window that triggers a decrease. */
  decreaseAt?: number;
  /** Fraction at or below which the window counts as clean and the limit grows. */
  growAt?: number;
  /** Multiplicative decrease factor. */
  factor?: number;
}

export type Signal = 'ok' | 'congestion' | 'timeout' | 'neutral';

export class AimdLimiter {
  private value: number;
  readonly ceiling: number;
  readonly floor: number;
  private readonly decreaseAt: number;
  private readonly growAt: number;
  private readonly factor: number;
  private seen = 0;
  private congested = 0;
  private timeouts = 0;
  /** (time, limit) each time the limit changed, for the run metadata. */
  readonly history: Array<[number, number]> = [];

  constructor(o: LimiterOptions) {
    this.ceiling = Math.max(1, Math.floor(o.ceiling));
    this.floor = Math.max(1, Math.min(this.ceiling, Math.floor(o.floor)));
    this.value = this.ceiling;
    this.decreaseAt = o.decreaseAt ?? 0.2;
    this.growAt = o.growAt ?? 0.05;
    this.factor = o.factor ?? 0.75;
  }

  /** Whole requests allowed in flight now. */
  get limit(): number {
    return Math.max(this.floor, Math.floor(this.value));
  }

  record(signal: Signal): void {
    if (signal === 'neutral') return;
    this.seen++;
    if (signal === 'congestion') this.congested++;
    if (signal === 'timeout') this.timeouts++;
    // One window is about one round of the current limit, at least 16 completions so a single
    // unlucky response in a small window is not read as overload.
    const window = Math.max(16, this.limit);
    // Two timeouts in a window are enough: each one already wasted a whole timeout period.
    const urgent = this.timeouts >= 2 || (this.congested >= 8 && this.congested >= this.seen / 2);
    if (this.seen < window && !urgent) return;
    const ratio = (this.congested + this.timeouts) / this.seen;
    const before = this.limit;
    if (urgent || ratio >= this.decreaseAt) this.value = Math.max(this.floor, this.value * this.factor);
    else if (ratio <= this.growAt) this.value = Math.min(this.ceiling, this.value + Math.max(1, this.value * 0.1));
    this.seen = this.congested = this.timeouts = 0;
    if (this.limit !== before) this.history.push([Date.now(), this.limit]);
  }
}
