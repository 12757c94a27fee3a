/**
 * Hanabi's cards as the Hanabi Learning Environment deals them for the full game
 * (deepmind/hanabi-learning-environment@4210e0e:hanabi_learning_environment/hanabi_lib/hanabi_game.cc):
 * colours in HLE's order "RYGWB", ranks 1-5 with three 1s, two each of 2-4 and one 5.
 * Departure, on purpose: ranks are 1-based here (HLE counts them from 0), as players and
 * LLM-Coordination's prompts name them.
 */

/** Colour index: 0 R(ed), 1 Y(ellow), 2 G(reen), 3 W(hite), 4 B(lue), HLE's order. */
export type Color = number;
/** Rank 1..5. */
export type Rank = number;

export interface Card {
  color: Color;
  rank: Rank;
}

export const NUM_COLORS = 5;
export const NUM_RANKS = 5;
export const HAND_SIZE = 5;
export const MAX_INFO = 8;
export const MAX_LIVES = 3;
export const MAX_SCORE = NUM_COLORS * NUM_RANKS;
export const DECK_SIZE = 50;

export const COLOR_CHARS = ['R', 'Y', 'G', 'W', 'B'] as const;
export const COLOR_NAMES = ['Red', 'Yellow', 'Green', 'White', 'Blue'] as const;

/** Copies of each rank in a colour. */
export function copies(rank: Rank): number {
  return rank === 1 ? 3 : rank === NUM_RANKS ? 1 : 2;
}

/** "Red 3", as LLM-Coordination writes a card. */
export function cardName(c: Card): string {
  return `${COLOR_NAMES[c.color]} ${c.rank}`;
}

/** "R3", as HLE's HanabiCard prints. */
export function cardCode(c: Card): string {
  return `${COLOR_CHARS[c.color]}${c.rank}`;
}

export function sameCard(a: Card, b: Card): boolean {
  return a.color === b.color && a.rank === b.rank;
}

export function colorIndex(name: string): Color {
  return (COLOR_NAMES as readonly string[]).indexOf(name);
}
