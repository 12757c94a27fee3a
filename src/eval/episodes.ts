/**
 * The episode runner: drives the episodes of a game run through turns, sending every model
 * turn through the shared dispatcher (the same client, retries, adaptive concurrency and
 * record store as single-turn benchmarks). An episode's turns are sequential; the run is not:
 * while one episode waits for a reply, the dispatcher's slots carry the turns of others.
 *
 * A model turn: the game's prompt for the seat's observation; a reply that does not parse into
 * a legal action (or is empty, or cut by the token limit) gets one re-ask with the error shown,
 * then the game's forfeit action is applied and recorded. Scripted partners act in code.
 * Every request and every scripted action is a TurnRecord; an EpisodeRecord closes the episode.
 *
 * Resume: the run's log is scanned (episode-store.ts); finished episodes are skipped; an
 * unfinished one is rebuilt by replaying its recorded actions through the deterministic rules,
 * and continues from its first turn without an answer. No answered request is asked again.
 */
import { MasaError } from '../core/errors.js';
import type { ChatMessage } from '../bench/types.js';
import { applyTurn, findPartner, MAX_TURNS, partnerRng } from '../play/loop.js';
import type { AnyGame, EpisodeSpec, Parsed, Partner, TurnLog } from '../play/types.js';
import type { JobInput, Outcome } from './dispatcher.js';
import { MAX_KEPT_REPLY_CHARS, TURNS_FILE, type EpisodeRecord, type TurnRecord } from './episode-records.js';
import type { EpisodeResume, GameLog, GameScan } from './episode-store.js';
import { agentName, seatAgents, turnRequest, type AgentSpec, type GamePlan } from './game-plan.js';
import type { ResolvedGeneration } from './generation.js';
import { splitResponse } from './reasoning.js';

/** A seat played by a model: which dispatcher carries its turns, and with which settings. */
export interface ModelSeat {
  kind: 'model';
  model: string;
  /** Key of the dispatcher (the run's own, or a partner model's at other endpoints). */
  pool: string;
  generation: ResolvedGeneration;
}
export type Seated = ModelSeat | { kind: 'bot'; name: string; partner: Partner<unknown, unknown> };

/** The dispatcher context of one model turn. */
export interface TurnCtx {
  kind: 'turn';
  driver: EpisodeDriver;
  live: Live;
  turn: number;
  ask: number;
  seat: number;
  obs: unknown;
  messages: ChatMessage[];
  key: string;
  /** Planned max_tokens, for context fitting. */
  plannedMaxTokens: number | null;
}

interface Live {
  spec: EpisodeSpec;
  state: unknown;
  turn: number;
  logs: TurnLog<unknown>[];
  seats: Seated[];
  names: string[];
  resume: EpisodeResume | undefined;
  tokens: number;
  modelTurns: number;
  invalid: number;
  forfeits: number;
  seat0Turns: number;
  seat0Requests: number;
  seat0Invalid: number;
  seat0Forfeits: number;
}

export interface DriverHooks {
  /** A turn for dispatcher `pool` is queued. */
  ready(pool: string): void;
  /** An episode ended: completed, or stalled on a request that failed after all retries. */
  episodeEnded(outcome: 'completed' | 'failed' | 'resumed'): void;
  turnRecorded(rec: TurnRecord): void;
  warn(message: string): void;
}

export interface DriverStats {
  completed: number;
  resumed: number;
  failed: number;
  requested: number;
}

/** How seat agents become Seated: the caller knows the dispatchers and each model's settings. */
export type SeatResolver = (agent: AgentSpec) => Seated;

const reply = (r: string): string => (r.length > MAX_KEPT_REPLY_CHARS ? r.slice(0, MAX_KEPT_REPLY_CHARS) : r);

/** Longest reply end handed to a game's parser. */
const MAX_PARSE_CHARS = 1_000_000;

/** How much of an unusable reply the re-ask shows back: enough to see the mistake, never enough to overflow the context. */
export const REASK_ECHO_CHARS = 2000;
const echo = (r: string): string => (r.length > REASK_ECHO_CHARS ? `${r.slice(0, REASK_ECHO_CHARS)} [... ${r.length - REASK_ECHO_CHARS} more characters]` : r);

/** The messages of a re-ask: the first prompt, the unusable reply (cut), the game's correction. */
function reaskMessages(game: AnyGame, prompt: ChatMessage[], answer: string, error: string, obs: unknown, options: Record<string, unknown>): ChatMessage[] {
  return [...prompt, { role: 'assistant', content: echo(answer) }, ...(game.reask(error, obs, options) as ChatMessage[])];
}

