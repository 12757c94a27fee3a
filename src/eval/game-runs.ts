/**
 * The game runs of one `masa eval`: each run's log, metadata and session, its episode driver,
 * and the dispatchers that carry model turns. The run's own model shares the run's dispatcher
 * (runner.ts) with the single-turn benchmarks; a partner model at other endpoints
 * (`partner=model:<name>@<url>`) gets a dispatcher of its own over its own clients, built with
 * the same options. All of them take turns from the same drivers, so an answer arriving on one
 * dispatcher can queue a turn for another: the other is woken.
 */
import type { SamplingPreset } from '../core/catalog.js';
import { MasaError } from '../core/errors.js';
import { mulberry32 } from '../core/rng.js';
import { lookupModel, presetFor } from './catalog.js';
import { EndpointClient, RequestFailure } from './client.js';
import { Dispatcher, IDLE, type DispatcherOptions, type JobInput, type SourceItem } from './dispatcher.js';
import { GameLog, scanGameRun } from './episode-store.js';
import { botSeat, EpisodeDriver, type Seated, type TurnCtx } from './episodes.js';
import { seatAgents, type AgentSpec, type GamePlan } from './game-plan.js';
import { resolveGeneration, type GenerationOverrides } from './generation.js';
import type { ProgressCounters } from './progress.js';
import { TURNS_FILE } from './episode-records.js';
import type { RunMeta, RunSession } from './records.js';
import type { Redactor } from './redact.js';
import { readMeta, writeMeta } from './store.js';

/** The pool of the run's own endpoints. */
export const MAIN_POOL = 'main';

export interface GameRunCtx {
  plan: GamePlan;
  log: GameLog;
  driver: EpisodeDriver;
  session: RunSession;
  meta: RunMeta;
}

/** What opening the game runs needs from the runner. */
export interface GameRunsSetup {
  plans: GamePlan[];
  model: string;
  catalogId: string | null;
  served: Record<string, unknown> | null;
  mainEndpoints: string[];
  apiKey?: string;
  redactor: Redactor;
  generation: GenerationOverrides;
  greedy: boolean;
  /** The run model's sampling preset (partners look up their own). */
  preset: SamplingPreset | undefined;
  session: (planned: number, torn: string | null) => RunSession;
  metaBase: Omit<RunMeta, 'run_id' | 'bench' | 'bench_options' | 'generation' | 'generation_sources' | 'started_at' | 'sessions' | 'dataset'>;
  counters: ProgressCounters;
  /** Options for partner dispatchers (their endpoints and onOutcome are set here). */
  dispatcher: Omit<DispatcherOptions<TurnCtx>, 'endpoints' | 'onOutcome' | 'rng'> & { seed: number };
  skipModelCheck: boolean;
  /** Episodes in play at once per run. */
  maxActive: number;
  log: (message: string) => void;
}

interface Pool {
  key: string;
  model: string;
  dispatcher: Dispatcher<TurnCtx> | null;
  wake: () => void;
}

/** Checks that a partner model is served at its endpoints (a wrong name fails before any request). */
async function checkPartner(clients: EndpointClient[], model: string, log: (m: string) => void): Promise<Record<string, unknown> | null> {
  let card: Record<string, unknown> | null = null;
  for (const c of clients) {
    try {
      const r = await c.models(model);
      if (!r.card) throw new MasaError(`${c.baseUrl}: partner model '${model}' is not served there (served: ${r.ids.join(', ') || 'none'})`);
      card ??= r.card;
    } catch (e) {
      if (e instanceof MasaError) throw e;
      const f = e as RequestFailure;
      if (f.cls === 'fatal') throw new MasaError(`${c.baseUrl}: ${f.message}`);
      log(`warning: ${c.baseUrl}: GET /models failed (${f.message}); trying it anyway`);
    }
  }
  return card;
}

export class GameRuns {
  readonly runs: GameRunCtx[] = [];
  private readonly pools = new Map<string, Pool>();
  private readonly bySession = new Map<EpisodeDriver, RunSession>();
  private rr = 0;
  private mainWake: () => void = () => {};

  /** The dispatchers of partner models at other endpoints (the runner runs and stops them with its own). */
  get partnerDispatchers(): Array<Dispatcher<TurnCtx>> {
    return [...this.pools.values()].map((p) => p.dispatcher).filter((d): d is Dispatcher<TurnCtx> => d !== null);
  }

  /** Called when a turn for the run's own dispatcher is queued by an answer that arrived elsewhere. */
  setMainWake(wake: () => void): void {
    this.mainWake = wake;
  }

  /** The next turn for a pool, taken from the runs in turn. */
  take(pool: string): JobInput<TurnCtx> | null {
    const n = this.runs.length;
    for (let k = 0; k < n; k++) {
      const r = this.runs[(this.rr + k) % n]!;
      const job = r.driver.take(pool);
      if (job) {
        this.rr = (this.rr + k + 1) % n;
        return job;
      }
    }
    return null;
  }

  finished(): boolean {
    return this.runs.every((r) => r.driver.finished());
  }

  flush(): void {
    for (const r of this.runs) r.log.flush();
  }

  session(driver: EpisodeDriver): RunSession {
    return this.bySession.get(driver)!;
  }

  private wakeAll(): void {
    queueMicrotask(() => {
      this.mainWake();
      for (const p of this.pools.values()) p.wake();
    });
  }

  /** A partner pool's job source: its turns, idle while episodes are still in play. */
  private *poolSource(key: string): Generator<SourceItem<TurnCtx>> {
    for (;;) {
      const job = this.take(key);
      if (job) yield job;
      else if (this.finished()) return;
      else yield IDLE;
    }
  }

