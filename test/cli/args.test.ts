import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../../src/cli/args.js';
import { MasaError } from '../../src/core/errors.js';

const specs = {
  bench: { type: 'list', description: '' },
  limit: { type: 'number', description: '' },
  json: { type: 'boolean', description: '' },
  out: { type: 'string', description: '' },
} as const;

test('parses values, =values, lists, booleans and positionals', () => {
  const a = parseArgs(['fetch', '--bench', 'a,b', '--bench=c', '--limit=5', '--json', '--out', 'x.csv'], specs, 't');
  assert.deepEqual(a._, ['fetch']);
  assert.deepEqual(a.flags, { bench: ['a', 'b', 'c'], limit: 5, json: true, out: 'x.csv' });
});

test('rejects unknown flags, missing values and non-numbers with a message naming the flag', () => {
  assert.throws(() => parseArgs(['--nope'], specs, 't'), (e: unknown) => e instanceof MasaError && /--nope/.test(e.message));
  assert.throws(() => parseArgs(['--limit'], specs, 't'), /--limit needs a value/);
  assert.throws(() => parseArgs(['--limit', 'ten'], specs, 't'), /--limit must be a number, got 'ten'/);
  assert.throws(() => parseArgs(['--out', '--json'], specs, 't'), /--out needs a value/);
  assert.throws(() => parseArgs(['-x'], specs, 't'), /unknown option '-x'/);
});
