import assert from 'node:assert/strict';
import { COLOR_CHARS, type Card, DECK_SIZE, HAND_SIZE, MAX_INFO, MAX_LIVES, NUM_COLORS, cardCode } from '../../../src/play/hanabi/cards.js';
import { fullDeck } from '../../../src/play/hanabi/deal.js';
import { type HanabiState, fireworksSum, hleScore, newGame } from '../../../src/play/hanabi/rules.js';

export function card(code: string): Card {
  const color = (COLOR_CHARS as readonly string[]).indexOf(code[0]!);
  assert.ok(color >= 0, code);
  return { color, rank: Number(code.slice(1)) };
}

/** A deck whose first cards are `top` (space-separated codes), the rest in the fixed order. */
export function stackedDeck(top: string): Card[] {
  const head = top.trim() === '' ? [] : top.trim().split(/\s+/).map(card);
  const rest = fullDeck();
  for (const c of head) {
    const i = rest.findIndex((x) => x.color === c.color && x.rank === c.rank);
    assert.ok(i >= 0, `too many ${cardCode(c)} in the stacked deck`);
    rest.splice(i, 1);
  }
  return [...head, ...rest];
}

/** A game from a stacked deck: `alice` and `bob` are their hands, `next` the cards drawn after. */
export function stackedGame(alice: string, bob: string, next = ''): HanabiState {
  return newGame(stackedDeck(`${alice} ${bob} ${next}`));
}

function counts(cards: readonly Card[]): number[] {
  const out = new Array<number>(NUM_COLORS * 6).fill(0);
  for (const c of cards) out[c.color * 6 + c.rank]!++;
  return out;
}

/** Every invariant of a state: cards conserved, tokens in range, score and fireworks, knowledge true to the cards. */
export function checkInvariants(s: HanabiState): void {
  const onFireworks: Card[] = [];
  s.fireworks.forEach((f, color) => {
    assert.ok(f >= 0 && f <= 5, `firework ${color} = ${f}`);
    for (let r = 1; r <= f; r++) onFireworks.push({ color, rank: r });
  });
  const all = [...s.hands.flat(), ...s.deck.slice(s.drawn), ...s.discards, ...onFireworks];
  assert.equal(all.length, DECK_SIZE, 'cards conserved (count)');
  assert.deepEqual(counts(all), counts(fullDeck()), 'cards conserved (each card)');
  assert.ok(s.info >= 0 && s.info <= MAX_INFO, `info ${s.info}`);
  assert.ok(s.lives >= 0 && s.lives <= MAX_LIVES, `lives ${s.lives}`);
  assert.equal(hleScore(s), s.lives > 0 ? fireworksSum(s.fireworks) : 0, 'score equals the fireworks');
  assert.ok(s.turnsToPlay >= 0 && s.turnsToPlay <= 2, `turnsToPlay ${s.turnsToPlay}`);
  s.hands.forEach((hand, p) => {
    assert.ok(hand.length <= HAND_SIZE && hand.length >= HAND_SIZE - 2, `hand ${p} has ${hand.length}`);
    assert.equal(s.knowledge[p]!.length, hand.length);
    hand.forEach((c, i) => {
      const k = s.knowledge[p]![i]!;
      assert.ok(k.colors.includes(c.color) && k.ranks.includes(c.rank), 'a card is always plausible under its knowledge');
      if (k.color !== null) assert.equal(k.color, c.color);
      if (k.rank !== null) assert.equal(k.rank, c.rank);
    });
  });
}

import { rngFor } from '../../../src/core/rng.js';
import type { HanabiAction } from '../../../src/play/hanabi/moves.js';
import { type HanabiObs, observeState } from '../../../src/play/hanabi/observation.js';
import { applyAction, dealGame, isOver, legalIn } from '../../../src/play/hanabi/rules.js';
import { smartMove } from '../../../src/play/hanabi/bots/smart.js';

/** Observations of both seats at every turn of seeded games, seat 0 playing SmartBot and seat 1 a random legal move half the time. */
export function seededObservations(games: number, first = 0): Array<{ state: HanabiState; obs: HanabiObs[] }> {
  const out: Array<{ state: HanabiState; obs: HanabiObs[] }> = [];
  for (let g = first; g < first + games; g++) {
    let s = dealGame(g);
    const rng = rngFor(g, 'mixed');
    while (!isOver(s)) {
      out.push({ state: s, obs: [observeState(s, 0), observeState(s, 1)] });
      const legal = legalIn(s);
      const a: HanabiAction = s.current === 0 || rng.next() < 0.5 ? smartMove(observeState(s, s.current)) : legal[rng.int(legal.length)]!;
      s = applyAction(s, s.current, a);
    }
  }
  return out;
}
