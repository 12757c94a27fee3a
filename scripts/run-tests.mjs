#!/usr/bin/env node
// `npm test`: the type check, every test file under test/ with Node's built-in runner
// (through tsx), then the notebooks. Exits non-zero if any part fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const args = process.argv.slice(2);
const skipNotebooks = args.includes('--no-notebooks');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(label, cmd, cmdArgs) {
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: process.env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

let failed = 0;
if (filters.length === 0) {
  failed |= run('type check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']) !== 0;
  // Notebooks import src/ through tslab's own TypeScript 5.0.4, compiled to CommonJS.
  failed |=
    run("type check of src/ as tslab compiles it (TypeScript 5.0.4, CommonJS)", process.execPath, [
      'node_modules/@tslab/typescript-for-tslab/bin/tsc',
      '-p',
      'tsconfig.tslab.json',
    ]) !== 0;
}
let files = findTests(join(root, 'test')).map((f) => relative(root, f));
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
const concurrency = process.env.MASA_TEST_CONCURRENCY ?? '2';
failed |=
  run('unit and integration tests', process.execPath, [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    // A test that waits for something that never comes fails after 5 minutes instead of hanging CI.
    '--test-timeout=300000',
    ...files,
  ]) !== 0;
if (!skipNotebooks && filters.length === 0) {
  failed |= run('notebooks', process.execPath, ['scripts/run-notebooks.mjs']) !== 0;
}
process.exit(failed ? 1 : 0);
