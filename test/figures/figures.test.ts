import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elasticity } from '../../src/analysis/elasticity.js';
import { fitLinear, fitLog } from '../../src/analysis/fits.js';
import { generationDeltas, generationMeans } from '../../src/analysis/generation-deltas.js';
import { pca } from '../../src/analysis/pca.js';
import type { ScoreRecord } from '../../src/analysis/load-scores.js';
import { accuracyHeatmap } from '../../src/figures/accuracy-heatmap.js';
import { FIGURE_BUILDERS, buildFigures } from '../../src/figures/all-figures.js';
import { benchmarkGroupsTable } from '../../src/figures/benchmark-groups-table.js';
import { elasticityIntervals } from '../../src/figures/elasticity-intervals.js';
import { extractionPolicies } from '../../src/figures/extraction-policies.js';
import { figureData, groupChance } from '../../src/figures/figure-data.js';
import { generationDeltasTable } from '../../src/figures/generation-deltas-table.js';
import { generationTrends } from '../../src/figures/generation-trends.js';
import { holdoutPredictions } from '../../src/figures/holdout-predictions.js';
import { pcaLoadings } from '../../src/figures/pca-loadings.js';
import { saVsMa } from '../../src/figures/sa-vs-ma.js';
import { scoresVsParams } from '../../src/figures/scores-vs-params.js';
import { SYNTHETIC_MARK, withTitle } from '../../src/figures/spec.js';
import { FIXTURE_BENCHMARKS, fixtureRecords } from './fixture.js';

const data = figureData(fixtureRecords({ seed: 7 }), 'fixture');
type Trace = Record<string, unknown> & { x?: unknown[]; y?: unknown[]; name?: string };
const traces = (spec: { data: Array<Record<string, unknown>> }): Trace[] => spec.data as Trace[];
const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('figure data: group scores, benchmark order, chance levels and the synthetic flag', () => {
  assert.equal(data.models.length, 39);
  assert.deepEqual(data.benchmarks.map((b) => b.group), ['SA', 'SA', 'SA', 'SA', 'MA-U', 'MA-U', 'MA-P']);
  assert.equal(data.synthetic, true);
  close(groupChance(data.benchmarks, 'MA-P')!, 0.227);
  close(groupChance(data.benchmarks, 'SA')!, (0 + 0 + 0.1 + 0.25) / 4);
  const real = figureData(fixtureRecords({ seed: 7, synthetic: false }), 'fixture');
  assert.equal(real.synthetic, false);
  // Chance unknown for one member: the group's chance is unknown, not a guess.
  const partial = figureData(fixtureRecords({ seed: 7 }).map((r) => (r.benchmark === 'emobench' ? { ...r, chance: null } : r)));
  assert.equal(groupChance(partial.benchmarks, 'MA-U'), null);
});

test('every figure from simulated models carries the synthetic mark; real data does not', () => {
  const set = buildFigures(data, { seed: 1, resamples: 200 });
  assert.deepEqual(set.skipped, []);
  assert.deepEqual(set.figures.map((f) => f.name), FIGURE_BUILDERS.map((b) => b.name));
  for (const f of set.figures) {
    assert.equal(f.synthetic, true, f.name);
    assert.match(JSON.stringify(withTitle(f).layout), new RegExp(SYNTHETIC_MARK.replace(/[()]/g, '\\$&')), f.name);
    assert.ok(f.caption.length > 40 && f.caption.split(/[.;] /).length <= 4, `${f.name}: caption is one or two sentences`);
  }
  const real = buildFigures(figureData(fixtureRecords({ seed: 7, synthetic: false })), { resamples: 200 });
  for (const f of real.figures) assert.doesNotMatch(JSON.stringify(withTitle(f).layout), /SYNTHETIC/, f.name);
});

test('benchmark groups table: one row per benchmark with its group, items and chance', () => {
  const spec = benchmarkGroupsTable(data);
  const cells = (spec.data[0] as { cells: { values: string[][] } }).cells.values;
  assert.equal(cells[0]!.length, FIXTURE_BENCHMARKS.length);
  const ids = data.benchmarks.map((b) => b.id);
  for (const b of FIXTURE_BENCHMARKS) {
    const k = ids.indexOf(b.id);
    assert.equal(cells[1]![k], b.group);
    assert.equal(cells[3]![k], String(b.n));
    assert.equal(cells[5]![k], b.chance.toFixed(3));
  }
  assert.equal(cells[2]![ids.indexOf('coordinationqa')], 'planning');
  assert.equal(cells[4]![ids.indexOf('humaneval')], 'pass@1');
});

