// `masa eval` against the simulator for all seven benchmarks: a model that is always right
// scores 1 and one that is always wrong scores 0, through the whole client, runner and scorer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { benchmarkIds } from '../../src/bench/registry.js';
import { startSimulator } from '../../src/sim/server.js';
import { TEST_MODELS, fixedProfile } from './helpers.js';

function evalJson(args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/masa.mjs', 'eval', ...args, '--quiet', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`masa eval exited ${code}: ${err}\n${out}`));
      }
    });
  });
}

for (const p of [1, 0]) {
  test(`masa eval on every benchmark: ability ${p} scores ${p}`, async () => {
    const sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(p), seed: 4 });
    const out = mkdtempSync(join(tmpdir(), 'masa-sim-eval-'));
    try {
      const ids = benchmarkIds();
      const res = await evalJson(['--endpoint', sim.url, '--model', 'sim/test-think-8b', '--bench', ids.join(','), '--limit', '3', '--out', out, '--seed', '2']);
      const runs: any[] = res.runs ?? [res];
      assert.deepEqual(runs.map((r) => r.bench).sort(), [...ids].sort());
      for (const r of runs) {
        assert.equal(r.errors, 0, `${r.bench}: errors ${JSON.stringify(r).slice(0, 600)}`);
        assert.equal(r.accuracy, p, `${r.bench}: accuracy ${r.accuracy}`);
      }
      assert.equal(sim.stats().unrecognised, 0);
    } finally {
      await sim.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
}
