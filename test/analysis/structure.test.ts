import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elasticity } from '../../src/analysis/elasticity.js';
import { fitLinear, fitLogistic, predictFit } from '../../src/analysis/fits.js';
import { DEFAULT_SIZE_CLASSES, generationDeltas, generationMeans, sizeClassOf, type GenerationModel } from '../../src/analysis/generation-deltas.js';
import { pca } from '../../src/analysis/pca.js';
import { cutoffCurve, leaveOneFamilyOut, log10Size, scalingFits, sizeCutoffHoldout } from '../../src/analysis/scaling.js';
import { studentTCdf } from '../../src/analysis/distributions.js';
import { assertClose, normals, reference, referenceSkip } from './reference.js';

const n = 41;
const sa = normals(n, 41).map((v) => 0.5 + 0.15 * v);
const ma = sa.map((v, i) => 0.2 + 0.4 * v + 0.05 * normals(n, 42)[i]!);

test('elasticity: slope, SE and HC3 SE match statsmodels; one-sided test of slope < 1', { skip: referenceSkip }, () => {
  const e = elasticity(sa, ma, { resamples: 1000, seed: 1 });
  const [ref] = reference([{ op: 'ols', x: sa, y: ma, xs: [0.5] }]);
  assertClose(e.slope, ref.params[1], 1e-9, 'slope');
  assertClose(e.intercept, ref.params[0], 1e-9, 'intercept');
  assertClose(e.se, ref.bse[1], 1e-9, 'se');
  assertClose(e.hc3_se, ref.hc3[1], 1e-9, 'hc3 se');
  assertClose(e.p_below_1, studentTCdf((ref.params[1] - 1) / ref.bse[1], n - 2), 1e-12, 'p below 1');
  assert.ok(e.p_below_1 < 0.001 && e.p_below_1_bootstrap < 0.01);
  assert.ok(e.ci_analytic[1] < 1 && e.bootstrap.percentile[1] < 1);
  // A slope of about 1.5 is not below 1.
  const steep = elasticity(sa, sa.map((v, i) => 1.5 * v + 0.02 * normals(n, 43)[i]!), { resamples: 500 });
  assert.ok(steep.p_below_1 > 0.99);
});

test('PCA matches numpy eigen-decomposition of the correlation matrix (sign: coefficients sum positive)', { skip: referenceSkip }, () => {
  const g = normals(n, 51);
  const cols = [0, 1, 2, 3, 4].map((j) => g.map((v, i) => (j < 3 ? 0.8 : 0.2) * v + 0.5 * normals(n, 60 + j)[i]!));
  cols[1]![7] = NaN;
  const r = pca(cols, ['a', 'b', 'c', 'd', 'e']);
  const m = g.map((_, i) => cols.map((c) => (Number.isFinite(c[i]!) ? c[i]! : null)));
  const [ref] = reference([{ op: 'pca', m }]);
  assert.equal(r.n, 40);
  assert.equal(r.dropped, 1);
  r.eigenvalues.forEach((v, k) => assertClose(v, ref.values[k], 1e-9, `eigenvalue ${k}`));
  r.explained_ratio.forEach((v, k) => assertClose(v, ref.ratio[k], 1e-9, `ratio ${k}`));
  r.components.forEach((comp, k) => comp.forEach((w, j) => assertClose(w, ref.vectors[j][k], 1e-7, `component ${k} col ${j}`)));
  r.scores.slice(0, 5).forEach((row, i) => row.forEach((s, k) => assertClose(s, ref.scores[i][k], 1e-7, `score ${i},${k}`)));
  // The three strongly loaded columns dominate PC1; loadings are correlations (|l| <= 1).
  assert.ok(r.loadings[0]!.slice(0, 3).every((l) => l > 0.7));
  assert.ok(r.loadings.flat().every((l) => Math.abs(l) <= 1 + 1e-12));
  assert.throws(() => pca([cols[0]!, cols[0]!.map(() => 1)], ['a', 'flat']), /'flat' is constant/);
});

const families = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'Llama' : 'Qwen'));
const params = normals(n, 71).map((v) => 10 ** (1 + 0.7 * v));
const lx = log10Size(params);
const score = lx.map((v, i) => 0.25 + 0.75 / (1 + Math.exp(-(2 * v - 2))) + 0.03 * normals(n, 72)[i]! + (families[i] === 'Llama' ? -0.03 : 0));

