/**
 * Moves, the public record of a move, and the legal moves in HLE's order
 * (hanabi_game.cc, ConstructMove: discards by card index, plays, colour reveals R..B, rank
 * reveals 1..5). In two-player Hanabi a reveal always targets the other player, so it names no
 * target. HLE's legality rules (hanabi_state.cc, MoveIsLegal): no discard at the maximum of
 * information tokens, a hint needs a token and must touch at least one card.
 */
import { type Card, MAX_INFO, NUM_COLORS, NUM_RANKS } from './cards.js';
import type { Seat } from '../types.js';

export type HanabiAction =
  | { type: 'play'; index: number }
  | { type: 'discard'; index: number }
  | { type: 'reveal_color'; color: number }
  | { type: 'reveal_rank'; rank: number };

/** A move as every player saw it: plays and discards show the card, reveals the cards they touched. */
export type HistoryItem =
  | { seat: Seat; type: 'play'; index: number; card: Card; scored: boolean }
  | { seat: Seat; type: 'discard'; index: number; card: Card }
  | { seat: Seat; type: 'reveal_color'; color: number; touched: number[] }
  | { seat: Seat; type: 'reveal_rank'; rank: number; touched: number[] };

/** The legal moves of the player to act, given the information tokens, its hand size and the partner's hand. */
export function legalActions(info: number, handSize: number, partnerHand: readonly Card[]): HanabiAction[] {
  const out: HanabiAction[] = [];
  if (info < MAX_INFO) for (let i = 0; i < handSize; i++) out.push({ type: 'discard', index: i });
  for (let i = 0; i < handSize; i++) out.push({ type: 'play', index: i });
  if (info > 0) {
    for (let c = 0; c < NUM_COLORS; c++) if (partnerHand.some((x) => x.color === c)) out.push({ type: 'reveal_color', color: c });
    for (let r = 1; r <= NUM_RANKS; r++) if (partnerHand.some((x) => x.rank === r)) out.push({ type: 'reveal_rank', rank: r });
  }
  return out;
}

export function sameAction(a: HanabiAction, b: HanabiAction): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'play':
    case 'discard':
      return a.index === (b as typeof a).index;
    case 'reveal_color':
      return a.color === (b as typeof a).color;
    case 'reveal_rank':
      return a.rank === (b as typeof a).rank;
  }
}

/** Why a value is not a well-formed action (it may come from a model's reply or a hand-written file), or null. */
export function actionShapeError(a: unknown): string | null {
  if (typeof a !== 'object' || a === null) return 'an action must be an object';
  const o = a as Record<string, unknown>;
  const int = (k: string): boolean => typeof o[k] === 'number' && Number.isInteger(o[k]);
  switch (o.type) {
    case 'play':
    case 'discard':
      return int('index') ? null : `a ${o.type} needs an integer "index"`;
    case 'reveal_color':
      return int('color') ? null : 'a reveal_color needs an integer "color" (0-4: R, Y, G, W, B)';
    case 'reveal_rank':
      return int('rank') ? null : 'a reveal_rank needs an integer "rank" (1-5)';
    default:
      return `unknown action type ${JSON.stringify(o.type)} (play, discard, reveal_color, reveal_rank)`;
  }
}
