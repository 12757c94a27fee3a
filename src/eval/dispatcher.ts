/**
 * Runs chat requests over one or more endpoints serving the same model. Each endpoint has an
 * adaptive in-flight limit; a free slot goes to the endpoint with the most room. A failed
 * request gives its slot back at once and waits for its retry in a timer heap, so backoff
 * never idles a slot (the difference between losing 5% and losing half the throughput when
 * 5% of requests fail). An item that exhausts its attempts or its time budget is reported as
 * a failure with its reason, never dropped.
 */
import { setMaxListeners } from 'node:events';
import type { Rng } from '../core/rng.js';
import { EndpointClient, RequestFailure, type ChatResult } from './client.js';
import type { ChatBody } from './generation.js';
import { AimdLimiter } from './limiter.js';

export interface JobInput<T> {
  body: ChatBody;
  ctx: T;
}

/**
 * What a job source yields when it has nothing to send now but will have more later (the next
 * turn of an episode waits for this turn's answer). The source is asked again after every
 * completion, and whenever `wake()` is called.
 */
export const IDLE: unique symbol = Symbol('idle');
export type SourceItem<T> = JobInput<T> | typeof IDLE;

/** `max_tokens`: what the last request sent (it differs from the job's body when `resend` changed it). */
export type Outcome =
  | { ok: true; result: ChatResult; latency_ms: number; endpoint: string; attempts: number; max_tokens?: number | null }
  | { ok: false; error: string; status: number | null; latency_ms: number | null; endpoint: string | null; attempts: number; max_tokens?: number | null };

/** What `resend` is shown: the answer, or a failure of class 'item' (a 400 such as context length). */
export type ResendEvent = { result: ChatResult; failure?: undefined } | { failure: RequestFailure; result?: undefined };

export interface DispatcherOptions<T> {
  endpoints: EndpointClient[];
  /** Per-endpoint ceiling (and starting limit) of requests in flight. */
  concurrency: number;
  minConcurrency?: number;
  /** One request's timeout. */
  timeoutMs: number;
  /** Attempts per item, first one included. */
  maxAttempts: number;
  /** Time an item may spend across all its attempts and waits before it is given up. */
  itemBudgetMs: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Cap on a server's Retry-After, so a bogus hour-long value does not stall a run. */
  retryAfterMaxMs?: number;
  rng: Rng;
  /** Called once per job with its final outcome. A returned promise (scoring) is awaited before
   * the job counts as done; at most `maxPendingOutcomes` may be pending before dispatch pauses. */
  onOutcome(ctx: T, outcome: Outcome): void | Promise<void>;
  maxPendingOutcomes?: number;
  /** At most once per job: a revised body to send instead of finishing with this answer or
   * rejection (context-length fitting), or null to finish as usual. The retry takes no backoff. */
  resend?(ctx: T, body: ChatBody, event: ResendEvent): ChatBody | null;
  /** Called before free slots are filled: the runner writes out the records gathered so far, so a
   * record is on disk before its slot carries a new request (a kill -9 loses only requests in flight). */
  beforeStart?(): void;
}

interface Job<T> {
  body: ChatBody;
  ctx: T;
  attempts: number;
  firstStart: number;
  readyAt: number;
  last: RequestFailure | null;
  lastEndpoint: string | null;
  resent: boolean;
}

interface Slot {
  client: EndpointClient;
  limiter: AimdLimiter;
  inFlight: number;
  downUntil: number;
  downStreak: number;
  requests: number;
  failures: Record<string, number>;
}

export interface EndpointStats {
  endpoint: string;
  requests: number;
  failures: Record<string, number>;
  limit: number;
  limit_history: Array<[number, number]>;
}

export type StopMode = 'drain' | 'abort';

const SHARED_SIGNAL_USES = 256;

function maxTokensOf(body: ChatBody): number | null {
  return typeof body.max_tokens === 'number' ? body.max_tokens : null;
}

