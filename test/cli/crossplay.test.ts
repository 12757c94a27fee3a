import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startSimulator } from '../../src/sim/index.js';

const skip = existsSync('/usr/bin/chromium') ? false : 'needs chromium (npm run setup)';
const dir = mkdtempSync(join(tmpdir(), 'masa-crossplay-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Async so the in-process simulator keeps serving while the CLI runs.
function masa(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/masa.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a Hanabi cross-play matrix of 4 simulated models and 2 bots: masa sweep, masa summarize, masa figures', { skip, timeout: 300_000 }, async () => {
  const sim = await startSimulator({ profile: 'paper', benchmarks: [] });
  try {
    const models = ['qwen2.5-7b-instruct', 'qwen2.5-72b-instruct', 'llama-3.1-8b-instruct', 'llama-3.1-70b-instruct'].map((m) => ({ model: `sim/${m}`, endpoints: [sim.url] }));
    const config = join(dir, 'sweep.json');
    writeFileSync(config, JSON.stringify({ benches: ['hanabi'], models, limit: 2, out: 'runs', concurrency: 16, crossplay: { benches: ['hanabi'], bots: ['simple', 'smart'], models: true } }));
    const sweep = await masa('sweep', '--config', config, '--quiet', '--json');
    assert.equal(sweep.code, 0, sweep.stderr);
    const rows = (JSON.parse(sweep.stdout.trim().split('\n').pop()!) as { rows: Array<{ status: string; partner?: string }> }).rows;
    assert.equal(rows.length, 4 + 4 * 2 + 4 * 3, 'self-play, two bots each, every ordered model pair');
    assert.ok(rows.every((r) => r.status === 'done'));
    const scores = join(dir, 'scores.csv');
    const sum = await masa('summarize', '--results', join(dir, 'runs'), '--out', scores, '--groups-out', join(dir, 'groups.csv'));
    assert.equal(sum.code, 0, sum.stderr);
    const header = readFileSync(scores, 'utf8').split('\n')[0]!.split(',');
    const lines = readFileSync(scores, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const partnerCol = header.indexOf('partner');
    const hanabi = lines.filter((l) => l[header.indexOf('benchmark')] === 'hanabi');
    assert.equal(hanabi.length, 4 * (1 + 2 + 3));
    assert.deepEqual([...new Set(hanabi.map((l) => l[partnerCol]))].sort(), ['bot:simple', 'bot:smart', ...models.map((m) => `model:${m.model}`), 'self'].sort());
    const figs = join(dir, 'figures');
    const f = await masa('figures', '--scores', scores, '--out', figs);
    assert.equal(f.code, 0, f.stderr);
    for (const ext of ['html', 'svg', 'png']) assert.ok(existsSync(join(figs, `fig13-crossplay-heatmap.${ext}`)), ext);
    const svg = readFileSync(join(figs, 'fig13-crossplay-heatmap.svg'), 'utf8');
    for (const m of ['qwen2.5-7b-instruct', 'llama-3.1-70b-instruct', 'bot:smart', 'bot:simple']) assert.ok(svg.includes(m), m);
  } finally {
    await sim.close();
  }
});
