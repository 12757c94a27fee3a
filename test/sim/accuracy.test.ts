// A synthetic model of ability p must score p (within sampling error) when its responses are
// scored by each benchmark's own score(): on the bundled samples, and on the real files when present.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BENCHMARKS } from '../../src/bench/registry.js';
import { startSimulator, type SimulatorHandle } from '../../src/sim/server.js';
import { sharedDatasets } from '../helpers.js';
import { TEST_MODELS, fixedProfile, tallyBench } from './helpers.js';

const P = 0.6;
let sim: SimulatorHandle;

before(async () => {
  sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(P), seed: 3 });
});
after(async () => {
  await sim.close();
});

function within(t: { correct: number; total: number }, p: number, label: string): void {
  const acc = t.correct / t.total;
  const se = Math.sqrt((p * (1 - p)) / t.total);
  assert.ok(Math.abs(acc - p) < 4 * se + 0.01, `${label}: accuracy ${acc.toFixed(3)} over ${t.total} samples, expected ${p} ± ${(4 * se).toFixed(3)}`);
}

for (const bench of BENCHMARKS) {
  test(`${bench.id}: ability ${P} scores ${P} on the samples`, async () => {
    const stats = sim.index.stats.find((s) => s.bench === bench.id)!;
    assert.equal(stats.error, undefined, `index error: ${stats.error}`);
    assert.equal(stats.kinds.generic ?? 0, 0, `${bench.id}: items not understood: ${JSON.stringify(stats.kinds)}`);
    assert.equal(stats.fingerprintMismatches, 0);
    const n = bench.id === 'humaneval' ? 6 : 40;
    const t = await tallyBench(sim, bench, 'sim/test-7b', n);
    within(t, P, bench.id);
  });
}

const shared = sharedDatasets();
test('real files: ability p scores p on each benchmark (first items)', { skip: shared.skip }, async () => {
  const real = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.4), seed: 5, dataRoot: shared.dir, indexVariants: 0 });
  try {
    for (const bench of BENCHMARKS) {
      const n = bench.id === 'humaneval' ? 2 : 3;
      const limit = bench.id === 'humaneval' ? 8 : 80;
      const t = await tallyBench(real, bench, 'sim/test-think-8b', n, { root: shared.dir, limit });
      within(t, 0.4, `${bench.id} (real)`);
    }
  } finally {
    await real.close();
  }
});
