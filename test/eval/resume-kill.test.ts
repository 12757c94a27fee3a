import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mulberry32 } from '../../src/core/rng.js';
import { exitOf, killAtProgress } from '../helpers.js';
import { startFakeServer } from './fake-server.js';

const out = mkdtempSync(join(tmpdir(), 'masa-kill-'));
after(() => rmSync(out, { recursive: true, force: true }));

function masaEval(url: string, n: number): ReturnType<typeof spawn> {
  return spawn(
    process.execPath,
    ['bin/masa.mjs', 'eval', '--endpoint', url, '--model', 'm', '--bench-module', 'test/eval/arith-bench.ts', '--option', `n=${n}`, '--concurrency', '8', '--out', out, '--quiet', '--json', '--no-preset'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}


function lines(): Array<Record<string, unknown>> {
  const runs = readdirSync(out);
  assert.equal(runs.length, 1);
  const text = readFileSync(join(out, runs[0]!, 'samples.jsonl'), 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'no torn line left in the log');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('kill -9 at random points of progress, then resume: no item lost or repeated', { timeout: 120_000 }, async () => {
  const N = 300;
  const server = await startFakeServer({ latencyMs: 25 });
  const rng = mulberry32(20261124);
  try {
    // Each round dies after 10 to 70 more requests have reached the server.
    const kills = await killAtProgress(() => masaEval(server.url, N), () => server.stats.chat, { rounds: 4, min: 10, spread: 60, rng });
    assert.equal(kills, 4, `every round was killed mid-way (${kills})`);
    const final = await exitOf(masaEval(server.url, N));
    assert.equal(final.code, 0, final.stderr);
    const summary = JSON.parse(final.stdout.trim().split('\n').pop()!) as Record<string, number>;
    assert.equal(summary.n, N);
    assert.equal(summary.errors, 0);
    const recs = lines();
    const ok = recs.filter((r) => r.error === null);
    assert.equal(ok.length, N, 'one successful record per item');
    assert.equal(new Set(ok.map((r) => r.item_id)).size, N, 'no item repeated');
    // Only requests in flight at a kill may be lost (and re-requested): 8 per kill at most.
    assert.ok(server.stats.chat - N <= 8 * kills, `requests ${server.stats.chat} for ${N} items after ${kills} kills`);
    const rerun = await exitOf(masaEval(server.url, N));
    assert.equal(rerun.code, 0);
    assert.equal(lines().length, recs.length, 'a rerun of a complete run requests nothing');
  } finally {
    await server.close();
  }
});

test('SIGINT stops cleanly: what was in flight is recorded, exit 130, then resume', { timeout: 60_000 }, async () => {
  rmSync(out, { recursive: true, force: true });
  const N = 400;
  const server = await startFakeServer({ latencyMs: 40 });
  try {
    const child = masaEval(server.url, N);
    const done = exitOf(child);
    const timer = setInterval(() => {
      if (server.stats.chat > 40) {
        clearInterval(timer);
        child.kill('SIGINT');
      }
    }, 10);
    const r = await done;
    clearInterval(timer);
    assert.equal(r.code, 130, r.stderr);
    const recs = lines();
    assert.ok(recs.length < N);
    assert.equal(recs.length, server.stats.chat, 'every request sent before the stop was recorded');
    const final = await exitOf(masaEval(server.url, N));
    assert.equal(final.code, 0);
    assert.equal(lines().length, N);
    assert.equal(server.stats.chat, N);
  } finally {
    await server.close();
  }
});