export class EpisodeDriver {
  private readonly queues = new Map<string, Array<JobInput<TurnCtx>>>();
  private next = 0;
  private active = 0;
  readonly stats: DriverStats = { completed: 0, resumed: 0, failed: 0, requested: 0 };
  private readonly game: AnyGame;

  constructor(
    readonly plan: GamePlan,
    private readonly scan: GameScan,
    readonly log: GameLog,
    private readonly resolveSeat: SeatResolver,
    private readonly hooks: DriverHooks,
    /** Episodes in play at once (bounds memory; enough to keep every slot busy). */
    private readonly maxActive: number,
  ) {
    this.game = plan.game;
  }

  /** Every episode started and none still in play. */
  finished(): boolean {
    return this.next >= this.plan.episodes.length && this.active === 0;
  }

  /** The next queued turn for a dispatcher, starting episodes as needed; null when none is ready. */
  take(pool: string): JobInput<TurnCtx> | null {
    for (;;) {
      const q = this.queues.get(pool);
      if (q && q.length > 0) return q.shift()!;
      if (this.active >= this.maxActive || this.next >= this.plan.episodes.length) return null;
      this.start(this.plan.episodes[this.next++]!);
    }
  }

  private start(spec: EpisodeSpec): void {
    if (this.scan.done.has(spec.id)) {
      this.stats.resumed++;
      this.hooks.episodeEnded('resumed');
      return;
    }
    const agents = seatAgents(this.plan, spec);
    const live: Live = {
      spec,
      state: this.game.init(spec, this.plan.options),
      turn: 0,
      logs: [],
      seats: agents.map(this.resolveSeat),
      names: agents.map(agentName),
      resume: this.scan.partial.get(spec.id),
      tokens: 0,
      modelTurns: 0,
      invalid: 0,
      forfeits: 0,
      seat0Turns: 0,
      seat0Requests: 0,
      seat0Invalid: 0,
      seat0Forfeits: 0,
    };
    this.scan.partial.delete(spec.id);
    this.active++;
    this.advance(live);
  }

  /** Plays scripted and replayed turns until a model turn is queued or the episode ends. */
  private advance(live: Live): void {
    for (;;) {
      const seat = this.game.toAct(live.state);
      if (seat === null) return this.finish(live);
      if (live.turn >= MAX_TURNS) throw new MasaError(`${this.game.id}: episode ${live.spec.id} did not end within ${MAX_TURNS} turns`);
      const done = live.resume?.applied.get(live.turn);
      if (done) {
        this.replay(live, seat, done);
        continue;
      }
      const agent = live.seats[seat]!;
      if (agent.kind === 'bot') {
        this.botTurn(live, seat, agent.partner);
        continue;
      }
      const pending = live.resume?.reask.get(live.turn);
      const obs = this.game.observe(live.state, seat);
      const prompt = this.game.prompt(obs, this.plan.options) as ChatMessage[];
      const messages = pending ? reaskMessages(this.game, prompt, pending.reply, pending.error, obs, this.plan.options) : prompt;
      this.queue(live, seat, agent, obs, messages, pending ? 1 : 0);
      return;
    }
  }

  private replay(live: Live, seat: number, done: { action: unknown; seat: number; forfeit: boolean; invalid: number; completion_tokens: number | null; line: number }): void {
    if (done.seat !== seat) throw new MasaError(`${this.plan.dir}/${TURNS_FILE}:${done.line}: turn ${live.turn} of ${live.spec.id} was played by seat ${done.seat}, but the replayed game has seat ${seat} to act (the rules changed since the run was recorded?)`);
    let r;
    try {
      r = applyTurn(this.game, live.state, seat, done.action, live.turn, { forfeit: done.forfeit, invalid: done.invalid, completion_tokens: done.completion_tokens });
    } catch (e) {
      throw new MasaError(`${this.plan.dir}/${TURNS_FILE}:${done.line}: the recorded action of ${live.spec.id} turn ${live.turn} does not replay: ${(e as Error).message}`);
    }
    if (live.seats[seat]!.kind === 'model') this.countModelTurn(live, seat, done.invalid, done.forfeit, done.completion_tokens);
    this.accept(live, r);
  }

  private botTurn(live: Live, seat: number, partner: Partner<unknown, unknown>): void {
    const obs = this.game.observe(live.state, seat);
    const action = partner.act(obs, partnerRng(live.spec, live.turn, seat));
    const r = applyTurn(this.game, live.state, seat, action, live.turn);
    this.write(this.turnRecord(live, seat, { agent: live.names[seat]!, action, legal: true, applied: true, rewards: r.log.rewards }));
    this.accept(live, r);
  }

