/**
 * Confidence and prediction bands for a Fit.
 *  - delta: se_mean(x) = sqrt(g(x)ᵀ Σ g(x)) with g the gradient of the prediction in the
 *    fitted parameters and Σ their covariance (OLMo-ladder's get_std_errors); the prediction
 *    band adds the residual variance σ². Critical value t_{n-p}; for the linear forms this is
 *    exactly statsmodels' get_prediction().conf_int(obs=False / obs=True).
 *  - bootstrap: refit on resampled rows (or blocks), percentile band of the refitted curves;
 *    the prediction band adds to each refitted curve a residual drawn from the original fit,
 *    inflated by sqrt(n / (n - p)) for the degrees of freedom the fit used up.
 */
import { mulberry32 } from '../core/rng.js';
import { studentTQuantile } from './distributions.js';
import { fitForm, predictFit, predictionGradient, type Fit, type FitOptions } from './fits.js';
import { quantileSorted } from './quantile.js';

export interface BandOptions {
  /** Coverage (default 0.95). */
  level?: number;
  method?: 'delta' | 'bootstrap';
  /** 'confidence' (the mean curve, default) or 'prediction' (a new model's score). */
  interval?: 'confidence' | 'prediction';
  resamples?: number;
  seed?: number;
  /** Block labels, one per row of fit.x, for a family-block bootstrap. */
  blocks?: readonly string[];
  /** Options the fit was made with (the logistic floor), reused for the refits. */
  fitOptions?: FitOptions;
}

export interface BandPoint {
  x: number;
  fit: number;
  lower: number;
  upper: number;
}

export function fitBand(fit: Fit, xs: readonly number[], opts: BandOptions = {}): BandPoint[] {
  const level = opts.level ?? 0.95;
  const prediction = opts.interval === 'prediction';
  if ((opts.method ?? 'delta') === 'delta') {
    const t = studentTQuantile(1 - (1 - level) / 2, fit.df_resid);
    return xs.map((x) => {
      const g = predictionGradient(fit, x);
      let v = 0;
      for (let i = 0; i < g.length; i++) for (let j = 0; j < g.length; j++) v += g[i]! * fit.cov[i]![j]! * g[j]!;
      if (prediction) v += fit.sigma ** 2;
      const m = predictFit(fit, x);
      const h = t * Math.sqrt(v);
      return { x, fit: m, lower: m - h, upper: m + h };
    });
  }
  return bootstrapBand(fit, xs, level, prediction, opts);
}

function bootstrapBand(fit: Fit, xs: readonly number[], level: number, prediction: boolean, opts: BandOptions): BandPoint[] {
  const B = opts.resamples ?? 1000;
  const rng = mulberry32(opts.seed ?? 0);
  const n = fit.n;
  const fitOpts: FitOptions = { ...opts.fitOptions };
  if (fit.form === 'logistic') {
    if (fitOpts.floor === undefined) fitOpts.floor = fit.free.includes('floor') ? 'fit' : fit.params.floor!;
    fitOpts.start = fit.params;
  }
  const units: number[][] = opts.blocks ? groupRows(opts.blocks) : Array.from({ length: n }, (_, i) => [i]);
  const inflate = Math.sqrt(n / fit.df_resid);
  const curves: number[][] = xs.map(() => []);
  for (let b = 0; b < B; b++) {
    const rows: number[] = [];
    for (let k = 0; k < units.length; k++) rows.push(...units[rng.int(units.length)]!);
    let refit: Fit;
    try {
      refit = fitForm(fit.form, rows.map((i) => fit.x[i]!), rows.map((i) => fit.y[i]!), fitOpts);
    } catch {
      continue; // a resample with too few distinct x cannot be fitted: skipped
    }
    xs.forEach((x, k) => {
      let v = predictFit(refit, x);
      if (prediction) v += fit.residuals[rng.int(n)]! * inflate;
      curves[k]!.push(v);
    });
  }
  const alpha = (1 - level) / 2;
  return xs.map((x, k) => {
    const s = Float64Array.from(curves[k]!).sort();
    return { x, fit: predictFit(fit, x), lower: quantileSorted(s, alpha), upper: quantileSorted(s, 1 - alpha) };
  });
}

function groupRows(labels: readonly string[]): number[][] {
  const by = new Map<string, number[]>();
  labels.forEach((l, i) => {
    let list = by.get(l);
    if (!list) by.set(l, (list = []));
    list.push(i);
  });
  return [...by.values()];
}
