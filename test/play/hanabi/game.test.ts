import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MasaError } from '../../../src/core/errors.js';
import { hanabi } from '../../../src/play/hanabi/index.js';
import { dealSeeds } from '../../../src/play/hanabi/options.js';
import type { HanabiAction } from '../../../src/play/hanabi/moves.js';
import { type HanabiState, applyAction } from '../../../src/play/hanabi/rules.js';
import { findPartner, playScripted } from '../../../src/play/loop.js';
import { SMARTBOT_POINTS_PER_HINT } from '../../../src/play/hanabi/measures.js';
import { getGame } from '../../../src/play/registry.js';
import type { EpisodeLog } from '../../../src/play/types.js';
import { stackedGame } from './helpers.js';

const opts = hanabi.defaultOptions;

test('registered as game hanabi in MA-P-play, with its partners, measures and documented options', () => {
  assert.equal(getGame('hanabi'), hanabi);
  assert.equal(hanabi.group, 'MA-P-play');
  assert.equal(hanabi.seats, 2);
  assert.deepEqual(Object.keys(hanabi.partners).sort(), ['random', 'simple', 'smart']);
  assert.equal(findPartner(hanabi, 'bot:smart').name, 'smart');
  assert.equal(hanabi.measures[0]!.id, 'score');
  assert.deepEqual(
    hanabi.measures.filter((m) => m.group).map((m) => [m.id, m.group]),
    [['score', 'MA-P-play'], ['hint_efficiency', 'MA-C']],
  );
  for (const k of Object.keys(opts)) assert.ok((hanabi.optionDocs as Record<string, unknown>)[k], k);
  assert.equal(opts.partner, 'self');
});

test('episodes: one deal each, from the run seed unless seeds names them; bad options are clear errors', () => {
  const a = hanabi.episodes(opts, 0);
  assert.equal(a.length, 20);
  assert.deepEqual(hanabi.episodes(opts, 0), a);
  assert.notDeepEqual(hanabi.episodes(opts, 1).map((e) => e.seed), a.map((e) => e.seed));
  assert.equal(new Set(a.map((e) => e.id)).size, 20);
  assert.deepEqual(hanabi.episodes({ ...opts, episodes: 3 }, 0), a.slice(0, 3), 'a larger run extends a smaller one');
  assert.deepEqual(dealSeeds({ ...opts, seeds: '0-4' }, 9), [0, 1, 2, 3, 4]);
  assert.deepEqual(dealSeeds({ ...opts, seeds: '3, 17,42' }, 9), [3, 17, 42]);
  assert.deepEqual(dealSeeds({ ...opts, seeds: 7 }, 9), [7]);
  assert.deepEqual(hanabi.episodes({ ...opts, seeds: '5' }, 0)[0], { id: 'hanabi/5', seed: 5, config: {}, tags: {} });
  for (const bad of ['x', '5-2', '1,1', '-3', '1.5']) assert.throws(() => dealSeeds({ ...opts, seeds: bad }, 0), (e: unknown) => e instanceof MasaError && /seed/.test((e as Error).message), bad);
  assert.throws(() => dealSeeds({ ...opts, episodes: 0 }, 0), /episodes=0/);
});

test('observations and actions are plain JSON; step never mutates its input', () => {
  const s = hanabi.init({ id: 'hanabi/3', seed: 3, config: {}, tags: {} }, opts);
  const o = hanabi.observe(s, 0);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(o)), o);
  const before = JSON.stringify(s);
  const a = hanabi.partners.smart!.act(o, { next: () => 0, int: () => 0 });
  assert.deepStrictEqual(JSON.parse(JSON.stringify(a)), a);
  hanabi.step(s, 0, a);
  assert.equal(JSON.stringify(s), before);
  assert.equal(hanabi.validate(o, { type: 'discard', index: 0 }), 'discarding is not allowed with all 8 information tokens');
  assert.match(hanabi.validate(o, { type: 'hint' } as unknown as HanabiAction)!, /unknown action type/);
});

test('score: every measure from a finished game', () => {
  let s = stackedGame('R1 Y2 Y2 G3 G3', 'W4 W4 B4 B1 R2');
  const moves: HanabiAction[] = [
    { type: 'reveal_rank', rank: 1 }, // Alice hints Bob's B1
    { type: 'play', index: 3 }, // Bob plays B1: a point after Alice's hint
    { type: 'play', index: 0 }, // Alice plays R1
    { type: 'play', index: 0 }, // Bob misplays W4
    { type: 'play', index: 0 }, // Alice misplays Y2
    { type: 'play', index: 0 }, // Bob misplays W4: the third life
  ];
  const turns = moves.map((action, turn) => {
    const seat = s.current;
    s = applyAction(s, seat, action);
    return { turn, seat, action, forfeit: false, invalid: 0, rewards: [0, 0], completion_tokens: null };
  });
  const log: EpisodeLog<HanabiState, HanabiAction> = { spec: { id: 'x', seed: 0, config: {}, tags: {} }, agents: ['bot:smart', 'bot:smart'], turns, final: s };
  assert.deepEqual(hanabi.score(log, opts), { score: 0, fireworks: 2, points_per_hint: 1, hint_efficiency: Math.min(1, 1 / SMARTBOT_POINTS_PER_HINT), hints_given: 1, lives_lost: 3, bombed: 1, perfect: 0 });
});

test('cross-play between scripted partners runs through playScripted and scores', () => {
  const log = playScripted(hanabi, { id: 'hanabi/1', seed: 1, config: {}, tags: {} }, { ...opts }, [hanabi.partners.smart!, hanabi.partners.simple!] as never);
  assert.deepEqual(log.agents, ['bot:smart', 'bot:simple']);
  assert.equal(hanabi.toAct(log.final as HanabiState), null);
  const m = hanabi.score(log as never, opts);
  assert.deepEqual(Object.keys(m).sort(), hanabi.measures.map((x) => x.id).sort());
  assert.equal(log.turns.reduce((a, t) => a + t.rewards[0]!, 0), m.score);
});
