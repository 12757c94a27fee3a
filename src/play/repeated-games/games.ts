/**
 * The three 2x2 games, their payoffs as published, and the record types the rest of the game
 * shares. Payoffs are for (seat 0's move, seat 1's move) as [seat 0's points, seat 1's points].
 *
 *  - Prisoner's Dilemma: eliaka/repeatedgames@224a605:pd/query_main.py `calculate_points`
 *    (JJ 8/8, JF 0/10, FJ 10/0, FF 5/5; J = cooperate).
 *  - Battle of the Sexes: bos/query_main.py `calculate_points` (JJ 10/7, FF 7/10, mismatch 0/0);
 *    seat 0 gets upstream's `question_1` (prefers J), seat 1 `question_2` (prefers F).
 *  - Stag Hunt: game 78 "Stag Hunt" (family Win-win) of all_games/144_games_info.csv, row 1 =
 *    Option J (stag), row 2 = Option F (hare): JJ 4/4, JF 1/3, FJ 3/1, FF 2/2.
 * All three: 10 rounds (`num_interactions = 10`).
 */

export type Move = 'J' | 'F';
export const MOVES: readonly Move[] = ['J', 'F'];
export type GameKey = 'pd' | 'bos' | 'sh';
export const GAME_KEYS: readonly GameKey[] = ['pd', 'bos', 'sh'];
export const ROUNDS = 10;

/** Points for (my move, their move) as [mine, theirs], from one seat's point of view. */
export type Payoffs = Record<'JJ' | 'JF' | 'FJ' | 'FF', [number, number]>;

export interface GameDef {
  key: GameKey;
  title: string;
  /** From seat 0's point of view. */
  payoffs: Payoffs;
  source: string;
}

export const GAME_DEFS: Record<GameKey, GameDef> = {
  pd: {
    key: 'pd',
    title: "Prisoner's Dilemma",
    payoffs: { JJ: [8, 8], JF: [0, 10], FJ: [10, 0], FF: [5, 5] },
    source: 'eliaka/repeatedgames@224a605:pd/query_main.py',
  },
  bos: {
    key: 'bos',
    title: 'Battle of the Sexes',
    payoffs: { JJ: [10, 7], JF: [0, 0], FJ: [0, 0], FF: [7, 10] },
    source: 'eliaka/repeatedgames@224a605:bos/query_main.py',
  },
  sh: {
    key: 'sh',
    title: 'Stag Hunt',
    payoffs: { JJ: [4, 4], JF: [1, 3], FJ: [3, 1], FF: [2, 2] },
    source: 'eliaka/repeatedgames@224a605:all_games/144_games_info.csv (game 78)',
  },
};

export function other(m: Move): Move {
  return m === 'J' ? 'F' : 'J';
}

/** The table as the other seat sees it. */
export function mirror(p: Payoffs): Payoffs {
  const flip = (x: [number, number]): [number, number] => [x[1], x[0]];
  return { JJ: flip(p.JJ), JF: flip(p.FJ), FJ: flip(p.JF), FF: flip(p.FF) };
}

export function payoffsFor(game: GameKey, seat: number): Payoffs {
  const p = GAME_DEFS[game].payoffs;
  return seat === 0 ? p : mirror(p);
}

/** [mine, theirs] for one round. */
export function points(p: Payoffs, me: Move, them: Move): [number, number] {
  return p[`${me}${them}`];
}

export function samePayoffs(a: Payoffs, b: Payoffs): boolean {
  return (['JJ', 'JF', 'FJ', 'FF'] as const).every((k) => a[k][0] === b[k][0] && a[k][1] === b[k][1]);
}

/** Which game (and seat) a table from a prompt belongs to, or null. */
export function identifyPayoffs(p: Payoffs): { game: GameKey; seat: number } | null {
  for (const game of GAME_KEYS) {
    for (const seat of [0, 1]) if (samePayoffs(payoffsFor(game, seat), p)) return { game, seat };
  }
  return null;
}

export function isMove(x: unknown): x is Move {
  return x === 'J' || x === 'F';
}

/** One played round: both choices and both stated predictions (null when none was given). */
export interface RoundRecord {
  a: Move;
  b: Move;
  pa: Move | null;
  pb: Move | null;
}

export interface RGAction {
  choice: Move;
  /** The predicted move of the other player this round; null when the reply gave none. */
  prediction: Move | null;
}

export interface RGState {
  game: GameKey;
  rounds: number;
  /** The question's option order per round (seeded), the same for both seats as upstream. */
  orders: Array<[Move, Move]>;
  /** The hidden round from which a switching partner plays its second strategy. */
  switchRound: number;
  history: RoundRecord[];
  /** Seat 0's action this round, hidden from seat 1 until seat 1 has acted. */
  pending: RGAction | null;
}

/** A past round from the observer's point of view. */
export interface SeenRound {
  me: Move;
  other: Move;
}

export interface RGObs {
  game: GameKey;
  /** From the observer's point of view. */
  payoffs: Payoffs;
  rounds: number;
  /** 1-based round to play now. */
  round: number;
  order: [Move, Move];
  history: SeenRound[];
  /**
   * What only a scripted seat-1 partner knows: the round its strategy switches at. Never shown
   * in a prompt (so `readPrompt` gives null here), and null in seat 0's observation.
   */
  hidden: { switchRound: number } | null;
}
