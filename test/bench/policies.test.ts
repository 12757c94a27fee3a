import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseExtraction, policiesDisagree, scorePolicies } from '../../src/bench/policies.js';
import { BENCHMARKS } from '../../src/bench/registry.js';
import { loadItems } from '../../src/bench/data.js';
import type { AnyBenchmark } from '../../src/bench/types.js';
import { samplesDir } from '../../src/core/paths.js';

test('parseExtraction: upstream or robust, robust by default, anything else a usage error', () => {
  assert.equal(parseExtraction(undefined), 'robust');
  assert.equal(parseExtraction('upstream'), 'upstream');
  assert.throws(() => parseExtraction('strict', 'masa score --extraction'), (e: Error & { exitCode?: number }) => /masa score --extraction: 'strict' is not one of upstream, robust/.test(e.message) && e.exitCode === 2);
});

test('scorePolicies: synchronous for a synchronous benchmark, both verdicts for every registered one', async () => {
  for (const bench of BENCHMARKS as AnyBenchmark[]) {
    const options = { ...(bench.defaultOptions as Record<string, unknown>) };
    const { items } = await loadItems(bench, options, undefined);
    const item = items[0]!;
    const trial = bench.trials(item, options)[0]!;
    const both = scorePolicies(bench, item, null, trial, options);
    if (bench.id !== 'humaneval') assert.equal(typeof (both as Promise<unknown>).then, 'undefined', bench.id);
    const r = await both;
    // No response: wrong under both, nothing extracted.
    assert.deepEqual([r.upstream.correct, r.robust.correct, r.upstream.extracted, r.robust.extracted], [false, false, null, null], bench.id);
  }
  assert.ok(samplesDir().endsWith(join('data', 'samples')));
});

test('policiesDisagree: another verdict or another answer', () => {
  const v = (extracted: string | null, correct: boolean) => ({ extracted, correct });
  assert.equal(policiesDisagree({ upstream: v('A', true), robust: v('A', true) }), false);
  assert.equal(policiesDisagree({ upstream: v('A', false), robust: v('A', true) }), true);
  assert.equal(policiesDisagree({ upstream: v(null, false), robust: v('B', false) }), true);
});
