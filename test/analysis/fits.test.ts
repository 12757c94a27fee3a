import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitBand } from '../../src/analysis/bands.js';
import { adjustPValues } from '../../src/analysis/p-adjust.js';
import { compareForms, fitLinear, fitLog, fitLogistic, predictFit } from '../../src/analysis/fits.js';
import { assertClose, normals, reference, referenceSkip } from './reference.js';

const n = 41;
const sa = normals(n, 31).map((v) => Math.min(0.95, Math.max(0.05, 0.45 + 0.2 * v)));
const noise = normals(n, 32);
const maLog = sa.map((v, i) => 0.7 + 0.15 * Math.log(v) + 0.03 * noise[i]!);
const logParams = normals(n, 33).map((v) => 1 + 0.8 * v);
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const floor = 0.25;
const score = logParams.map((v, i) => floor + (1 - floor) * sig(2.2 * v - 2) + 0.04 * noise[i]!);

test('linear and log fits match statsmodels OLS: params, SEs, HC3, R², AIC/BIC, bands', { skip: referenceSkip }, () => {
  const xs = [0.1, 0.3, 0.6, 0.9];
  const [lin, lg] = reference([
    { op: 'ols', x: sa, y: maLog, xs },
    { op: 'ols', x: sa, y: maLog, xs, log: true },
  ]);
  for (const [fit, ref, name] of [[fitLinear(sa, maLog), lin, 'linear'], [fitLog(sa, maLog), lg, 'log']] as const) {
    assertClose(fit.params.a!, ref.params[0], 1e-8, `${name} a`);
    assertClose(fit.params.b!, ref.params[1], 1e-8, `${name} b`);
    assertClose(fit.se.a!, ref.bse[0], 1e-8, `${name} se a`);
    assertClose(fit.se.b!, ref.bse[1], 1e-8, `${name} se b`);
    assertClose(fit.hc3_se!.a!, ref.hc3[0], 1e-8, `${name} HC3 a`);
    assertClose(fit.hc3_se!.b!, ref.hc3[1], 1e-8, `${name} HC3 b`);
    assertClose(fit.r2, ref.r2, 1e-10, `${name} r2`);
    assertClose(fit.aic, ref.aic, 1e-9, `${name} aic`);
    assertClose(fit.bic, ref.bic, 1e-9, `${name} bic`);
    assertClose(fit.llf, ref.llf, 1e-9, `${name} llf`);
    fit.residuals.forEach((r, i) => assertClose(r, ref.resid[i], 1e-10, `${name} residual ${i}`));
    fit.leverage!.forEach((h, i) => assertClose(h, ref.leverage[i], 1e-10, `${name} leverage ${i}`));
    fit.cooks_distance!.forEach((d, i) => assertClose(d, ref.cooks[i], 1e-9, `${name} Cook's distance ${i}`));
    const conf = fitBand(fit, xs, { method: 'delta' });
    const pred = fitBand(fit, xs, { method: 'delta', interval: 'prediction' });
    xs.forEach((_, k) => {
      assertClose(conf[k]!.lower, ref.mean_ci[k][0], 1e-8, `${name} mean band low ${k}`);
      assertClose(conf[k]!.upper, ref.mean_ci[k][1], 1e-8, `${name} mean band high ${k}`);
      assertClose(pred[k]!.lower, ref.obs_ci[k][0], 1e-8, `${name} obs band low ${k}`);
      assertClose(pred[k]!.upper, ref.obs_ci[k][1], 1e-8, `${name} obs band high ${k}`);
    });
  }
});

test('logistic with a fixed chance floor matches scipy curve_fit (params 1e-4, SEs 1e-3)', { skip: referenceSkip }, () => {
  const fit = fitLogistic(logParams, score, { floor });
  const [ref] = reference([{ op: 'logistic', x: logParams, y: score, floor, p0: [1, 0] }]);
  assert.deepEqual(fit.free, ref.names);
  assertClose(fit.params.w!, ref.params[0], 1e-5, 'w');
  assertClose(fit.params.c!, ref.params[1], 1e-5, 'c');
  assertClose(fit.se.w!, ref.se[0], 1e-4, 'se w');
  assertClose(fit.se.c!, ref.se[1], 1e-4, 'se c');
  assertClose(fit.rss, ref.rss, 1e-9, 'rss');
  assert.equal(fit.params.floor, floor);
  assert.equal(fit.se.floor, undefined);
  assert.ok(fit.converged);
});

