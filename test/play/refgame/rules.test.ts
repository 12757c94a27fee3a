import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTurn } from '../../../src/play/loop.js';
import { refgame } from '../../../src/play/refgame.js';
import { getGame } from '../../../src/play/registry.js';
import type { ListenerObs, RefState, SpeakerObs } from '../../../src/play/refgame/rules.js';
import { options, specs } from './helpers.js';

test('registry: refgame is a game of group MA-C whose headline measure is comm_score', () => {
  assert.equal(getGame('refgame'), refgame);
  assert.equal(refgame.group, 'MA-C');
  assert.equal(refgame.measures[0]!.id, 'comm_score');
  assert.equal(refgame.measures[0]!.group, 'MA-C');
  assert.deepEqual(Object.keys(refgame.optionDocs).sort(), Object.keys(refgame.defaultOptions).sort());
});

test('episodes: seeded, stable ids, a longer list extends a shorter one', () => {
  const a = specs({ episodes: 5 }, 3);
  assert.deepEqual(a, specs({ episodes: 5 }, 3));
  assert.notDeepEqual(a.map((s) => s.seed), specs({ episodes: 5 }, 4).map((s) => s.seed));
  assert.deepEqual(specs({ episodes: 8 }, 3).slice(0, 5), a);
  assert.deepEqual(a.map((s) => s.id), ['ctx/0', 'ctx/1', 'ctx/2', 'ctx/3', 'ctx/4']);
  assert.deepEqual(a[0]!.config, { repetitions: 6, swap_at: 3 });
  assert.equal(a[0]!.tags['swap'], 'after-rep3');
  assert.equal(specs({ swap_at: 0 })[0]!.tags['swap'], 'none');
});

test('options: bad values are refused with the option named', () => {
  for (const [o, re] of [
    [{ episodes: 0 }, /episodes=0/],
    [{ episodes: 2.5 }, /episodes=2.5/],
    [{ repetitions: 1 }, /repetitions=1/],
    [{ repetitions: 9 }, /repetitions=9/],
    [{ swap_at: 6 }, /swap_at=6/],
    [{ swap_at: -1 }, /swap_at=-1/],
    [{ swap_at: '3' }, /swap_at="3"/],
    [{ instructions: 'chatty' }, /instructions="chatty"/],
  ] as const) {
    assert.throws(() => refgame.episodes(options(o as never), 1), re);
  }
  assert.throws(() => refgame.init({ id: 'x', seed: 1, config: { repetitions: 6, swap_at: 7 }, tags: {} }, options()), /episode x: swap_at=7/);
  // A spec without a config takes the options'; the spec's own config wins over them.
  assert.equal(refgame.init({ id: 'y', seed: 1, config: {}, tags: {} }, options({ repetitions: 3, swap_at: 0 })).trials.length, 12);
  assert.equal(refgame.init({ id: 'z', seed: 1, config: { repetitions: 2 }, tags: {} }, options({ repetitions: 3, swap_at: 1 })).trials.length, 8);
});

test('init: 4 targets x 6 repetitions, each repetition every target once, listener orders are permutations', () => {
  const spec = specs()[0]!;
  const s = refgame.init(spec, options());
  assert.deepEqual(s, refgame.init(spec, options()));
  assert.equal(s.trials.length, 24);
  for (let rep = 0; rep < 6; rep++) assert.deepEqual(s.trials.slice(rep * 4, rep * 4 + 4).map((t) => t.target).sort(), [0, 1, 2, 3]);
  for (const t of s.trials) assert.deepEqual([...t.order].sort(), [0, 1, 2, 3]);
  // The listener's order varies from trial to trial.
  assert.ok(new Set(s.trials.map((t) => t.order.join(''))).size > 6);
  assert.equal(s.swapTrial, 12);
  assert.equal(refgame.init(specs({ swap_at: 0 })[0]!, options()).swapTrial, null);
});

