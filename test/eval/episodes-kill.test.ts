import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mulberry32 } from '../../src/core/rng.js';
import { exitOf, killAtProgress } from '../helpers.js';
import type { GameRecord } from '../../src/eval/episode-records.js';
import { startFakeServer, type ChatRequestBody } from './fake-server.js';

const root = mkdtempSync(join(tmpdir(), 'masa-episodes-kill-'));
after(() => rmSync(root, { recursive: true, force: true }));

function masaEval(url: string, out: string, episodes: number): ReturnType<typeof spawn> {
  return spawn(
    process.execPath,
    ['bin/masa.mjs', 'eval', '--endpoint', url, '--model', 'm', '--bench-module', 'test/eval/toy-game.ts', '--option', `episodes=${episodes}`, '--option', 'partner=bot:coin', '--option', 'target=30', '--concurrency', '6', '--out', out, '--quiet', '--json', '--no-preset'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}


function log(out: string): GameRecord[] {
  const runs = readdirSync(out);
  assert.equal(runs.length, 1);
  const text = readFileSync(join(out, runs[0]!, 'turns.jsonl'), 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'no torn line left in the log');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as GameRecord);
}

// The answer depends only on the prompt, so an interrupted and an uninterrupted run can agree.
const respond = (b: ChatRequestBody): { content: string } => {
  const c = Number(/Counter: (\d+)/.exec(b.messages[1]!.content)![1]);
  return { content: `Action: ${c % 3 === 0 ? 'A' : 'B'}` };
};

test('games: kill -9 at random points, then a rerun: every turn recorded once, the same scores as an uninterrupted run', { timeout: 180_000 }, async () => {
  const N = 40;
  const server = await startFakeServer({ latencyMs: 15, respond });
  const rng = mulberry32(20261203);
  try {
    const killed = join(root, 'killed');
    const kills = await killAtProgress(() => masaEval(server.url, killed, N), () => server.stats.chat, { rounds: 4, min: 15, spread: 80, rng });
    assert.equal(kills, 4, 'every round was killed mid-run');
    const final = await exitOf(masaEval(server.url, killed, N));
    assert.equal(final.code, 0, final.stderr);
    const clean = join(root, 'clean');
    const uninterrupted = await exitOf(masaEval(server.url, clean, N));
    assert.equal(uninterrupted.code, 0, uninterrupted.stderr);

    const a = log(killed);
    const b = log(clean);
    const turnsOf = (recs: GameRecord[]): string[] =>
      recs
        .filter((r) => r.kind === 'turn' && r.error === null)
        .map((r) => `${r.episode_id}#${(r as { turn: number }).turn}#${(r as { ask: number }).ask}`)
        .sort();
    const ta = turnsOf(a);
    assert.equal(new Set(ta).size, ta.length, 'every turn recorded once');
    assert.deepEqual(ta, turnsOf(b), 'the same turns as the uninterrupted run');
    const episodes = (recs: GameRecord[]): Record<string, unknown> =>
      Object.fromEntries(recs.filter((r) => r.kind === 'episode').map((r) => [r.episode_id, (r as { measures: unknown; returns: unknown }).measures]));
    assert.equal(Object.keys(episodes(a)).length, N);
    assert.deepEqual(episodes(a), episodes(b));
    const json = (s: string): { accuracy: number; n: number } => JSON.parse(s.trim().split('\n').at(-1)!);
    assert.deepEqual(json(final.stdout).accuracy, json(uninterrupted.stdout).accuracy);
    assert.equal(json(final.stdout).n, N);
  } finally {
    await server.close();
  }
});

test('hanabi on the simulator: kill -9 mid-game, then a rerun: each move recorded once, the same final scores', { timeout: 240_000 }, async () => {
  const { startSimulator } = await import('../../src/sim/index.js');
  const sim = await startSimulator({ profile: 'paper', benchmarks: [], latencyMs: 5 });
  const args = (out: string): string[] => ['bin/masa.mjs', 'eval', '--endpoint', sim.url, '--model', 'sim/qwen2.5-72b-instruct', '--bench', 'hanabi', '--option', 'episodes=6', '--concurrency', '4', '--out', out, '--quiet', '--json'];
  const rng = mulberry32(7);
  try {
    const killed = join(root, 'hanabi-killed');
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, args(killed), { stdio: ['ignore', 'pipe', 'pipe'] });
      const done = exitOf(child);
      const start = sim.stats().requests;
      const target = start + 20 + rng.int(60);
      const timer = setInterval(() => {
        if (sim.stats().requests >= target) child.kill('SIGKILL');
      }, 2);
      const r = await done;
      clearInterval(timer);
      if (r.signal === 'SIGKILL') kills++;
    }
    assert.ok(kills >= 2, `killed mid-run (${kills} of 3)`);
    const final = await exitOf(spawn(process.execPath, args(killed), { stdio: ['ignore', 'pipe', 'pipe'] }));
    assert.equal(final.code, 0, final.stderr);
    const clean = join(root, 'hanabi-clean');
    const once = await exitOf(spawn(process.execPath, args(clean), { stdio: ['ignore', 'pipe', 'pipe'] }));
    assert.equal(once.code, 0, once.stderr);
    const moves = (recs: GameRecord[]): string[] =>
      recs
        .filter((r) => r.kind === 'turn' && r.error === null)
        .map((r) => `${r.episode_id}#${(r as { turn: number }).turn}#${(r as { ask: number }).ask}:${JSON.stringify((r as { action: unknown }).action)}`)
        .sort();
    const a = moves(log(killed));
    assert.equal(new Set(a.map((m) => m.split(':')[0])).size, a.length, 'each move recorded once');
    assert.deepEqual(a, moves(log(clean)));
    const scores = (recs: GameRecord[]): Record<string, unknown> => Object.fromEntries(recs.filter((r) => r.kind === 'episode').map((r) => [r.episode_id, (r as { measures: unknown }).measures]));
    assert.equal(Object.keys(scores(log(killed))).length, 6);
    assert.deepEqual(scores(log(killed)), scores(log(clean)));
  } finally {
    await sim.close();
  }
});
