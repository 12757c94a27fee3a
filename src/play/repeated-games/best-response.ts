/**
 * Exact values against a deterministic partner strategy, by dynamic programming over (round,
 * partner state): the best total from a round on (the best response), the worst, and the
 * expectation of a player choosing uniformly at random. The partner's move depends only on its
 * state and the round, and its state only on the moves it has seen, so these are exact.
 */
import { MOVES, other, points, type Move, type Payoffs } from './games.js';
import type { Strategy } from './strategies.js';

export interface Solver {
  /** Best total from `round` (1-based) to the end, the partner in `state`. */
  best(round: number, state: number): number;
  /** The total of playing `a` in `round` and best from then on. */
  q(round: number, state: number, a: Move): number;
  worst(round: number, state: number): number;
  /** Expected total of uniform random play from `round` on. */
  random(round: number, state: number): number;
}

/** States stay below this (a switcher's is 8 x its first strategy's + its second's, each below 8). */
const MAX_STATES = 64;

export function solver(s: Strategy, p: Payoffs, rounds: number): Solver {
  const memo = new Float64Array(3 * (rounds + 2) * MAX_STATES).fill(NaN);
  const cached = (tag: number, round: number, state: number, f: () => number): number => {
    if (state < 0 || state >= MAX_STATES) throw new Error(`strategy state ${state} out of range`);
    const k = (tag * (rounds + 2) + round) * MAX_STATES + state;
    let v = memo[k]!;
    if (Number.isNaN(v)) {
      v = f();
      memo[k] = v;
    }
    return v;
  };
  const step = (round: number, state: number, a: Move, rest: (r: number, st: number) => number): number => {
    const theirs = s.move(state, round);
    return points(p, a, theirs)[0] + (round < rounds ? rest(round + 1, s.next(state, round, a)) : 0);
  };
  const api: Solver = {
    best: (round, state) => cached(0, round, state, () => Math.max(api.q(round, state, 'J'), api.q(round, state, 'F'))),
    q: (round, state, a) => step(round, state, a, api.best),
    worst: (round, state) => cached(1, round, state, () => Math.min(step(round, state, 'J', api.worst), step(round, state, 'F', api.worst))),
    random: (round, state) => cached(2, round, state, () => (step(round, state, 'J', api.random) + step(round, state, 'F', api.random)) / 2),
  };
  return api;
}

export interface Played {
  /** [mine, partner's] totals. */
  totals: [number, number];
  theirs: Move[];
}

/** Plays a fixed sequence of moves against the strategy. */
export function playSequence(s: Strategy, p: Payoffs, mine: readonly Move[]): Played {
  let st = s.init;
  const totals: [number, number] = [0, 0];
  const theirs: Move[] = [];
  mine.forEach((a, t) => {
    const b = s.move(st, t + 1);
    const [x, y] = points(p, a, b);
    totals[0] += x;
    totals[1] += y;
    theirs.push(b);
    st = s.next(st, t + 1, a);
  });
  return { totals, theirs };
}

/** The best response's own moves (J where both are best), from round 1. */
export function bestLine(s: Strategy, p: Payoffs, rounds: number): Move[] {
  const sol = solver(s, p, rounds);
  const out: Move[] = [];
  let st = s.init;
  for (let r = 1; r <= rounds; r++) {
    const a: Move = sol.q(r, st, 'J') >= sol.q(r, st, 'F') ? 'J' : 'F';
    out.push(a);
    st = s.next(st, r, a);
  }
  return out;
}

export interface RoundVerdict {
  round: number;
  /** The unique best move here, or null when both are best. */
  optimal: Move | null;
  /** Whether the move made was a best move (ties count). */
  ok: boolean;
}

/**
 * For each round actually played, whether the move made was a best response given the history so
 * far. Throws if the partner's recorded moves are not the strategy's (a log from another partner).
 */
export function verdicts(s: Strategy, p: Payoffs, rounds: number, mine: readonly Move[], theirs: readonly Move[]): RoundVerdict[] {
  const sol = solver(s, p, rounds);
  let st = s.init;
  return mine.map((a, t) => {
    const r = t + 1;
    if (s.move(st, r) !== theirs[t]) throw new Error(`round ${r}: the partner played ${theirs[t]}, its strategy says ${s.move(st, r)}`);
    const qa = sol.q(r, st, a);
    const qo = sol.q(r, st, other(a));
    st = s.next(st, r, a);
    return { round: r, optimal: qa === qo ? null : qa > qo ? a : other(a), ok: qa >= qo };
  });
}

/** All 2^rounds fixed sequences: an independent check of `best` (any policy meets a deterministic partner along one of them). */
export function allSequences(rounds: number): Move[][] {
  const out: Move[][] = [];
  for (let mask = 0; mask < 1 << rounds; mask++) out.push(Array.from({ length: rounds }, (_, i) => MOVES[(mask >> i) & 1]!));
  return out;
}
