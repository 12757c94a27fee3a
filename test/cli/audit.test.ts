import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runEval } from '../../src/eval/runner.js';
import { startSimulator } from '../../src/sim/server.js';
import { TEST_MODELS, fixedProfile } from '../sim/helpers.js';

function masa(...args: string[]) {
  return spawnSync(process.execPath, ['bin/masa.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
}

test('masa audit: groups by model, benchmark and rule in the terminal and on an HTML page; filters; errors', async () => {
  const sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), seed: 9 });
  const out = mkdtempSync(join(tmpdir(), 'masa-audit-'));
  try {
    await runEval({ model: 'sim/test-7b', endpoints: [sim.url], benches: ['coordinationqa', 'emobench'], out: join(out, 'runs'), seed: 2, progress: 'none', log: () => {} });
    const html = join(out, 'audit.html');
    const r = masa('audit', '--results', join(out, 'runs'), '--html', html, '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^masa audit: .* records in 2 runs; \d+ read differently by the two extraction policies, \d+ with no answer found, \d+ truncated/);
    assert.match(r.stdout, /note: simulated \(sim\/\) models/);
    assert.match(r.stdout, /\nmodel sim\/test-7b\n  coordinationqa: \d+ disagree, \d+ no answer, \d+ truncated of \d+ trials; right under upstream \d+, under robust \d+/);
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(j.runs.length, 2);
    for (const g of j.groups) {
      assert.ok(['disagree', 'no-answer', 'truncated'].includes(g.kind));
      assert.ok(g.examples.length <= 3 && g.examples.length <= g.count);
      if (g.kind === 'disagree') assert.match(g.rules, / → /);
    }
    assert.ok(existsSync(html));
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<h2>sim\/test-7b<\/h2>/);
    assert.match(page, /SYNTHETIC DATA/);
    assert.doesNotMatch(page, /<script|https?:\/\//);
    const only = masa('audit', '--results', join(out, 'runs'), '--bench', 'emobench', '--html', html, '--json');
    assert.equal(only.status, 0, only.stderr);
    assert.deepEqual(JSON.parse(only.stdout.trim().split('\n').pop()!).runs.map((x: { bench: string }) => x.bench), ['emobench']);
    const none = masa('audit', '--results', join(out, 'runs'), '--model', 'nobody', '--html', html);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no run in .* matches --model nobody/);
    const bad = masa('audit', '--results', join(out, 'runs'), '--bench', 'nope');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown benchmark 'nope'/);
  } finally {
    await sim.close();
    rmSync(out, { recursive: true, force: true });
  }
});