test('scaling fits pooled and per family on log10 params', () => {
  const res = scalingFits({ size: params, score, family: families }, ['linear', 'logistic'], { floor: 0.25 });
  assert.deepEqual(res.map((r) => r.subset), ['pooled', 'Llama', 'Qwen']);
  const pooled = res[0]!;
  assert.equal(pooled.n, n);
  assertClose(pooled.fits.linear!.params.b!, fitLinear(lx, score).params.b!, 1e-12, 'pooled linear = direct fit');
  assertClose(pooled.fits.logistic!.params.w!, fitLogistic(lx, score, { floor: 0.25 }).params.w!, 1e-9, 'pooled logistic');
  assert.ok(pooled.fits.logistic!.aic < pooled.fits.linear!.aic);
  assert.equal(res[1]!.n, families.filter((f) => f === 'Llama').length);
  const tiny = scalingFits({ size: [1, 2, 3], score: [0.3, 0.4, 0.5], family: ['A', 'A', 'B'] }, ['linear']);
  assert.match(tiny[2]!.errors.linear!, /at least 3/);
});

test('leave-one-family-out and size-cutoff holdouts predict from fits on the rest', () => {
  const lofo = leaveOneFamilyOut(lx, score, families, 'linear');
  assert.deepEqual(lofo.map((r) => r.heldOut), ['Llama', 'Qwen']);
  const llama = lofo[0]!;
  const train = families.map((_, i) => i).filter((i) => families[i] !== 'Llama');
  const fit = fitLinear(train.map((i) => lx[i]!), train.map((i) => score[i]!));
  llama.predictions.forEach((p) => assertClose(p.predicted, predictFit(fit, lx[p.index]!), 1e-12, 'lofo prediction'));
  const mae = llama.predictions.reduce((s, p) => s + Math.abs(p.predicted - p.y), 0) / llama.nTest;
  assertClose(llama.mae, mae, 1e-12, 'mae');
  const cut = sizeCutoffHoldout(lx, score, 1.2, 'logistic', { floor: 0.25 });
  assert.equal(cut.nTrain + cut.nTest, n);
  assert.ok(cut.predictions.every((p) => p.x > 1.2));
  const curve = cutoffCurve(lx, score, 'linear');
  assert.ok(curve.length > 10);
  assert.ok(curve.every((c, k) => k === 0 || c.nTrain >= curve[k - 1]!.nTrain));
  assert.throws(() => leaveOneFamilyOut(lx, score, families.map(() => 'One')), /at least 2 families/);
});

function model(family: string, generation: string, rank: number, params: number, sa: number, mu: number, mp: number | null, se = 0.01): GenerationModel {
  return { model: `${family}-${generation}-${params}`, family, generation, generation_rank: rank, params_b: params, sa, sa_stderr: se, ma_u: mu, ma_u_stderr: se, ma_p: mp, ma_p_stderr: mp === null ? null : se };
}

test('generation deltas: earliest vs latest generation per family and size class, with intervals', () => {
  const models = [
    model('Qwen', 'Q1', 1, 1.8, 0.2, 0.4, 0.25),
    model('Qwen', 'Q1', 1, 72, 0.4, 0.5, 0.3),
    model('Qwen', 'Q2', 2, 7, 0.5, 0.5, 0.28),
    model('Qwen', 'Q3', 3, 1.5, 0.5, 0.45, 0.22),
    model('Qwen', 'Q3', 3, 72, 0.8, 0.6, null),
    model('Llama', 'L2', 1, 7, 0.1, 0.3, 0.2),
  ];
  const d = generationDeltas(models);
  const all = d.find((x) => x.family === 'Qwen' && x.size_class === 'all' && x.metric === 'sa')!;
  assert.equal(all.from_generation, 'Q1');
  assert.equal(all.to_generation, 'Q3');
  assertClose(all.from, 0.3, 1e-12, 'from mean');
  assertClose(all.to, 0.65, 1e-12, 'to mean');
  assertClose(all.delta, 0.35, 1e-12, 'delta');
  assertClose(all.se, Math.sqrt(2 * (Math.sqrt(2 * 0.01 ** 2) / 2) ** 2), 1e-12, 'se');
  assertClose(all.ci[1] - all.delta, 1.959963984540054 * all.se, 1e-9, 'ci');
  const mp = d.find((x) => x.family === 'Qwen' && x.size_class === 'all' && x.metric === 'ma_p')!;
  assert.deepEqual(mp.to_models, ['Qwen-Q3-1.5'], 'a model without the metric is left out of its cell');
  const big = d.find((x) => x.family === 'Qwen' && x.size_class === '>=40B' && x.metric === 'sa')!;
  assertClose(big.delta, 0.4, 1e-12, '>=40B delta');
  assert.ok(!d.some((x) => x.family === 'Llama'), 'one generation: no delta');
  assert.equal(sizeClassOf(2.9), '<3B');
  assert.equal(sizeClassOf(400), DEFAULT_SIZE_CLASSES[3]!.name);
  const means = generationMeans(models);
  assert.deepEqual(means.filter((m) => m.family === 'Qwen').map((m) => m.models), [2, 1, 2]);
});
