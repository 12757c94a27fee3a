// Precision-targeted evaluation as pure functions: the stratified order, the longest complete
// prefix, and the simulation study of the stopping rule (coverage under optional stopping).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Item } from '../../src/bench/types.js';
import { mulberry32, type Rng } from '../../src/core/rng.js';
import { selectItems } from '../../src/eval/plan.js';
import { stratifiedOrder, stratumOf } from '../../src/eval/order.js';
import { MIN_ITEMS, OrderedPrefix, nextCheckpoint, precisionSettings, stoppingRun, stopsAtTargets } from '../../src/eval/precision.js';

function items(sizes: Record<string, number>): Item[] {
  const out: Item[] = [];
  for (const [cat, n] of Object.entries(sizes)) for (let i = 0; i < n; i++) out.push({ id: `${cat}-${i}`, tags: { category: cat }, cluster: `${cat}-${i}`, source: 'test' });
  return out;
}

test('the stratified order: a permutation, deterministic, seed-dependent, every prefix balanced to within one item per category', () => {
  const sizes = { law: 400, math: 250, bio: 120, art: 33, x: 1 };
  const all = items(sizes);
  const order = stratifiedOrder(all, 7);
  assert.equal(order.length, all.length);
  assert.equal(new Set(order.map((i) => i.id)).size, all.length);
  assert.deepEqual(stratifiedOrder([...all].reverse(), 7).map((i) => i.id), order.map((i) => i.id), 'input order does not matter');
  assert.notDeepEqual(stratifiedOrder(all, 8).map((i) => i.id), order.map((i) => i.id));
  const total = all.length;
  const seen: Record<string, number> = {};
  order.forEach((it, k) => {
    const c = it.tags.category!;
    seen[c] = (seen[c] ?? 0) + 1;
    for (const [cat, n] of Object.entries(sizes)) {
      const expected = ((k + 1) * n) / total;
      assert.ok(Math.abs((seen[cat] ?? 0) - expected) <= 1, `prefix ${k + 1}: ${cat} has ${seen[cat] ?? 0}, proportional share ${expected.toFixed(2)}`);
    }
  });
  // Within a category the order is the seeded hash order --limit uses.
  const lawItems = all.filter((i) => i.tags.category === 'law');
  assert.deepEqual(
    order.filter((i) => i.tags.category === 'law').map((i) => i.id),
    selectItems(lawItems, 399, 7).map((i) => i.id).concat(lawItems.filter((i) => !selectItems(lawItems, 399, 7).includes(i)).map((i) => i.id)),
  );
  assert.equal(stratumOf({ id: 'a', tags: { b: '2', a: '1' }, cluster: 'a', source: '' }), 'a=1|b=2');
});

test('--limit keeps its subset: selectItems is unchanged by precision runs', () => {
  const all = items({ a: 30, b: 20 });
  const ten = selectItems(all, 10, 3).map((i) => i.id);
  assert.deepEqual(selectItems(all, 20, 3).slice(0, 10).map((i) => i.id), ten, 'a larger limit extends the smaller one');
});

test('the longest complete prefix: out-of-order answers, failed items skipped', () => {
  const got: Array<[number, number]> = [];
  const p = new OrderedPrefix(6, (s, r) => got.push([r, s]));
  p.resolve(2, 1);
  p.resolve(1, 0);
  assert.equal(p.end, 0);
  p.resolve(0, 0.5);
  assert.deepEqual(got, [[0, 0.5], [1, 0], [2, 1]]);
  p.resolve(4, 1);
  p.resolve(3, null);
  assert.equal(p.end, 5);
  assert.equal(p.failed, 1);
  assert.equal(p.included, 4);
  p.resolve(4, 0); // already resolved: ignored
  assert.deepEqual(got.at(-1), [4, 1]);
});

test('checkpoints: the minimum, then every 1% (at least every item)', () => {
  assert.equal(nextCheckpoint(0, 100), 100);
  assert.equal(nextCheckpoint(100, 100), 101);
  assert.equal(nextCheckpoint(1000, 100), 1010);
  assert.throws(() => precisionSettings(0), /half-width in \(0, 0.5\)/);
  assert.throws(() => precisionSettings(0.02, { minItems: 0 }), /--min-items/);
});

