import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint, optionBlocks } from '../../src/sim/prompt-parse.js';

const prompt = (opts: string[]) =>
  ['Question: which is a fruit?', ...opts.map((o, i) => `${'ABCD'[i]}. ${o}`), '', 'Answer: Let\'s think step by step.'].join('\n');

test('optionBlocks: the lettered lists, in order, label styles and wrapped lines', () => {
  const text = 'Q1\nA. one\nB. two\nAnswer: A\n\nQ2\n(A) apple\ncontinued line\n(B) brick\n(C) cloud\nC) stray';
  const blocks = optionBlocks(text);
  assert.deepEqual(blocks.map((b) => b.texts), [['one', 'two'], ['apple', 'brick', 'cloud']]);
  assert.deepEqual(optionBlocks('A lone line\nB. not a list start'), []);
});

test('fingerprint: the same for any option order, different for another question', () => {
  const a = fingerprint(prompt(['apple', 'brick', 'cloud', 'drum']));
  const b = fingerprint(prompt(['drum', 'cloud', 'apple', 'brick']));
  assert.equal(a, b);
  assert.notEqual(a, fingerprint(prompt(['apple', 'brick', 'cloud', 'drums'])));
  assert.notEqual(a, fingerprint(prompt(['apple', 'brick', 'cloud', 'drum']).replace('fruit', 'fruits')));
});
