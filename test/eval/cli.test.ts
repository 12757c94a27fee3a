import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeServer } from './fake-server.js';

const root = mkdtempSync(join(tmpdir(), 'masa-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function masa(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/masa.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

test('masa eval: the key (flag or env) never reaches the out dir or the output; --json is the last line', { timeout: 60_000 }, async () => {
  const key = 'sk-cli-TOPSECRET-987654321';
  const server = await startFakeServer({ apiKey: key, echoAuth: true, fault: (n) => (n === 2 ? { status: 400, message: 'bad' } : null) });
  try {
    const out = join(root, 'key');
    const base = ['eval', '--endpoint', server.url, '--model', 'm', '--bench-module', 'test/eval/arith-bench.ts', '--option', 'n=8', '--out', out, '--json', '--no-preset'];
    const a = await masa([...base, '--api-key', key]);
    const b = await masa([...base, '--max-attempts', '1'], { OPENAI_API_KEY: key });
    for (const r of [a, b]) {
      assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key));
      const last = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      for (const f of ['model', 'bench', 'n', 'accuracy', 'stderr', 'errors', 'truncated', 'runs']) assert.ok(f in last, f);
    }
    assert.equal(a.code, 3, 'one item failed with a 400: exit 3');
    const files = allFiles(out);
    assert.ok(files.length >= 2);
    for (const f of files) assert.ok(!readFileSync(f, 'utf8').includes(key), `${f} holds the key`);
    assert.ok(files.some((f) => readFileSync(f, 'utf8').includes('[REDACTED]')));
    const bad = await masa([...base, '--api-key', 'sk-wrong-0000000000']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /401/);
    assert.ok(!bad.stderr.includes(key));
  } finally {
    await server.close();
  }
});

test('masa eval on registered benchmarks (bundled samples), several at once: one JSON object with runs', { timeout: 60_000 }, async (t) => {
  if (!existsSync('data/samples/MATH-500') || !existsSync('data/samples/MMLU-Pro')) {
    t.skip('bundled samples absent');
    return;
  }
  const server = await startFakeServer();
  try {
    const out = join(root, 'reg');
    const r = await masa(['eval', '--endpoint', server.url, '--model', 'm', '--bench', 'math500,mmlu-pro', '--limit', '2', '--out', out, '--json', '--quiet', '--no-preset']);
    assert.equal(r.code, 0, r.stderr);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!) as { model: string; runs: Array<Record<string, unknown>> };
    assert.equal(last.model, 'm');
    assert.deepEqual(last.runs.map((x) => x.bench), ['math500', 'mmlu-pro']);
    for (const run of last.runs) assert.equal(run.n, 2);
    assert.equal(readdirSync(out).length, 2);
  } finally {
    await server.close();
  }
});

test('masa eval --target-ci: a bad half-width exits 2 naming the flag; the table and --json report the precision stop', { timeout: 120_000 }, async () => {
  const bad = await masa(['eval', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', 'mmlu-pro', '--target-ci', '0.7']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--target-ci: must be a half-width in \(0, 0.5\)/);
  const server = await startFakeServer();
  try {
    const out = join(root, 'precision');
    const r = await masa(['eval', '--endpoint', server.url, '--model', 'm', '--bench-module', 'test/eval/arith-bench.ts', '--option', 'n=3000', '--target-ci', '0.06', '--out', out, '--json', '--no-preset']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /stopped at \d+\/3000 \(±0\.0[0-5]\d+\)/);
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(j.precision.stopped, true);
    assert.equal(j.missing, 0);
    assert.match(r.stderr, /stopped by precision at \d+ of 3000 items/);
  } finally {
    await server.close();
  }
});
