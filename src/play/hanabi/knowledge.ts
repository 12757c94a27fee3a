/**
 * What the hints so far say of a card, as HLE keeps it (hanabi_hand.cc, HanabiHand::CardKnowledge):
 * the colour and rank a hint named directly (null until one did), and the colours and ranks no
 * hint has ruled out. HLE does no further inference (a card ruled out of four colours still has
 * `color: null`), and neither does this module: SimpleAgent relies on exactly that.
 */
import type { Card, Color, Rank } from './cards.js';

export interface CardKnowledge {
  /** The colour a hint revealed, or null. */
  color: Color | null;
  /** The rank a hint revealed, or null. */
  rank: Rank | null;
  /** Colours still plausible, ascending. */
  colors: Color[];
  /** Ranks still plausible, ascending. */
  ranks: Rank[];
}

export function freshKnowledge(): CardKnowledge {
  return { color: null, rank: null, colors: [0, 1, 2, 3, 4], ranks: [1, 2, 3, 4, 5] };
}

export type Hint = { kind: 'color'; value: Color } | { kind: 'rank'; value: Rank };

function matches(card: Card, hint: Hint): boolean {
  return hint.kind === 'color' ? card.color === hint.value : card.rank === hint.value;
}

/** The indices a hint touches (all matching cards, HLE's reveal_bitmask). */
export function touchedBy(hand: readonly Card[], hint: Hint): number[] {
  const out: number[] = [];
  hand.forEach((c, i) => {
    if (matches(c, hint)) out.push(i);
  });
  return out;
}

/** One card's knowledge after a hint that did (`hit`) or did not touch it. */
export function applyHint(k: CardKnowledge, hint: Hint, hit: boolean): CardKnowledge {
  if (hint.kind === 'color') {
    return hit
      ? { ...k, color: hint.value, colors: [hint.value] }
      : { ...k, colors: k.colors.filter((c) => c !== hint.value) };
  }
  return hit ? { ...k, rank: hint.value, ranks: [hint.value] } : { ...k, ranks: k.ranks.filter((r) => r !== hint.value) };
}

/** A hand's knowledge after a hint touching `touched`. */
export function applyHintToHand(ks: readonly CardKnowledge[], hint: Hint, touched: readonly number[]): CardKnowledge[] {
  return ks.map((k, i) => applyHint(k, hint, touched.includes(i)));
}

export function sameKnowledge(a: CardKnowledge, b: CardKnowledge): boolean {
  return a.color === b.color && a.rank === b.rank && a.colors.join() === b.colors.join() && a.ranks.join() === b.ranks.join();
}
