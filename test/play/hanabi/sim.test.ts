import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rngFor } from '../../../src/core/rng.js';
import { wordCount } from '../../../src/play/common.js';
import { hanabi } from '../../../src/play/hanabi/index.js';
import type { HanabiAction } from '../../../src/play/hanabi/moves.js';
import type { HanabiObs } from '../../../src/play/hanabi/observation.js';
import { fireworksSum, type HanabiState } from '../../../src/play/hanabi/rules.js';
import { smartMove } from '../../../src/play/hanabi/bots/smart.js';
import { playScripted } from '../../../src/play/loop.js';
import type { Partner } from '../../../src/play/types.js';
import { seededObservations } from './helpers.js';

const opts = hanabi.defaultOptions;

/** The simulator as a partner: its reply text, read back through parse, as the runner would. */
function simPartner(skill: number): Partner<HanabiObs, HanabiAction> {
  return {
    name: `sim-${skill}`,
    description: 'simAct through parse',
    act(obs, rng) {
      const p = hanabi.parse(hanabi.simAct(obs, skill, rng, opts), obs, opts);
      if (p.ok === false) throw new Error(p.error);
      return p.action;
    },
  };
}

function fireworksMean(skill: number, games: number): number {
  let t = 0;
  const p = simPartner(skill) as Partner<unknown, unknown>;
  for (let g = 0; g < games; g++) t += fireworksSum((playScripted(hanabi, { id: `g${g}`, seed: g, config: {}, tags: {} }, { ...opts }, [p, p]).final as HanabiState).fireworks);
  return t / games;
}

test('simAct replies as LLM-Coordination asks, a few sentences long, and parses into the move chosen', () => {
  const rows = seededObservations(6);
  for (const [i, r] of rows.entries()) {
    const o = r.obs[r.state.current]!;
    for (const skill of [0, 0.5, 1]) {
      const reply = hanabi.simAct(o, skill, rngFor(i, skill), opts);
      assert.match(reply, /^Explanation: [^\n]+\nAction: [A-Z]\. [^\n]+$/);
      const words = wordCount(reply);
      assert.ok(words >= 25 && words <= 120, `${words} words`);
      const p = hanabi.parse(reply, o, opts);
      assert.ok(p.ok, reply);
      if (p.ok) assert.equal(hanabi.validate(o, p.action), null);
      // The simulator reads the prompt back, so it plays from the text alone.
      assert.equal(hanabi.simAct(hanabi.readPrompt(hanabi.prompt(o, opts))!, skill, rngFor(i, skill), opts), reply);
    }
    if (r.state.current === 0) {
      const p = hanabi.parse(hanabi.simAct(o, 1, rngFor(i, 'one'), opts), o, opts);
      assert.deepEqual(p.ok ? p.action : null, smartMove(o), 'skill 1 is SmartBot');
    }
  }
});

test('simAct in play: skill 1 scores as SmartBot self-play, skill 0 as the random player, and the score rises with skill', () => {
  const smart = hanabi.partners.smart as Partner<unknown, unknown>;
  let smartTotal = 0;
  for (let g = 0; g < 20; g++) smartTotal += fireworksSum((playScripted(hanabi, { id: `g${g}`, seed: g, config: {}, tags: {} }, { ...opts }, [smart, smart]).final as HanabiState).fireworks);
  assert.equal(fireworksMean(1, 20), smartTotal / 20);
  const zero = fireworksMean(0, 200);
  assert.ok(Math.abs(zero - 1.25) < 0.3, `skill 0: ${zero} (the random player: 1.25)`);
  const curve = [0, 0.5, 0.9, 1].map((s) => fireworksMean(s, 30));
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]! > curve[i - 1]!, `curve ${curve.join(', ')}`);
});
