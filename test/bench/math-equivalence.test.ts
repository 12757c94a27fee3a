import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkEquivalence } from '../../src/bench/math/equivalence.js';
import { extractAnswer } from '../../src/bench/math/extract.js';
import { sharedReplay } from '../helpers.js';
import { MATH_CASES } from '../fixtures/math-cases.js';

test('the case table has at least 300 cases, each kind with a reason and both verdicts', () => {
  const n = MATH_CASES.reduce((a, g) => a + g.cases.length, 0);
  assert.ok(n >= 300, `only ${n} cases`);
  for (const g of MATH_CASES) {
    assert.ok(g.why.length > 40, g.kind);
    const kinds = new Set(g.cases.map((c) => c[2]));
    if (g.kind !== 'unparseable or truncated predictions') {
      assert.ok(kinds.has('equal') && kinds.has('different'), `${g.kind} needs matches and near misses`);
    }
  }
});

for (const g of MATH_CASES) {
  test(`case table: ${g.kind}`, () => {
    const wrong: string[] = [];
    for (const [pred, gold, expected] of g.cases) {
      const r = checkEquivalence(pred, gold);
      if (r.verdict !== expected) wrong.push(`${JSON.stringify(pred)} vs ${JSON.stringify(gold)}: expected ${expected}, got ${r.verdict} (${r.reason})`);
    }
    assert.deepEqual(wrong, []);
  });
}

test('tiny magnitudes never collide: 1/2004! vs 1/2006!, 2^-99 vs 2^-98', () => {
  assert.equal(checkEquivalence('\\frac{1}{2004!}', '\\frac{1}{2006!}').verdict, 'different');
  assert.equal(checkEquivalence('\\frac{1}{2^{99}}', '\\frac{1}{2^{98}}').verdict, 'different');
  assert.equal(checkEquivalence('\\frac{\\pi}{2^{2000}}', '\\frac{\\pi}{2^{2001}}').verdict, 'undecided');
});

// The 100 ms target is measured by `npm run bench -- math` (best of several runs on a quiet
// core); here, where other tests share the CPU, the bound checked is the 1 s safety net, and
// what must hold exactly is the deterministic outcome.
test('pathological inputs end in a verdict or undecided, bounded by the work budget', () => {
  const long = '1+'.repeat(4999) + '1';
  const nested = '('.repeat(300) + 'x' + ')'.repeat(300);
  const inputs: Array<[string, string]> = [
    ['2^{10^{10}}', '2^{10^{10}}+1'],
    ['10^{10^{10}}', '3'],
    ['(10^{10^{10}})!', '5'],
    ['9^{9^{9^{9}}}', '9^{9^{9^{9}}}+1'],
    [long, '5000'],
    [long.slice(0, 1999), '1000'],
    [nested, 'x'],
    ['\\frac{1}{99999!}', '0'],
    ['x^{10^{6}}+y^{10^{6}}', '(x+y)^{10^{6}}'],
    [Array.from({ length: 60 }, (_, i) => `${i}`).join(','), Array.from({ length: 60 }, (_, i) => `${59 - i}`).join(',')],
    ['\\sqrt{2}^{\\sqrt{2}^{\\sqrt{2}^{\\sqrt{2}}}}', '2'],
  ];
  for (const [p, g] of inputs) {
    const t0 = Date.now();
    const r = checkEquivalence(p, g);
    const ms = Date.now() - t0;
    assert.ok(['equal', 'different', 'undecided'].includes(r.verdict));
    assert.ok(ms < 1000, `${p.slice(0, 40)} took ${ms} ms`);
  }
  // A 10,000-character response: extraction plus comparison, bounded too.
  const response = 'Let us think. '.repeat(750) + 'The final answer is $\\boxed{\\frac{14}{3}}$.';
  assert.ok(response.length > 10000);
  const t0 = Date.now();
  const r = checkEquivalence(extractAnswer(response).answer!, '\\frac{14}{3}');
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(r.verdict, 'equal');
});

test('verdicts do not depend on machine speed: the work budget, not the clock, ends hard cases', () => {
  const hard = Array.from({ length: 60 }, (_, i) => `${i}x`).join(',');
  const rev = Array.from({ length: 60 }, (_, i) => `${59 - i}x`).join(',');
  assert.deepEqual(checkEquivalence(hard, rev), { verdict: 'undecided', reason: 'work budget exceeded' });
  assert.equal(checkEquivalence(hard, rev, { maxSteps: 1e7 }).verdict, 'equal');
  assert.equal(checkEquivalence('5000!', '4999!\\cdot 5000').verdict, 'undecided');
  assert.equal(checkEquivalence('2006!', '2005!\\cdot 2006').verdict, 'equal');
});

test('every verdict carries a reason', () => {
  for (const [p, g] of [['1', '1'], ['1', '2'], ['\\frac{1}{', '1']] as const) {
    assert.ok(checkEquivalence(p, g).reason.length > 0);
  }
});

