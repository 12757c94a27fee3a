import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rngFor } from '../../../src/core/rng.js';
import { DECK_SIZE, copies } from '../../../src/play/hanabi/cards.js';
import { fullDeck, shuffledDeck } from '../../../src/play/hanabi/deal.js';
import type { HanabiAction } from '../../../src/play/hanabi/moves.js';
import { type HanabiState, applyAction, dealGame, deckLeft, fireworksSum, hleScore, illegalReason, isOver, legalIn } from '../../../src/play/hanabi/rules.js';
import { hanabi } from '../../../src/play/hanabi/index.js';
import { card, checkInvariants, stackedGame } from './helpers.js';

const play = (index: number): HanabiAction => ({ type: 'play', index });
const discard = (index: number): HanabiAction => ({ type: 'discard', index });
const color = (c: number): HanabiAction => ({ type: 'reveal_color', color: c });
const rank = (r: number): HanabiAction => ({ type: 'reveal_rank', rank: r });
const step = (s: HanabiState, a: HanabiAction): HanabiState => applyAction(s, s.current, a);

test('deck: 50 cards, per colour three 1s, two each of 2-4, one 5', () => {
  const d = fullDeck();
  assert.equal(d.length, DECK_SIZE);
  for (let c = 0; c < 5; c++) for (let r = 1; r <= 5; r++) assert.equal(d.filter((x) => x.color === c && x.rank === r).length, copies(r));
  assert.deepEqual([1, 2, 3, 4, 5].map(copies), [3, 2, 2, 2, 1]);
});

test('deal: seeded and deterministic; five cards to seat 0, then five to seat 1; 8 tokens, 3 lives, seat 0 starts', () => {
  assert.deepEqual(shuffledDeck(7), shuffledDeck(7));
  assert.notDeepEqual(shuffledDeck(7), shuffledDeck(8));
  const s = dealGame(7);
  const d = shuffledDeck(7);
  assert.deepEqual(s.hands[0], d.slice(0, 5));
  assert.deepEqual(s.hands[1], d.slice(5, 10));
  assert.equal(deckLeft(s), 40);
  assert.deepEqual([s.info, s.lives, s.current, s.turnsToPlay], [8, 3, 0, 2]);
  assert.deepEqual(s.fireworks, [0, 0, 0, 0, 0]);
  checkInvariants(s);
});

test('legal moves in HLE order; no discard at 8 tokens; reveals only of colours and ranks the partner holds', () => {
  const s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3');
  assert.deepEqual(legalIn(s), [play(0), play(1), play(2), play(3), play(4), color(0), color(1), color(3), rank(1), rank(2), rank(3)]);
  assert.match(illegalReason(s, 0, discard(0))!, /not allowed with all 8/);
  const t = step(s, color(1));
  assert.deepEqual(legalIn(t).slice(0, 5), [discard(0), discard(1), discard(2), discard(3), discard(4)]);
});

test('a hint must touch a card and costs a token; with no token left there are no hints', () => {
  let s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3');
  assert.match(illegalReason(s, 0, color(2))!, /touch at least one/);
  assert.throws(() => step(s, rank(5)), /illegal action/);
  for (let i = 0; i < 8; i++) s = step(s, color(0));
  assert.equal(s.info, 0);
  assert.ok(legalIn(s).every((a) => a.type === 'play' || a.type === 'discard'));
  assert.match(illegalReason(s, s.current, color(0))!, /no information tokens/);
});

