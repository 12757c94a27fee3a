import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { GameRunSummary } from '../../src/eval/game-summary.js';
import { runEval } from '../../src/eval/runner.js';
import { parseProfile, startSimulator } from '../../src/sim/index.js';

const root = mkdtempSync(join(tmpdir(), 'masa-games-sim-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A simulator whose every model plays the games at one fixed skill. */
async function atSkill<T>(skill: number, f: (url: string) => Promise<T>): Promise<T> {
  const profile = parseProfile({ name: `skill-${skill}`, groups: { 'MA-C': { fixed: skill }, 'MA-A': { fixed: skill }, 'MA-P-play': { fixed: skill } } }, 'test');
  const sim = await startSimulator({ profile, benchmarks: [] });
  try {
    return await f(sim.url);
  } finally {
    await sim.close();
  }
}

async function play(url: string, bench: string, options: Record<string, unknown>, out: string): Promise<GameRunSummary> {
  const r = await runEval({ endpoints: [url], model: 'sim/qwen2.5-7b-instruct', benches: [bench], options: { [bench]: options }, out, concurrency: 16, progress: 'none', log: () => {} });
  const run = r.runs[0] as GameRunSummary;
  assert.equal(run.errors + run.missing, 0, `${bench}: every episode finished`);
  return run;
}

test('every game through masa eval on the simulator: skill 1 scores near the top, skill 0 near chance', { timeout: 240_000 }, async () => {
  const cases: Array<{ bench: string; options: Record<string, unknown>; top: number; chance: number }> = [
    // Self-play at skill 1 is the convention speaker with the learning listener (comm 1 in the module's tests).
    { bench: 'refgame', options: { partner: 'self', episodes: 6 }, top: 0.9, chance: 0.1 },
    // The adaptive player (bot:adaptive) scores about 0.83 over the panel; random about 0.15.
    { bench: 'repeated-games', options: { partner: 'panel', repeats: 1 }, top: 0.7, chance: 0.3 },
    // SmartBot self-play scores about 23 of 25; random play loses all its lives (HLE score 0).
    { bench: 'hanabi', options: { partner: 'self', episodes: 6 }, top: 20 / 25, chance: 1 / 25 },
  ];
  for (const c of cases) {
    const hi = await atSkill(1, (url) => play(url, c.bench, c.options, join(root, `${c.bench}-1`)));
    const lo = await atSkill(0, (url) => play(url, c.bench, c.options, join(root, `${c.bench}-0`)));
    assert.ok(hi.accuracy >= c.top, `${c.bench} at skill 1: ${hi.accuracy.toFixed(3)} >= ${c.top}`);
    assert.ok(lo.accuracy <= c.chance, `${c.bench} at skill 0: ${lo.accuracy.toFixed(3)} <= ${c.chance}`);
    assert.equal(hi.invalid_rate, 0, `${c.bench}: skill 1 never slips out of the format`);
  }
});

test('hanabi on the simulator: self-play score rises with skill', { timeout: 240_000 }, async () => {
  const scores: number[] = [];
  for (const skill of [0.7, 0.85, 0.95, 1]) {
    const run = await atSkill(skill, (url) => play(url, 'hanabi', { partner: 'self', episodes: 12 }, join(root, `hanabi-rise-${skill}`)));
    scores.push(25 * run.accuracy);
  }
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i]! > scores[i - 1]!, `scores rise with skill: ${scores.map((s) => s.toFixed(1)).join(' < ')}`);
});
