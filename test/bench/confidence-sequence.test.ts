// The betting confidence sequence against an independent reference: a direct grid evaluation
// of the capital processes written from the paper's formulas (as confseq's betting_cs does it:
// cumulative products on a grid of candidate means), a hand-computed case, and its properties.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfidenceSequenceTracker, bettingConfidenceSequence } from '../../src/bench/confidence-sequence.js';
import { mulberry32 } from '../../src/core/rng.js';

/** Reference: for every m on a grid, the capitals as plain products; the CS is the grid points kept. */
function gridReference(xs: number[], alpha: number, N: number | null, breaks: number): { low: number; high: number } {
  const n = xs.length;
  const bets: number[] = [];
  let sum = 0;
  let ss = 0.25;
  for (let t = 1; t <= n; t++) {
    const s2 = ss / t;
    bets.push(Math.sqrt((2 * Math.log(2 / alpha)) / (s2 * (N === null ? t * Math.log(1 + t) : Math.max(1, N / 2)))));
    sum += xs[t - 1]!;
    const muHat = (0.5 + sum) / (t + 1);
    ss += (xs[t - 1]! - muHat) ** 2;
  }
  const kept: number[] = [];
  for (let g = 0; g <= breaks; g++) {
    const m = g / breaks;
    let kp = 1;
    let km = 1;
    let before = 0;
    let possible = true;
    for (let i = 0; i < n; i++) {
      const mu = N === null ? m : (N * m - before) / (N - i);
      if (mu < -1e-12 || mu > 1 + 1e-12) {
        possible = false;
        break;
      }
      kp *= 1 + Math.min(bets[i]!, 0.5 / mu) * (xs[i]! - mu);
      km *= 1 - Math.min(bets[i]!, 0.5 / (1 - mu)) * (xs[i]! - mu);
      before += xs[i]!;
    }
    if (possible && Math.max(kp / 2, km / 2) < 1 / alpha) kept.push(m);
  }
  return { low: kept[0]!, high: kept[kept.length - 1]! };
}

function bernoulli(seed: number, n: number, p: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));
}

test('matches a direct grid evaluation of the capital processes (with and without replacement)', () => {
  const breaks = 20000;
  const cases: Array<[number[], number | null]> = [
    [bernoulli(1, 150, 0.3), null],
    [bernoulli(2, 400, 0.8), null],
    [bernoulli(3, 300, 0.5), 900],
    [bernoulli(4, 120, 0.1), 200],
    [Array.from({ length: 90 }, (_, i) => ((i * 7) % 4) / 3), 300],
  ];
  for (const [xs, N] of cases) {
    const got = bettingConfidenceSequence(xs, { population: N });
    const ref = gridReference(xs, 0.05, N, breaks);
    const tol = 1.5 / breaks;
    assert.ok(Math.abs(got.low - ref.low) <= tol, `n=${xs.length} N=${N}: low ${got.low} vs grid ${ref.low}`);
    assert.ok(Math.abs(got.high - ref.high) <= tol, `n=${xs.length} N=${N}: high ${got.high} vs grid ${ref.high}`);
    assert.ok(got.low <= got.mean && got.mean <= got.high);
  }
});

test('one observation by hand: X = 1 at alpha 0.5 keeps (1/7, 1]', () => {
  // l_1 = sqrt(2 log 4 / (1/4 * log 2)) = 4. K+(m) = 1 + min(4, 1/(2m)) (1 - m) < 2/alpha = 4 exactly when
  // m > 1/7 (below 1/8 the free bet gives K+ >= 4.5); K-(m) = 1 - min(4, 1/(2(1-m))) (1 - m) <= 1/2 everywhere.
  const r = bettingConfidenceSequence([1], { alpha: 0.5 });
  assert.ok(Math.abs(r.low - 1 / 7) < 1e-6, `low ${r.low}`);
  assert.equal(r.high, 1);
  assert.deepEqual([bettingConfidenceSequence([1]).low, bettingConfidenceSequence([1]).high], [0, 1], 'at 95% one observation says nothing');
});

test('without replacement: the interval stays within what the seen values allow and closes on the mean at N', () => {
  const xs = bernoulli(5, 50, 0.4);
  const all = bettingConfidenceSequence(xs, { population: 50 });
  const mean = xs.reduce((a, b) => a + b, 0) / 50;
  assert.ok(Math.abs(all.low - mean) < 1e-9 && Math.abs(all.high - mean) < 1e-9, JSON.stringify(all));
  const part = bettingConfidenceSequence(xs.slice(0, 45), { population: 50 });
  const seen = xs.slice(0, 45).reduce((a, b) => a + b, 0);
  assert.ok(part.low >= seen / 50 - 1e-12 && part.high <= (seen + 5) / 50 + 1e-12);
  assert.ok(part.halfWidth < bettingConfidenceSequence(xs.slice(0, 45), { population: 5000 }).halfWidth, 'a small population is pinned faster');
});

test('the tracker gives the pure function\'s interval at every size, and narrowerThan agrees with it', () => {
  const xs = bernoulli(6, 600, 0.55);
  const t = new ConfidenceSequenceTracker({ population: 2000 });
  xs.forEach((x, i) => {
    t.push(x);
    if ((i + 1) % 37 === 0 || i === xs.length - 1) {
      const pure = bettingConfidenceSequence(xs.slice(0, i + 1), { population: 2000 });
      for (const w of [0.05, 0.15, 0.3]) assert.equal(t.narrowerThan(w), pure.high - pure.low < w, `n=${i + 1} width ${w}`);
      const r = t.evaluate();
      assert.ok(Math.abs(r.low - pure.low) < 1e-6 && Math.abs(r.high - pure.high) < 1e-6, `n=${i + 1}: ${r.low},${r.high} vs ${pure.low},${pure.high}`);
    }
  });
});

test('covers the mean of i.i.d. draws at a fixed size at least 95% of the time, and narrows with n', () => {
  let covered = 0;
  for (let run = 0; run < 400; run++) {
    const r = bettingConfidenceSequence(bernoulli(100 + run, 200, 0.3));
    if (r.low <= 0.3 && 0.3 <= r.high) covered++;
  }
  assert.ok(covered / 400 >= 0.95, `coverage ${covered / 400}`);
  const w = [50, 200, 800].map((n) => bettingConfidenceSequence(bernoulli(9, n, 0.5)).halfWidth);
  assert.ok(w[0]! > w[1]! && w[1]! > w[2]!, w.join(' > '));
});

test('bad input is refused with the reason', () => {
  assert.throws(() => bettingConfidenceSequence([0.5, 1.2]), /\[0, 1\], got 1.2/);
  assert.throws(() => bettingConfidenceSequence([0.5], { alpha: 0 }), /alpha/);
  assert.throws(() => bettingConfidenceSequence([0.5, 0.5], { population: 1 }), /population/);
  const empty = bettingConfidenceSequence([], { population: 10 });
  assert.deepEqual([empty.low, empty.high], [0, 1]);
});
