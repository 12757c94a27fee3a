import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensureNotebookScores, NOTEBOOK_MODELS } from '../../src/cli/pipeline.js';
import { loadCatalog, selectModels } from '../../src/core/catalog-load.js';

const dir = mkdtempSync(join(tmpdir(), 'masa-nb-scores-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the notebook model set spans both families, small and large, and a mixture-of-experts model', () => {
  const models = selectModels(NOTEBOOK_MODELS.join(','), loadCatalog());
  assert.equal(models.length, NOTEBOOK_MODELS.length);
  assert.deepEqual([...new Set(models.map((m) => m.family))].sort(), ['Llama', 'Qwen']);
  assert.ok(Math.min(...models.map((m) => m.params_b)) < 1 && Math.max(...models.map((m) => m.params_b)) > 70);
  assert.ok(models.some((m) => m.active_params_b < m.params_b));
});

test('ensureNotebookScores gathers the simulated sweep once, then reuses the tables', { timeout: 120_000 }, async () => {
  const first = await ensureNotebookScores({ dir, dataRoot: join('data', 'samples') });
  assert.equal(first.gathered, true);
  assert.equal(first.scoresCsv, join(dir, 'scores.csv'));
  const groups = readFileSync(first.groupsCsv, 'utf8').trim().split('\n');
  assert.equal(groups.length - 1, NOTEBOOK_MODELS.length);
  assert.ok(groups.slice(1).every((l) => l.startsWith('sim/') && l.includes(',true,')), 'every row simulated and marked synthetic');
  const again = await ensureNotebookScores({ dir, dataRoot: join('data', 'samples') });
  assert.equal(again.gathered, false);
  assert.equal(readFileSync(again.groupsCsv, 'utf8'), readFileSync(first.groupsCsv, 'utf8'));
});
