import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boardTimeline, lastMoves, observeState } from '../../../src/play/hanabi/observation.js';
import { knowledgeFromHistory } from '../../../src/play/hanabi/read.js';
import { applyAction, deckLeft } from '../../../src/play/hanabi/rules.js';
import { seededObservations, stackedGame } from './helpers.js';

test('an observation shows the partner\'s hand and both hands\' knowledge, never the observer\'s own cards', () => {
  const s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3');
  const o = observeState(s, 0);
  assert.deepEqual(o.partnerHand, s.hands[1]);
  assert.equal(o.myKnowledge.length, 5);
  assert.ok(!JSON.stringify(o).includes('"hands"') && !JSON.stringify(o).includes('"deck":['), 'no hidden state leaks');
  const text = JSON.stringify({ ...o, history: [] });
  assert.ok(!text.includes('{"color":0,"rank":2}'), "Alice's R2 is nowhere in her own observation");
  assert.deepEqual([o.info, o.lives, o.deck, o.fireworks, o.discards], [8, 3, 40, [0, 0, 0, 0, 0], []]);
});

test("lastMoves is HLE's slice: back to and including the observer's own last move, newest first", () => {
  let s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3');
  s = applyAction(s, 0, { type: 'reveal_color', color: 1 });
  s = applyAction(s, 1, { type: 'reveal_rank', rank: 2 });
  const o = observeState(s, 0);
  assert.deepEqual(lastMoves(o).map((h) => h.seat), [1, 0]);
  assert.deepEqual(lastMoves(observeState(s, 1)).map((h) => h.seat), [1]);
});

test('over seeded games: the history replays to the engine\'s knowledge, and the board timeline to the real past boards and partner hands', () => {
  const rows = seededObservations(30);
  const byGame: typeof rows[] = [];
  for (const r of rows) {
    if (r.state.history.length === 0) byGame.push([]);
    byGame[byGame.length - 1]!.push(r);
  }
  for (const game of byGame) {
    const last = game[game.length - 1]!;
    for (const seat of [0, 1]) {
      const o = last.obs[seat]!;
      const known = knowledgeFromHistory(o.history);
      assert.deepEqual(known[seat], o.myKnowledge);
      assert.deepEqual(known[1 - seat], o.partnerKnowledge);
      const views = boardTimeline(o);
      assert.equal(views.length, o.history.length + 1);
      game.forEach((row, t) => {
        const v = views[t]!;
        assert.deepEqual(v.partnerHand, row.state.hands[1 - seat], `partner hand before move ${t}`);
        assert.deepEqual([v.fireworks, v.info, v.lives, v.deck, v.discards], [row.state.fireworks, row.state.info, row.state.lives, deckLeft(row.state), row.state.discards]);
        assert.deepEqual(v.handSizes, row.state.hands.map((h) => h.length));
      });
    }
  }
});
