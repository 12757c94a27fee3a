import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Group, TrialScore } from '../../src/bench/types.js';
import type { ModelInfo } from '../../src/core/catalog.js';
import { loadCatalog } from '../../src/core/catalog-load.js';
import { groupsCsv, modelMatrix, readScoresCsv, tidyCsv } from '../../src/analysis/load-scores.js';
import { summarizeResults, type BenchAdapterFactory } from '../../src/analysis/summarize-results.js';
import { benchmarkMatrix, groupScores } from '../../src/analysis/tables.js';
import { pca } from '../../src/analysis/pca.js';
import { toDanfo, toTable } from '../../src/analysis/frames.js';
import { runIdOf, writeSyntheticRuns } from './synthetic-runs.js';

const root = mkdtempSync(join(tmpdir(), 'masa-summarize-'));
after(() => rmSync(root, { recursive: true, force: true }));

const GROUPS: Record<string, Group> = { sa1: 'SA', sa2: 'SA', mu: 'MA-U', mp: 'MA-P' };
const majority = (trials: TrialScore[]): number => (trials.filter((t) => t.correct).length * 2 > trials.length ? 1 : 0);
/** Test adapters: mean of trials, except 'mu' which takes a majority vote (as ToMBench does). */
const adapters: BenchAdapterFactory = async (id) => ({
  group: GROUPS[id]!,
  item: () => undefined,
  reduce: (_item, trials) => (id === 'mu' ? majority(trials) : trials.filter((t) => t.correct).length / trials.length),
  chance: () => null,
});

const catalog: ModelInfo[] = loadCatalog().filter((m) => ['qwen2.5-7b-instruct', 'qwen2-7b-instruct', 'llama-3.1-8b-instruct'].includes(m.id));
const world = {
  models: ['sim/qwen2.5-7b-instruct', 'sim/qwen2-7b-instruct', 'sim/llama-3.1-8b-instruct', 'mystery-model'],
  benches: [
    { id: 'sa1', items: 30, trials: 2 },
    { id: 'sa2', items: 10, trials: 1 },
    { id: 'mu', items: 20, trials: 3, clusterSize: 4 },
    { id: 'mp', items: 15, trials: 1 },
  ],
  p: (m: string, b: string) => (b.startsWith('sa') ? 0.7 : 0.4) + (m.includes('2.5') ? 0.1 : 0),
  seed: 5,
  errorRate: 0.02,
};

/** Recomputes a run's accuracy directly from its JSONL, as the reference for the summarizer. */
function expectedAccuracy(dir: string, runId: string, reduce: (t: TrialScore[]) => number): { n: number; acc: number; errors: number } {
  const lines = readFileSync(join(dir, runId, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const byItem = new Map<string, any[]>();
  for (const r of lines) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r]);
  let n = 0;
  let sum = 0;
  let errors = 0;
  for (const recs of byItem.values()) {
    const failed = recs.filter((r) => r.error !== null).length;
    if (failed) {
      errors += failed;
      continue;
    }
    n++;
    sum += reduce(recs.map((r) => ({ correct: r.correct }) as TrialScore));
  }
  return { n, acc: sum / n, errors };
}

test('summarize folds trials per item with the benchmark reduce, joins the catalog, counts errors', async () => {
  const dir = join(root, 'a');
  const records = writeSyntheticRuns(dir, world);
  const warnings: string[] = [];
  const res = await summarizeResults(dir, { catalog, adapters, onWarning: (w) => warnings.push(w) });
  assert.equal(res.records, records);
  assert.equal(res.rows.length, 16);
  const row = res.rows.find((r) => r.model === 'sim/qwen2.5-7b-instruct' && r.benchmark === 'mu')!;
  const exp = expectedAccuracy(dir, runIdOf(row.model, 'mu'), majority);
  assert.equal(row.n, exp.n);
  assert.equal(row.errors, exp.errors);
  assert.ok(Math.abs(row.accuracy - exp.acc) < 1e-12);
  assert.equal(row.family, 'Qwen');
  assert.equal(row.generation, 'Qwen2.5');
  assert.equal(row.params_b, 7.61);
  assert.equal(row.synthetic, true);
  assert.equal(row.group, 'MA-U');
  assert.ok(row.stderr > 0 && row.ci_low < row.accuracy && row.accuracy < row.ci_high);
  const sa1 = res.rows.find((r) => r.model === 'sim/qwen2-7b-instruct' && r.benchmark === 'sa1')!;
  const exp1 = expectedAccuracy(dir, runIdOf(sa1.model, 'sa1'), (t) => t.filter((x) => x.correct).length / t.length);
  assert.ok(Math.abs(sa1.accuracy - exp1.acc) < 1e-12);
  assert.ok(warnings.some((w) => w.includes("'mystery-model' is not in the catalog")));
  const mystery = res.rows.find((r) => r.model === 'mystery-model')!;
  assert.equal(mystery.family, '');
  assert.equal(mystery.params_b, null);
});

