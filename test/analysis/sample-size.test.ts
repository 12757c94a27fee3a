// The fixed-n sample size against a brute-force search in scipy and statsmodels' n0 for a proportion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedSampleSize, withinStratumVariance } from '../../src/analysis/sample-size.js';
import { mulberry32 } from '../../src/core/rng.js';
import { assertClose, reference, referenceSkip } from './reference.js';

/** Made-up item scores: strata of unequal size and accuracy, 0/1 or a mean of 5 trials. */
function strata(seed: number, sizes: number[], trials: number): number[][] {
  const rng = mulberry32(seed);
  return sizes.map((n, k) => {
    const p = 0.2 + (0.6 * k) / Math.max(1, sizes.length - 1);
    return Array.from({ length: n }, () => {
      let right = 0;
      for (let t = 0; t < trials; t++) if (rng.next() < p) right++;
      return right / trials;
    });
  });
}

test('fixed-n sample size with the finite-population correction matches a brute-force search (scipy) and statsmodels n0', { skip: referenceSkip }, () => {
  const cases = [
    { s: strata(1, [12032], 1), h: 0.02, alpha: 0.05, p: 0.5 },
    { s: strata(2, [420, 300, 180, 150, 100, 50], 1), h: 0.03, alpha: 0.05, p: 0.3 },
    { s: strata(3, [700, 700, 700, 760], 5), h: 0.02, alpha: 0.05, p: 0.7 },
    { s: strata(4, [198], 1), h: 0.02, alpha: 0.1, p: 0.5 },
    { s: strata(5, [500, 20, 3], 3), h: 0.05, alpha: 0.01, p: 0.9 },
  ];
  const refs = reference<{ variance: number; n: number; n0_proportion: number }>(cases.map((c) => ({ op: 'samplesize', strata: c.s, h: c.h, alpha: c.alpha, p: c.p })));
  cases.forEach((c, i) => {
    const v = withinStratumVariance(c.s);
    const N = c.s.reduce((a, b) => a + b.length, 0);
    assertClose(v, refs[i]!.variance, 1e-12, `case ${i} variance`);
    assert.equal(fixedSampleSize({ variance: v, population: N, halfWidth: c.h, alpha: c.alpha }), refs[i]!.n, `case ${i} n`);
    // Without the correction (an unbounded population) n is statsmodels' n0 rounded up.
    assert.equal(fixedSampleSize({ variance: c.p * (1 - c.p), population: 1e12, halfWidth: c.h, alpha: c.alpha }), Math.ceil(refs[i]!.n0_proportion), `case ${i} n0`);
  });
});

test('sample size: its edges and its errors', () => {
  assert.equal(fixedSampleSize({ variance: 0, population: 100, halfWidth: 0.02 }), 1, 'no variance: one item tells all');
  assert.equal(fixedSampleSize({ variance: 0.25, population: 50, halfWidth: 0.001 }), 50, 'never more than the benchmark');
  assertClose(withinStratumVariance([[0, 1, 1, 0], [1]]), (4 / 5) * (1 / 3), 1e-15, 'divisor N_s - 1; a single item adds no variance');
  assertClose(withinStratumVariance([[0, 0], [1, 1]]), 0, 1e-15, 'all the variance is between strata');
  assert.throws(() => fixedSampleSize({ variance: 0.25, population: 0, halfWidth: 0.02 }), /population/);
  assert.throws(() => fixedSampleSize({ variance: 0.25, population: 10, halfWidth: 0 }), /halfWidth/);
  assert.throws(() => fixedSampleSize({ variance: 0.25, population: 10, halfWidth: 0.02, alpha: 1 }), /alpha/);
});
