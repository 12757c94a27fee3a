/**
 * The deck and its deal, seeded. HLE draws each card from a `std::discrete_distribution` over
 * the remaining counts with `std::mt19937` (hanabi_state.cc, HanabiDeck::DealCard); masa
 * shuffles the 50 cards once with its own seeded rng and deals from the front, which gives
 * every ordering the same probability. Departure, on purpose: HLE's (and LLM-Coordination's)
 * seeds cannot be reproduced in TypeScript, so deal seed 321 here is not HLE's seed 321.
 * The initial deal follows HLE's order: five cards to seat 0, then five to seat 1.
 */
import { permutation, rngFor } from '../../core/rng.js';
import { type Card, NUM_COLORS, NUM_RANKS, copies } from './cards.js';

/** The 50 cards in a fixed order (by colour, then rank). */
export function fullDeck(): Card[] {
  const out: Card[] = [];
  for (let color = 0; color < NUM_COLORS; color++) {
    for (let rank = 1; rank <= NUM_RANKS; rank++) {
      for (let k = 0; k < copies(rank); k++) out.push({ color, rank });
    }
  }
  return out;
}

/** The draw order of a game: deck[0] is dealt first. */
export function shuffledDeck(seed: number): Card[] {
  const base = fullDeck();
  return permutation(base.length, rngFor(seed, 'hanabi-deal')).map((i) => base[i]!);
}