test('group scores: unweighted mean of benchmarks by default, item-weighted as an option, with SEs', async () => {
  const res = await summarizeResults(join(root, 'a'), { catalog, adapters });
  const rows = res.rows.filter((r) => r.model === 'sim/qwen2-7b-instruct');
  const s1 = rows.find((r) => r.benchmark === 'sa1')!;
  const s2 = rows.find((r) => r.benchmark === 'sa2')!;
  const [g] = groupScores(rows);
  assert.ok(Math.abs(g!.sa! - (s1.accuracy + s2.accuracy) / 2) < 1e-12);
  assert.ok(Math.abs(g!.sa_stderr! - Math.sqrt(s1.stderr ** 2 + s2.stderr ** 2) / 2) < 1e-12);
  assert.equal(g!.sa_benchmarks, 'sa1+sa2');
  const [w] = groupScores(rows, 'items');
  assert.ok(Math.abs(w!.sa! - (s1.accuracy * s1.n + s2.accuracy * s2.n) / (s1.n + s2.n)) < 1e-12);
  assert.ok(Math.abs(w!.sa_stderr! - Math.sqrt((s1.n * s1.stderr) ** 2 + (s2.n * s2.stderr) ** 2) / (s1.n + s2.n)) < 1e-12);
});

test('tidy and group CSVs round-trip into typed records, arquero tables and danfo frames', async () => {
  const res = await summarizeResults(join(root, 'a'), { catalog, adapters });
  const tidyFile = join(root, 'scores.csv');
  const groupFile = join(root, 'groups.csv');
  writeFileSync(tidyFile, tidyCsv(res.rows));
  writeFileSync(groupFile, groupsCsv(groupScores(res.rows)));
  const tidy = readScoresCsv(tidyFile);
  const wide = readScoresCsv(groupFile);
  assert.equal(tidy.kind, 'tidy');
  assert.equal(wide.kind, 'groups');
  const m1 = modelMatrix(tidy.kind, tidy.records);
  const m2 = modelMatrix(wide.kind, wide.records);
  assert.equal(m1.length, 4);
  for (const a of m1) {
    const b = m2.find((r) => r.model === a.model)!;
    assert.ok(Math.abs((a.sa as number) - (b.sa as number)) < 1e-12);
    assert.equal(typeof a.mu, 'number', 'benchmark ids become columns');
    assert.equal(a.synthetic, b.synthetic);
  }
  const t = toTable(m2);
  assert.equal(t.numRows(), 4);
  assert.deepEqual(t.array('model'), m2.map((r) => r.model));
  const df = toDanfo(t);
  assert.deepEqual(df.shape, [4, Object.keys(m2[0]!).length]);
});

test('a torn last line is tolerated and reported; a corrupt line in the middle is an error', async () => {
  const dir = join(root, 'b');
  writeSyntheticRuns(dir, { ...world, models: ['sim/qwen2-7b-instruct'], benches: [{ id: 'sa1', items: 5, trials: 1 }], errorRate: 0 });
  const file = join(dir, runIdOf('sim/qwen2-7b-instruct', 'sa1'), 'samples.jsonl');
  appendFileSync(file, '{"v":1,"run_id":"x","mod');
  const warnings: string[] = [];
  const res = await summarizeResults(dir, { catalog, adapters, onWarning: (w) => warnings.push(w) });
  assert.equal(res.rows[0]!.n, 5);
  assert.ok(warnings.some((w) => /torn last line/.test(w)));
  const text = readFileSync(file, 'utf8').split('\n');
  writeFileSync(file, [text[0], 'garbage{', ...text.slice(1, 5)].join('\n') + '\n');
  await assert.rejects(summarizeResults(dir, { catalog, adapters }), /samples\.jsonl:2: not valid JSON, and it is not the last line/);
});

