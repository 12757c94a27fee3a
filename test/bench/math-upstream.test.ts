// The MATH-500 upstream policy, case by case from the code it follows: Avengers math500.py
// extract_raw_answer / base_evaluator.py extract_normal_answer, DeepScaleR's extract_answer,
// grade_answer_mathd (Hendrycks' _strip_string) and grade_answer_sympy (prm800k's structure).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreMathResponse } from '../../src/bench/math500.js';
import { avengersExtract, gradeMathd, gradeSympyStandIn, gradeUpstream, mathdNormalize, stripString } from '../../src/bench/math/upstream.js';

test('extraction: the last literal \\boxed{...}; "Final Answer" without a box reads the last "Answer:" line', () => {
  assert.deepEqual(avengersExtract('So it is \\boxed{5}.'), { answer: '5', rule: 'boxed' });
  assert.deepEqual(avengersExtract('\\boxed{3} then \\boxed{\\frac{1}{2}}'), { answer: '\\frac{1}{2}', rule: 'boxed' });
  assert.equal(avengersExtract('\\boxed{\\text{{nested}}}').answer, '\\text{{nested}}');
  // rfind("\\boxed") then remove_boxed needs "\\boxed{": these give nothing
  assert.equal(avengersExtract('so \\boxed 5.').answer, '');
  assert.equal(avengersExtract('so \\fbox{5}.').answer, '');
  assert.equal(avengersExtract('so \\boxed{5').answer, '');
  // "Final Answer" and no box: the last "Answer: ..." line (case-insensitive), else "Final Answer\\n\\n..."
  assert.deepEqual(avengersExtract('Work.\nFinal Answer: 12'), { answer: '12', rule: 'final-answer' });
  assert.equal(avengersExtract('Answer: 3\nFinal Answer: The answer is 7').answer, 'The answer is 7');
  assert.equal(avengersExtract('Work.\nFinal Answer\n\n42').answer, '42');
  assert.equal(avengersExtract('Work.\n**Final Answer**\n\n42').answer, ''); // \\s must follow "Final Answer"
  // "Final Answer" with a box anywhere: the box
  assert.equal(avengersExtract('Final Answer: 9, that is \\boxed{9}').answer, '9');
  // neither: no answer, even when the text states one
  assert.deepEqual(avengersExtract('Therefore the answer is 12.'), { answer: '', rule: 'none' });
});

test("grade_answer_mathd: Hendrycks' string normalisation, then equality", () => {
  const eq: Array<[string, string]> = [
    ['\\frac12', '\\frac{1}{2}'],
    ['\\dfrac{1}{2}', '\\frac{1}{2}'],
    ['0.5', '\\frac{1}{2}'],
    ['1/2', '\\frac{1}{2}'],
    ['x = 5', '5'],
    ['10\\%', '10'],
    ['5^\\circ', '5'],
    ['\\left( 3, 4 \\right)', '(3,4)'],
    ['\\sqrt3', '\\sqrt{3}'],
    ['.5', '0.5'],
    ['\\text{Monday}', 'Monday'],
    ['5\\text{ cm}', '5'],
  ];
  for (const [p, g] of eq) assert.ok(gradeMathd(p, g), `${p} vs ${g}`);
  const ne: Array<[string, string]> = [
    ['2.0', '2'],
    ['\\frac{2}{4}', '\\frac{1}{2}'],
    ['xy = 5', '5'], // a left side of three characters stays
    ['03/4', '\\frac{3}{4}'], // not canonical "{}/{}"
    ['(4,3)', '(3,4)'],
  ];
  for (const [p, g] of ne) assert.ok(!gradeMathd(p, g), `${p} vs ${g}`);
  // Python raises (two "\\text{ " units, a trailing \\sqrt): mathd keeps the stripped text
  assert.throws(() => stripString('5\\text{ m}\\text{ s}'));
  assert.equal(mathdNormalize(' 5\\text{ m}\\text{ s} '), '5\\text{ m}\\text{ s}');
  assert.equal(mathdNormalize('2\\sqrt'), '2\\sqrt');
});

test("grade_answer_sympy's structure: integers strict, unreduced fractions as written, tuples by bracket", () => {
  assert.ok(gradeSympyStandIn('2.0', '2'));
  assert.ok(gradeSympyStandIn('5 cm', '5'));
  assert.ok(gradeSympyStandIn('\\$5', '5'));
  assert.ok(gradeSympyStandIn('(1, 2)', '(1,2)'));
  assert.ok(gradeSympyStandIn('\\left(1,2\\right)', '(1,2)'));
  assert.ok(gradeSympyStandIn('\\frac{\\sqrt{3}}{2}', '\\frac{\\sqrt3}{2}'));
  assert.ok(gradeSympyStandIn('3 or 4', '3, 4'));
  // an integer gold wants an integer prediction, not an expression equal to it
  assert.ok(!gradeSympyStandIn('\\sqrt{25}', '5'));
  assert.ok(!gradeSympyStandIn('5.5', '5'));
  // two fractions compare as written
  assert.ok(!gradeSympyStandIn('\\frac{2}{4}', '\\frac{1}{2}'));
  assert.ok(!gradeSympyStandIn('2/4', '1/2'));
  // tuples: same brackets, same length, in order
  assert.ok(!gradeSympyStandIn('[1,2]', '(1,2)'));
  assert.ok(!gradeSympyStandIn('(2,1)', '(1,2)'));
  assert.ok(!gradeSympyStandIn('(1,2,3)', '(1,2)'));
  assert.ok(!gradeSympyStandIn('', '5'));
});

test('upstream verdict: mathd or sympy; the robust policy differs where the issue says', () => {
  assert.deepEqual(gradeUpstream('5', '5').correct, true);
  assert.deepEqual(gradeUpstream('', '5').correct, false);
  assert.equal(gradeUpstream('7', '\\boxed{7}').correct, true); // a boxed gold is unboxed first
  const gold = '12';
  const stated = 'Hence there are 12 sequences.';
  assert.equal(scoreMathResponse(stated, gold, 'upstream').correct, false); // no box, no answer
  assert.equal(scoreMathResponse(stated, gold, 'robust').correct, true);
  const root = 'So \\boxed{\\sqrt{25}}';
  assert.equal(scoreMathResponse(root, '5', 'upstream').correct, false);
  assert.equal(scoreMathResponse(root, '5', 'robust').correct, true);
  const both = 'So \\boxed{\\frac{1}{2}}';
  assert.equal(scoreMathResponse(both, '\\frac12', 'upstream').correct, true);
  assert.equal(scoreMathResponse(both, '\\frac12', 'robust').correct, true);
});