/**
 * A made-up benchmark: categories of unequal size and unequal difficulty (so the stratified
 * order's categories differ in mean: the case the interval's i.i.d.-order guarantee does not
 * cover by itself), items of varying difficulty, 3 trials folded by mean or by majority vote.
 */
function population(rng: Rng, p: number, fold: 'mean' | 'majority'): { items: Item[]; scores: Map<string, number>; truth: number } {
  const cats: Array<[string, number, number]> = [
    ['a', 420, -0.25],
    ['b', 300, 0.2],
    ['c', 180, -0.05],
    ['d', 150, 0.3],
    ['e', 100, 0.1],
    ['f', 50, -0.35],
  ];
  const list: Item[] = [];
  const scores = new Map<string, number>();
  let sum = 0;
  for (const [cat, n, shift] of cats) {
    for (let i = 0; i < n; i++) {
      const q = Math.min(0.99, Math.max(0.01, p + shift + (rng.next() - 0.5) * 0.4));
      let right = 0;
      for (let t = 0; t < 3; t++) if (rng.next() < q) right++;
      const s = fold === 'mean' ? right / 3 : right >= 2 ? 1 : 0;
      const it: Item = { id: `${cat}${i}`, tags: { category: cat }, cluster: `${cat}${i}`, source: 'sim' };
      list.push(it);
      scores.set(it.id, s);
      sum += s;
    }
  }
  return { items: list, scores, truth: sum / list.length };
}

test('simulation study: 1,000 seeded runs at each of 4 true accuracies, stopped at half-width 0.07: coverage >= 94.5%, never before the minimum', () => {
  const settings = precisionSettings(0.07);
  const RUNS = 1000;
  for (const p of [0.15, 0.4, 0.65, 0.9]) {
    let covered = 0;
    let stopped = 0;
    let stopSum = 0;
    for (let run = 0; run < RUNS; run++) {
      const rng = mulberry32(run * 7919 + Math.round(p * 1000));
      const pop = population(rng, p, run % 2 === 0 ? 'mean' : 'majority');
      const order = stratifiedOrder(pop.items, run);
      const xs = order.map((it) => pop.scores.get(it.id)!);
      const r = stoppingRun(xs, xs.length, settings);
      if (r.stoppedAt !== null) {
        assert.ok(r.stoppedAt >= MIN_ITEMS, `stopped at ${r.stoppedAt} < ${MIN_ITEMS}`);
        assert.ok(r.cs.halfWidth < settings.target);
        stopped++;
        stopSum += r.stoppedAt;
      }
      if (r.cs.low <= pop.truth && pop.truth <= r.cs.high) covered++;
    }
    const coverage = covered / RUNS;
    assert.ok(coverage >= 0.945, `true accuracy ${p}: coverage ${coverage}`);
    assert.ok(stopped > RUNS * 0.9, `true accuracy ${p}: only ${stopped} of ${RUNS} runs stopped before the end`);
    process.stdout.write(`# true accuracy ${p}: coverage ${(100 * coverage).toFixed(1)}%, ${stopped} runs stopped early, at ${(stopSum / Math.max(1, stopped)).toFixed(0)} of 1200 items on average\n`);
  }
});

test('stops at several targets in one pass: the same as one stopping run per target', () => {
  const targets = [0.01, 0.03, 0.05, 0.08, 0.12];
  // The third case has the first 300 of 1,200 items only: the tight targets are never reached.
  for (const [seed, n, fold] of [[1, 1200, 'mean'], [2, 1200, 'majority'], [3, 300, 'majority']] as const) {
    const pop = population(mulberry32(seed), 0.6, fold);
    const xs = stratifiedOrder(pop.items, seed).slice(0, n).map((it) => pop.scores.get(it.id)!);
    const stops = stopsAtTargets(xs, pop.items.length, targets, { minItems: 120 });
    const one = targets.map((t) => stoppingRun(xs, pop.items.length, precisionSettings(t, { minItems: 120 })).stoppedAt);
    assert.deepEqual(stops, one, `seed ${seed}`);
    if (n < pop.items.length) assert.ok(stops[0] === null && stops[2] === null && stops[3]! > stops[4]!, `seed ${seed}: ${stops}`);
    else assert.equal(new Set(stops).size, targets.length, `seed ${seed}: every target stops elsewhere (${stops})`);
  }
  assert.deepEqual(stopsAtTargets([1, 0, 1], 3, []), []);
});
