import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadCatalog, parseCatalog } from '../../src/core/catalog-load.js';

function masa(...args: string[]) {
  return spawnSync(process.execPath, ['bin/masa.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
}

const tmp = mkdtempSync(join(tmpdir(), 'masa-models-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const catalog = loadCatalog();

test('masa models --json prints the whole catalog as JSON', () => {
  const r = masa('models', '--json');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ id: string; sampling: object }>;
  assert.equal(rows.length, catalog.length);
  assert.deepEqual(rows, JSON.parse(JSON.stringify(catalog)));
});

test('masa models filters combine; the table goes to stdout and the count to stderr', () => {
  const r = masa('models', '--family', 'Qwen', '--min-params', '30', '--max-params', '80', '--scope', 'paper');
  assert.equal(r.status, 0, r.stderr);
  const ids = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
  const expected = catalog.filter((m) => m.family === 'Qwen' && m.in_paper_scope && m.params_b >= 30 && m.params_b <= 80).map((m) => m.id);
  assert.deepEqual(ids, expected);
  assert.ok(ids.includes('qwen3-30b-a3b') && ids.includes('qwen2-57b-a14b-instruct'));
  assert.match(r.stderr, new RegExp(`^${expected.length} of ${catalog.length} models`));
  const think = JSON.parse(masa('models', '--thinking', '--generation', 'Qwen3,Qwen2.5', '--json').stdout) as Array<{ id: string }>;
  assert.equal(think.length, 8);
});

test('masa models --csv round-trips through the catalog parser', () => {
  const r = masa('models', '--csv');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(parseCatalog(r.stdout, 'stdout'), catalog);
});

test('masa models rejects a bad scope and reports a bad catalog line', () => {
  const r = masa('models', '--scope', 'most');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--scope must be paper or all/);
  const bad = join(tmp, 'bad.csv');
  const csv = masa('models', '--csv').stdout.split('\n');
  csv[2] = csv[2]!.replace(/,(Qwen|Llama),/, ',Mistral,');
  writeFileSync(bad, csv.join('\n'));
  const b = masa('models', '--catalog', bad);
  assert.equal(b.status, 1);
  assert.equal(b.stderr.trim(), `${bad}:3: column 'family': 'Mistral' is not one of Qwen, Llama`);
});

test('masa serve-plan prints one vllm serve command per selected model', () => {
  const r = masa('serve-plan', '--models', 'qwen3-235b-a22b,Llama-3.3', '--port-base', '8100');
  assert.equal(r.status, 0, r.stderr);
  const cmds = r.stdout.split('\n').filter((l) => l.startsWith('vllm serve '));
  assert.equal(cmds.length, 2);
  assert.match(cmds[0]!, /^vllm serve Qwen\/Qwen3-235B-A22B --served-model-name qwen3-235b-a22b .*--tensor-parallel-size 8 .*--port 8100 .*--reasoning-parser qwen3/);
  assert.match(cmds[1]!, /^vllm serve meta-llama\/Llama-3\.3-70B-Instruct --served-model-name llama-3\.3-70b-instruct .*--tensor-parallel-size 4 .*--port 8101$/);
});

test('masa serve-plan --json, paper selection, and errors', () => {
  const r = masa('serve-plan', '--models', 'paper', '--json', '--gpu-mem-gb', '141');
  assert.equal(r.status, 0, r.stderr);
  const plans = JSON.parse(r.stdout) as Array<{ id: string; tensor_parallel: number; argv: string[] }>;
  assert.equal(plans.length, 39);
  assert.equal(plans.find((p) => p.id === 'llama-3.3-70b-instruct')?.tensor_parallel, 2);
  const missing = masa('serve-plan');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--models is required/);
  const unknown = masa('serve-plan', '--models', 'gpt-5');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown model, family or generation 'gpt-5'/);
});
