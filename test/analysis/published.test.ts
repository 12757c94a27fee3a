import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCatalog } from '../../src/core/catalog-load.js';
import { classifyPublished, curatePublished, loadPublished, publishedByGeneration, publishedCsv, publishedFile, publishedPoints } from '../../src/analysis/published.js';
import { publishedGenerations } from '../../src/figures/index.js';

const raw = join('..', 'shared', 'published', 'scores.csv');

test('data/published/scores.csv is the curation of ../shared/published/scores.csv, every row and source kept', { skip: existsSync(raw) ? false : 'needs ../shared/published' }, () => {
  const curated = curatePublished(readFileSync(raw, 'utf8'), raw);
  assert.equal(curated.length, 311);
  assert.equal(readFileSync(publishedFile(), 'utf8'), publishedCsv(curated), "run 'node --import tsx scripts/curate-published.ts'");
});

test('published rows: only masa\'s own variants are comparable, values are fractions, sources are kept', () => {
  const rows = loadPublished();
  assert.equal(rows.length, 311);
  assert.ok(rows.every((r) => r.source !== '' && r.value >= 0 && r.value <= 1));
  // The traps of NOTES.md: MATH is not MATH-500, GPQA main is not Diamond, subsets and low-confidence rows are not comparable.
  assert.ok(rows.filter((r) => r.benchmark === 'MATH').every((r) => !r.comparable && r.masa_benchmark === ''));
  assert.ok(rows.filter((r) => /main set/.test(r.variant)).every((r) => !r.comparable));
  assert.ok(rows.filter((r) => /^SUBSET/.test(r.variant) || r.confidence === 'low').every((r) => !r.comparable));
  assert.deepEqual(classifyPublished('HumanEval', 'HumanEval-Mul (multilingual HumanEval; NOT Python-only HumanEval)', 'x').comparable, false);
  // Qwen3 rows say their thinking mode, and both modes are there.
  const q3 = rows.filter((r) => r.model.startsWith('Qwen3') && r.masa_benchmark === 'math500' && r.comparable);
  assert.ok(q3.some((r) => r.thinking === 'on') && q3.some((r) => r.thinking === 'off'));
  // A row as printed: Llama-3.1-8B GPQA disagreements are all kept, each with its source.
  const l31 = rows.filter((r) => r.model === 'Llama-3.1-8B-Instruct' && r.benchmark === 'GPQA').map((r) => r.value_printed);
  for (const v of ['30.4', '31.8', '32.8', '26.3', '24.2']) assert.ok(l31.includes(v), v);
});

test('published points by generation: medians per family and generation, labelled as published', () => {
  const pts = publishedPoints(loadPublished(), loadCatalog(), { thinking: 'off' });
  assert.ok(pts.every((p) => p.origin === 'published' && p.comparable));
  const s = publishedByGeneration(pts);
  const q = (gen: string) => s.find((x) => x.masa_benchmark === 'gpqa-diamond' && x.generation === gen)!;
  assert.ok(q('Qwen3').median > q('Qwen1.5').median);
  const spec = publishedGenerations(pts, { thinking: 'off' });
  assert.match(spec.title, /not masa's/);
  assert.equal(spec.synthetic, false);
});

test('a curated table with a bad value is refused naming its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-published-'));
  try {
    const text = readFileSync(publishedFile(), 'utf8').split('\n');
    text[3] = text[3]!.replace(/,(0\.\d+|1),/, ',12.5,');
    const f = join(dir, 'scores.csv');
    writeFileSync(f, text.join('\n'));
    assert.throws(() => loadPublished(f), /scores\.csv:4: value '12\.5' is not a fraction/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
