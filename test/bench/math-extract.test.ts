import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractAnswer, findBoxed } from '../../src/bench/math/extract.js';

const cases: Array<[response: string, answer: string | null, rule: string]> = [
  ['So the answer is $\\boxed{5}$.', '5', 'boxed'],
  ['First \\boxed{3}, then corrected: \\boxed{4}', '4', 'boxed'],
  ['\\boxed{\\frac{\\sqrt{3}}{2}}', '\\frac{\\sqrt{3}}{2}', 'boxed'],
  ['Nested: \\boxed{\\left\\{ 1, \\frac{2}{3} \\right\\}} done', '\\left\\{ 1, \\frac{2}{3} \\right\\}', 'boxed'],
  ['\\fbox{12}', '12', 'boxed'],
  ['Thus $x = \\boxed 7$.', '7', 'boxed'],
  ['The roots are \\boxed{1}, \\boxed{2} and \\boxed{3}.', '1, 2, 3', 'boxed'],
  ['\\boxed{1} no no no no no \\boxed{2}', '2', 'boxed'],
  ['\\boxed{5}\n\n**Final Answer**\n\\boxed{5}', '5', 'boxed'],
  ['Truncated output \\boxed{\\frac{1}{2', '\\frac{1}{2', 'boxed'],
  ['<think>maybe \\boxed{3}</think>The answer is \\boxed{4}.', '4', 'boxed'],
  ['<think>I think it is \\boxed{3}</think>', '3', 'boxed'],
  ['We get $\\boxed{200}$ for the first CD. Final Answer: The final answer is $10,455$. I hope it is correct.', '10,455', 'final-answer'],
  ['Final Answer: The final answer is $\\frac{14}{3}$. I hope it is correct.', '\\frac{14}{3}', 'final-answer'],
  ['So \\boxed{12}.\n\nI believe the final answer is correct.', '12', 'boxed'],
  ['The final answer is 42.', '42', 'final-answer'],
  ['**Final Answer:** $(3, 4]$', '(3, 4]', 'final-answer'],
  ['Final Answer: The final answer is $12$ and $13$. I hope it is correct.', '12, 13', 'final-answer'],
  ['Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct.', '120', 'final-answer'],
  ['Answer: 17', '17', 'answer-is'],
  ['**Answer:** $x^2+1$', 'x^2+1', 'answer-is'],
  ['Therefore the answer is $\\frac{3}{56}$.', '\\frac{3}{56}', 'answer-is'],
  ['We found $x=2$ and then $y = 3$.', 'y = 3', 'math-span'],
  ['The solutions are $1$, $2$ and $3$', '1, 2, 3', 'math-span'],
  ['Result: \\(\\sqrt{2}\\)', '\\sqrt{2}', 'math-span'],
  ['So we compute\n\\[ 2^{10} = 1024 \\]', '2^{10} = 1024', 'math-span'],
  ['there are 12 distinct sequences', '12', 'last-number'],
  // a stated final answer beats the last math span of the working
  ['So $d = \\frac{90}{n}$ for each divisor. Therefore, there are 12 distinct sequences. I hope it is correct.', '12', 'stated-number'],
  ['We get $$\\frac{\\Delta x}{x} \\geq 2.$$ Therefore, the error increases by 100%.', '100', 'stated-number'],
  ['Thus $x = 5$.', 'x = 5', 'math-span'],
  ['Therefore $x = 2$ and later we check $x^2 = 4$.', 'x^2 = 4', 'math-span'],
  // boxes joined across a short labelled connective, not across a revision
  ['$$\\boxed{(3, 3)} \\text{ for part (a) and } \\boxed{(1, 1)}$$', '(3, 3), (1, 1)', 'boxed'],
  ['\\boxed{1} papers and \\boxed{2} bins', '1, 2', 'boxed'],
  ['the code AZYUK2A', null, 'none'],
  ['I do not know.', null, 'none'],
];

for (const [response, answer, rule] of cases) {
  test(`extract ${JSON.stringify(response.slice(0, 50))}`, () => {
    assert.deepEqual(extractAnswer(response), { answer, rule });
  });
}

test('findBoxed handles braces inside and escaped braces', () => {
  const b = findBoxed('a \\boxed{\\{1,2\\}} b \\boxed{x^{2}}');
  assert.deepEqual(
    b.map((x) => x.content),
    ['\\{1,2\\}', 'x^{2}'],
  );
});

test('extraction is linear: a 200,000-character response takes well under 100 ms', () => {
  const response = 'We have $a_1 = 3$ and so on. '.repeat(7000) + 'Final answer: $\\boxed{9}$';
  const t0 = Date.now();
  assert.deepEqual(extractAnswer(response), { answer: '9', rule: 'boxed' });
  assert.ok(Date.now() - t0 < 100);
});
