import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kendall, kendallExactP } from '../../src/analysis/kendall.js';
import { dummies, partialCorrelation, partialOnLogSize } from '../../src/analysis/partial-correlation.js';
import { pearson } from '../../src/analysis/pearson.js';
import { spearman } from '../../src/analysis/spearman.js';
import { assertClose, normals, reference, referenceSkip } from './reference.js';

function dataset(n: number, seed: number, rho: number, round?: number): { x: number[]; y: number[] } {
  const a = normals(n, seed);
  const b = normals(n, seed + 1000);
  const r = (v: number): number => (round ? Math.round(v * round) / round : v);
  return { x: a.map(r), y: a.map((v, i) => r(rho * v + Math.sqrt(1 - rho * rho) * b[i]!)) };
}

const cases: Array<{ name: string; x: number[]; y: number[] }> = [
  { name: 'n=41 continuous', ...dataset(41, 1, 0.6) },
  { name: 'n=41 with ties', ...dataset(41, 2, 0.4, 2) },
  { name: 'n=3', x: [0.2, 0.5, 0.9], y: [0.3, 0.2, 0.8] },
  { name: 'n=20 no ties (Kendall exact)', ...dataset(20, 3, -0.3) },
  { name: 'n=60 no ties (Kendall asymptotic)', ...dataset(60, 4, 0.2) },
  { name: 'n=12 heavy ties', x: [1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 5, 5], y: [2, 1, 2, 2, 3, 3, 1, 4, 4, 4, 5, 3] },
  { name: 'n=30 weak', ...dataset(30, 5, 0.05) },
];

test('Pearson, Spearman and Kendall tau-b agree with scipy (r and p to 1e-6)', { skip: referenceSkip }, () => {
  const refs = reference(cases.map((c) => ({ op: 'corr', x: c.x, y: c.y })));
  cases.forEach((c, i) => {
    const ref = refs[i]!;
    const p = pearson(c.x, c.y);
    const s = spearman(c.x, c.y);
    const k = kendall(c.x, c.y);
    assertClose(p.estimate, ref.pearson[0], 1e-9, `${c.name} pearson r`);
    assertClose(p.p, ref.pearson[1], 1e-9, `${c.name} pearson p`);
    assertClose(s.estimate, ref.spearman[0], 1e-9, `${c.name} spearman rho`);
    assertClose(s.p, ref.spearman[1], 1e-9, `${c.name} spearman p`);
    assertClose(k.estimate, ref.kendall[0], 1e-9, `${c.name} kendall tau`);
    assertClose(k.p, ref.kendall[1], 1e-7, `${c.name} kendall p (${k.method})`);
  });
});

test('Kendall picks exact vs asymptotic as scipy does', () => {
  const exact = dataset(20, 3, -0.3);
  assert.equal(kendall(exact.x, exact.y).method, 'exact');
  const tied = dataset(41, 2, 0.4, 2);
  assert.equal(kendall(tied.x, tied.y).method, 'asymptotic');
  assert.equal(kendall(dataset(60, 4, 0.2).x, dataset(60, 4, 0.2).y).method, 'asymptotic');
  // Perfect order among 5: the only permutation with 0 inversions: p = 2/5!.
  assert.ok(Math.abs(kendallExactP(5, 10) - 2 / 120) < 1e-15);
});

test('rows with a missing value are dropped and counted', { skip: referenceSkip }, () => {
  const { x, y } = dataset(25, 7, 0.5);
  const xn: Array<number | null> = [...x];
  const yn: Array<number | null> = [...y];
  xn[3] = NaN;
  yn[10] = null;
  xn[20] = Infinity;
  const [ref] = reference([{ op: 'corr', x: xn.map((v) => (v === null || !Number.isFinite(v) ? null : v)), y: yn }]);
  for (const [f, key] of [[pearson, 'pearson'], [spearman, 'spearman'], [kendall, 'kendall']] as const) {
    const r = f(xn, yn);
    assert.equal(r.n, 22);
    assert.equal(r.dropped, 3);
    assertClose(r.estimate, ref[key][0], 1e-9, `${key} after dropping`);
    assertClose(r.p, ref[key][1], 1e-7, `${key} p after dropping`);
  }
});

test('a constant column is a clear error naming it', () => {
  for (const f of [pearson, spearman, kendall]) {
    assert.throws(() => f([1, 2, 3, 4], [5, 5, 5, 5], ['sa', 'ma_p']), /column 'ma_p' is constant/);
  }
  assert.throws(() => pearson([1, 2], [3, 4]), /at least 3 complete rows/);
});

test('partial correlation on log10 size agrees with residualised OLS (n - 3 df)', { skip: referenceSkip }, () => {
  const n = 41;
  const size = normals(n, 11).map((v) => 10 ** (1 + v));
  const ls = size.map(Math.log10);
  const e1 = normals(n, 12);
  const e2 = normals(n, 13);
  const x = ls.map((v, i) => 0.3 * v + 0.2 * e1[i]!);
  const y = ls.map((v, i) => 0.1 * v + 0.1 * e1[i]! + 0.2 * e2[i]!);
  const [ref] = reference([{ op: 'partial', x, y, z: ls }]);
  const r = partialOnLogSize(x, y, size);
  assertClose(r.r, ref.r, 1e-9, 'partial r');
  assertClose(r.p, ref.p, 1e-9, 'partial p');
  assert.equal(r.df, n - 3);
  // With family fixed effects as well (two dummies for three families): n - 2 - 3 df.
  const fam = Array.from({ length: n }, (_, i) => ['Llama', 'Qwen', 'Mistral'][i % 3]!);
  const covs = [ls, ...dummies(fam)];
  const [ref2] = reference([{ op: 'partial', x, y, z: ls.map((_, i) => covs.map((c) => c[i])) }]);
  const r2 = partialCorrelation(x, y, covs);
  assert.equal(r2.df, n - 5);
  assertClose(r2.r, ref2.r, 1e-9, 'partial r with family effects');
  assertClose(r2.p, ref2.p, 1e-9, 'partial p with family effects');
});
