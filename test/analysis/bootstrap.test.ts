import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bcaInterval, bootstrapDistribution, jackknife } from '../../src/analysis/bootstrap.js';
import { bootstrapCorrelation, correlationStatistic, permutationTest } from '../../src/analysis/correlation-resampling.js';
import { pearson } from '../../src/analysis/pearson.js';
import { assertClose, normals, reference, referenceSkip } from './reference.js';

const n = 41;
const a = normals(n, 21);
const b = normals(n, 22);
const x = a;
const y = a.map((v, i) => 0.5 * v + 0.8 * b[i]!);

test('bootstrap is reproducible for a seed and differs across seeds', () => {
  const r1 = bootstrapCorrelation('spearman', x, y, { resamples: 500, seed: 7 });
  const r2 = bootstrapCorrelation('spearman', x, y, { resamples: 500, seed: 7 });
  const r3 = bootstrapCorrelation('spearman', x, y, { resamples: 500, seed: 8 });
  assert.deepEqual(r1, r2);
  assert.notDeepEqual(r1.percentile, r3.percentile);
  assert.ok(r1.percentile[0] < r1.estimate && r1.estimate < r1.percentile[1]);
  assert.ok(r1.bca[0] < r1.estimate && r1.estimate < r1.bca[1]);
});

test('percentile and BCa intervals agree with scipy.stats.bootstrap formulas on the same resamples', { skip: referenceSkip }, () => {
  for (const method of ['pearson', 'spearman', 'kendall'] as const) {
    const stat = correlationStatistic(method, x, y);
    const est = stat(Int32Array.from({ length: n }, (_, i) => i));
    const dist = Array.from(bootstrapDistribution(n, stat, { resamples: 3000, seed: 3 }));
    const jack = jackknife(n, stat);
    const [ref] = reference([{ op: 'bca', dist, jack, estimate: est, level: 0.9 }]);
    const ours = bcaInterval(est, dist, jack, 0.9);
    assertClose(ours.z0, ref.z0, 1e-9, `${method} z0`);
    assertClose(ours.acceleration, ref.a, 1e-9, `${method} acceleration`);
    assertClose(ours.interval[0], ref.bca[0], 1e-9, `${method} BCa low`);
    assertClose(ours.interval[1], ref.bca[1], 1e-9, `${method} BCa high`);
    const full = bootstrapCorrelation(method, x, y, { resamples: 3000, seed: 3, level: 0.9 });
    assertClose(full.percentile[0], ref.percentile[0], 1e-12, `${method} percentile low`);
    assertClose(full.percentile[1], ref.percentile[1], 1e-12, `${method} percentile high`);
    assertClose(full.bca[0], ref.bca[0], 1e-12, `${method} bca via bootstrapCorrelation`);
  }
});

test('bootstrap CI covers roughly the asymptotic interval for Pearson', () => {
  const r = bootstrapCorrelation('pearson', x, y, { resamples: 4000, seed: 1 });
  const z = Math.atanh(r.estimate);
  const h = 1.959963984540054 / Math.sqrt(n - 3);
  const fisher = [Math.tanh(z - h), Math.tanh(z + h)];
  assert.ok(Math.abs(r.percentile[0] - fisher[0]!) < 0.08, `low ${r.percentile[0]} vs Fisher ${fisher[0]}`);
  assert.ok(Math.abs(r.percentile[1] - fisher[1]!) < 0.08, `high ${r.percentile[1]} vs Fisher ${fisher[1]}`);
});

test('family-block bootstrap resamples whole families and is wider when families share a shift', () => {
  const fam = Array.from({ length: n }, (_, i) => `f${i % 5}`);
  const shift = [0, 1.5, -1.5, 0.8, -0.8];
  const xs = x.map((v, i) => v + shift[i % 5]!);
  const ys = y.map((v, i) => v + shift[i % 5]!);
  const rows = bootstrapCorrelation('pearson', xs, ys, { resamples: 2000, seed: 4 });
  const blocks = bootstrapCorrelation('pearson', xs, ys, { resamples: 2000, seed: 4, blocks: fam });
  assert.equal(blocks.unit, 'blocks');
  assert.equal(blocks.units, 5);
  assert.ok(blocks.percentile[1] - blocks.percentile[0] > rows.percentile[1] - rows.percentile[0]);
});

test('degenerate resamples (constant column) are skipped and counted, n = 3 still works', () => {
  const r = bootstrapCorrelation('pearson', [1, 2, 3], [1, 3, 2], { resamples: 1000, seed: 2 });
  assert.ok(r.valid < r.resamples, 'some resamples of 3 rows repeat one row and are undefined');
  assert.ok(r.valid > 0);
});

test('permutation p-value is close to the t-test p for Pearson', () => {
  const perm = permutationTest('pearson', x, y, { permutations: 4000, seed: 5 });
  const t = pearson(x, y);
  assert.ok(perm.p >= 1 / 4001);
  assert.ok(Math.abs(perm.p - t.p) < 0.01 + 3 * Math.sqrt((t.p * (1 - t.p)) / 4000), `perm ${perm.p} vs t ${t.p}`);
  const none = permutationTest('kendall', x, normals(n, 99), { permutations: 2000, seed: 5 });
  assert.ok(none.p > 0.05);
});

test('the O(n) resampled Spearman equals rho recomputed from scratch on each resample (ties included)', async () => {
  const { spearmanRho } = await import('../../src/analysis/spearman.js');
  const { mulberry32 } = await import('../../src/core/rng.js');
  const xt = x.map((v) => Math.round(v * 2) / 2);
  const stat = correlationStatistic('spearman', xt, y);
  const rng = mulberry32(12);
  for (let b = 0; b < 200; b++) {
    const rows = Int32Array.from({ length: n }, () => rng.int(n));
    const direct = spearmanRho(Array.from(rows, (i) => xt[i]!), Array.from(rows, (i) => y[i]!));
    assert.ok(Math.abs(stat(rows) - direct) < 1e-12, `resample ${b}`);
  }
  assert.ok(Number.isNaN(stat(new Int32Array(n).fill(3))), 'one row repeated: undefined');
});