/** Min-heap of jobs by readyAt. */
class RetryHeap<T> {
  private a: Job<T>[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): Job<T> | undefined {
    return this.a[0];
  }
  push(j: Job<T>): void {
    const a = this.a;
    a.push(j);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.readyAt <= a[i]!.readyAt) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): Job<T> | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.readyAt < a[m]!.readyAt) m = l;
        if (r < a.length && a[r]!.readyAt < a[m]!.readyAt) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
  drain(): Job<T>[] {
    const out = this.a;
    this.a = [];
    return out;
  }
}

export class Dispatcher<T> {
  private readonly o: DispatcherOptions<T>;
  private readonly slots: Slot[];
  private readonly retries = new RetryHeap<T>();
  private source: Iterator<SourceItem<T>> | null = null;
  private sourceDone = false;
  private inFlight = 0;
  private pendingOutcomes = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopping: StopMode | null = null;
  /** Abort controllers shared by up to SHARED_SIGNAL_USES requests each (see takeSignal). */
  private readonly controllers = new Map<AbortController, { live: number }>();
  private current: { c: AbortController; uses: number } | null = null;
  private fatal: Error | null = null;
  private resolveRun: (() => void) | null = null;
  private rejectRun: ((e: Error) => void) | null = null;
  private rr = 0;
  /** Jobs currently waiting for a retry. */
  get waiting(): number {
    return this.retries.size;
  }
  get active(): number {
    return this.inFlight;
  }

  constructor(o: DispatcherOptions<T>) {
    if (o.endpoints.length === 0) throw new Error('no endpoints');
    this.o = o;
    const ceiling = Math.max(1, Math.floor(o.concurrency));
    const floor = o.minConcurrency ?? Math.max(1, Math.floor(ceiling / 8));
    this.slots = o.endpoints.map((client) => ({
      client,
      limiter: new AimdLimiter({ ceiling, floor }),
      inFlight: 0,
      downUntil: 0,
      downStreak: 0,
      requests: 0,
      failures: {},
    }));
  }

  /** Runs every job the source yields; resolves when all are done or the run was stopped. */
  run(source: Iterator<SourceItem<T>>): Promise<void> {
    this.source = source;
    return new Promise<void>((resolve, reject) => {
      this.resolveRun = resolve;
      this.rejectRun = reject;
      this.pump();
    });
  }

  /** Asks an idle source again: work appeared that no completion of this dispatcher announced (another dispatcher's answer). */
  wake(): void {
    if (this.source && !this.fatal) this.pump();
  }

  /** drain: start nothing new, let requests in flight finish. abort: also cancel those (not recorded). */
  stop(mode: StopMode): void {
    if (this.stopping === 'abort') return;
    this.stopping = mode;
    if (mode === 'abort') for (const c of this.controllers.keys()) c.abort();
    // Items waiting for a retry are given up with their last error, so they are recorded (and a rerun retries them).
    for (const job of this.retries.drain()) this.finish(job, this.failureOutcome(job, 'stopped while waiting to retry'));
    this.pump();
  }

  stats(): EndpointStats[] {
    return this.slots.map((s) => ({
      endpoint: s.client.baseUrl,
      requests: s.requests,
      failures: { ...s.failures },
      limit: s.limiter.limit,
      limit_history: s.limiter.history.slice(),
    }));
  }

  private pickSlot(now: number): Slot | undefined {
    let best: Slot | undefined;
    let bestRoom = 0;
    const n = this.slots.length;
    for (let k = 0; k < n; k++) {
      const s = this.slots[(this.rr + k) % n]!;
      if (s.downUntil > now) continue;
      const room = (s.limiter.limit - s.inFlight) / s.limiter.limit;
      if (room > bestRoom) {
        best = s;
        bestRoom = room;
      }
    }
    if (best) this.rr = (this.rr + 1) % n;
    return best;
  }

