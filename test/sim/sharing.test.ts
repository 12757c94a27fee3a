// On the simulator's benchmarks (identical-prompt trials: EmoBench, CoordinationQA; shuffled
// trials: ToMBench): ordering requests by prompt and sharing one request among identical trials
// leave the request keys unchanged and, under greedy decoding, every record; under sampling a
// shared request's first choice is still exactly the first trial's answer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runEval, type EvalConfig } from '../../src/eval/runner.js';
import { listRuns, readRecords } from '../../src/eval/store.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { startSimulator, type SimulatorHandle } from '../../src/sim/server.js';
import { TEST_MODELS, fixedProfile } from './helpers.js';

let sim: SimulatorHandle;
const dirs: string[] = [];
before(async () => {
  sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.6), seed: 3, kvCacheTokens: 20_000 });
});
after(async () => {
  await sim.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(extra: Partial<EvalConfig>): Promise<{ recs: SampleRecord[]; requests: number }> {
  const out = mkdtempSync(join(tmpdir(), 'masa-sharing-'));
  dirs.push(out);
  const before = sim.stats().requests;
  await runEval({ model: 'sim/test-7b', endpoints: [sim.url], benches: ['emobench', 'coordinationqa', 'tombench'], out, progress: 'none', preset: null, seed: 5, log: () => {}, ...extra });
  const recs: SampleRecord[] = [];
  for (const r of listRuns(out)) for await (const x of readRecords(r.dir)) recs.push(x);
  return { recs, requests: sim.stats().requests - before };
}

const view = (r: SampleRecord): string => `${r.request_key}|${r.item_id}|${r.trial}|${r.response}|${r.reasoning}|${r.extracted}|${r.correct}|${r.finish_reason}`;

test('greedy decoding: prompt order and shared trials give the same keys and the same records as plan order, one request per trial', async () => {
  const fast = await run({ greedy: true });
  const slow = await run({ greedy: true, order: 'arrival', shareTrials: false });
  assert.ok(fast.recs.length > 20);
  assert.equal(slow.requests, slow.recs.length);
  assert.ok(fast.requests < slow.requests, `${fast.requests} requests vs ${slow.requests}`);
  assert.deepEqual(fast.recs.map(view).sort(), slow.recs.map(view).sort());
});

test('sampling: the same keys; each shared request\'s first choice is its first trial\'s own answer', async () => {
  const fast = await run({ generation: { temperature: 0.8 } });
  const slow = await run({ generation: { temperature: 0.8 }, order: 'arrival', shareTrials: false });
  assert.deepEqual(fast.recs.map((r) => r.request_key).sort(), slow.recs.map((r) => r.request_key).sort());
  const slowByKey = new Map(slow.recs.map((r) => [r.request_key, r]));
  const firsts = fast.recs.filter((r) => !r.shared || r.shared.index === 0);
  assert.deepEqual(firsts.map(view).sort(), firsts.map((r) => view(slowByKey.get(r.request_key)!)).sort());
  assert.ok(fast.recs.some((r) => r.shared && r.shared.n === 5), 'EmoBench trials shared one request');
  // ToMBench shuffles options per trial: only trials that drew the same order share a request.
  const tom = fast.recs.filter((r) => r.bench === 'tombench');
  assert.ok(tom.some((r) => !r.shared));
  for (const r of tom) {
    const twin = tom.some((x) => x !== r && x.item_id === r.item_id && JSON.stringify(x.permutation) === JSON.stringify(r.permutation));
    assert.equal(Boolean(r.shared), twin, `${r.item_id} trial ${r.trial}: shared exactly when another trial shows the same option order`);
  }
});
