import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ATTRIBUTES,
  PROFILES,
  VALUES,
  describe,
  literalCandidates,
  makeContext,
  minimalAttributes,
  minimalWords,
  parseReferent,
  profileOf,
  readMessage,
  type Referent,
} from '../../../src/play/refgame/referents.js';

/** Independent reference: the fewest of the target's words that no other referent has all of. */
function bruteMinimal(ctx: Referent[], i: number): number {
  const words = ATTRIBUTES.map((a) => ctx[i]![a]);
  let best = Infinity;
  for (let mask = 1; mask < 16; mask++) {
    const chosen = words.filter((_, k) => mask & (1 << k));
    const unique = ctx.every((r, j) => j === i || !chosen.every((w) => Object.values(r).includes(w)));
    if (unique) best = Math.min(best, chosen.length);
  }
  return best;
}

test('vocabulary: one word per value, no word in two attributes', () => {
  const all = ATTRIBUTES.flatMap((a) => VALUES[a]);
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.every((w) => /^[a-z]+$/.test(w)));
});

test('describe and parseReferent round-trip; bad text is null', () => {
  const r: Referent = { size: 'small', colour: 'red', pattern: 'striped', shape: 'circle' };
  assert.equal(describe(r), 'small red striped circle');
  assert.deepEqual(parseReferent(describe(r)), r);
  for (const bad of ['', 'red small striped circle', 'small red striped', 'small red striped circle x', 'tiny red striped circle']) assert.equal(parseReferent(bad), null, bad);
});

test('makeContext: seeded, 4 distinct referents, every target needs 1 to 3 words, profiles drawn evenly', () => {
  assert.deepEqual(makeContext(42), makeContext(42));
  assert.notDeepEqual(makeContext(42), makeContext(43));
  const counts: Record<string, number> = {};
  for (let seed = 0; seed < 400; seed++) {
    const ctx = makeContext(seed);
    assert.equal(ctx.length, 4);
    assert.equal(new Set(ctx.map(describe)).size, 4);
    const lengths = ctx.map((_, i) => bruteMinimal(ctx, i));
    assert.ok(lengths.every((n) => n >= 1 && n <= 3), `seed ${seed}: ${lengths}`);
    assert.equal(profileOf(ctx), [...lengths].sort().join(''));
    counts[profileOf(ctx)] = (counts[profileOf(ctx)] ?? 0) + 1;
  }
  assert.deepEqual(Object.keys(counts).sort(), [...PROFILES].sort());
  for (const p of PROFILES) assert.ok(counts[p]! > 60 && counts[p]! < 140, `${p}: ${counts[p]}`);
});

test('minimalAttributes: as short as the brute-force optimum, and it singles the target out', () => {
  for (let seed = 0; seed < 300; seed++) {
    const ctx = makeContext(seed);
    ctx.forEach((t, i) => {
      const attrs = minimalAttributes(ctx, i);
      assert.equal(attrs.length, bruteMinimal(ctx, i));
      const fits = ctx.filter((r) => attrs.every((a) => r[a] === t[a]));
      assert.deepEqual(fits, [t]);
      assert.deepEqual(minimalWords(ctx, i), attrs.map((a) => t[a]));
    });
  }
});

test('minimalAttributes: the canonical choice among equals prefers colour, then shape', () => {
  const ctx: Referent[] = [
    { size: 'small', colour: 'red', pattern: 'solid', shape: 'circle' },
    { size: 'large', colour: 'blue', pattern: 'dotted', shape: 'star' },
    { size: 'large', colour: 'blue', pattern: 'dotted', shape: 'heart' },
    { size: 'large', colour: 'green', pattern: 'dotted', shape: 'star' },
  ];
  assert.deepEqual(minimalWords(ctx, 0), ['red']);
  assert.deepEqual(minimalWords(ctx, 1), ['blue', 'star']);
  assert.deepEqual(minimalWords(ctx, 2), ['heart']);
  assert.deepEqual(minimalWords(ctx, 3), ['green']);
});

test('readMessage: inflections, synonyms and denials', () => {
  assert.deepEqual(readMessage('The big Red-striped one'), { pos: ['large', 'red', 'striped'], neg: [] });
  assert.deepEqual(readMessage('tiny circle with dots, not the blue one'), { pos: ['small', 'circle', 'dotted'], neg: ['blue'] });
  assert.deepEqual(readMessage('no stripes, squares'), { pos: ['square'], neg: ['striped'] });
  assert.deepEqual(readMessage('zebra'), { pos: [], neg: [] });
});

test('literalCandidates: all that fit, else those that fit the most; nothing said leaves all', () => {
  const ctx = makeContext(7);
  const t = ctx[0]!;
  assert.deepEqual(literalCandidates(ctx, readMessage(describe(t))), [0]);
  assert.deepEqual(literalCandidates(ctx, readMessage('')), [0, 1, 2, 3]);
  const ctx2: Referent[] = [
    { size: 'small', colour: 'red', pattern: 'solid', shape: 'circle' },
    { size: 'small', colour: 'red', pattern: 'solid', shape: 'square' },
    { size: 'small', colour: 'blue', pattern: 'solid', shape: 'square' },
    { size: 'large', colour: 'blue', pattern: 'solid', shape: 'circle' },
  ];
  assert.deepEqual(literalCandidates(ctx2, readMessage('red')), [0, 1]);
  assert.deepEqual(literalCandidates(ctx2, readMessage('red but not the circle')), [1]);
  // "green circle": nobody is green; the circles fit one word of two.
  assert.deepEqual(literalCandidates(ctx2, readMessage('green circle')), [0, 3]);
});
