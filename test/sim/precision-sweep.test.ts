// On the real MMLU-Pro (../shared) against the simulator: masa plan's estimate of a precision run
// is within 20% of the requests the run then makes; masa summarize reads the precision run back
// exactly as the run summarized itself; the cost table counts what the server reported.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { getBenchmark } from '../../src/bench/registry.js';
import { planEstimates } from '../../src/analysis/plan-estimate.js';
import { fixedSampleSize } from '../../src/analysis/sample-size.js';
import { summarizeResults } from '../../src/analysis/summarize-results.js';
import { runEval } from '../../src/eval/runner.js';
import { listRuns, readRecords } from '../../src/eval/store.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { startSimulator, type SimulatorHandle } from '../../src/sim/server.js';
import { costSection } from '../../src/figures/cost-table.js';
import { sharedDatasets } from '../helpers.js';
import { TEST_MODELS } from './helpers.js';

const shared = sharedDatasets();
let sim: SimulatorHandle;
let out: string;
before(async () => {
  if (shared.skip) return;
  out = mkdtempSync(join(tmpdir(), 'masa-precision-sweep-'));
  sim = await startSimulator({ models: TEST_MODELS, profile: 'paper', seed: 2, dataRoot: shared.dir, benchmarks: [getBenchmark('mmlu-pro')], indexVariants: 0 });
});
after(async () => {
  await sim?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

async function records(): Promise<SampleRecord[]> {
  const all: SampleRecord[] = [];
  for (const r of listRuns(out)) for await (const x of readRecords(r.dir)) all.push(x);
  return all;
}

test('masa plan, then the run: the estimate from an earlier run is within 20% of the requests made; summarize agrees with the run', { skip: shared.skip }, async () => {
  const base = { model: 'sim/test-7b', endpoints: [sim.url], benches: ['mmlu-pro'], out, dataRoot: shared.dir, progress: 'none' as const, log: () => {}, concurrency: 16 };
  await runEval({ ...base, targetCi: 0.12 });
  const [est] = await planEstimates({ models: ['sim/test-7b'], benches: [getBenchmark('mmlu-pro')], targetCi: 0.04, dataRoot: shared.dir, results: out, catalog: TEST_MODELS });
  assert.equal(est!.accuracy_basis, 'earlier run');
  assert.equal(est!.tokens_basis, 'earlier run');
  const res = await runEval({ ...base, targetCi: 0.04 });
  const run = res.runs[0]!;
  const made = (await records()).length;
  assert.ok(Math.abs(est!.requests - made) <= 0.2 * made, `plan ${est!.requests} requests, run ${made}`);
  assert.ok(made < 12032 / 2, `stopped early: ${made} requests`);
  // The fixed-n floor beside the estimate: below it, and below where the run itself stopped.
  const floor = fixedSampleSize({ variance: (est!.accuracy * (1 - est!.accuracy) * 12032) / 12031, population: 12032, halfWidth: 0.04 });
  assert.equal(est!.fixed_n_items, floor);
  assert.ok(floor < est!.items && floor < run.precision!.stopped_at!, `fixed-n ${floor}, planned ${est!.items}, stopped at ${run.precision!.stopped_at}`);
  const completion = (await records()).reduce((s, r) => s + (r.usage?.completion_tokens ?? 0), 0);
  assert.ok(Math.abs(est!.completion_tokens - completion) <= 0.25 * completion, `plan ${est!.completion_tokens} completion tokens, run ${completion}`);

  const sum = await summarizeResults(out, { catalog: TEST_MODELS, dataRoot: shared.dir });
  const row = sum.rows[0]!;
  assert.equal(row.n, run.n);
  assert.ok(Math.abs(row.accuracy - run.accuracy) < 1e-12);
  assert.ok(Math.abs(row.ci_low - run.ci_low) < 1e-9 && Math.abs(row.ci_high - run.ci_high) < 1e-9);
  assert.match(row.interval!, /betting-cs-wor/);
  assert.equal(row.items_total, 12032);
  assert.equal(row.stopped_at, run.precision!.stopped_at);

  const cost = sum.costs[0]!;
  const recs = await records();
  assert.equal(cost.requests, recs.length);
  assert.equal(cost.prompt_tokens, recs.reduce((s, r) => s + r.usage!.prompt_tokens, 0));
  assert.ok(cost.cached_tokens !== null && cost.cached_tokens > 0, 'the category header of MMLU-Pro prompts is cached');
  assert.equal(cost.computed_prompt_tokens, cost.prompt_tokens - cost.cached_tokens!);
  assert.equal(sim.stats().cachedTokens, cost.cached_tokens, 'the records hold what the server reported');
  assert.ok(cost.wall_s !== null && cost.wall_s > 0 && cost.tokens_per_s! > 0);
  assert.match(costSection(sum.costs), new RegExp(`${cost.requests.toLocaleString('en-US')} requests`));
});
