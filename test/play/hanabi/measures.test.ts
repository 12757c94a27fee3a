import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hanabi } from '../../../src/play/hanabi/index.js';
import { SMARTBOT_POINTS_PER_HINT } from '../../../src/play/hanabi/measures.js';
import { findPartner, playScripted } from '../../../src/play/loop.js';

test("hint_efficiency's anchor is SmartBot's self-play points per hint, within sampling error on other deals", () => {
  const smart = findPartner(hanabi, 'smart');
  const v: number[] = [];
  const eff: number[] = [];
  for (const e of hanabi.episodes({ ...hanabi.defaultOptions, episodes: 120 }, 4242)) {
    const log = playScripted(hanabi, e, { ...hanabi.defaultOptions }, [smart, smart]) as Parameters<typeof hanabi.score>[0];
    const m = hanabi.score(log, hanabi.defaultOptions);
    v.push(m.points_per_hint as number);
    eff.push(m.hint_efficiency as number);
  }
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const se = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) / v.length);
  assert.ok(Math.abs(mean - SMARTBOT_POINTS_PER_HINT) < 3 * se + 0.005, `SmartBot points per hint ${mean.toFixed(3)} ± ${se.toFixed(3)}`);
  assert.ok(eff.every((x) => x >= 0 && x <= 1));
  const meanEff = eff.reduce((a, b) => a + b, 0) / eff.length;
  assert.ok(meanEff > 0.85 && meanEff <= 1, `SmartBot's own efficiency is near 1 (${meanEff.toFixed(3)})`);
});
