/**
 * `masa eval` as a function: one model at one or more endpoints, one or more benchmarks.
 * All benchmarks share one dispatcher, so the tail of one never idles the endpoints while the
 * next waits. Records stream to each run's samples.jsonl as responses arrive (scored on
 * arrival); a rerun with the same settings requests only what is missing or failed.
 */
import { MasaError } from '../core/errors.js';
import { mulberry32 } from '../core/rng.js';
import { runsDir } from '../core/paths.js';
import type { SamplingPreset } from '../core/catalog.js';
import type { Item, Trial } from '../bench/types.js';
import { issueSummary } from '../bench/data.js';
import { lookupModel, presetFor } from './catalog.js';
import { EndpointClient, RequestFailure } from './client.js';
import { bodyAfterCappedTruncation, bodyAfterContextError, capToContext } from './context.js';
import { Dispatcher, IDLE, type JobInput, type Outcome, type SourceItem } from './dispatcher.js';
import { planGameRun, type GamePlan } from './game-plan.js';
import { MAIN_POOL, openGameRuns } from './game-runs.js';
import type { TurnCtx } from './episodes.js';
import { summarizeGameRun, type GameRunSummary } from './game-summary.js';
import { failureRecord, successRecord, type RecordInput } from './outcome.js';
import { itemRequests, planRun, plannedRequests, splitSelection, type RunPlan, type RunSelection } from './plan.js';
import { precisionSettings } from './precision.js';
import { RunPrecision } from './precision-run.js';
import { choiceTokens, groupTrials, itemsByPrefix, type RequestGroup } from './sharing.js';
import { Progress, type ProgressCounters, type ProgressMode } from './progress.js';
import { gitCommit, hashDataset, masaVersion } from './provenance.js';
import type { ChatResult } from './client.js';
import type { PrecisionMeta, RunMeta, RunSession, SampleRecord } from './records.js';
import { Redactor } from './redact.js';
import { readMeta, SampleWriter, scanRun, writeMeta } from './store.js';
import { summarizeRun, type RunSummary } from './summarize.js';
import { join } from 'node:path';
import { SAMPLES_FILE } from './records.js';

export interface EvalConfig extends RunSelection {
  endpoints: string[];
  apiKey?: string;
  /** Per-endpoint ceiling of requests in flight (default 32). */
  concurrency?: number;
  minConcurrency?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  itemBudgetMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Skip GET /v1/models before starting (servers that do not implement it). */
  skipModelCheck?: boolean;
  /** The model's context length, to fit max_tokens into it (src/eval/context.ts). Default: the
   * smallest max_model_len the endpoints' GET /v1/models report; null: do not cap before sending
   * (a 400 "maximum context length" is still answered by one resend). */
  maxModelLen?: number | null;
  progress?: ProgressMode;
  progressIntervalMs?: number;
  /** Messages for the user (torn lines, warnings); default stderr. */
  log?: (message: string) => void;
  /** Aborting it stops cleanly: nothing new starts, requests in flight finish and are recorded. */
  drainSignal?: AbortSignal;
  /** Aborting it also cancels the requests in flight (lost, requested again by a rerun). */
  abortSignal?: AbortSignal;
}

export interface EvalResult {
  /** One per benchmark and game, in the order asked (games' summaries have kind 'game'). */
  runs: Array<RunSummary | GameRunSummary>;
  interrupted: boolean;
}

interface RunCtx {
  plan: RunPlan;
  writer: SampleWriter;
  keys: Set<string>;
  /** Request keys already answered when the session opened the run. */
  done: Set<string>;
  session: RunSession;
  meta: RunMeta;
  /** Precision-targeted runs: where the stopping rule stands. */
  precision: RunPrecision | null;
  /** When this session sent the run's first request and wrote its last record (work_ms). */
  firstSent: number | null;
  lastRecord: number | null;
}

interface Member {
  item: Item;
  trial: Trial;
  key: string;
}

/** One request: the trials it answers (several when trials with one prompt share it, see sharing.ts). */
interface JobCtx {
  kind: 'sample';
  run: RunCtx;
  members: Member[];
  mode: RequestGroup['mode'];
}