  private accept(live: Live, r: { state: unknown; log: TurnLog<unknown> }): void {
    live.state = r.state;
    live.logs.push(r.log);
    live.turn++;
  }

  private countModelTurn(live: Live, seat: number, invalid: number, forfeit: boolean, tokens: number | null): void {
    live.modelTurns++;
    live.invalid += invalid;
    if (forfeit) live.forfeits++;
    live.tokens += tokens ?? 0;
    if (seat === 0) {
      live.seat0Turns++;
      live.seat0Requests += forfeit ? 2 : 1 + invalid;
      live.seat0Invalid += invalid;
      if (forfeit) live.seat0Forfeits++;
    }
  }

  private queue(live: Live, seat: number, agent: ModelSeat, obs: unknown, messages: ChatMessage[], ask: number): void {
    const { body, key } = turnRequest(this.plan, agent.model, agent.generation, live.spec, live.turn, ask, messages);
    const ctx: TurnCtx = { kind: 'turn', driver: this, live, turn: live.turn, ask, seat, obs, messages, key, plannedMaxTokens: agent.generation.settings.max_tokens ?? null };
    let q = this.queues.get(agent.pool);
    if (!q) this.queues.set(agent.pool, (q = []));
    q.push({ body, ctx });
    this.stats.requested++;
    this.hooks.ready(agent.pool);
  }

  /** The dispatcher's outcome for a model turn. */
  handle(ctx: TurnCtx, o: Outcome): void {
    const live = ctx.live;
    const name = live.names[ctx.seat]!;
    if (o.ok === false) {
      this.write(this.turnRecord(live, ctx.seat, { agent: name, ask: ctx.ask, key: ctx.key, messages: ctx.messages, error: o.error, attempts: o.attempts, endpoint: o.endpoint, latency_ms: o.latency_ms }));
      this.stats.failed++;
      this.active--;
      this.hooks.episodeEnded('failed');
      return;
    }
    const split = splitResponse(o.result.content, o.result.reasoning, o.result.finish_reason);
    const parsed = this.read(split.answer, split.truncated, ctx.obs);
    const base = {
      agent: name,
      ask: ctx.ask,
      key: ctx.key,
      messages: ctx.messages,
      response: split.answer,
      reasoning: split.reasoning,
      finish_reason: o.result.finish_reason,
      truncated: split.truncated,
      usage: o.result.usage,
      latency_ms: o.latency_ms,
      attempts: o.attempts,
      endpoint: o.endpoint,
    };
    const tokens = o.result.usage?.completion_tokens ?? null;
    // `=== false` narrows under tslab's non-strict compiler too.
    if (parsed.ok === false) {
      const error = parsed.error;
      if (ctx.ask === 0) {
        this.write(this.turnRecord(live, ctx.seat, { ...base, legal: false, parse_error: error }));
        const messages = reaskMessages(this.game, ctx.messages, split.answer ?? '', error, ctx.obs, this.plan.options);
        this.queue(live, ctx.seat, live.seats[ctx.seat] as ModelSeat, ctx.obs, messages, 1);
        return;
      }
      const action = this.game.forfeit(ctx.obs, this.plan.options);
      const r = applyTurn(this.game, live.state, ctx.seat, action, live.turn, { forfeit: true, invalid: 2, completion_tokens: tokens });
      this.write(this.turnRecord(live, ctx.seat, { ...base, action, legal: false, parse_error: error, applied: true, forfeit: true, rewards: r.log.rewards }));
      this.countModelTurn(live, ctx.seat, 2, true, tokens);
      this.accept(live, r);
      this.advance(live);
      return;
    }
    const action = (parsed as { action: unknown }).action;
    const r = applyTurn(this.game, live.state, ctx.seat, action, live.turn, { invalid: ctx.ask, completion_tokens: tokens });
    this.write(this.turnRecord(live, ctx.seat, { ...base, action, legal: true, applied: true, rewards: r.log.rewards }));
    this.countModelTurn(live, ctx.seat, ctx.ask, false, tokens);
    this.accept(live, r);
    this.advance(live);
  }

