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
