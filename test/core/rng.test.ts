import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash32, mulberry32, permutation, rngFor } from '../../src/core/rng.js';

test('mulberry32 is deterministic per seed and uniform enough', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 10000 }, () => a.next());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b.next()));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test('permutation contains each index once and depends on the seed', () => {
  const p = permutation(10, rngFor(1, 'item-7'));
  assert.deepEqual([...p].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(p, permutation(10, rngFor(2, 'item-7')));
  assert.deepEqual(p, permutation(10, rngFor(1, 'item-7')));
});

test('hash32 matches FNV-1a reference values', () => {
  assert.equal(hash32(''), 0x811c9dc5);
  assert.equal(hash32('a'), 0xe40c292c);
});
