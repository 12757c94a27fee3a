import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, rngFor } from '../../../src/core/rng.js';
import { hanabi } from '../../../src/play/hanabi/index.js';
import { freshKnowledge } from '../../../src/play/hanabi/knowledge.js';
import { sameAction } from '../../../src/play/hanabi/moves.js';
import { type HanabiObs, obsLegal, observeState } from '../../../src/play/hanabi/observation.js';
import { fireworksSum } from '../../../src/play/hanabi/rules.js';
import { randomMove } from '../../../src/play/hanabi/bots/random.js';
import { simpleMove } from '../../../src/play/hanabi/bots/simple.js';
import { smartMove } from '../../../src/play/hanabi/bots/smart.js';
import { playScripted } from '../../../src/play/loop.js';
import type { HanabiState } from '../../../src/play/hanabi/rules.js';
import { card, seededObservations, stackedGame } from './helpers.js';

const spec = (seed: number) => ({ id: `hanabi/${seed}`, seed, config: {}, tags: {} });

function selfPlay(name: string, seeds: number): { fireworks: number[]; scores: number[] } {
  const p = hanabi.partners[name]!;
  const fireworks: number[] = [];
  const scores: number[] = [];
  for (let g = 0; g < seeds; g++) {
    const log = playScripted(hanabi, spec(g), { ...hanabi.defaultOptions }, [p, p] as never);
    const s = log.final as HanabiState;
    fireworks.push(fireworksSum(s.fireworks));
    scores.push(hanabi.score(log as never, hanabi.defaultOptions).score!);
  }
  return { fireworks, scores };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const se = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

function obsWith(patch: Partial<HanabiObs>): HanabiObs {
  return { ...observeState(stackedGame('R1 R2 Y3 G4 B5', 'G2 Y1 W3 R1 B2'), 0), ...patch };
}

test('simple (HLE SimpleAgent) rule 1: play the first card a hint named, playable or not', () => {
  const mine = [freshKnowledge(), { ...freshKnowledge(), rank: 4, ranks: [4] }, { ...freshKnowledge(), color: 0, colors: [0] }, freshKnowledge(), freshKnowledge()];
  assert.deepEqual(simpleMove(obsWith({ myKnowledge: mine })), { type: 'play', index: 1 });
  // Ruled out of four colours by hints is not "named": HLE's knowledge does no inference.
  const ruledOut = [{ ...freshKnowledge(), colors: [2] }, freshKnowledge(), freshKnowledge(), freshKnowledge(), freshKnowledge()];
  assert.notEqual(simpleMove(obsWith({ myKnowledge: ruledOut })).type, 'play');
});

test("simple rule 2: with a token, reveal the colour of the partner's first playable card whose colour it was not told", () => {
  assert.deepEqual(simpleMove(obsWith({})), { type: 'reveal_color', color: 1 }, 'Y1 (card 1) is the first playable');
  const told = obsWith({ partnerKnowledge: [freshKnowledge(), { ...freshKnowledge(), color: 1, colors: [1] }, freshKnowledge(), freshKnowledge(), freshKnowledge()] });
  assert.deepEqual(simpleMove(told), { type: 'reveal_color', color: 0 }, 'Y1 is told, so R1 (card 3)');
  const fw = obsWith({ fireworks: [0, 0, 1, 0, 1] });
  assert.deepEqual(simpleMove(fw), { type: 'reveal_color', color: 2 }, 'G2 (card 0) is playable on green 1');
});

test('simple rules 3-4: no useful hint: discard card 0 below 8 tokens, else play card 0', () => {
  const noPlayable = { partnerHand: ['G2', 'Y3', 'W3', 'R4', 'B2'].map(card) };
  assert.deepEqual(simpleMove(obsWith({ ...noPlayable, info: 5 })), { type: 'discard', index: 0 });
  assert.deepEqual(simpleMove(obsWith({ ...noPlayable, info: 8 })), { type: 'play', index: 0 });
  assert.deepEqual(simpleMove(obsWith({ info: 0 })), { type: 'discard', index: 0 }, 'no token: no hint even with a playable card');
});

test('random: a legal move, seeded, every legal move reachable', () => {
  const o = obsWith({ info: 4 });
  const legal = obsLegal(o);
  const seen = new Set<number>();
  const rng = mulberry32(3);
  for (let i = 0; i < 2000; i++) {
    const a = randomMove(o, rng);
    const idx = legal.findIndex((m) => sameAction(m, a));
    assert.ok(idx >= 0);
    seen.add(idx);
  }
  assert.equal(seen.size, legal.length);
  assert.deepEqual(randomMove(o, rngFor(1, 'x')), randomMove(o, rngFor(1, 'x')));
});

test('smart: a colour hint marks the newest maybe-playable touched card playable, and the partner plays it', () => {
  let s = stackedGame('Y3 G4 B4 W2 G3', 'Y3 G4 B4 W2 R1');
  const first = smartMove(observeState(s, 0));
  assert.deepEqual(first, { type: 'reveal_color', color: 0 }, 'the only playable card is Bob\'s newest, R1');
  s = hanabi.step(s, 0, first).state;
  assert.deepEqual(smartMove(observeState(s, 1)), { type: 'play', index: 4 });
});

test('smart is a pure function of the observation: the replay cache never changes a move, and a second call repeats the first', () => {
  for (const row of seededObservations(12, 500)) {
    const o = row.obs[row.state.current]!;
    const a = smartMove(o);
    assert.deepEqual(smartMove(o, { cache: false }), a);
    assert.deepEqual(smartMove(o), a);
    assert.equal(hanabi.validate(o, a), null);
  }
});

test('oracle: SmartBot self-play over seeded deals is within sampling error of its published 23.09 (fireworks sum, the rules it was published on)', () => {
  const { fireworks, scores } = selfPlay('smart', 100);
  const m = mean(fireworks);
  assert.ok(Math.abs(m - 23.09) < 1.96 * se(fireworks), `mean ${m} ± ${se(fireworks)}`);
  // Exact outcomes for these seeds (npm run bench plays 1,000).
  assert.equal(fireworks.reduce((a, b) => a + b, 0), 2331);
  assert.ok(mean(scores) <= m);
});

test('oracle: SimpleAgent and the random player, exact outcomes over seeded deals', () => {
  const simple = selfPlay('simple', 100);
  assert.equal(simple.fireworks.reduce((a, b) => a + b, 0), 338);
  assert.ok(simple.scores.every((x) => x === 0), 'HLE SimpleAgent plays every hinted card, so it loses all lives');
  const random = selfPlay('random', 200);
  assert.equal(random.fireworks.reduce((a, b) => a + b, 0), 270);
  assert.ok(random.scores.every((x) => x === 0));
});