  /** A reply into a legal action, or why not. The reply is untrusted: a parser that throws on it makes it unusable, never the run. */
  private read(answer: string | null, truncated: boolean, obs: unknown): Parsed<unknown> {
    if (truncated) return { ok: false, error: 'the reply was cut by the token limit before it gave a move' };
    if (answer === null || answer.trim() === '') return { ok: false, error: 'the reply was empty' };
    let parsed: Parsed<unknown>;
    try {
      // The end of a reply is where its move is; parsers bound their own work further (play/common.ts MAX_READ_CHARS).
      parsed = this.game.parse(answer.length > MAX_PARSE_CHARS ? answer.slice(-MAX_PARSE_CHARS) : answer, obs, this.plan.options) as Parsed<unknown>;
    } catch (e) {
      this.hooks.warn(`${this.game.id}: parse threw on a reply (${(e as Error).message}); counted as unusable`);
      return { ok: false, error: 'the reply could not be read' };
    }
    if (parsed.ok === false) return parsed;
    const why = this.game.validate(obs, parsed.action);
    return why === null ? parsed : { ok: false, error: why };
  }

  private finish(live: Live): void {
    const measures = this.game.score({ spec: live.spec, agents: live.names, turns: live.logs, final: live.state }, this.plan.options) as Record<string, number | null>;
    const returns = new Array<number>(this.game.seats).fill(0);
    for (const t of live.logs) t.rewards.forEach((v, i) => (returns[i] = (returns[i] ?? 0) + v));
    const rec: EpisodeRecord = {
      v: 1,
      kind: 'episode',
      run_id: this.plan.runId,
      model: this.plan.model,
      game: this.game.id,
      episode_id: live.spec.id,
      seed: live.spec.seed,
      agents: live.names,
      tags: live.spec.tags,
      turns: live.turn,
      model_turns: live.modelTurns,
      seat0_turns: live.seat0Turns,
      seat0_requests: live.seat0Requests,
      seat0_invalid: live.seat0Invalid,
      seat0_forfeits: live.seat0Forfeits,
      invalid: live.invalid,
      forfeits: live.forfeits,
      returns,
      measures,
      completion_tokens: live.tokens,
      time: new Date().toISOString(),
    };
    this.log.append(rec);
    this.stats.completed++;
    this.active--;
    this.hooks.episodeEnded('completed');
  }

  private write(rec: TurnRecord): void {
    this.log.append(rec);
    this.hooks.turnRecorded(rec);
  }

  private turnRecord(
    live: Live,
    seat: number,
    f: Partial<{
      agent: string;
      ask: number;
      key: string;
      messages: ChatMessage[];
      response: string | null;
      reasoning: string | null;
      finish_reason: string | null;
      truncated: boolean;
      action: unknown;
      legal: boolean;
      parse_error: string;
      applied: boolean;
      forfeit: boolean;
      rewards: number[];
      usage: TurnRecord['usage'];
      latency_ms: number | null;
      error: string;
      attempts: number;
      endpoint: string | null;
    }>,
  ): TurnRecord {
    const msg = f.messages ? this.log.messagesFields(f.messages) : { messages: null, messages_sha256: null, messages_ref: null };
    const rec: TurnRecord = {
      v: 1,
      kind: 'turn',
      run_id: this.plan.runId,
      model: this.plan.model,
      game: this.game.id,
      episode_id: live.spec.id,
      seed: live.spec.seed,
      turn: live.turn,
      ask: f.ask ?? 0,
      seat,
      agent: f.agent ?? live.names[seat]!,
      request_key: f.key ?? null,
      messages: msg.messages,
      messages_sha256: msg.messages_sha256,
      messages_ref: msg.messages_ref,
      response: f.response === undefined || f.response === null ? null : reply(f.response),
      reasoning: f.reasoning ?? null,
      finish_reason: f.finish_reason ?? null,
      truncated: f.truncated ?? false,
      action: f.action ?? null,
      legal: f.legal ?? false,
      parse_error: f.parse_error ?? null,
      applied: f.applied ?? false,
      forfeit: f.forfeit ?? false,
      rewards: f.rewards ?? null,
      usage: f.usage ?? null,
      latency_ms: f.latency_ms ?? null,
      error: f.error ?? null,
      attempts: f.attempts ?? 0,
      endpoint: f.endpoint ?? null,
      time: new Date().toISOString(),
    };
    if (typeof f.response === 'string' && f.response.length > MAX_KEPT_REPLY_CHARS) rec.response_chars = f.response.length;
    return rec;
  }
}

/** The scripted partner for a bot seat. */
export function botSeat(game: AnyGame, name: string): Seated {
  return { kind: 'bot', name, partner: findPartner(game, name) };
}
