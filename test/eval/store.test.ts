import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { latestRecords, recordScore, replacesKept } from '../../src/eval/store.js';

test('the record that counts: the latest success, else the latest error', () => {
  assert.equal(replacesKept(undefined, false), true, 'a first error is kept');
  assert.equal(replacesKept(false, false), true, 'a later error replaces an error');
  assert.equal(replacesKept(false, true), true, 'a success replaces an error');
  assert.equal(replacesKept(true, true), true, 'a later success replaces a success');
  assert.equal(replacesKept(true, false), false, 'an error never replaces a success');
});

test('latestRecords applies the rule per (item, trial) over a log with retries', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-store-'));
  try {
    const rec = (item: string, trial: number, error: string | null, correct: boolean | null) =>
      JSON.stringify({ item_id: item, trial, error, correct, extracted: correct === null ? null : 'A', rule: 'r', gold: 'A', status: null, request_key: `${item}-${trial}` });
    writeFileSync(
      join(dir, 'samples.jsonl'),
      [rec('a', 0, 'timeout', null), rec('a', 0, null, true), rec('a', 0, 'HTTP 500', null), rec('b', 0, 'timeout', null), rec('b', 0, 'HTTP 429', null), rec('b', 1, null, false)].join('\n') + '\n',
    );
    const best = await latestRecords(dir);
    assert.equal(best.get('a\u00000')!.error, null);
    assert.deepEqual(recordScore(best.get('a\u00000')!), { extracted: 'A', rule: 'r', gold: 'A', correct: true });
    assert.equal(best.get('b\u00000')!.error, 'HTTP 429');
    assert.equal(best.get('b\u00001')!.correct, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
