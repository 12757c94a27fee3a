import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

function masa(...args: string[]) {
  return spawnSync(process.execPath, ['bin/masa.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('masa --help lists the commands and exits 0', () => {
  const r = masa('--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Commands:/);
  assert.match(r.stdout, /\n {2}demo /);
});

test('an unknown command exits non-zero with one line and the help hint', () => {
  const r = masa('frobnicate');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command 'frobnicate'.*masa --help/);
});

test('an unknown flag exits non-zero with one line naming it and the help hint', () => {
  const r = masa('demo', '--no-such-flag');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown flag '--no-such-flag'.*masa demo --help/);
});

test('every listed command answers --help', () => {
  const list = masa('--help').stdout;
  const names = [...list.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]!);
  assert.ok(names.length >= 1);
  for (const name of names) {
    const r = masa(name, '--help');
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^masa ${name}: `));
  }
});
