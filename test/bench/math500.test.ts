import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkEquivalence } from '../../src/bench/math/equivalence.js';
import { extractAnswer } from '../../src/bench/math/extract.js';
import { math500, math500ItemFromRecord, parseMath500Jsonl, type Math500Item } from '../../src/bench/math500.js';
import { BENCHMARKS, getBenchmark } from '../../src/bench/registry.js';
import { samplesDir } from '../../src/core/paths.js';
import { MasaError } from '../../src/core/errors.js';
import { sharedDatasets } from '../helpers.js';

const shared = sharedDatasets();
const opts = math500.defaultOptions;
const trial = { index: 0, permutation: null };

function item(answer: string): Math500Item {
  return math500ItemFromRecord(
    { problem: 'P?', solution: `so \\boxed{${answer}}`, answer, subject: 'Algebra', level: 2, unique_id: 'test/algebra/x.json' },
    'x:1',
  );
}

test('registry: math500 is registered first among the SA benchmarks', () => {
  assert.equal(getBenchmark('math500'), math500);
  assert.equal(BENCHMARKS[0]!.id, 'math500');
  assert.equal(math500.group, 'SA');
  assert.equal(math500.pillar, 'single-agent');
  assert.equal(math500.metric, 'accuracy');
  assert.equal(math500.dataset, 'MATH-500');
});

test('the bundled samples load in the upstream layout, and each solution scores its own answer', async () => {
  const items = await math500.load(join(samplesDir(), 'MATH-500'), opts);
  assert.ok(items.length >= 8);
  for (const it of items) {
    assert.match(it.id, /^test\/[a-z_]+\/masa-\d+\.json$/);
    assert.deepEqual(Object.keys(it.tags).sort(), ['level', 'subject']);
    const s = await math500.score(it, it.solution, trial, opts);
    assert.equal(s.correct, true, `${it.id}: ${s.extracted} vs ${it.answer} (${s.detail})`);
  }
  assert.equal(math500.chance(items, opts), 0);
});

test('loader rejects malformed records with file:line', () => {
  assert.throws(() => parseMath500Jsonl('{"problem":"p","solution":"s","answer":"1","subject":"A","level":7,"unique_id":"u"}\n', 'f.jsonl'), (e: unknown) => e instanceof MasaError && /f\.jsonl:1: level/.test(e.message));
  assert.throws(() => parseMath500Jsonl('{"problem":"p","solution":"s","subject":"A","level":1,"unique_id":"u"}\n', 'f.jsonl'), /answer/);
  const row = '{"problem":"p","solution":"s","answer":"1","subject":"A","level":1,"unique_id":"u"}';
  assert.throws(() => parseMath500Jsonl(`${row}\n${row}\n`, 'f.jsonl'), /f\.jsonl:2: duplicate unique_id u/);
});

test('messages: one user turn asking for steps and a final \\boxed{} answer; both prompt styles', () => {
  const it = item('5');
  const [m] = math500.messages(it, trial, opts);
  assert.equal(m!.role, 'user');
  assert.match(m!.content, /step by step/);
  assert.match(m!.content, /\\boxed\{\$ANSWER\}/);
  assert.ok(m!.content.includes('P?'));
  const [b] = math500.messages(it, trial, { ...opts, prompt: 'boxed' });
  assert.match(b!.content, /put your final answer within \\boxed\{\}/);
  assert.deepEqual(math500.generation(opts), { max_tokens: 4096 });
  assert.equal(math500.trials(it, { ...opts, trials: 3 }).length, 3);
  assert.throws(() => math500.trials(it, { ...opts, trials: 0 }), MasaError);
});

test('score: equal, different, undecided, unanswered and no response, each recorded', async () => {
  const it = item('\\frac{14}{3}');
  const right = await math500.score(it, 'Adding up... The final answer is $\\boxed{\\dfrac{14}{3}}$.', trial, opts);
  assert.deepEqual([right.correct, right.status, right.rule, right.extracted], [true, 'equal', 'boxed', '\\dfrac{14}{3}']);
  const wrong = await math500.score(it, 'The final answer is $\\boxed{\\frac{3}{14}}$.', trial, opts);
  assert.deepEqual([wrong.correct, wrong.status], [false, 'different']);
  const undecided = await math500.score(it, 'The final answer is $\\boxed{\\frac{14}{}$.', trial, opts);
  assert.deepEqual([undecided.correct, undecided.status], [false, 'undecided']);
  assert.ok(undecided.detail && undecided.detail.length > 0);
  const none = await math500.score(it, 'I give up.', trial, opts);
  assert.deepEqual([none.correct, none.status, none.extracted], [false, 'unanswered', null]);
  const nothing = await math500.score(it, null, trial, opts);
  assert.deepEqual([nothing.correct, nothing.status, nothing.rule], [false, 'no-response', 'no-response']);
  assert.equal(math500.reduce(it, [right, wrong, none, nothing], opts), 0.25);
  assert.equal(math500.extract('so $\\boxed{7}$', it, trial, opts).answer, '7');
});

test('real file: 500 items, 7 subjects, levels 1-5, ids unique', { skip: shared.skip }, async () => {
  const items = await math500.load(join(shared.dir!, 'MATH-500'), opts);
  assert.equal(items.length, 500);
  assert.equal(new Set(items.map((i) => i.id)).size, 500);
  assert.equal(new Set(items.map((i) => i.subject)).size, 7);
  assert.deepEqual([...new Set(items.map((i) => i.level))].sort(), [1, 2, 3, 4, 5]);
  assert.equal(items[0]!.id, 'test/precalculus/807.json');
});

test('real file: for all 500 items the answer extracted from the solution equals the official answer', { skip: shared.skip }, async () => {
  const items = await math500.load(join(shared.dir!, 'MATH-500'), opts);
  const failures: string[] = [];
  for (const it of items) {
    const ex = extractAnswer(it.solution);
    const r = checkEquivalence(ex.answer ?? '', it.answer);
    if (r.verdict !== 'equal') failures.push(`${it.id}: ${ex.answer} vs ${it.answer}: ${r.verdict} (${r.reason})`);
  }
  // No exceptions are needed today; any future one must be listed here with its reason.
  assert.deepEqual(failures, []);
});

test('real file: every official answer is judged different from a perturbed copy of itself', { skip: shared.skip }, async () => {
  const items = await math500.load(join(shared.dir!, 'MATH-500'), opts);
  let checked = 0;
  const missed: string[] = [];
  for (const it of items) {
    // Change the first digit: a must-not-match near miss for every answer with a number in it.
    const m = /\d/.exec(it.answer);
    if (!m) continue;
    const d = Number(m[0]);
    const near = it.answer.slice(0, m.index) + String((d + 1) % 10) + it.answer.slice(m.index + 1);
    checked++;
    const r = checkEquivalence(near, it.answer);
    if (r.verdict === 'equal') missed.push(`${it.id}: ${near} vs ${it.answer}`);
  }
  assert.ok(checked > 450, String(checked));
  assert.deepEqual(missed, []);
});