  private nextJob(now: number): Job<T> | undefined {
    const top = this.retries.peek();
    if (top && top.readyAt <= now) return this.retries.pop();
    if (this.sourceDone || !this.source) return undefined;
    const r = this.source.next();
    if (r.done) {
      this.sourceDone = true;
      return undefined;
    }
    if (r.value === IDLE) return undefined;
    return { body: r.value.body, ctx: r.value.ctx, attempts: 0, firstStart: now, readyAt: now, last: null, lastEndpoint: null, resent: false };
  }

  private pump(): void {
    if (this.fatal) return;
    const maxPending = this.o.maxPendingOutcomes ?? Infinity;
    let now = Date.now();
    if (!this.stopping) {
      try {
        this.o.beforeStart?.();
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      while (this.pendingOutcomes < maxPending) {
        const slot = this.pickSlot(now);
        if (!slot) break;
        let job: Job<T> | undefined;
        try {
          job = this.nextJob(now);
        } catch (e) {
          this.fail(e as Error);
          return;
        }
        if (!job) break;
        this.start(slot, job);
        now = Date.now();
      }
    }
    this.armTimer(now);
    if (this.inFlight === 0 && this.pendingOutcomes === 0 && (this.stopping !== null || (this.sourceDone && this.retries.size === 0))) {
      this.clearTimer();
      const resolve = this.resolveRun;
      this.resolveRun = null;
      resolve?.();
    }
  }

  private armTimer(now: number): void {
    if (this.stopping) return;
    const top = this.retries.peek();
    if (!top && !(this.sourceDone === false && this.inFlight === 0)) return;
    const allDown = this.slots.every((s) => s.downUntil > now);
    // A retry pump left because it was due but found no slot needs no timer: the completion
    // that frees a slot pumps it (a zero-delay timer would spin while every slot is busy). One
    // pump found not yet due gets a timer; that is why `now` must be the clock pump read: a
    // fresh reading could find it due by now and arm nothing, with no completion coming.
    let at = top && top.readyAt > now ? top.readyAt : Infinity;
    if (allDown) {
      const up = Math.min(...this.slots.map((s) => s.downUntil));
      at = top && top.readyAt > up ? top.readyAt : up;
    }
    if (at === Infinity) return;
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - now));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private start(slot: Slot, job: Job<T>): void {
    job.attempts++;
    slot.inFlight++;
    slot.requests++;
    this.inFlight++;
    const controller = this.takeSignal();
    const t0 = Date.now();
    slot.client.chat(job.body, this.o.timeoutMs, controller.signal).then(
      (result) => {
        this.releaseSignal(controller);
        slot.inFlight--;
        this.inFlight--;
        slot.downStreak = 0;
        slot.limiter.record('ok');
        if (!this.resendJob(job, { result })) {
          this.finish(job, { ok: true, result, latency_ms: Date.now() - t0, endpoint: slot.client.baseUrl, attempts: job.attempts, max_tokens: maxTokensOf(job.body) });
        }
        this.pump();
      },
      (e: unknown) => {
        this.releaseSignal(controller);
        slot.inFlight--;
        this.inFlight--;
        this.onFailure(slot, job, e instanceof RequestFailure ? e : new RequestFailure(String(e), 'retry', 'neutral', null, null, false), Date.now() - t0);
        this.pump();
      },
    );
  }

  /**
   * An AbortSignal for one request. Creating an AbortController costs more than the rest of the
   * dispatch; requests only ever need aborting all at once (stop('abort'), a fatal error), so
   * one controller serves a batch of requests. Batches are bounded because the SDK adds a
   * listener per request to the signal and never removes it; a batch whose requests are all
   * done is dropped with its listeners.
   */
  private takeSignal(): AbortController {
    let cur = this.current;
    if (!cur || cur.uses >= SHARED_SIGNAL_USES) {
      cur = this.current = { c: new AbortController(), uses: 0 };
      setMaxListeners(SHARED_SIGNAL_USES + 8, cur.c.signal); // one listener per request, by design
      this.controllers.set(cur.c, { live: 0 });
    }
    cur.uses++;
    this.controllers.get(cur.c)!.live++;
    return cur.c;
  }

