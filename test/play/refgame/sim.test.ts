import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/core/rng.js';
import { refgame } from '../../../src/play/refgame.js';
import { bot, options, play, runMeasures, simPartner, specs } from './helpers.js';

const LIST = specs({ episodes: 30 }, 21);

test('simAct writes replies that parse into the move it chose', () => {
  const o = options();
  for (const spec of LIST.slice(0, 5)) {
    const log = play(spec, simPartner(0.5), simPartner(0.5));
    assert.equal(log.turns.length, 48);
  }
  const s0 = refgame.init(LIST[0]!, o);
  const sp = refgame.observe(s0, 0);
  for (let seed = 0; seed < 200; seed++) {
    const text = refgame.simAct(sp, seed % 2, mulberry32(seed), o);
    assert.deepEqual(refgame.parse(text, sp, o), { ok: true, action: { message: text } });
  }
  const li = refgame.observe(refgame.step(s0, 0, { message: 'red' }).state, 1);
  for (let seed = 0; seed < 50; seed++) assert.match(refgame.simAct(li, 0, mulberry32(seed), o), /^[A-D]$/);
});

test('skill 1 plays exactly as the convention speaker and the learning listener', () => {
  const sim = runMeasures(LIST, simPartner(1), simPartner(1));
  const bots = runMeasures(LIST, bot('convention'), bot('learning'));
  assert.deepEqual(sim, bots);
  assert.equal(sim['comm_score'], 1);
  assert.equal(sim['accuracy'], 1);
  // The skilled speaker with the literal listener: the same trials, turn for turn.
  for (const spec of LIST.slice(0, 10)) {
    assert.deepEqual(play(spec, simPartner(1), bot('literal')).final, play(spec, bot('convention'), bot('literal')).final);
  }
});

test('skill 0 plays near chance, and skill 0.5 in between', () => {
  const zero = runMeasures(LIST, simPartner(0), simPartner(0));
  assert.ok(Math.abs(zero['accuracy']! - 0.25) < 0.04, `${zero['accuracy']}`);
  assert.ok(zero['comm_score']! < 0.02, `${zero['comm_score']}`);
  assert.ok(zero['words']! > 6 && zero['words']! < 10, `${zero['words']}`);
  const half = runMeasures(LIST, simPartner(0.5), simPartner(0.5));
  assert.ok(half['comm_score']! > 0.05 && half['comm_score']! < 0.9, `${half['comm_score']}`);
  assert.ok(half['accuracy']! > zero['accuracy']! + 0.1 && half['accuracy']! < 0.95, `${half['accuracy']}`);
});
