/**
 * The scripted partners' strategies as small automata: a state (a small integer), the move it
 * makes in a round, and the state after seeing the other player's move. Written this way the
 * partner needs no memory of its own (it replays its observation's history) and the best
 * response to it is an exact dynamic programme over (round, state) (best-response.ts).
 *
 * Upstream (eliaka/repeatedgames@224a605): `act_j`, `act_f`, `act_defect_once` (pd/query_main.py),
 * `act_jf` / `act_fj` (bos/query_main.py, alternation in both phases), `act_tft`
 * (pd/tft/pd_base_gpt4_tfts_query.py: J first, then the other's last move). Added here: grim
 * trigger (J until the other plays F once, then F for good; GPT-4's behaviour against
 * defect-once in upstream's data) and the switchers, which play one strategy before a hidden,
 * seeded round and another from it on.
 */
import type { GameKey, Move } from './games.js';

export interface Strategy {
  init: number;
  move(state: number, round: number): Move;
  /** The state after `round`, in which the other player played `other`. */
  next(state: number, round: number, other: Move): number;
}

const constant = (m: Move): Strategy => ({ init: 0, move: () => m, next: () => 0 });
const TFT: Strategy = { init: 0, move: (s) => (s === 0 ? 'J' : 'F'), next: (_s, _r, o) => (o === 'J' ? 0 : 1) };
const GRIM: Strategy = { init: 0, move: (s) => (s === 0 ? 'J' : 'F'), next: (s, _r, o) => (s === 1 || o === 'F' ? 1 : 0) };
const DEFECT_ONCE: Strategy = { init: 0, move: (_s, r) => (r === 1 ? 'F' : 'J'), next: () => 0 };
const alternate = (odd: Move, even: Move): Strategy => ({ init: 0, move: (_s, r) => (r % 2 === 1 ? odd : even), next: () => 0 });

/** `a` before round `at`, `b` from it on; both automata run throughout (states below 8). */
function switching(a: Strategy, b: Strategy, at: number): Strategy {
  return {
    init: a.init * 8 + b.init,
    move: (s, r) => (r < at ? a.move(Math.floor(s / 8), r) : b.move(s % 8, r)),
    next: (s, r, o) => a.next(Math.floor(s / 8), r, o) * 8 + b.next(s % 8, r, o),
  };
}

export type Family = 'unconditional' | 'reactive' | 'alternating' | 'switching';

export interface StrategyDef {
  name: string;
  description: string;
  family: Family;
  /** The games whose panel it is part of. */
  games: readonly GameKey[];
  make(switchRound: number): Strategy;
}

const J = constant('J');
const F = constant('F');

export const STRATEGY_DEFS: readonly StrategyDef[] = [
  { name: 'always-j', description: "Always Option J (upstream's act_j).", family: 'unconditional', games: ['pd', 'bos', 'sh'], make: () => J },
  { name: 'always-f', description: "Always Option F (upstream's act_f).", family: 'unconditional', games: ['pd', 'bos', 'sh'], make: () => F },
  {
    name: 'tit-for-tat',
    description: "J in round 1, then the other player's previous move (upstream's act_tft).",
    family: 'reactive',
    games: ['pd', 'sh'],
    make: () => TFT,
  },
  { name: 'grim', description: 'J until the other player plays F once, then F for good (grim trigger).', family: 'reactive', games: ['pd', 'sh'], make: () => GRIM },
  { name: 'defect-once', description: "F in round 1, then J (upstream's act_defect_once).", family: 'unconditional', games: ['pd', 'sh'], make: () => DEFECT_ONCE },
  { name: 'alternate-jf', description: "J, F, J, F, ... (upstream's act_jf).", family: 'alternating', games: ['bos'], make: () => alternate('J', 'F') },
  { name: 'alternate-fj', description: "F, J, F, J, ... (upstream's act_fj, its BoS partner).", family: 'alternating', games: ['bos'], make: () => alternate('F', 'J') },
  {
    name: 'j-then-f',
    description: 'Always J, then always F from a hidden round (cooperate -> defect in PD and Stag Hunt).',
    family: 'switching',
    games: ['pd', 'bos', 'sh'],
    make: (s) => switching(J, F, s),
  },
  {
    name: 'f-then-j',
    description: 'Always F, then always J from a hidden round (defect -> cooperate in Stag Hunt).',
    family: 'switching',
    games: ['bos', 'sh'],
    make: (s) => switching(F, J, s),
  },
  {
    name: 'tft-then-f',
    description: 'Tit-for-tat, then always F from a hidden round.',
    family: 'switching',
    games: ['pd', 'sh'],
    make: (s) => switching(TFT, F, s),
  },
  {
    name: 'alternate-then-j',
    description: 'F, J, F, J, ... (act_fj), then always J from a hidden round.',
    family: 'switching',
    games: ['bos'],
    make: (s) => switching(alternate('F', 'J'), J, s),
  },
  {
    name: 'alternate-then-f',
    description: 'F, J, F, J, ... (act_fj), then always F from a hidden round.',
    family: 'switching',
    games: ['bos'],
    make: (s) => switching(alternate('F', 'J'), F, s),
  },
];

/** The hidden switch round is drawn uniformly from these (1-based), leaving 3 to 6 rounds on either side. */
export const SWITCH_ROUNDS: readonly number[] = [4, 5, 6, 7];

export function strategyDef(name: string): StrategyDef | undefined {
  return STRATEGY_DEFS.find((d) => d.name === name);
}

export function panelFor(game: GameKey): StrategyDef[] {
  return STRATEGY_DEFS.filter((d) => d.games.includes(game));
}

/** The state before `round` (1-based) after the rounds already seen; `theirs[t]` is the other player's move in round t + 1. */
export function stateAt(s: Strategy, theirs: readonly Move[]): number {
  let st = s.init;
  for (let t = 0; t < theirs.length; t++) st = s.next(st, t + 1, theirs[t]!);
  return st;
}

/** The moves the strategy would have made against `theirs` (its opponent's moves), one per round. */
export function movesAgainst(s: Strategy, theirs: readonly Move[]): Move[] {
  const out: Move[] = [];
  let st = s.init;
  for (let t = 0; t < theirs.length; t++) {
    out.push(s.move(st, t + 1));
    st = s.next(st, t + 1, theirs[t]!);
  }
  return out;
}