  private releaseSignal(c: AbortController): void {
    const e = this.controllers.get(c);
    if (!e) return;
    e.live--;
    if (e.live === 0 && this.current?.c !== c) this.controllers.delete(c);
  }

  private onFailure(slot: Slot, job: Job<T>, f: RequestFailure, latency: number): void {
    if (f.cls === 'aborted') return; // cancelled by stop('abort'): lost in flight, a rerun requests it again
    const label = f.status !== null ? String(f.status) : f.signal === 'timeout' ? 'timeout' : f.endpointDown ? 'connection' : 'other';
    slot.failures[label] = (slot.failures[label] ?? 0) + 1;
    slot.limiter.record(f.signal);
    job.last = f;
    job.lastEndpoint = slot.client.baseUrl;
    if (f.endpointDown) {
      slot.downStreak++;
      slot.downUntil = Date.now() + Math.min(30_000, 250 * 2 ** slot.downStreak);
    }
    if (f.cls === 'fatal') {
      this.fail(new Error(`${slot.client.baseUrl}: ${f.message}`));
      return;
    }
    const now = Date.now();
    if (f.cls === 'item' && !this.stopping && this.resendJob(job, { failure: f })) return;
    if (f.cls === 'item' || this.stopping || job.attempts >= this.o.maxAttempts) {
      this.finish(job, this.failureOutcome(job, f.cls === 'item' ? 'not retried' : `gave up after ${job.attempts} attempts`, latency));
      return;
    }
    const base = this.o.backoffBaseMs ?? 500;
    const cap = this.o.backoffMaxMs ?? 30_000;
    // Full jitter on an exponential backoff; a Retry-After is a floor, not a suggestion.
    let delay = Math.min(cap, base * 2 ** (job.attempts - 1)) * (0.5 + 0.5 * this.o.rng.next());
    if (f.retryAfterMs !== null) delay = Math.max(delay, Math.min(f.retryAfterMs, this.o.retryAfterMaxMs ?? 120_000));
    if (now + delay - job.firstStart > this.o.itemBudgetMs) {
      this.finish(job, this.failureOutcome(job, `item time budget exhausted after ${job.attempts} attempts`, latency));
      return;
    }
    job.readyAt = now + delay;
    this.retries.push(job);
  }

  /** Queues the job again, due now, when `resend` revises its body (once per job). */
  private resendJob(job: Job<T>, event: ResendEvent): boolean {
    if (job.resent || !this.o.resend || this.stopping) return false;
    let body: ChatBody | null;
    try {
      body = this.o.resend(job.ctx, job.body, event);
    } catch (e) {
      this.fail(e as Error);
      return true;
    }
    if (!body) return false;
    job.resent = true;
    job.body = body;
    job.readyAt = Date.now();
    this.retries.push(job);
    return true;
  }

  private failureOutcome(job: Job<T>, why: string, latency: number | null = null): Outcome {
    const f = job.last;
    return {
      max_tokens: maxTokensOf(job.body),
      ok: false,
      error: `${why}: ${f ? f.message : 'no attempt completed'}`,
      status: f?.status ?? null,
      latency_ms: latency,
      endpoint: job.lastEndpoint,
      attempts: job.attempts,
    };
  }

  private finish(job: Job<T>, outcome: Outcome): void {
    let r: void | Promise<void>;
    try {
      r = this.o.onOutcome(job.ctx, outcome);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (r && typeof (r as Promise<void>).then === 'function') {
      this.pendingOutcomes++;
      (r as Promise<void>).then(
        () => {
          this.pendingOutcomes--;
          this.pump();
        },
        (e: unknown) => {
          this.pendingOutcomes--;
          this.fail(e as Error);
        },
      );
    }
  }

  private fail(e: Error): void {
    if (this.fatal) return;
    this.fatal = e;
    this.stopping = 'abort';
    for (const c of this.controllers.keys()) c.abort();
    this.clearTimer();
    const reject = this.rejectRun;
    this.rejectRun = null;
    this.resolveRun = null;
    reject?.(e);
  }
}