test('logistic with a fitted floor within bounds matches curve_fit with bounds', { skip: referenceSkip }, () => {
  const fit = fitLogistic(logParams, score, { floor: 'fit', floorBounds: [0, 0.5] });
  const xs = [-0.5, 0.8, 2.4];
  const [ref] = reference([{ op: 'logistic', x: logParams, y: score, floor: 'fit', bounds: [0, 0.5], p0: [0.2, 1, 0], xs }]);
  // Delta-method bands against curve_fit's covariance with a numerical gradient; the bands
  // inherit the optimisers' agreement on the parameters and SEs, hence 1e-5.
  const conf = fitBand(fit, xs, { method: 'delta' });
  const pred = fitBand(fit, xs, { method: 'delta', interval: 'prediction' });
  xs.forEach((_, k) => {
    assertClose(conf[k]!.lower, ref.band[k][0], 1e-5, `logistic band low ${k}`);
    assertClose(conf[k]!.upper, ref.band[k][1], 1e-5, `logistic band high ${k}`);
    assertClose(pred[k]!.lower, ref.pred_band[k][0], 1e-5, `logistic prediction band low ${k}`);
    assertClose(pred[k]!.upper, ref.pred_band[k][1], 1e-5, `logistic prediction band high ${k}`);
  });
  assert.deepEqual(fit.free, ['floor', 'w', 'c']);
  ['floor', 'w', 'c'].forEach((k, i) => {
    assertClose(fit.params[k]!, ref.params[i], 1e-4, k);
    assertClose(fit.se[k]!, ref.se[i], 1e-3, `se ${k}`);
  });
  assert.ok(fit.params.floor! > 0 && fit.params.floor! < 0.5);
});

test('fitted forms: AIC prefers the true form, predictions and residuals are consistent', () => {
  const cmp = compareForms(logParams, score, { floor });
  assert.equal(cmp.best, 'logistic');
  assert.equal(cmp.deltaAic.logistic, 0);
  const f = cmp.fits.logistic;
  f.x.forEach((v, i) => assert.ok(Math.abs(f.y[i]! - predictFit(f, v) - f.residuals[i]!) < 1e-12));
  assert.doesNotThrow(() => JSON.stringify(cmp));
  assert.ok(JSON.parse(JSON.stringify(f)).params.w === f.params.w);
});

test('bootstrap bands are reproducible and bracket the curve; delta band for the logistic too', () => {
  const fit = fitLogistic(logParams, score, { floor });
  const xs = [-0.5, 1, 2.5];
  const b1 = fitBand(fit, xs, { method: 'bootstrap', resamples: 200, seed: 9 });
  const b2 = fitBand(fit, xs, { method: 'bootstrap', resamples: 200, seed: 9 });
  assert.deepEqual(b1, b2);
  const d = fitBand(fit, xs, { method: 'delta' });
  const p = fitBand(fit, xs, { method: 'bootstrap', resamples: 200, seed: 9, interval: 'prediction' });
  xs.forEach((_, k) => {
    assert.ok(b1[k]!.lower < b1[k]!.fit && b1[k]!.fit < b1[k]!.upper);
    assert.ok(d[k]!.lower < d[k]!.fit && d[k]!.fit < d[k]!.upper);
    // Similar widths from the two methods (same curve, same data).
    const wb = b1[k]!.upper - b1[k]!.lower;
    const wd = d[k]!.upper - d[k]!.lower;
    assert.ok(wb / wd > 0.5 && wb / wd < 2, `bootstrap ${wb} vs delta ${wd}`);
    assert.ok(p[k]!.upper - p[k]!.lower > wb);
  });
});

test('fit edge cases: n = 3 line is exact enough, constant x is an error, NaN rows and x <= 0 are dropped', () => {
  const f = fitLinear([1, 2, 3], [2, 4.1, 5.9]);
  assert.equal(f.n, 3);
  assert.equal(f.df_resid, 1);
  assert.throws(() => fitLinear([2, 2, 2, 2], [1, 2, 3, 4], { names: ['sa', 'ma_u'] }), /'sa' is constant/);
  const g = fitLog([0, 0.2, NaN, 0.5, 0.7, 0.9], [0.1, 0.3, 0.5, 0.4, 0.6, 0.7]);
  assert.equal(g.n, 4);
  assert.equal(g.dropped, 2);
  assert.throws(() => fitLogistic([1, 2, 3], [0.3, 0.5, 0.7], { floor: 'fit' }), /at least 4 complete rows/);
});

test('Holm and Benjamini-Hochberg adjustments match statsmodels multipletests', { skip: referenceSkip }, () => {
  const p = [0.01, 0.04, 0.03, 0.2, 0.001, 0.04, 0.5, 0.9];
  const [ref] = reference([{ op: 'padjust', p }]);
  adjustPValues(p, 'holm').forEach((v, i) => assertClose(v, ref.holm[i], 1e-12, `holm ${i}`));
  adjustPValues(p, 'bh').forEach((v, i) => assertClose(v, ref.bh[i], 1e-12, `bh ${i}`));
  const withNaN = adjustPValues([0.01, NaN, 0.02], 'holm');
  assert.ok(Number.isNaN(withNaN[1]!));
  assert.equal(withNaN[0], 0.02);
});