test('a hint records the cards it touched and updates knowledge as HLE does (named value, ruled-out values)', () => {
  const s = step(stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3'), color(1));
  assert.deepEqual(s.history[0], { seat: 0, type: 'reveal_color', color: 1, touched: [1, 2] });
  const k = s.knowledge[1]!;
  assert.deepEqual(k[1], { color: 1, rank: null, colors: [1], ranks: [1, 2, 3, 4, 5] });
  assert.deepEqual(k[0], { color: null, rank: null, colors: [0, 2, 3, 4], ranks: [1, 2, 3, 4, 5] });
  const t = step(s, rank(1));
  assert.deepEqual(t.history[1], { seat: 1, type: 'reveal_rank', rank: 1, touched: [0] });
  assert.deepEqual(t.knowledge[0]![0], { color: null, rank: 1, colors: [0, 1, 2, 3, 4], ranks: [1] });
  assert.deepEqual(t.knowledge[0]![1]!.ranks, [2, 3, 4, 5]);
  assert.equal(t.info, 6);
});

test('discard: gains a token, goes to the discard pile, the hand shifts down and the new card is drawn at the end', () => {
  let s = step(stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3', 'G1 G2'), color(0));
  s = step(s, rank(2)); // Bob's hint on Alice's R2
  s = step(s, discard(0));
  assert.equal(s.info, 7);
  assert.deepEqual(s.discards, [card('R1')]);
  assert.deepEqual(s.hands[0], ['R2', 'Y3', 'G4', 'B5', 'G1'].map(card));
  assert.equal(s.knowledge[0]![0]!.rank, 2, 'knowledge moves with its card');
  assert.deepEqual(s.knowledge[0]![4], { color: null, rank: null, colors: [0, 1, 2, 3, 4], ranks: [1, 2, 3, 4, 5] });
  assert.deepEqual(s.history[2], { seat: 0, type: 'discard', index: 0, card: card('R1') });
  assert.equal(deckLeft(s), 39);
});

test('play: a card that fits adds to its firework; one that does not costs a life and is discarded', () => {
  let s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3', 'G1 G2');
  s = step(s, play(0));
  assert.deepEqual(s.fireworks, [1, 0, 0, 0, 0]);
  assert.deepEqual([s.info, s.lives, s.discards.length], [8, 3, 0]);
  assert.deepEqual(s.history[0], { seat: 0, type: 'play', index: 0, card: card('R1'), scored: true });
  assert.deepEqual(s.hands[0]![4], card('G1'));
  s = step(s, play(0)); // Bob's R1: the red firework is at 1 already
  assert.deepEqual(s.fireworks, [1, 0, 0, 0, 0]);
  assert.equal(s.lives, 2);
  assert.deepEqual(s.discards, [card('R1')]);
  assert.equal((s.history[1] as { scored: boolean }).scored, false);
});

test('completing a firework gives a token back below 8, none at 8', () => {
  const five = (info: number): HanabiState => {
    const s = stackedGame('R5 Y1 Y1 Y1 G1', 'B1 B2 B3 B4 W1');
    return { ...s, fireworks: [4, 0, 0, 0, 0], info };
  };
  const a = step(five(5), play(0));
  assert.deepEqual([a.fireworks[0], a.info], [5, 6]);
  const b = step(five(8), play(0));
  assert.deepEqual([b.fireworks[0], b.info], [5, 8]);
});

test('the game ends when the third life is lost: HLE scores 0, the fireworks sum stays', () => {
  let s = stackedGame('R1 Y2 Y2 G3 G3', 'W4 W4 B4 B4 R2');
  s = step(s, play(0));
  for (const a of [play(0), play(0), play(0)]) {
    assert.ok(!isOver(s));
    s = step(s, a);
  }
  assert.equal(s.lives, 0);
  assert.ok(isOver(s));
  assert.equal(hleScore(s), 0);
  assert.equal(fireworksSum(s.fireworks), 1);
  assert.equal(hanabi.toAct(s), null);
  assert.match(illegalReason(s, s.current, play(0))!, /game is over/);
  checkInvariants(s);
});

test('the game ends at 25 points', () => {
  const s = stackedGame('B5 Y1 Y1 Y1 G1', 'R1 R2 R3 R4 W1');
  const t = step({ ...s, fireworks: [5, 5, 5, 5, 4], info: 3 }, play(0));
  assert.equal(fireworksSum(t.fireworks), 25);
  assert.ok(isOver(t));
  assert.equal(hleScore(t), 25);
});

test('after the deck runs out each player has one more turn (HLE turns_to_play), drawing nothing', () => {
  const base = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3');
  let s: HanabiState = { ...base, drawn: base.deck.length - 1, info: 4 };
  s = step(s, discard(0)); // draws the last card
  assert.deepEqual([deckLeft(s), s.turnsToPlay, s.hands[0]!.length], [0, 2, 5]);
  assert.ok(!isOver(s));
  s = step(s, discard(0)); // Bob's last turn
  assert.deepEqual([s.turnsToPlay, s.hands[1]!.length], [1, 4]);
  assert.ok(!isOver(s));
  s = step(s, color(1)); // Alice's last turn
  assert.equal(s.turnsToPlay, 0);
  assert.ok(isOver(s));
});

test('illegal actions are refused with a reason and never applied', () => {
  const s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3');
  assert.match(illegalReason(s, 1, play(0))!, /seat 0's turn/);
  assert.match(illegalReason(s, 0, play(5))!, /no card 5/);
  assert.match(illegalReason(s, 0, { type: 'fold' })!, /unknown action type/);
  assert.match(illegalReason(s, 0, { type: 'play', index: '0' })!, /integer "index"/);
  assert.match(illegalReason(s, 0, null)!, /object/);
  assert.match(illegalReason(s, 0, rank(9))!, /no rank 9/);
  assert.throws(() => applyAction(s, 0, play(7)), /illegal action/);
  assert.deepEqual(s.history, [], 'the input state is untouched');
});

test('rewards are the change in HLE score, the points lost on the third misplay included', () => {
  let s = stackedGame('R1 Y2 Y2 G3 G3', 'W4 W4 B4 B4 R2');
  let r = hanabi.step(s, 0, play(0));
  assert.deepEqual(r.rewards, [1, 1]);
  s = r.state;
  for (let i = 0; i < 2; i++) s = hanabi.step(s, s.current, play(0)).state;
  r = hanabi.step(s, s.current, play(0));
  assert.deepEqual(r.rewards, [-1, -1]);
});

test('10,000 seeded random games keep every invariant at every step and end', () => {
  let moves = 0;
  for (let g = 0; g < 10_000; g++) {
    let s = dealGame(g);
    const rng = rngFor(g, 'random-invariants');
    checkInvariants(s);
    while (!isOver(s)) {
      const legal = legalIn(s);
      assert.ok(legal.length > 0);
      s = applyAction(s, s.current, legal[rng.int(legal.length)]!);
      moves++;
      checkInvariants(s);
      assert.equal(s.history.length > 0, true);
    }
    assert.ok(s.lives === 0 || fireworksSum(s.fireworks) === 25 || s.turnsToPlay === 0);
  }
  assert.ok(moves > 50_000, `${moves} moves`);
});
