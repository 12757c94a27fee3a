import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../src/core/atomic.js';
import { MasaError } from '../../src/core/errors.js';

test('writeFileAtomic creates folders, replaces whole files and leaves no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-atomic-'));
  try {
    const file = join(dir, 'a', 'b', 'scores.csv');
    writeFileAtomic(file, 'old\n');
    writeFileAtomic(file, Buffer.from('new\n'));
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['scores.csv']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a write that cannot happen names the file and keeps what was there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-atomic-'));
  try {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'keep me');
    assert.throws(() => writeFileAtomic(join(blocker, 'x.csv'), 'data'), (e: unknown) => e instanceof MasaError && e.message.includes(join(blocker, 'x.csv')));
    assert.equal(readFileSync(blocker, 'utf8'), 'keep me');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