/** The answer each member of a shared request gets: its choice (n), the one answer (fanout), or null when the server sent fewer choices. */
function memberResults(ctx: JobCtx, r: ChatResult): Array<ChatResult | null> {
  if (ctx.mode !== 'n') return ctx.members.map(() => r);
  const choices = r.choices ?? [{ content: r.content, reasoning: r.reasoning, finish_reason: r.finish_reason }];
  // The server reports one usage for the request: each choice gets its share (the prompt stays
  // whole on every record; cost tables count it once, see records.ts SharedRequest).
  const split = choiceTokens(r.usage?.completion_tokens ?? 0, choices.map((c) => `${c.reasoning ?? ''}${c.content ?? ''}`));
  const reasoning = r.usage?.reasoning_tokens === undefined ? null : choiceTokens(r.usage.reasoning_tokens, choices.map((c) => c.reasoning ?? ''));
  return ctx.members.map((_, i) => {
    const c = choices[i];
    if (!c) return null;
    const usage = r.usage ? { ...r.usage, completion_tokens: split[i]! } : null;
    if (usage && reasoning) usage.reasoning_tokens = reasoning[i]!;
    return { ...c, usage, model: r.model };
  });
}

export async function runEval(cfg: EvalConfig): Promise<EvalResult> {
  if (cfg.endpoints.length === 0) throw new MasaError('masa eval: at least one --endpoint is needed', { exitCode: 2 });
  const redactor = new Redactor([cfg.apiKey]);
  const clients = cfg.endpoints.map((url) => {
    try {
      return new EndpointClient({ baseUrl: url, apiKey: cfg.apiKey, redactor });
    } catch (e) {
      throw new MasaError(`--endpoint: ${redactor.text((e as Error).message)}`, { exitCode: 2 });
    }
  });
  let progress: Progress | null = null;
  const log = (m: string): void => {
    const text = redactor.text(m);
    if (cfg.log) cfg.log(text);
    else if (progress) progress.note(text);
    else process.stderr.write(text + '\n');
  };

  // What the server says of the model: catches a wrong --model before any request is spent.
  let served: Record<string, unknown> | null = null;
  let servedMaxLen: number | null = null;
  if (!cfg.skipModelCheck) {
    let reachable = 0;
    for (const c of clients) {
      try {
        const { card, ids } = await c.models(cfg.model);
        reachable++;
        if (!card) throw new MasaError(`${c.baseUrl}: model '${cfg.model}' is not served there (served: ${ids.join(', ') || 'none'})`);
        served ??= card;
        const len = card.max_model_len;
        if (typeof len === 'number' && len > 0) servedMaxLen = servedMaxLen === null ? len : Math.min(servedMaxLen, len);
      } catch (e) {
        if (e instanceof MasaError) throw e;
        const f = e as RequestFailure;
        if (f.cls === 'fatal') throw new MasaError(`${c.baseUrl}: ${f.message}`);
        log(`warning: ${c.baseUrl}: GET /models failed (${f.message}); trying it anyway`);
      }
    }
    if (reachable === 0) throw new MasaError(`no endpoint answered GET /models (${clients.map((c) => c.baseUrl).join(', ')})`);
  }

  let preset: SamplingPreset | undefined;
  let catalogId: string | null = null;
  if (cfg.preset === undefined) {
    const match = lookupModel([cfg.model, typeof served?.root === 'string' ? served.root : null]);
    if (match.warning) log(`warning: ${match.warning}`);
    preset = presetFor(match.model, cfg.generation?.chat_template_kwargs);
    catalogId = match.model?.id ?? null;
  } else preset = cfg.preset ?? undefined;

  const maxModelLen = cfg.maxModelLen !== undefined ? cfg.maxModelLen : servedMaxLen;
  const seed = cfg.seed ?? 0;
  const out = cfg.out ?? runsDir();
  const { benches, games: gameDefs } = splitSelection(cfg.benches);
  const known = [...benches, ...gameDefs];
  const precision = cfg.targetCi === undefined || cfg.targetCi === null ? null : precisionSettings(cfg.targetCi, { minItems: cfg.minItems });
  const order = cfg.order ?? 'prefix';
  const share = cfg.shareTrials ?? true;
  const planCfg = { model: cfg.model, seed, limit: cfg.limit ?? null, options: cfg.options ?? {}, generation: cfg.generation ?? {}, greedy: cfg.greedy ?? false, preset, dataRoot: cfg.dataRoot, out };
  const plans: RunPlan[] = [];
  for (const b of benches) plans.push(await planRun(b, { ...planCfg, precision, extraction: cfg.extraction }, known));
  // Games count episodes: a precision target is for single-turn benchmarks.
  const gamePlans: GamePlan[] = gameDefs.map((g) => planGameRun(g, planCfg, known));

  const counters: ProgressCounters = { total: 0, done: 0, resumed: 0, errors: 0, truncated: 0, completionTokens: 0, inFlight: () => 0, waiting: () => 0 };
  const runs: RunCtx[] = [];
  const newSession = (planned: number, torn: string | null): RunSession => ({
    mode: 'online',
    started_at: new Date().toISOString(),
    finished_at: null,
    endpoints: clients.map((c) => c.baseUrl),
    limit: cfg.limit ?? null,
    planned,
    resumed: 0,
    requested: 0,
    succeeded: 0,
    failed: 0,
    interrupted: false,
    torn,
    context: { max_model_len: maxModelLen, capped: 0, resent_after_400: 0, resent_after_truncation: 0 },
    client: {
      concurrency: cfg.concurrency ?? 32,
      min_concurrency: cfg.minConcurrency ?? null,
      timeout_ms: cfg.timeoutMs ?? 600_000,
      max_attempts: cfg.maxAttempts ?? 6,
      item_budget_ms: cfg.itemBudgetMs ?? 3_600_000,
    },
  });
  const version = masaVersion();
  const commit = gitCommit();
  for (const plan of plans) {
    const issues = issueSummary(plan.bench.id, plan.items);
    if (issues) log(issues);
    const scan = await scanRun(plan.dir);
    if (scan.torn) log(`${plan.runId}: torn last line (${scan.torn.bytes} bytes, an interrupted write) set aside in ${scan.torn.file}`);
    if (scan.badLines.length > 0) log(`${plan.runId}: ${scan.badLines.length} corrupt line(s) ignored in ${join(plan.dir, SAMPLES_FILE)} (lines ${scan.badLines.slice(0, 5).join(', ')}${scan.badLines.length > 5 ? ', ...' : ''})`);
    const previous = readMeta(plan.dir);
    const session: RunSession = {
      ...newSession(plan.total, scan.torn?.file ?? null),
      extraction: plan.extraction ?? 'robust',
      // A precision run keeps its stratified order (see source()).
      order: precision ? 'arrival' : order,
      requests_sent: 0,
      shared_requests: 0,
    };
    const now = session.started_at;
    const meta: RunMeta = {
      v: 1,
      run_id: plan.runId,
      model: cfg.model,
      catalog_id: catalogId,
      served,
      bench: plan.bench.id,
      bench_options: plan.options,
      generation: { ...plan.generation.settings },
      generation_sources: plan.generation.sources,
      endpoints: clients.map((c) => c.baseUrl),
      seed,
      limit: cfg.limit ?? null,
      masa_version: version,
      git_commit: commit,
      dataset: { origin: plan.location.origin, files: await hashDataset(plan.location.dir) },
      data_root: cfg.dataRoot ?? null,
      started_at: previous?.started_at ?? now,
      finished_at: null,
      sessions: [...(previous?.sessions ?? []), session],
    };
    writeMeta(plan.dir, meta, redactor);
    let tracker: RunPrecision | null = null;
    if (plan.precision) {
      tracker = new RunPrecision(plan);
      await tracker.load();
      if (tracker.stopped) log(`${plan.runId}: its records already reach the precision target (${tracker.tracker.stoppedAt} of ${plan.items.length} items): nothing to request`);
    }
    runs.push({ plan, done: scan.done, writer: new SampleWriter(join(plan.dir, SAMPLES_FILE), redactor), keys: new Set(), session, meta, precision: tracker, firstSent: null, lastRecord: null });
    counters.total += plan.total;
  }

  const concurrency = Math.max(1, Math.floor(cfg.concurrency ?? 32));
  const dispatcherOptions = {
    concurrency,
    minConcurrency: cfg.minConcurrency,
    timeoutMs: cfg.timeoutMs ?? 600_000,
    maxAttempts: cfg.maxAttempts ?? 6,
    itemBudgetMs: cfg.itemBudgetMs ?? 3_600_000,
    backoffBaseMs: cfg.backoffBaseMs,
    backoffMaxMs: cfg.backoffMaxMs,
    maxPendingOutcomes: concurrency * clients.length * 2,
  };
  const games = await openGameRuns({
    plans: gamePlans,
    model: cfg.model,
    catalogId,
    served,
    mainEndpoints: clients.map((c) => c.baseUrl),
    apiKey: cfg.apiKey,
    redactor,
    generation: cfg.generation ?? {},
    greedy: cfg.greedy ?? false,
    preset,
    session: newSession,
    metaBase: {
      v: 1,
      model: cfg.model,
      catalog_id: catalogId,
      served,
      endpoints: clients.map((c) => c.baseUrl),
      seed,
      limit: cfg.limit ?? null,
      masa_version: version,
      git_commit: commit,
      data_root: null,
      finished_at: null,
    },
    counters,
    dispatcher: { ...dispatcherOptions, seed },
    skipModelCheck: cfg.skipModelCheck ?? false,
    // Enough episodes in play to keep every slot busy while each waits for its answer.
    maxActive: Math.max(8, 2 * concurrency * clients.length),
    log,
  });
  const noteStop = (run: RunCtx): void => {
    const t = run.precision!.tracker;
    log(`${run.plan.runId}: stopped by precision at ${t.stoppedAt} of ${run.plan.items.length} items (95% interval half-width ${t.last ? t.last.halfWidth.toFixed(4) : '?'} < ${run.plan.precision!.target})`);
  };

  const writeRecord = (ctx: JobCtx, index: number, rec: SampleRecord): void => {
    const run = ctx.run;
    if (ctx.mode !== 'single') rec.shared = { n: ctx.members.length, index, choice: ctx.mode === 'n' ? index : 0 };
    if (run.precision) {
      const rank = run.precision.rankOf(rec.item_id);
      if (rank !== undefined) rec.rank = rank;
    }
    run.writer.append(rec);
    run.lastRecord = Date.now();
    if (run.precision) {
      const was = run.precision.stopped;
      run.precision.record(rec);
      if (!was && run.precision.stopped) noteStop(run);
    }
    counters.done++;
    if (rec.error !== null) {
      counters.errors++;
      ctx.run.session.failed++;
    } else {
      ctx.run.session.succeeded++;
      if (rec.truncated) counters.truncated++;
      counters.completionTokens += rec.usage?.completion_tokens ?? 0;
    }
  };
  const dispatcher = new Dispatcher<JobCtx | TurnCtx>({
    ...dispatcherOptions,
    endpoints: clients,
    rng: mulberry32(seed ^ 0x5bd1e995),
    onOutcome(ctx: JobCtx | TurnCtx, o: Outcome): void | Promise<void> {
      if (ctx.kind === 'turn') return ctx.driver.handle(ctx, o);
      const input = (m: Member): RecordInput => ({ plan: ctx.run.plan, item: m.item, trial: m.trial, key: m.key });
      // `=== false`, not `!o.ok`: tslab type-checks src without strictNullChecks, where truthiness does not narrow the union.
      if (o.ok === false) {
        ctx.members.forEach((m, i) => writeRecord(ctx, i, failureRecord(input(m), o)));
        return;
      }
      const results = memberResults(ctx, o.result);
      const scoring: Array<Promise<void>> = [];
      ctx.members.forEach((m, i) => {
        const result = results[i];
        if (!result) {
          const error = `the server answered ${o.result.choices?.length ?? 1} choice(s) for n = ${ctx.members.length}; rerun with --no-share-trials`;
          writeRecord(ctx, i, failureRecord(input(m), { error, latency_ms: o.latency_ms, endpoint: o.endpoint, attempts: o.attempts, max_tokens: o.max_tokens }));
          return;
        }
        const rec = successRecord(input(m), { result, latency_ms: o.latency_ms, endpoint: o.endpoint, attempts: o.attempts, max_tokens: o.max_tokens });
        if (rec instanceof Promise) scoring.push(rec.then((r) => writeRecord(ctx, i, r)));
        else writeRecord(ctx, i, rec);
      });
      if (scoring.length > 0) return Promise.all(scoring).then(() => undefined);
    },
    beforeStart() {
      for (const run of runs) run.writer.flush();
      games.flush();
    },
    resend(ctx: JobCtx | TurnCtx, body, event) {
      const session = ctx.kind === 'turn' ? games.session(ctx.driver) : ctx.run.session;
      const context = session.context!;
      if (event.failure) {
        if (event.failure.status !== 400) return null;
        const next = bodyAfterContextError(body, event.failure.message, maxModelLen);
        if (next) context.resent_after_400++;
        return next;
      }
      const planned = ctx.kind === 'turn' ? ctx.plannedMaxTokens : (ctx.run.plan.generation.settings.max_tokens ?? null);
      const r = event.result;
      const cut = r.choices?.some((c) => c.finish_reason === 'length') ? 'length' : r.finish_reason;
      // The server's own prompt count and context length (from the card) say how much room there was.
      const next = bodyAfterCappedTruncation(body, planned, cut, r.usage?.prompt_tokens ?? null, maxModelLen);
      if (next) context.resent_after_truncation++;
      return next;
    },
  });
  const partners = games.partnerDispatchers;
  const all = [dispatcher, ...partners];
  counters.inFlight = () => all.reduce((n, d) => n + d.active, 0);
  counters.waiting = () => all.reduce((n, d) => n + d.waiting, 0);
  games.setMainWake(() => dispatcher.wake());

  /**
   * The runs' requests, trials with one prompt grouped (sharing.ts). A run without a precision
   * target has its whole plan in hand and sends its items sorted by prompt; a precision run sends
   * its stratified order as it is, so its longest complete prefix grows steadily (sorting windows
   * of it measured no saving in prompt tokens, its trials being grouped already, and a later stop).
   */
  function* benchSource(): Generator<JobInput<JobCtx>> {
    for (const run of runs) {
      const done = run.done;
      const plan = run.plan;
      // Only the sort keys are held; bodies are built as they are sent.
      const items = order === 'prefix' && !run.precision ? itemsByPrefix(plan.items, (it) => plan.bench.messages(it, plan.bench.trials(it, plan.options)[0]!, plan.options)) : plan.items;
      for (let i = 0; i < items.length && !run.precision?.stopped; i++) {
        const pending = [];
        for (const req of itemRequests(plan, items[i]!)) {
          run.keys.add(req.key);
          if (done.has(req.key)) {
            counters.done++;
            counters.resumed++;
            run.session.resumed++;
          } else pending.push(req);
        }
        yield* sendGroups(run, groupTrials(pending, share));
      }
      // Trials a stopped precision run will not request leave the progress total.
      if (run.precision?.stopped) counters.total -= run.plan.total - run.session.resumed - run.session.requested;
    }
  }

  /** Yields one job per request group, until a precision run stops. */
  function* sendGroups(run: RunCtx, groups: readonly RequestGroup[]): Generator<JobInput<JobCtx>> {
    for (const g of groups) {
      if (run.precision?.stopped) break;
      run.session.requested += g.members.length;
      run.session.requests_sent!++;
      if (g.members.length > 1) run.session.shared_requests!++;
      run.firstSent ??= Date.now();
      // The key stays the planned request's: a capped request is done once answered, whatever the cap.
      const body = capToContext(g.body, maxModelLen);
      if (body !== g.body) run.session.context!.capped++;
      yield { body, ctx: { kind: 'sample', run, members: g.members.map((m) => ({ item: m.item, trial: m.trial, key: m.key })), mode: g.mode } };
    }
  }

  // Game turns first: an episode's next turn waits on this one, so its chain should start early;
  // single-turn requests fill every slot the episodes leave free.
  function* source(): Generator<SourceItem<JobCtx | TurnCtx>> {
    const single = benchSource();
    let singleDone = false;
    for (;;) {
      const turn = games.take(MAIN_POOL);
      if (turn) {
        yield turn;
        continue;
      }
      if (!singleDone) {
        const r = single.next();
        if (!r.done) {
          yield r.value;
          continue;
        }
        singleDone = true;
      }
      if (games.finished()) return;
      yield IDLE;
    }
  }

  const label = `${cfg.model} ${[...plans.map((p) => p.bench.id), ...gamePlans.map((p) => p.game.id)].join(',')}:`;
  progress = new Progress(counters, label, cfg.progress ?? 'auto', process.stderr, cfg.progressIntervalMs);
  let interrupted = false;
  const onDrain = (): void => {
    interrupted = true;
    log(`stopping: waiting for ${counters.inFlight()} request(s) in flight (interrupt again to abandon them)`);
    for (const d of all) d.stop('drain');
  };
  const onAbort = (): void => {
    interrupted = true;
    for (const d of all) d.stop('abort');
  };
  cfg.drainSignal?.addEventListener('abort', onDrain, { once: true });
  cfg.abortSignal?.addEventListener('abort', onAbort, { once: true });
  if (cfg.drainSignal?.aborted) onDrain();
  if (cfg.abortSignal?.aborted) onAbort();
  progress.start();
  let failure: Error | null = null;
  try {
    const main = dispatcher.run(source());
    // A failure of one dispatcher stops the others, so nothing waits on a turn that will never come.
    await Promise.all(
      [main, ...games.runPartners()].map((p) =>
        p.catch((e: Error) => {
          for (const d of all) d.stop('abort');
          throw e;
        }),
      ),
    );
  } catch (e) {
    failure = e as Error;
    interrupted = true;
  } finally {
    progress.stop();
    progress = null;
    cfg.drainSignal?.removeEventListener('abort', onDrain);
    cfg.abortSignal?.removeEventListener('abort', onAbort);
  }

  const summaries: Array<RunSummary | GameRunSummary> = [];
  const stats = dispatcher.stats();
  const finished = new Date().toISOString();
  for (const run of runs) {
    run.writer.close();
    // Keys of items the source never reached (stopped early, or by precision) still count as planned.
    if (interrupted || run.precision) for (const req of plannedRequests(run.plan)) run.keys.add(req.key);
    run.session.finished_at = finished;
    run.session.interrupted = interrupted;
    run.session.endpoint_stats = stats;
    if (run.firstSent !== null && run.lastRecord !== null) run.session.work_ms = run.lastRecord - run.firstSent;
    run.meta.finished_at = finished;
    const summary = await summarizeRun(run.plan, run.keys);
    if (summary.precision) {
      const p = summary.precision;
      const pm: PrecisionMeta = {
        target: p.target,
        alpha: p.alpha,
        min_items: p.min_items,
        method: p.method,
        order: 'stratified',
        population: p.population,
        items: p.items,
        stopped: p.stopped,
        stopped_at: p.stopped_at,
        accuracy: p.items > 0 ? summary.accuracy : null,
        cs_low: p.cs_low,
        cs_high: p.cs_high,
      };
      run.session.precision = pm;
      run.meta.precision = pm;
    }
    writeMeta(run.plan.dir, run.meta, redactor);
    summaries.push(summary);
  }
  for (const g of games.runs) {
    g.log.close();
    g.session.requested = g.driver.stats.requested;
    g.session.finished_at = finished;
    g.session.interrupted = interrupted;
    g.session.endpoint_stats = [...stats, ...partners.flatMap((d) => d.stats())];
    g.meta.finished_at = finished;
    writeMeta(g.plan.dir, g.meta, redactor);
    summaries.push(await summarizeGameRun(g.plan));
  }
  if (failure) throw new MasaError(redactor.text(failure.message));
  return { runs: summaries, interrupted };
}