function playAll(s: RefState, say: (o: SpeakerObs) => string, pick: (o: ListenerObs) => number | null): { state: RefState; rewards: number[][]; speaker: SpeakerObs[]; listener: ListenerObs[] } {
  const rewards: number[][] = [];
  const speaker: SpeakerObs[] = [];
  const listener: ListenerObs[] = [];
  for (let turn = 0; ; turn++) {
    const seat = refgame.toAct(s);
    if (seat === null) break;
    const obs = refgame.observe(s, seat);
    let action;
    if (obs.role === 'speaker') {
      speaker.push(obs);
      action = { message: say(obs) };
    } else {
      listener.push(obs);
      action = { pick: pick(obs) };
    }
    const r = applyTurn(refgame, s, seat, action, turn);
    s = r.state;
    rewards.push(r.log.rewards);
  }
  return { state: s, rewards, speaker, listener };
}

test('turns alternate speaker, listener; the reward is 1 to both for the target', () => {
  const s0 = refgame.init(specs()[0]!, options());
  const r = playAll(s0, (o) => `word${o.round}`, (o) => (o.round % 2 === 0 ? 0 : null));
  assert.equal(r.rewards.length, 48);
  assert.equal(refgame.toAct(r.state), null);
  r.state.results.forEach((res, t) => {
    const trial = r.state.trials[t]!;
    const letter = r.listener[t]!.round % 2 === 0 ? 0 : null;
    assert.equal(res.pick, letter === null ? null : trial.order[0]);
    const want = res.pick === trial.target ? 1 : 0;
    assert.deepEqual(r.rewards[2 * t], [0, 0]);
    assert.deepEqual(r.rewards[2 * t + 1], [want, want]);
    assert.equal(res.message, `word${t}`);
  });
});

test('observations: the speaker keeps one order and all history; a fresh listener starts empty at the swap', () => {
  const s0 = refgame.init(specs()[0]!, options());
  const r = playAll(s0, (o) => `m${o.round}`, () => 1);
  r.speaker.forEach((o, t) => {
    assert.equal(o.round, t);
    assert.deepEqual(o.objects, s0.objects);
    assert.equal(o.target, s0.trials[t]!.target);
    assert.equal(o.history.length, t);
    assert.equal(o.newListenerAt, t >= 12 ? 12 : null);
  });
  r.listener.forEach((o, t) => {
    const start = t >= 12 ? 12 : 0;
    assert.equal(o.round, t - start);
    assert.equal(o.history.length, t - start);
    assert.equal(o.message, `m${t}`);
    assert.deepEqual(o.objects, s0.trials[t]!.order.map((j) => s0.objects[j]));
    o.history.forEach((h, k) => {
      const i = start + k;
      assert.equal(h.message, `m${i}`);
      assert.equal(h.picked, 1);
      assert.deepEqual(h.objects[h.target], s0.objects[s0.trials[i]!.target]);
    });
  });
});

test('validate: messages shorter than 20 words, one line, no quotes; a letter or the forfeit', () => {
  const s0 = refgame.init(specs()[0]!, options());
  const sp = refgame.observe(s0, 0);
  const ok = (m: unknown) => refgame.validate(sp, { message: m } as never);
  assert.equal(ok('the red one'), null);
  assert.equal(ok(''), null);
  assert.equal(ok(Array(19).fill('w').join(' ')), null);
  assert.match(ok(Array(20).fill('w').join(' '))!, /20 words/);
  assert.match(ok('a'.repeat(201))!, /201 characters/);
  for (const bad of ['say "hi"', 'two\nlines', ' padded', 'a  b', '<b>']) assert.match(ok(bad)!, /one line/, bad);
  assert.match(ok(7)!, /text/);
  assert.match(refgame.validate(sp, { pick: 1 })!, /message/);
  const s1 = refgame.step(s0, 0, { message: 'red' }).state;
  const li = refgame.observe(s1, 1);
  assert.equal(refgame.validate(li, { pick: 3 }), null);
  assert.equal(refgame.validate(li, { pick: null }), null);
  for (const p of [4, -1, 1.5, '1']) assert.match(refgame.validate(li, { pick: p } as never)!, /not one of/);
  assert.match(refgame.validate(li, { message: 'x' })!, /pick/);
  assert.throws(() => refgame.step(s0, 1, { pick: 0 }), /seat 1 acted on seat 0/);
  assert.throws(() => refgame.step(s0, 0, { message: 'x"' }), /illegal/);
});
