import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256 } from '../../src/core/hash.js';
import { crc32, listZip, readZipMember, writeEncryptedZip } from '../../src/core/zip.js';
import { sharedDatasets, sharedReplay } from '../helpers.js';

const shared = sharedDatasets();
const replay = sharedReplay();
const text = Buffer.from('id,text\n1,"hello, world"\n2,second line\n'.repeat(50));

test('crc32 check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('ZipCrypto round trip; wrong password and corruption are caught', () => {
  const zip = writeEncryptedZip('a/b.csv', text, 'pw', Buffer.from('x'));
  const [entry] = listZip(zip, 'z.zip');
  assert.equal(entry!.name, 'a/b.csv');
  assert.equal(entry!.encrypted, true);
  assert.deepEqual(readZipMember(zip, 'b.csv', 'z.zip', 'pw'), text);
  assert.deepEqual(readZipMember(zip, 'a/b.csv', 'z.zip', 'pw'), text);
  // Same inputs, same bytes.
  assert.deepEqual(writeEncryptedZip('a/b.csv', text, 'pw', Buffer.from('x')), zip);
  assert.throws(() => readZipMember(zip, 'b.csv', 'z.zip', 'nope'), /z\.zip: member a\/b\.csv: (wrong password|CRC mismatch)/);
  assert.throws(() => readZipMember(zip, 'b.csv', 'z.zip'), /encrypted, and no password was given/);
  assert.throws(() => readZipMember(zip, 'c.csv', 'z.zip', 'pw'), /z\.zip: no member 'c\.csv' \(has: a\/b\.csv\)/);
  assert.throws(() => listZip(zip.subarray(0, zip.length - 30), 'z.zip'), /truncated/);
  const altered = Buffer.from(zip);
  altered[60] = altered[60]! ^ 0xff;
  assert.throws(() => readZipMember(altered, 'b.csv', 'z.zip', 'pw'), /z\.zip: member a\/b\.csv: /);
});

test('archives written here open with Info-ZIP unzip -P (checked with unzip -t, nothing extracted)', { skip: existsSync('/usr/bin/unzip') ? false : 'needs /usr/bin/unzip' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-zip-'));
  try {
    const f = join(dir, 't.zip');
    writeFileSync(f, writeEncryptedZip('t.csv', text, 'secret', Buffer.from('seed')));
    const ok = spawnSync('/usr/bin/unzip', ['-t', '-P', 'secret', f], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /No errors detected/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the published GPQA zip (data descriptor, flag bit 3) decrypts in memory to the recorded CSV', { skip: shared.skip }, () => {
  const file = join(shared.dir!, 'GPQA', 'gpqa_diamond.zip');
  const buf = readFileSync(file);
  const [entry] = listZip(buf, file);
  assert.equal(entry!.flags & 0x8, 0x8);
  const csv = readZipMember(buf, 'gpqa_diamond.csv', file, 'deserted-untie-orchid');
  assert.equal(csv.length, 1373492);
  assert.equal(sha256(csv), '41d1213cd7a4998605a26c2798500652572007161b3a92817ba46b35befcd305');
});

test('unencrypted deflate members (the MMLU-Pro replay zips)', { skip: replay.skip }, () => {
  const file = join(replay.dir!, 'MMLU-Pro', 'TIGER-AI-Lab-MMLU-Pro-eval_results', 'model_outputs_Yi-34B_5shots.zip');
  const buf = readFileSync(file);
  const entries = listZip(buf, file);
  assert.deepEqual(entries.map((e) => [e.name, e.encrypted, e.method]), [['model_outputs_Yi-34B_5shots.json', false, 8]]);
  const data = readZipMember(buf, 'model_outputs_Yi-34B_5shots.json', file);
  assert.equal(data.length, entries[0]!.size);
});