interface Exception {
  source: string;
  test: string;
  index: number;
  masa: string;
  reason: string;
}
interface ReplayCase {
  source: string;
  test: string;
  index: number;
  gold: string;
  pred: string;
  expected: boolean;
}

/** Math-Verify's tables hold whole responses on either side; take the answer from prose, keep bare answers. */
function answerOf(s: string): string {
  const prose = /[A-Za-z]{3,}/.test(s.replace(/\\[a-zA-Z]+|\$[^$]*\$/g, ' '));
  if (!prose && !/\\boxed|\\fbox|\$|\\\(|\\\[/.test(s)) return s;
  return extractAnswer(s).answer ?? s;
}

function loadReplay(dir: string): ReplayCase[] {
  const out: ReplayCase[] = [];
  const tables: Array<[string, string]> = [
    ['hendrycks', 'hendrycks-math-equivalence-tests/math_equivalence_test_cases.json'],
    ['mario', 'MARIO_EVAL-is_equiv-tests/mario_is_equiv_test_cases.json'],
  ];
  for (const [source, file] of tables) {
    const rows = JSON.parse(readFileSync(join(dir, 'MATH-500', file), 'utf8')) as Array<{
      test: string;
      gold_or_in: string;
      pred_or_out: string;
      expected_equivalent: boolean;
    }>;
    const seen = new Map<string, number>();
    for (const r of rows) {
      const index = seen.get(r.test) ?? 0;
      seen.set(r.test, index + 1);
      out.push({ source, test: r.test, index, gold: r.gold_or_in, pred: r.pred_or_out, expected: r.expected_equivalent });
    }
  }
  const mv = JSON.parse(readFileSync(join(dir, 'MATH-500', 'huggingface-Math-Verify-tests', 'math_verify_test_cases.json'), 'utf8')) as Array<{
    file: string;
    test: string;
    cases: Array<Record<string, unknown>>;
  }>;
  for (const t of mv) {
    // String-extraction configs for multiple-choice letters are not about math equivalence.
    if (t.file.endsWith('test_string_extraction.py')) continue;
    t.cases.forEach((c, index) => {
      if (typeof c.gold !== 'string' || typeof c.pred !== 'string') return;
      const expected = Number(c.expected ?? c.result) === 1;
      out.push({ source: 'math-verify', test: t.test, index, gold: answerOf(c.gold), pred: answerOf(c.pred), expected });
    });
  }
  return out;
}

const replay = sharedReplay();

test('replay: Math-Verify, hendrycks and MARIO_EVAL equivalence tables pass except the listed exceptions', { skip: replay.skip }, () => {
  const exceptions = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'math-replay-exceptions.json'), 'utf8')) as {
    exceptions: Exception[];
  }).exceptions;
  const key = (x: { source: string; test: string; index: number }): string => `${x.source}/${x.test}/${x.index}`;
  const listed = new Map(exceptions.map((e) => [key(e), e]));
  assert.equal(listed.size, exceptions.length, 'duplicate exception');
  const cases = loadReplay(replay.dir!);
  assert.ok(cases.length >= 340, `${cases.length} replay cases`);
  const unexpected: string[] = [];
  const stale: string[] = [];
  for (const c of cases) {
    const r = checkEquivalence(c.pred, c.gold);
    const agrees = (r.verdict === 'equal') === c.expected;
    const e = listed.get(key(c));
    if (e) {
      listed.delete(key(c));
      if (agrees) stale.push(key(c));
      else assert.equal(r.verdict, e.masa, `${key(c)}: verdict changed from the documented one`);
    } else if (!agrees) {
      unexpected.push(`${key(c)}: expected ${c.expected ? 'equal' : 'not equal'}, got ${r.verdict} (${r.reason})`);
    }
  }
  assert.deepEqual(unexpected, []);
  assert.deepEqual(stale, [], 'exceptions that now agree with the source');
  assert.deepEqual([...listed.keys()], [], 'exceptions that name no case');
  // The exceptions stay a small minority.
  assert.ok(exceptions.length / cases.length < 0.12, `${exceptions.length} exceptions of ${cases.length}`);
});

test('decimal comma: an option, off by default; it never turns thousands or lists into decimals', () => {
  const on = { decimalComma: true };
  for (const [p, g] of [['1,5', '1.5'], ['1000,99', '1000.99'], ['0,111', '0.111'], ['2,74', '2.74'], ['-3,25', '-3.25']]) {
    assert.equal(checkEquivalence(p!, g!).verdict, 'different', `${p} off`);
    assert.equal(checkEquivalence(p!, g!, on).verdict, 'equal', `${p} on`);
  }
  assert.equal(checkEquivalence('1,000', '1000', on).verdict, 'equal');
  assert.equal(checkEquivalence('1,000', '1', on).verdict, 'different');
  assert.equal(checkEquivalence('1, 2', '2, 1', on).verdict, 'equal'); // a list stays a list
  assert.equal(checkEquivalence('1,2,3', '1.2', on).verdict, 'different');
  assert.equal(checkEquivalence('1,5', '15', on).verdict, 'different');
});
