import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { summarizeResults } from '../../src/analysis/summarize-results.js';
import { loadCatalog } from '../../src/core/catalog-load.js';
import { crossplayTasks, modelPairs, readCrossplay } from '../../src/eval/crossplay.js';
import { runSweep } from '../../src/eval/sweep.js';
import { crossplayHeatmap } from '../../src/figures/crossplay-heatmap.js';
import { figureData } from '../../src/figures/figure-data.js';
import type { ScoreRecord } from '../../src/analysis/load-scores.js';
import { startSimulator } from '../../src/sim/index.js';

const root = mkdtempSync(join(tmpdir(), 'masa-crossplay-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('model pairs grow the matrix one model at a time; a cap keeps its corner', () => {
  assert.deepEqual(modelPairs(3), [[1, 0], [0, 1], [2, 0], [0, 2], [2, 1], [1, 2]]);
  assert.deepEqual(modelPairs(4, 2), [[1, 0], [0, 1]]);
  assert.deepEqual(modelPairs(1), []);
  const tasks = crossplayTasks({ benches: ['hanabi'], bots: ['simple'], models: true, max_pairs: 1 }, [{ model: 'a', endpoints: ['u'] }, { model: 'b', endpoints: ['v'] }]);
  assert.deepEqual(tasks, [
    { model: 0, bench: 'hanabi', partner: 'bot:simple' },
    { model: 1, bench: 'hanabi', partner: 'bot:simple' },
    { model: 1, bench: 'hanabi', partner: 'model:a@u' },
  ]);
});

test('the crossplay section of a sweep config names what is wrong', () => {
  assert.throws(() => readCrossplay('s.json', { benches: ['mmlu-pro'] }), /s\.json: crossplay\.benches: 'mmlu-pro' is not a game/);
  assert.throws(() => readCrossplay('s.json', { benches: ['hanabi'], bots: ['nobody'] }), /hanabi has no scripted partner 'nobody'/);
  assert.throws(() => readCrossplay('s.json', { benches: ['hanabi'], pairs: 3 }), /crossplay\.pairs: unknown field/);
});

test('a cross-play matrix of simulated models and bots: masa sweep, summarize and the heatmap', { timeout: 240_000 }, async () => {
  const sim = await startSimulator({ profile: 'paper', benchmarks: [] });
  try {
    const models = ['sim/qwen2.5-7b-instruct', 'sim/qwen2.5-72b-instruct', 'sim/llama-3.1-8b-instruct'];
    const out = join(root, 'runs');
    const res = await runSweep(
      { benches: ['hanabi'], models: models.map((model) => ({ model, endpoints: [sim.url] })), limit: 2, seed: 0, concurrency: 8, crossplay: { benches: ['hanabi'], bots: ['simple', 'smart'], models: true, max_pairs: 4 } },
      { out, progress: 'none' },
    );
    assert.equal(res.rows.length, 3 + 6 + 4);
    assert.ok(res.rows.every((r) => r.status === 'done'), JSON.stringify(res.rows.filter((r) => r.status !== 'done')));
    const sum = await summarizeResults(out, { catalog: loadCatalog() });
    const hanabi = sum.rows.filter((r) => r.benchmark === 'hanabi');
    assert.equal(hanabi.length, 13);
    assert.equal(hanabi.filter((r) => r.canonical).length, 3, 'only self-play feeds the group');
    assert.ok(hanabi.some((r) => r.partner === 'model:sim/qwen2.5-7b-instruct'), 'partner models named without their URL');
    const retention = sum.rows.filter((r) => r.benchmark === 'hanabi:retention');
    // A model gets a retention row when it has cross-play runs and a self-play score above 0.
    const selfScored = hanabi.filter((r) => r.partner === 'self' && r.accuracy > 0).map((r) => r.model).sort();
    assert.deepEqual(retention.map((r) => r.model).sort(), selfScored);
    for (const r of retention) assert.ok(r.accuracy >= 0 && r.accuracy <= 1 && r.group === 'MA-A');
    const spec = crossplayHeatmap(figureData(sum.rows as unknown as ScoreRecord[]));
    const stats = spec.stats as { models: string[]; partners: string[]; z: Array<Array<number | null>> };
    assert.equal(stats.models.length, 3);
    assert.deepEqual(stats.partners.slice(0, 3), ['self', 'bot:simple', 'bot:smart']);
    assert.equal(stats.partners.length, 3 + 3, 'pairs (1,0), (0,1), (2,0), (0,2): every model is someone\'s partner');
  } finally {
    await sim.close();
  }
});