  static async open(s: GameRunsSetup): Promise<GameRuns> {
    const g = new GameRuns();
    const seatFor = await g.seats(s);
    for (const plan of s.plans) {
      const scan = await scanGameRun(plan.dir);
      if (scan.torn) s.log(`${plan.runId}: torn last line (${scan.torn.bytes} bytes, an interrupted write) set aside in ${scan.torn.file}`);
      if (scan.badLines.length > 0) s.log(`${plan.runId}: ${scan.badLines.length} corrupt line(s) ignored in ${plan.dir}/${TURNS_FILE} (lines ${scan.badLines.slice(0, 5).join(', ')}${scan.badLines.length > 5 ? ', ...' : ''})`);
      const session = s.session(plan.total, scan.torn?.file ?? null);
      const previous = readMeta(plan.dir);
      const now = session.started_at;
      const meta: RunMeta = {
        ...s.metaBase,
        kind: 'game',
        run_id: plan.runId,
        bench: plan.game.id,
        bench_options: plan.options,
        generation: { ...plan.generation.settings },
        generation_sources: plan.generation.sources,
        dataset: { origin: 'generated', files: {} },
        started_at: previous?.started_at ?? now,
        sessions: [...(previous?.sessions ?? []), session],
      };
      writeMeta(plan.dir, meta, s.redactor);
      const log = new GameLog(plan.dir, s.redactor);
      const counters = s.counters;
      const driver = new EpisodeDriver(
        plan,
        scan,
        log,
        (a) => seatFor(plan, a),
        {
          ready: (pool) => {
            if (pool !== MAIN_POOL || g.pools.size > 0) g.wakeAll();
          },
          episodeEnded: (outcome) => {
            counters.done++;
            if (outcome === 'resumed') {
              counters.resumed++;
              session.resumed++;
            }
            if (outcome === 'failed') counters.errors++;
            g.wakeAll();
          },
          turnRecorded: (rec) => {
            if (rec.request_key === null) return;
            if (rec.error !== null) session.failed++;
            else {
              session.succeeded++;
              if (rec.truncated) counters.truncated++;
              counters.completionTokens += rec.usage?.completion_tokens ?? 0;
            }
          },
          warn: s.log,
        },
        s.maxActive,
      );
      counters.total += plan.total;
      g.bySession.set(driver, session);
      g.runs.push({ plan, log, driver, session, meta });
    }
    return g;
  }

  /** Resolves every seat agent of every planned episode to a Seated, creating partner pools as needed. */
  private async seats(s: GameRunsSetup): Promise<(plan: GamePlan, a: AgentSpec) => Seated> {
    const partnerGen = new Map<string, ReturnType<typeof resolveGeneration>>();
    for (const plan of s.plans) {
      for (const spec of plan.episodes) {
        for (const a of seatAgents(plan, spec)) {
          if (a.kind !== 'model' || (a.model === s.model && a.endpoints === null)) continue;
          const key = a.endpoints === null ? MAIN_POOL : `${a.model}@${a.endpoints.join(',')}`;
          if (a.endpoints !== null && !this.pools.has(key)) await this.openPool(s, key, a.model, a.endpoints);
          const genKey = `${plan.runId}|${a.model}`;
          if (!partnerGen.has(genKey)) {
            const match = lookupModel([a.model]);
            const preset: SamplingPreset | undefined = presetFor(match.model, s.generation.chat_template_kwargs);
            partnerGen.set(genKey, resolveGeneration(plan.game.generation?.(plan.options) ?? { max_tokens: 1024 }, preset, s.generation, s.greedy));
          }
        }
      }
    }
    return (plan, a) => {
      if (a.kind === 'bot') return botSeat(plan.game, a.name);
      if (a.model === s.model && a.endpoints === null) return { kind: 'model', model: a.model, pool: MAIN_POOL, generation: plan.generation };
      const pool = a.endpoints === null ? MAIN_POOL : `${a.model}@${a.endpoints.join(',')}`;
      return { kind: 'model', model: a.model, pool, generation: partnerGen.get(`${plan.runId}|${a.model}`)! };
    };
  }

  private async openPool(s: GameRunsSetup, key: string, model: string, endpoints: string[]): Promise<void> {
    const clients = endpoints.map((url) => {
      try {
        return new EndpointClient({ baseUrl: url, apiKey: s.apiKey, redactor: s.redactor });
      } catch (e) {
        throw new MasaError(`--option partner: ${s.redactor.text((e as Error).message)}`, { exitCode: 2 });
      }
    });
    if (!s.skipModelCheck) await checkPartner(clients, model, s.log);
    const { seed, ...opts } = s.dispatcher;
    const dispatcher = new Dispatcher<TurnCtx>({
      ...opts,
      endpoints: clients,
      rng: mulberry32(seed ^ 0x27d4eb2f),
      onOutcome: (ctx, o) => ctx.driver.handle(ctx, o),
    });
    const pool: Pool = { key, model, dispatcher, wake: () => dispatcher.wake() };
    this.pools.set(key, pool);
  }

  /** Runs every partner dispatcher until its turns are done (the runner awaits it beside its own). */
  runPartners(): Array<Promise<void>> {
    return [...this.pools.values()].filter((p) => p.dispatcher).map((p) => p.dispatcher!.run(this.poolSource(p.key)));
  }
}

/** Convenience for the runner: open the game runs (none when no game was asked for). */
export function openGameRuns(s: GameRunsSetup): Promise<GameRuns> {
  return GameRuns.open(s);
}

export type { AgentSpec };
