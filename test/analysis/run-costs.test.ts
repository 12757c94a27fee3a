// The cost table's arithmetic on hand-made records: shared requests count once, greedy fan-out
// answers once, cached tokens only when reported, reasoning estimated from the text otherwise.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CostTally, costsCsv, wallSeconds } from '../../src/analysis/run-costs.js';
import type { RunMeta, SampleRecord } from '../../src/eval/records.js';
import { costSection, readCosts } from '../../src/figures/cost-table.js';

function rec(p: Partial<SampleRecord>): SampleRecord {
  return {
    v: 1, run_id: 'r', model: 'sim/x', bench: 'b', item_id: 'i', trial: 0, permutation: null, request_key: 'k', response: 'answer', reasoning: null,
    finish_reason: 'stop', truncated: false, usage: { prompt_tokens: 100, completion_tokens: 10 }, latency_ms: 1, extracted: null, rule: null, gold: null,
    correct: true, status: null, error: null, attempts: 1, endpoint: null, tags: {}, cluster: 'i', time: '', ...p,
  };
}

test('requests, prompt and completion tokens: shared requests and fan-out answers counted once', () => {
  const t = new CostTally();
  t.add(rec({}));
  // One request with n = 3: prompt once, three answers.
  for (let i = 0; i < 3; i++) t.add(rec({ shared: { n: 3, index: i, choice: i }, usage: { prompt_tokens: 50, completion_tokens: 7 } }));
  // One greedy answer for two trials: prompt once, answer once.
  for (let i = 0; i < 2; i++) t.add(rec({ shared: { n: 2, index: i, choice: 0 }, usage: { prompt_tokens: 40, completion_tokens: 9 } }));
  t.add(rec({ error: 'gave up', usage: null, response: null }));
  const r = t.row('sim/x', 'b', 'r', null);
  assert.deepEqual([r.requests, r.failed, r.prompt_tokens, r.completion_tokens], [3, 1, 190, 10 + 21 + 9]);
  assert.equal(r.cached_tokens, null, 'never reported: unknown, not zero');
  assert.equal(r.computed_prompt_tokens, null);
  assert.equal(r.synthetic, true);
});

test('cached tokens when reported; reasoning as reported, else estimated from the text; wall time from the sessions', () => {
  const t = new CostTally();
  t.add(rec({ usage: { prompt_tokens: 100, completion_tokens: 40, cached_tokens: 64, reasoning_tokens: 30 } }));
  t.add(rec({ usage: { prompt_tokens: 100, completion_tokens: 40 }, reasoning: 'x'.repeat(300), response: 'y'.repeat(100) }));
  const meta = { sessions: [{ mode: 'online', started_at: '2025-01-01T00:00:00Z', finished_at: '2025-01-01T00:01:00Z', requested: 2, work_ms: 8000 }, { mode: 'online', started_at: '2025-01-01T00:00:00Z', finished_at: '2025-01-01T00:00:02Z', requested: 1 }] } as unknown as RunMeta;
  assert.equal(wallSeconds(meta), 10);
  const r = t.row('m', 'b', 'r', meta);
  assert.equal(r.cached_tokens, 64);
  assert.equal(r.computed_prompt_tokens, 136);
  assert.equal(r.reasoning_tokens, 30 + 30);
  assert.equal(r.reasoning_estimated, true);
  assert.equal(r.tokens_per_s, (136 + 80) / 10);
  const dir = mkdtempSync(join(tmpdir(), 'masa-costs-'));
  try {
    const file = join(dir, 'costs.csv');
    writeFileSync(file, costsCsv([r]));
    const back = readCosts(file);
    assert.deepEqual(back, [r]);
    assert.match(costSection(back), /The prefix cache served 32\.0% of the prompt tokens/);
    writeFileSync(file, 'model,benchmark\nx,y\n');
    assert.throws(() => readCosts(file), /missing column 'run_id'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
