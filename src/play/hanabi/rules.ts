/**
 * Two-player Hanabi with the Hanabi Learning Environment's rules
 * (deepmind/hanabi-learning-environment@4210e0e:hanabi_learning_environment/hanabi_lib/hanabi_state.cc,
 * the "Hanabi-Full" configuration of rl_env.py): 5 colours x 5 ranks, hands of 5, 8 information
 * and 3 life tokens, seat 0 starts (`random_start_player=false`).
 *  - Discarding gains a token and is illegal at 8; a hint costs a token and must touch a card.
 *  - A play that fits its firework adds to it, and completing a firework (its 5) gives a token
 *    back if below 8; a play that does not fit costs a life and goes to the discard pile.
 *  - A played or discarded card is replaced from the deck while it lasts (the new card is the
 *    newest, at the end of the hand; the others shift down).
 *  - The game ends when the lives run out, at 25 points, or when every player has had one more
 *    turn after the deck ran out (`turns_to_play_`: starts at the number of players and drops by
 *    one for each move made with the deck already empty).
 *  - HLE's score (`Score()`) is 0 once all lives are lost, else the sum of the fireworks;
 *    LLM-Coordination reports the fireworks sum regardless ("without considering bombing").
 * No rules variant is needed for the scripted partners' published figures: Quuxplusone/Hanabi's
 * rules (SmartBot's 23.09) differ from these only in keeping the points after the third misplay,
 * which is the fireworks sum this module reports beside HLE's score; play is the same.
 * The state is plain data; `step` returns a new one and never mutates its input.
 */
import { type Card, HAND_SIZE, MAX_INFO, MAX_LIVES, MAX_SCORE, NUM_COLORS, NUM_RANKS } from './cards.js';
import { shuffledDeck } from './deal.js';
import { type CardKnowledge, applyHintToHand, freshKnowledge, touchedBy } from './knowledge.js';
import { type HanabiAction, type HistoryItem, actionShapeError, legalActions, sameAction } from './moves.js';
import type { Seat } from '../types.js';

export const NUM_PLAYERS = 2;

export interface HanabiState {
  /** The draw order of the whole game (hidden from the players). */
  deck: Card[];
  /** Cards drawn from `deck` so far. */
  drawn: number;
  hands: Card[][];
  knowledge: CardKnowledge[][];
  fireworks: number[];
  info: number;
  lives: number;
  discards: Card[];
  history: HistoryItem[];
  current: Seat;
  /** HLE's turns_to_play_. */
  turnsToPlay: number;
}

/** A new game dealt from `deck` (the order cards are drawn in). */
export function newGame(deck: readonly Card[]): HanabiState {
  if (deck.length < NUM_PLAYERS * HAND_SIZE) throw new Error(`hanabi: a deck of ${deck.length} cards cannot deal two hands of ${HAND_SIZE}`);
  const hands: Card[][] = [];
  for (let p = 0; p < NUM_PLAYERS; p++) hands.push(deck.slice(p * HAND_SIZE, (p + 1) * HAND_SIZE));
  return {
    deck: deck.slice(),
    drawn: NUM_PLAYERS * HAND_SIZE,
    hands,
    knowledge: hands.map((h) => h.map(() => freshKnowledge())),
    fireworks: new Array<number>(NUM_COLORS).fill(0),
    info: MAX_INFO,
    lives: MAX_LIVES,
    discards: [],
    history: [],
    current: 0,
    turnsToPlay: NUM_PLAYERS,
  };
}

export function dealGame(seed: number): HanabiState {
  return newGame(shuffledDeck(seed));
}

export function deckLeft(s: HanabiState): number {
  return s.deck.length - s.drawn;
}

export function fireworksSum(fireworks: readonly number[]): number {
  let t = 0;
  for (const f of fireworks) t += f;
  return t;
}

/** HLE's Score(): 0 when all lives are lost, else the fireworks sum. */
export function hleScore(s: HanabiState): number {
  return s.lives <= 0 ? 0 : fireworksSum(s.fireworks);
}

/** HLE's EndOfGameStatus() != kNotFinished. */
export function isOver(s: HanabiState): boolean {
  return s.lives < 1 || fireworksSum(s.fireworks) >= MAX_SCORE || s.turnsToPlay <= 0;
}

export function legalIn(s: HanabiState): HanabiAction[] {
  return legalActions(s.info, s.hands[s.current]!.length, s.hands[1 - s.current]!);
}

