import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// The masa kernel runs tslab from the project root (jupyter/kernels/tslab), so every notebook imports ./src/...
const dir = join('test-output', 'runner-test');
const hasJupyter = spawnSync('/usr/bin/python3', ['-c', 'import nbclient'], { encoding: 'utf8' }).status === 0;
const skip = hasJupyter && existsSync('node_modules/.bin/tslab') ? false : 'needs Jupyter (npm run setup)';

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (masa)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function runNotebooks(files: string[]) {
  return spawnSync(process.execPath, ['scripts/run-notebooks.mjs', ...files], { encoding: 'utf8', timeout: 120_000 });
}

test('a one-cell notebook importing a module from src/ executes', { skip }, () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'ok.ipynb');
  writeFileSync(file, notebook(["import { permutation, rngFor } from './src/core/rng.js';\npermutation(5, rngFor(1, 'x')).length"]));
  const r = runNotebooks([file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 passed, 0 failed/);
});

test('a failing cell makes the runner exit non-zero and print its real error text', { skip }, () => {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bad.ipynb');
  writeFileSync(file, notebook(['const a = 1;', "throw new Error('masa-sentinel-failure ' + a);", 'const never = 2;']));
  const r = runNotebooks([file]);
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /FAIL {2}bad\.ipynb/);
  assert.match(r.stdout, /masa-sentinel-failure 1/);
  assert.match(r.stdout, /0 passed, 1 failed/);
});

test('a type error in a cell fails the notebook with the compiler message', { skip }, () => {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'typeerr.ipynb');
  writeFileSync(file, notebook(["const n: number = 'not a number';"]));
  const r = runNotebooks([file]);
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /not assignable to type 'number'/);
});
