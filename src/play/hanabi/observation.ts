/**
 * What one player sees (HLE's HanabiObservation, hanabi_observation.cc, for two players): the
 * partner's hand and what the hints say of both hands, the fireworks, discards, tokens, the deck
 * size, and the whole public move history (HLE keeps only the moves since the observer's last
 * one, `last_moves`; masa keeps them all so a scripted partner can be a pure function of what it
 * sees, and `lastMoves` gives HLE's slice). Never one's own cards.
 */
import { type Card, HAND_SIZE, MAX_INFO, MAX_LIVES, NUM_COLORS } from './cards.js';
import type { CardKnowledge } from './knowledge.js';
import { type HanabiAction, type HistoryItem, legalActions } from './moves.js';
import { type HanabiState, deckLeft } from './rules.js';
import type { Seat } from '../types.js';

export interface HanabiObs {
  /** The observer: 0 (Alice) or 1 (Bob). */
  seat: Seat;
  fireworks: number[];
  info: number;
  lives: number;
  /** Cards left in the deck. */
  deck: number;
  /** In the order they were discarded (misplays included). */
  discards: Card[];
  /** What the hints say of the observer's own cards. */
  myKnowledge: CardKnowledge[];
  partnerHand: Card[];
  /** What the hints say of the partner's cards (what the partner knows of them). */
  partnerKnowledge: CardKnowledge[];
  /** Every move so far, oldest first. */
  history: HistoryItem[];
}

export function observeState(s: HanabiState, seat: Seat): HanabiObs {
  const partner = 1 - seat;
  return {
    seat,
    fireworks: s.fireworks.slice(),
    info: s.info,
    lives: s.lives,
    deck: deckLeft(s),
    discards: s.discards.slice(),
    myKnowledge: s.knowledge[seat]!.slice(),
    partnerHand: s.hands[partner]!.slice(),
    partnerKnowledge: s.knowledge[partner]!.slice(),
    history: s.history.slice(),
  };
}

export function obsLegal(o: HanabiObs): HanabiAction[] {
  return legalActions(o.info, o.myKnowledge.length, o.partnerHand);
}

/** HLE's last_moves: the moves since (and including) the observer's own last one, newest first. */
export function lastMoves(o: HanabiObs): HistoryItem[] {
  const out: HistoryItem[] = [];
  for (let i = o.history.length - 1; i >= 0; i--) {
    out.push(o.history[i]!);
    if (o.history[i]!.seat === o.seat) break;
  }
  return out;
}

/** The public board just before one past move, as the observer saw it. */
export interface BoardView {
  fireworks: number[];
  info: number;
  lives: number;
  deck: number;
  discards: Card[];
  /** Hand sizes by seat. */
  handSizes: number[];
  /** The partner's hand then (the observer saw it). */
  partnerHand: Card[];
}

/** The deck size at the start of the game. */
export const START_DECK = 50 - 2 * HAND_SIZE;

/**
 * The board before each move of the history (index t: before move t), then the board now
 * (index history.length). The partner's past hands are rebuilt backwards from its hand now:
 * every card it has held is either still in its hand or was shown when played or discarded.
 */
export function boardTimeline(o: HanabiObs): BoardView[] {
  const views: BoardView[] = [];
  const fireworks = new Array<number>(NUM_COLORS).fill(0);
  let info = MAX_INFO;
  let lives = MAX_LIVES;
  let deck = START_DECK;
  const discards: Card[] = [];
  const handSizes = [HAND_SIZE, HAND_SIZE];
  const decks: number[] = [];
  for (const h of o.history) {
    decks.push(deck);
    views.push({ fireworks: fireworks.slice(), info, lives, deck, discards: discards.slice(), handSizes: handSizes.slice(), partnerHand: [] });
    if (h.type === 'play' || h.type === 'discard') {
      if (h.type === 'discard') info = Math.min(MAX_INFO, info + 1);
      if (h.type === 'play' && h.scored) {
        fireworks[h.card.color] = h.card.rank;
        if (h.card.rank === 5 && info < MAX_INFO) info++;
      } else {
        discards.push(h.card);
        if (h.type === 'play') lives--;
      }
      if (deck > 0) deck--;
      else handSizes[h.seat]!--;
    } else {
      info--;
    }
  }
  views.push({ fireworks: o.fireworks.slice(), info: o.info, lives: o.lives, deck: o.deck, discards: o.discards.slice(), handSizes: handSizes.slice(), partnerHand: o.partnerHand.slice() });
  let hand = o.partnerHand.slice();
  const partner = 1 - o.seat;
  for (let t = o.history.length - 1; t >= 0; t--) {
    const h = o.history[t]!;
    if (h.seat === partner && (h.type === 'play' || h.type === 'discard')) {
      hand = hand.slice();
      if (decks[t]! > 0) hand.pop();
      hand.splice(h.index, 0, h.card);
    }
    views[t]!.partnerHand = hand;
  }
  return views;
}