/** Why `action` is illegal for `seat` now, or null. */
export function illegalReason(s: HanabiState, seat: Seat, action: unknown): string | null {
  if (isOver(s)) return 'the game is over';
  if (seat !== s.current) return `it is seat ${s.current}'s turn, not seat ${seat}'s`;
  const shape = actionShapeError(action);
  if (shape) return shape;
  return explainIllegal(s.info, s.hands[seat]!.length, s.hands[1 - seat]!, action as HanabiAction);
}

/** The reason a well-formed action is not among the legal ones, or null when it is. */
export function explainIllegal(info: number, handSize: number, partnerHand: readonly Card[], a: HanabiAction): string | null {
  if (legalActions(info, handSize, partnerHand).some((m) => sameAction(m, a))) return null;
  if (a.type === 'play' || a.type === 'discard') {
    if (a.index < 0 || a.index >= handSize) return `there is no card ${a.index} (cards 0-${handSize - 1})`;
    return `discarding is not allowed with all ${MAX_INFO} information tokens`;
  }
  if (info <= 0) return 'no information tokens are left for a hint';
  if (a.type === 'reveal_color' && (a.color < 0 || a.color >= NUM_COLORS)) return `there is no colour ${a.color}`;
  if (a.type === 'reveal_rank' && (a.rank < 1 || a.rank > NUM_RANKS)) return `there is no rank ${a.rank}`;
  return 'a hint must touch at least one of the partner\'s cards';
}

function removeAndDraw(s: HanabiState, seat: Seat, index: number): { hands: Card[][]; knowledge: CardKnowledge[][]; drawn: number } {
  const hands = s.hands.slice();
  const knowledge = s.knowledge.slice();
  const hand = hands[seat]!.slice();
  const know = knowledge[seat]!.slice();
  hand.splice(index, 1);
  know.splice(index, 1);
  let drawn = s.drawn;
  if (drawn < s.deck.length) {
    hand.push(s.deck[drawn]!);
    know.push(freshKnowledge());
    drawn++;
  }
  hands[seat] = hand;
  knowledge[seat] = know;
  return { hands, knowledge, drawn };
}

/** Applies a legal action (throws on an illegal one). */
export function applyAction(s: HanabiState, seat: Seat, action: HanabiAction): HanabiState {
  const why = illegalReason(s, seat, action);
  if (why !== null) throw new Error(`hanabi: illegal action ${JSON.stringify(action)} for seat ${seat}: ${why}`);
  const turnsToPlay = s.drawn >= s.deck.length ? s.turnsToPlay - 1 : s.turnsToPlay;
  const base = { ...s, turnsToPlay, current: 1 - seat };
  switch (action.type) {
    case 'discard': {
      const card = s.hands[seat]![action.index]!;
      return {
        ...base,
        ...removeAndDraw(s, seat, action.index),
        info: Math.min(MAX_INFO, s.info + 1),
        discards: [...s.discards, card],
        history: [...s.history, { seat, type: 'discard', index: action.index, card }],
      };
    }
    case 'play': {
      const card = s.hands[seat]![action.index]!;
      const scored = s.fireworks[card.color] === card.rank - 1;
      const fireworks = s.fireworks.slice();
      let info = s.info;
      if (scored) {
        fireworks[card.color] = card.rank;
        if (card.rank === NUM_RANKS && info < MAX_INFO) info++;
      }
      return {
        ...base,
        ...removeAndDraw(s, seat, action.index),
        fireworks,
        info,
        lives: scored ? s.lives : s.lives - 1,
        discards: scored ? s.discards : [...s.discards, card],
        history: [...s.history, { seat, type: 'play', index: action.index, card, scored }],
      };
    }
    case 'reveal_color':
    case 'reveal_rank': {
      const target = 1 - seat;
      const hint = action.type === 'reveal_color' ? ({ kind: 'color', value: action.color } as const) : ({ kind: 'rank', value: action.rank } as const);
      const touched = touchedBy(s.hands[target]!, hint);
      const knowledge = s.knowledge.slice();
      knowledge[target] = applyHintToHand(s.knowledge[target]!, hint, touched);
      const item: HistoryItem =
        action.type === 'reveal_color' ? { seat, type: 'reveal_color', color: action.color, touched } : { seat, type: 'reveal_rank', rank: action.rank, touched };
      return { ...base, knowledge, info: s.info - 1, history: [...s.history, item] };
    }
  }
}
