// `masa sim` as a command: prints its URL, serves, stops cleanly on SIGTERM; bad flags are refused.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';

const BIN = ['bin/masa.mjs', 'sim'];

test('masa sim prints its URL, serves the catalog models, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [...BIN, '--port', '0', '--seed', '3', '--latency-ms', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const models = (await (await fetch(`${url}/models`)).json()) as { data: Array<{ id: string }> };
    assert.ok(models.data.length > 10);
    assert.ok(models.data.every((m) => m.id.startsWith('sim/')));
    const r = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: models.data[0]!.id, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(r.status, 200);
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
  assert.match(out, /stopped after 1 chat requests/);
});

test('masa sim refuses bad flags and profiles, naming them', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [...BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const a = run('--fail-rate', '2');
  assert.notEqual(a.status, 0);
  assert.match(a.stderr, /--fail-rate/);
  const b = run('--rate-limit', 'lots');
  assert.match(b.stderr, /--rate-limit/);
  const c = run('--profile', 'nope', '--abilities');
  assert.match(c.stderr, /unknown profile 'nope'/);
  const d = run('--abilities', '--profile', 'emergence');
  assert.equal(d.status, 0);
  assert.match(d.stdout, /profile 'emergence'/);
  assert.match(d.stdout, /sim\/qwen2\.5-7b-instruct/);
});