test('a later retry that succeeded replaces the failed record; a missing folder is a clear error', async () => {
  const dir = join(root, 'c');
  writeSyntheticRuns(dir, { ...world, models: ['sim/qwen2-7b-instruct'], benches: [{ id: 'sa2', items: 4, trials: 1 }], errorRate: 1 });
  const file = join(dir, runIdOf('sim/qwen2-7b-instruct', 'sa2'), 'samples.jsonl');
  const recs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  let res = await summarizeResults(dir, { catalog, adapters });
  assert.equal(res.rows[0]!.n, 0);
  assert.equal(res.rows[0]!.errors, 4);
  appendFileSync(file, JSON.stringify({ ...recs[0], error: null, correct: true, response: 'x' }) + '\n');
  res = await summarizeResults(dir, { catalog, adapters });
  assert.equal(res.rows[0]!.n, 1);
  assert.equal(res.rows[0]!.errors, 3);
  assert.equal(res.rows[0]!.accuracy, 1);
  await assert.rejects(summarizeResults(join(root, 'nope'), { catalog, adapters }), /no such results folder/);
});

test('with the registry, items are the benchmark\'s own (real reduce, chance level); unknown ids fall back visibly', async () => {
  const { BENCHMARKS } = await import('../../src/bench/registry.js');
  const { loadItems } = await import('../../src/bench/data.js');
  const bench = BENCHMARKS.find((b) => b.id === 'mmlu-pro');
  if (!bench) return; // registry without MMLU-Pro: nothing to check here
  const { items } = await loadItems(bench, {});
  const dir = join(root, 'reg');
  writeSyntheticRuns(dir, { models: ['sim/qwen2-7b-instruct'], benches: [{ id: 'mmlu-pro', items: items.length, trials: 1 }], p: () => 0.5 });
  // Rewrite the synthetic ids to the sample items' ids.
  const file = join(dir, runIdOf('sim/qwen2-7b-instruct', 'mmlu-pro'), 'samples.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  writeFileSync(file, lines.map((r, k) => JSON.stringify({ ...r, item_id: items[k]!.id })).join('\n') + '\n');
  const warnings: string[] = [];
  const res = await summarizeResults(dir, { catalog, onWarning: (w) => warnings.push(w) });
  const row = res.rows[0]!;
  assert.equal(row.group, 'SA');
  assert.equal(row.n, items.length);
  assert.ok(Math.abs(row.chance! - bench.chance(items, bench.defaultOptions)) < 1e-12);
  // The synthetic records predate both verdicts: rescored from their responses, and said so.
  assert.deepEqual(warnings, [`${runIdOf('sim/qwen2-7b-instruct', 'mmlu-pro')}: ${items.length} record(s) written before both extraction policies were kept: rescored from their stored responses (no request)`]);
  assert.equal(row.rescored, items.length);
  writeFileSync(file, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const res2 = await summarizeResults(dir, { catalog, onWarning: (w) => warnings.push(w) });
  assert.equal(res2.rows[0]!.chance, null);
  assert.ok(warnings.some((w) => /item ids not found among the loaded mmlu-pro items/.test(w)));
  assert.equal(res2.rows[0]!.n, items.length);
});

test('benchmarkMatrix lays tidy rows out for PCA (SA benchmarks first, NaN for a missing cell)', async () => {
  const res = await summarizeResults(join(root, 'a'), { catalog, adapters });
  const m = benchmarkMatrix(res.rows.filter((r) => !(r.model === 'mystery-model' && r.benchmark === 'mp')));
  assert.deepEqual(m.benchmarks, ['sa1', 'sa2', 'mu', 'mp']);
  assert.deepEqual(m.groups, ['SA', 'SA', 'MA-U', 'MA-P']);
  const k = m.models.indexOf('mystery-model');
  assert.ok(Number.isNaN(m.columns[3]![k]!));
  const p = pca(m.columns, m.benchmarks);
  assert.equal(p.dropped, 1);
  assert.equal(p.n, 3);
});