test('generation trends: one line per family and group through the generation means', () => {
  const spec = generationTrends(data);
  const means = generationMeans(data.models);
  const qwenSa = traces(spec).find((t) => t.name?.startsWith('SA') && t.xaxis === 'x')!;
  const expected = means.filter((m) => m.family === 'Qwen');
  assert.deepEqual(qwenSa.x, expected.map((m) => m.generation));
  (qwenSa.y as number[]).forEach((v, i) => close(v, expected[i]!.sa!));
  const text = qwenSa.text as string[];
  assert.equal(text[0], expected[0]!.sa!.toFixed(2));
  assert.equal(text[text.length - 1], expected[expected.length - 1]!.sa!.toFixed(2));
  assert.ok(text.slice(1, -1).every((t) => t === ''));
  assert.equal(traces(spec).length, 6); // 2 families x 3 groups
});

test('SA vs MA: one point per model in the right panel, the log fit, its band, R² and chance lines', () => {
  const spec = saVsMa(data);
  const pts = traces(spec).filter((t) => t.mode === 'markers');
  const left = pts.filter((t) => t.xaxis === 'x');
  assert.equal(left.reduce((s, t) => s + t.x!.length, 0), data.models.length);
  const byName = new Map(data.models.map((m) => [m.model.replace(/^sim\//, ''), m]));
  for (const t of left) {
    (t.text as string[]).forEach((name, i) => {
      const m = byName.get(name)!;
      assert.equal(t.name, m.generation);
      close(t.x![i] as number, m.sa!);
      close(t.y![i] as number, m.ma_u!);
    });
  }
  const fit = fitLog(data.models.map((m) => m.sa), data.models.map((m) => m.ma_p));
  const stats = spec.stats as { fits: Array<{ y: string; a: number; b: number; r2: number }> };
  const s = stats.fits.find((f) => f.y === 'ma_p')!;
  close(s.a, fit.params.a!);
  close(s.b, fit.params.b!);
  close(s.r2, fit.r2);
  const line = traces(spec).find((t) => t.name === 'log fit' && t.xaxis === 'x2')!;
  (line.x as number[]).forEach((x, i) => close(line.y![i] as number, fit.params.a! + fit.params.b! * Math.log(x)));
  const band = traces(spec).find((t) => t.fill === 'toself' && t.xaxis === 'x2')!;
  const k = (band.x as number[]).length / 2;
  for (let i = 0; i < k; i++) assert.ok((band.y![i] as number) >= (line.y![i] as number) && (band.y![2 * k - 1 - i] as number) <= (line.y![i] as number));
  const notes = JSON.stringify(spec.layout.annotations);
  assert.match(notes, new RegExp(`R² = ${fit.r2.toFixed(2)}`));
  const shapes = spec.layout.shapes as Array<{ y0: number; yref: string; x0: number; xref: string }>;
  assert.ok(shapes.some((sh) => sh.yref === 'y2' && Math.abs(sh.y0 - 0.227) < 1e-12), 'MA-P chance line');
  assert.ok(shapes.some((sh) => sh.xref === 'x' && Math.abs(sh.x0 - 0.0875) < 1e-12), 'SA chance line');
});

test('SA vs MA recovers an exact log relation (R² = 1)', () => {
  const recs: ScoreRecord[] = [];
  [0.2, 0.3, 0.45, 0.6, 0.8].forEach((sa, i) => {
    const base = { model: `m${i}`, family: 'F', generation: 'G1', generation_rank: 1, params_b: 2 ** i, synthetic: false, n: 100, stderr: 0.01, chance: 0.25 };
    recs.push({ ...base, benchmark: 'sa1', group: 'SA', accuracy: sa });
    recs.push({ ...base, benchmark: 'mu1', group: 'MA-U', accuracy: 0.6 + 0.2 * Math.log(sa) });
    recs.push({ ...base, benchmark: 'mp1', group: 'MA-P', accuracy: 0.3 - 0.05 * Math.log(sa) });
  });
  const spec = saVsMa(figureData(recs));
  const fits = (spec.stats as { fits: Array<{ y: string; a: number; b: number; r2: number }> }).fits;
  close(fits[0]!.a, 0.6, 1e-9);
  close(fits[0]!.b, 0.2, 1e-9);
  close(fits[0]!.r2, 1, 1e-9);
  close(fits[1]!.b, -0.05, 1e-9);
  assert.equal(spec.synthetic, false);
});

test('scores vs params: log x axis, per-family fits of score on log10 params', () => {
  const spec = scoresVsParams(data);
  assert.equal((spec.layout.xaxis as { type: string }).type, 'log');
  const fits = (spec.stats as { fits: Array<{ group: string; family: string; b: number; r2: number }> }).fits;
  assert.equal(fits.length, 6);
  const llama = data.models.filter((m) => m.family === 'Llama');
  const ref = fitLinear(llama.map((m) => Math.log10(m.params_b!)), llama.map((m) => m.ma_u));
  const f = fits.find((x) => x.group === 'MA-U' && x.family === 'Llama')!;
  close(f.b, ref.params.b!);
  close(f.r2, ref.r2);
  const line = traces(spec).find((t) => t.name === 'Llama fit' && t.xaxis === 'x2')!;
  (line.x as number[]).forEach((x, i) => close(line.y![i] as number, ref.params.a! + ref.params.b! * Math.log10(x), 1e-9));
});

test('heatmap: each cell is the model-benchmark accuracy, models in family/generation/size order', () => {
  const spec = accuracyHeatmap(data);
  const st = spec.stats as { models: string[]; benchmarks: string[]; z: Array<Array<number | null>> };
  const acc = new Map(data.tidy.map((r) => [`${r.model}|${r.benchmark}`, r.accuracy]));
  st.models.forEach((m, i) => st.benchmarks.forEach((b, j) => assert.equal(st.z[i]![j], acc.get(`${m}|${b}`))));
  assert.equal(st.models.length, 39);
  const first = data.models.find((m) => m.model === st.models[0])!;
  assert.equal(first.family, 'Qwen');
  assert.equal(first.generation_rank, Math.min(...data.models.filter((m) => m.family === 'Qwen').map((m) => m.generation_rank!)));
  assert.deepEqual((spec.data[0] as { y: string[] }).y[0], st.models[0]!.replace('sim/', ''));
});

test('generation-delta table: rows per family and size class with the analysis deltas', () => {
  const spec = generationDeltasTable(data);
  const deltas = generationDeltas(data.models);
  const values = (spec.data[0] as { cells: { values: string[][] } }).cells.values;
  const rowKeys = new Set(deltas.map((d) => `${d.family}|${d.size_class}`));
  assert.equal(values[0]!.length, rowKeys.size);
  const qa = deltas.find((d) => d.family === 'Qwen' && d.size_class === 'all' && d.metric === 'sa')!;
  const row = values[0]!.findIndex((f, i) => f === 'Qwen' && values[1]![i] === 'all sizes');
  assert.match(values[3]![row]!, new RegExp(`${qa.from.toFixed(2)} → ${qa.to.toFixed(2)}`));
  assert.match(values[3]![row]!, new RegExp(`\\[${qa.ci[0].toFixed(2)}, ${qa.ci[1].toFixed(2)}\\]`));
  assert.equal(values[2]![row], `${qa.from_generation} → ${qa.to_generation}`);
});

test('elasticity: slopes and intervals are the analysis elasticities', () => {
  const spec = elasticityIntervals(data, { seed: 3, resamples: 300 });
  const rows = (spec.stats as { rows: Array<{ metric: string; subset: string; slope: number; ci: number[] }> }).rows;
  assert.equal(rows.length, 6);
  const ref = elasticity(data.models.map((m) => m.sa), data.models.map((m) => m.ma_p), { seed: 3, resamples: 300 });
  const r = rows.find((x) => x.metric === 'ma_p' && x.subset === 'all models')!;
  close(r.slope, ref.slope);
  assert.deepEqual(r.ci, ref.bootstrap.bca);
  assert.ok(r.ci[0]! <= r.slope && r.slope <= r.ci[1]!);
  const shapes = spec.layout.shapes as Array<{ x0: number }>;
  assert.ok(shapes.some((s) => s.x0 === 1), 'reference line at slope 1');
});

test('PCA loadings: bars are the analysis loadings, legend gives explained variance', () => {
  const spec = pcaLoadings(data);
  const ids = data.benchmarks.map((b) => b.id);
  const acc = new Map(data.tidy.map((r) => [`${r.model}|${r.benchmark}`, r.accuracy]));
  const ref = pca(ids.map((b) => data.models.map((m) => acc.get(`${m.model}|${b}`) ?? null)), ids);
  const t = traces(spec);
  assert.equal(t.length, 3);
  (t[0]!.y as number[]).forEach((v, j) => close(v, ref.loadings[0]![j]!));
  assert.match(t[0]!.name!, new RegExp(`PC1 \\(${(100 * ref.explained_ratio[0]!).toFixed(0)}% of variance\\)`));
});

test('held-out predictions: only models above the cutoff, predicted by the small-model fit', () => {
  const spec = holdoutPredictions(data, { cutoffB: 20 });
  const st = spec.stats as { cutoff_b: number; points: Array<{ group: string; family: string; model: string; params_b: number; measured: number; predicted: number; lower: number; upper: number }> };
  assert.equal(st.cutoff_b, 20);
  assert.ok(st.points.length > 0 && st.points.every((p) => p.params_b > 20));
  const qwen = data.models.filter((m) => m.family === 'Qwen');
  const small = qwen.filter((m) => m.params_b! <= 20);
  const fit = fitLinear(small.map((m) => Math.log10(m.params_b!)), small.map((m) => m.sa));
  for (const p of st.points.filter((x) => x.group === 'SA' && x.family === 'Qwen')) {
    close(p.predicted, fit.params.a! + fit.params.b! * Math.log10(p.params_b), 1e-9);
    close(p.measured, qwen.find((m) => m.model === p.model)!.sa!);
    assert.ok(p.lower < p.predicted && p.predicted < p.upper);
  }
  assert.equal(st.points.filter((x) => x.group === 'SA' && x.family === 'Qwen').length, qwen.length - small.length);
});

test('too few models: figures that cannot be computed are skipped with a reason, never drawn empty', () => {
  const few = figureData(fixtureRecords({ seed: 7, models: 3 }));
  const set = buildFigures(few, { resamples: 200 });
  assert.ok(set.skipped.length > 0);
  for (const s of set.skipped) assert.ok(s.reason.length > 0);
  for (const f of set.figures) assert.ok(f.data.length > 0);
});

test('a run with no scored item is left out (empty heatmap cell), not drawn as accuracy 0', () => {
  const recs = fixtureRecords({ seed: 7 }).map((r) => (r.model === 'sim/llama-2-7b-chat' && r.benchmark === 'math500' ? { ...r, n: 0, accuracy: 0, stderr: 0 } : r));
  const d = figureData(recs);
  assert.deepEqual(d.unscored, [{ model: 'sim/llama-2-7b-chat', benchmark: 'math500' }]);
  const st = accuracyHeatmap(d).stats as { models: string[]; benchmarks: string[]; z: Array<Array<number | null>> };
  assert.equal(st.z[st.models.indexOf('sim/llama-2-7b-chat')]![st.benchmarks.indexOf('math500')], null);
  const m = d.models.find((x) => x.model === 'sim/llama-2-7b-chat')!;
  assert.equal(m.sa_benchmarks.includes('math500'), false);
  assert.equal(d.benchmarks.find((b) => b.id === 'math500')!.items, 500);
});

test('a scores table without chance and generation_rank columns still draws: ranks from release dates, no chance lines', () => {
  const recs = fixtureRecords({ seed: 7 }).map(({ chance: _c, generation_rank: _g, ...rest }) => rest);
  const d = figureData(recs);
  const llama2 = d.models.find((m) => m.generation === 'Llama-2')!;
  const llama33 = d.models.find((m) => m.generation === 'Llama-3.3')!;
  assert.equal(llama2.generation_rank, 1);
  assert.equal(llama33.generation_rank, 5);
  assert.equal(groupChance(d.benchmarks, 'MA-P'), null);
  const spec = saVsMa(d);
  assert.equal((spec.layout.shapes as unknown[]).length, 0);
  assert.equal(buildFigures(d, { resamples: 200 }).figures.length, FIGURE_BUILDERS.length);
});

test('extraction-policies figure: one panel per benchmark, both parsers per model, nothing without the columns', () => {
  const spec = extractionPolicies(data);
  assert.equal(spec.name, 'fig10-extraction-policies');
  const ups = traces(spec).filter((t) => t.name === 'upstream parser');
  const robs = traces(spec).filter((t) => t.name === 'robust parser');
  assert.equal(ups.length, 7);
  assert.equal(robs.length, 7);
  // The coordinationqa panel shows each model's two columns from the table.
  const k = data.benchmarks.findIndex((b) => b.id === 'coordinationqa');
  const recs = fixtureRecords({ seed: 7 }).filter((r) => r.benchmark === 'coordinationqa');
  const first = recs.find((r) => r.model === data.models[0]!.model)!;
  const row = (robs[k]!.y as string[]).indexOf(String(first.model).replace(/^sim\//, ''));
  close((ups[k]!.x as number[])[row]!, first.accuracy_upstream as number);
  close((robs[k]!.x as number[])[row]!, first.accuracy_robust as number);
  const stats = spec.stats!.benchmarks as Record<string, { mean_difference: number }>;
  assert.ok(stats.coordinationqa!.mean_difference > 0);
  const without = figureData(fixtureRecords({ seed: 7, policies: false }));
  assert.equal(without.policyTidy, null);
  assert.equal(extractionPolicies(without).data.length, 0);
  assert.ok(buildFigures(without, { resamples: 200 }).skipped.some((s) => s.name === 'fig10-extraction-policies'));
});
