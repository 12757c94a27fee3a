import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { humaneval, HUMANEVAL_DEFAULTS, loadHumanEval } from '../../src/bench/humaneval.js';
import { sharedDatasets } from '../helpers.js';

// All 164 upstream problems, each scored three times in the sandbox (in parallel, bounded by cores).
const shared = sharedDatasets();
const trial = { index: 0, permutation: null };

test('HumanEval: the 164 canonical solutions pass; empty and broken completions fail every problem', { skip: shared.skip }, async () => {
  const items = loadHumanEval(join(shared.dir!, 'HumanEval'));
  assert.equal(items.length, 164);
  const score = (it: (typeof items)[number], response: string) => humaneval.score(it, response, trial, HUMANEVAL_DEFAULTS);
  const [canonical, empty, broken] = await Promise.all([
    Promise.all(items.map((it) => score(it, it.canonical_solution))),
    Promise.all(items.map((it) => score(it, ''))),
    Promise.all(items.map((it) => score(it, `\`\`\`python\ndef ${it.entry_point}(:\n    return\n\`\`\``))),
  ]);
  const notPassed = canonical.map((s, i) => [items[i]!.id, s.status, s.detail]).filter(([, st]) => st !== 'passed');
  assert.deepEqual(notPassed, []);
  const emptyPassed = empty.map((s, i) => [items[i]!.id, s.status]).filter(([, st]) => st !== 'failed');
  assert.deepEqual(emptyPassed, []);
  const brokenPassed = broken.map((s, i) => [items[i]!.id, s.status, s.detail]).filter(([, st, d]) => st !== 'failed' || !/SyntaxError/.test(String(d)));
  assert.deepEqual(brokenPassed, []);
});
