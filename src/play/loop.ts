/**
 * Driving a game without a model: scripted agents in every seat, synchronously. Tests, the
 * engine benchmark and the scripted-partner oracles use it; the episode runner
 * (src/eval/episodes.ts) uses `partnerRng` and `applyTurn` so its turns are the same as these.
 */
import { rngFor, type Rng } from '../core/rng.js';
import type { AnyGame, EpisodeLog, EpisodeSpec, Partner, Seat, TurnLog } from './types.js';

/** The rng a scripted agent acts with at a turn: fixed by the episode, the turn and the seat, so a replay repeats it. */
export function partnerRng(spec: EpisodeSpec, turn: number, seat: Seat): Rng {
  return rngFor(spec.seed, 'agent', turn, seat);
}

/** Looks a partner up by `bot:<name>` or `<name>`. */
export function findPartner(game: AnyGame, name: string): Partner<unknown, unknown> {
  const bare = name.startsWith('bot:') ? name.slice(4) : name;
  const p = game.partners[bare];
  if (!p) throw new Error(`${game.id}: no scripted partner '${bare}' (known: ${Object.keys(game.partners).join(', ')})`);
  return p;
}

/** Validates and applies one action; the TurnLog the measures will see. */
export function applyTurn<S>(
  game: AnyGame,
  state: S,
  seat: Seat,
  action: unknown,
  turn: number,
  extra: { forfeit?: boolean; invalid?: number; completion_tokens?: number | null } = {},
): { state: S; log: TurnLog<unknown> } {
  const why = game.validate(game.observe(state, seat), action);
  if (why !== null) throw new Error(`${game.id}: illegal action at turn ${turn} (seat ${seat}): ${why}`);
  const r = game.step(state, seat, action);
  return {
    state: r.state as S,
    log: { turn, seat, action, forfeit: extra.forfeit ?? false, invalid: extra.invalid ?? 0, rewards: r.rewards, completion_tokens: extra.completion_tokens ?? null },
  };
}

/** Longest episode any game may have; a game that never ends is a bug, reported rather than looped on. */
export const MAX_TURNS = 10_000;

/** Plays one episode with a scripted agent in each seat. */
export function playScripted(game: AnyGame, spec: EpisodeSpec, options: Record<string, unknown>, agents: ReadonlyArray<Partner<unknown, unknown>>, names?: string[]): EpisodeLog<unknown, unknown> {
  let state = game.init(spec, options);
  const turns: TurnLog<unknown>[] = [];
  for (let turn = 0; ; turn++) {
    const seat = game.toAct(state);
    if (seat === null) break;
    if (turn >= MAX_TURNS) throw new Error(`${game.id}: episode ${spec.id} did not end within ${MAX_TURNS} turns`);
    const agent = agents[seat];
    if (!agent) throw new Error(`${game.id}: no agent for seat ${seat}`);
    const action = agent.act(game.observe(state, seat), partnerRng(spec, turn, seat));
    const r = applyTurn(game, state, seat, action, turn);
    state = r.state;
    turns.push(r.log);
  }
  return { spec, agents: names ?? agents.map((a) => `bot:${a.name}`), turns, final: state };
}
