import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSweepConfig, runSweep } from '../../src/eval/sweep.js';
import { benchmark as arith } from './arith-bench.js';
import { startFakeServer } from './fake-server.js';

const root = mkdtempSync(join(tmpdir(), 'masa-sweep-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('sweep: models x benchmarks, done / partial / failed, resumable as a whole', async () => {
  const a = await startFakeServer({ models: ['alpha'] });
  let flaky = true;
  const b = await startFakeServer({ models: ['beta'], fault: (n) => (flaky && n % 4 === 0 ? { status: 500 } : null) });
  const dead = await startFakeServer({ models: ['gamma'] });
  const deadUrl = dead.url;
  await dead.close();
  try {
    const file = join(root, 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        benches: ['arith'],
        out: 'runs',
        options: { n: 12 },
        max_attempts: 1,
        models: [
          { model: 'alpha', endpoint: a.url },
          { model: 'beta', endpoints: [b.url] },
          { model: 'gamma', endpoints: [deadUrl] },
        ],
      }),
    );
    const cfg = readSweepConfig(file);
    assert.equal(cfg.out, join(root, 'runs'));
    const hooks = { progress: 'none' as const, benches: [arith], log: () => {} };
    const first = await runSweep(cfg, hooks);
    assert.deepEqual(first.rows.map((r) => [r.model, r.status]), [['alpha', 'done'], ['beta', 'partial'], ['gamma', 'failed']]);
    assert.match(first.rows[2]!.reason!, /no endpoint answered/);
    const before = a.stats.chat;
    flaky = false;
    const second = await runSweep(cfg, hooks);
    assert.deepEqual(second.rows.map((r) => r.status), ['done', 'done', 'failed']);
    assert.equal(a.stats.chat, before, 'a finished model is not requested again');
  } finally {
    await a.close();
    await b.close();
  }
});

test('sweep config errors name the field', () => {
  const file = join(root, 'bad.json');
  writeFileSync(file, JSON.stringify({ benches: ['x'], models: [{ model: 'm', endpoints: [] }] }));
  assert.throws(() => readSweepConfig(file), /models\[0\]\.endpoints/);
  writeFileSync(file, JSON.stringify({ benches: ['x'], models: [{ model: 'm', endpoint: 'http://h' }], generation: { temprature: 1 } }));
  assert.throws(() => readSweepConfig(file), /generation\.temprature: unknown/);
});

test('parallel_models: several models at once, each at its own endpoint; the table keeps config order', async () => {
  // alpha is slow and listed first, so with two at once beta finishes first; rows stay in config order.
  // beta's request count when alpha serves the last of its 8 requests, per sweep.
  const betaSeenByAlpha: number[] = [];
  const b = await startFakeServer({ models: ['beta'], latencyMs: 2 });
  const a = await startFakeServer({
    models: ['alpha'],
    latencyMs: 40,
    fault: (n) => {
      if (n % 8 === 7) betaSeenByAlpha.push(b.stats.chat);
      return null;
    },
  });
  try {
    const file = join(root, 'parallel.json');
    const models = [
      { model: 'alpha', endpoint: a.url, concurrency: 1 },
      { model: 'beta', endpoint: b.url, concurrency: 1 },
    ];
    writeFileSync(file, JSON.stringify({ benches: ['arith'], out: 'runs-parallel', options: { n: 8 }, parallel_models: 2, models }));
    const cfg = readSweepConfig(file);
    assert.equal(cfg.parallel_models, 2);
    const hooks = { progress: 'none' as const, benches: [arith], log: () => {} };
    const res = await runSweep(cfg, hooks);
    assert.deepEqual(res.rows.map((r) => [r.model, r.status, r.n]), [['alpha', 'done', 8], ['beta', 'done', 8]]);
    assert.ok(betaSeenByAlpha[0]! > 0, 'beta was being evaluated while alpha was');

    // One at a time (the flag's override of the config): beta starts only after alpha is done.
    writeFileSync(file, JSON.stringify({ benches: ['arith'], out: 'runs-serial', options: { n: 8 }, parallel_models: 2, models }));
    const before = b.stats.chat;
    await runSweep(readSweepConfig(file), { ...hooks, parallelModels: 1 });
    assert.equal(betaSeenByAlpha[1], before, 'beta untouched while alpha ran');
    assert.equal(b.stats.chat, before + 8);

    writeFileSync(file, JSON.stringify({ benches: ['arith'], parallel_models: 0, models }));
    assert.throws(() => readSweepConfig(file), /parallel_models: must be a whole number >= 1/);
  } finally {
    await a.close();
    await b.close();
  }
});
