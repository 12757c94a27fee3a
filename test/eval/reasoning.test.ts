import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reasoningField, splitResponse } from '../../src/eval/reasoning.js';

test('reasoning field: reasoning, else reasoning_content', () => {
  assert.equal(reasoningField({ reasoning: 'a', reasoning_content: 'b' }), 'a');
  assert.equal(reasoningField({ reasoning_content: 'b' }), 'b');
  assert.equal(reasoningField({ reasoning: null, reasoning_content: null }), null);
});

test('server-split reasoning is kept and the content is the answer', () => {
  const s = splitResponse('\n\nThe answer is 4', '\nthink\n', 'stop');
  assert.deepEqual(s, { answer: 'The answer is 4', reasoning: '\nthink\n', truncated: false });
});

test('inline <think>...</think> is split off the answer', () => {
  const s = splitResponse('<think>2+2 is 4</think>\n\nThe answer is 4', null, 'stop');
  assert.equal(s.answer, 'The answer is 4');
  assert.equal(s.reasoning, '2+2 is 4');
  assert.equal(s.truncated, false);
});

test('pre-filled <think>: only </think> in the output', () => {
  const s = splitResponse('hmm, 4\n</think>\nThe answer is 4', null, 'stop');
  assert.equal(s.answer, 'The answer is 4');
  assert.equal(s.reasoning, 'hmm, 4\n');
});

test('a leading unclosed <think> is truncated reasoning with no answer', () => {
  const s = splitResponse('<think>\nlet me see, The answer is 5', null, 'stop');
  assert.equal(s.answer, null);
  assert.equal(s.truncated, true);
  assert.match(s.reasoning!, /let me see/);
});

test('finish_reason length truncates even with content', () => {
  const s = splitResponse('The answer is', null, 'length');
  assert.equal(s.truncated, true);
  assert.equal(s.answer, 'The answer is');
});

test('deepseek_r1-style truncation: reasoning only, content null', () => {
  const s = splitResponse(null, 'thinking...', 'length');
  assert.deepEqual(s, { answer: null, reasoning: 'thinking...', truncated: true });
});

test('both field and inline reasoning are kept', () => {
  const s = splitResponse('<think>b</think>x', 'a', 'stop');
  assert.equal(s.reasoning, 'a\nb');
  assert.equal(s.answer, 'x');
});
