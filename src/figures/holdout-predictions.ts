import { MasaError } from '../core/errors.js';
import type { Group } from '../bench/types.js';
import { fitBand } from '../analysis/bands.js';
import { fitLinear } from '../analysis/fits.js';
import { log10Size, sizeCutoffHoldout } from '../analysis/scaling.js';
import { shortName, type FigureData } from './figure-data.js';
import { axis, baseLayout, familyOrder, fmt, GROUP_COLOURS, GROUPS, translucent } from './palette.js';
import type { FigureSpec } from './spec.js';

const KEYS: Record<Group, 'sa' | 'ma_u' | 'ma_p'> = { SA: 'sa', 'MA-U': 'ma_u', 'MA-P': 'ma_p' };
const FAMILY_SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'star'];

export interface HoldoutPoint {
  group: Group;
  family: string;
  model: string;
  params_b: number;
  measured: number;
  predicted: number;
  /** 95% prediction interval of the small-model fit at this size. */
  lower: number;
  upper: number;
}

export interface HoldoutSummary {
  group: Group;
  family: string;
  n_train: number;
  n_test: number;
  mae: number;
  rmse: number;
  /** Share of held-out models whose measured score lies in the 95% prediction interval. */
  coverage: number;
}

/** Default cutoff: the size below which two thirds of the models lie (billions). */
export function defaultCutoff(params: readonly number[]): number {
  const s = [...params].filter((p) => p > 0).sort((a, b) => a - b);
  return s[Math.floor((2 / 3) * (s.length - 1))]!;
}

/**
 * Fits score = a + b·log10(params) per family on models at or below the cutoff and predicts
 * the larger ones (analysis' size-cutoff holdout), with the fit's 95% prediction interval.
 */
export function holdoutPoints(data: FigureData, opts: { cutoffB?: number } = {}): { cutoffB: number; points: HoldoutPoint[]; summaries: HoldoutSummary[] } {
  const models = data.models.filter((m) => typeof m.params_b === 'number' && m.params_b > 0);
  const cutoffB = opts.cutoffB ?? defaultCutoff(models.map((m) => m.params_b!));
  const cut = Math.log10(cutoffB);
  const points: HoldoutPoint[] = [];
  const summaries: HoldoutSummary[] = [];
  for (const group of GROUPS) {
    const key = KEYS[group];
    for (const family of familyOrder(models.map((m) => m.family))) {
      const fam = models.filter((m) => m.family === family && m[key] !== null);
      const x = log10Size(fam.map((m) => m.params_b));
      const y = fam.map((m) => m[key] as number);
      const train = fam.map((_, i) => i).filter((i) => x[i]! <= cut);
      if (train.length < 3 || train.length === fam.length || new Set(train.map((i) => x[i])).size < 2) continue;
      const result = sizeCutoffHoldout(x, y, cut, 'linear');
      const fit = fitLinear(train.map((i) => x[i]!), train.map((i) => y[i]!));
      const band = fitBand(fit, result.predictions.map((p) => p.x), { interval: 'prediction' });
      let covered = 0;
      result.predictions.forEach((p, k) => {
        const m = fam[p.index]!;
        const b = band[k]!;
        if (p.y >= b.lower && p.y <= b.upper) covered++;
        points.push({ group, family, model: m.model, params_b: m.params_b!, measured: p.y, predicted: p.predicted, lower: b.lower, upper: b.upper });
      });
      summaries.push({ group, family, n_train: result.nTrain, n_test: result.nTest, mae: result.mae, rmse: result.rmse, coverage: covered / result.nTest });
    }
  }
  return { cutoffB, points, summaries };
}

/** Held-out check of the size trend: predicted (from small models) against measured, for the large models. */
export function holdoutPredictions(data: FigureData, opts: { cutoffB?: number } = {}): FigureSpec {
  const { cutoffB, points, summaries } = holdoutPoints(data, opts);
  if (points.length === 0) throw new MasaError(`held-out predictions: no family has 3 models of at most ${cutoffB}B (of two sizes) and one larger`);
  const families = familyOrder(points.map((p) => p.family));
  const traces: Array<Record<string, unknown>> = [];
  for (const group of GROUPS) {
    for (const family of families) {
      const pts = points.filter((p) => p.group === group && p.family === family);
      if (pts.length === 0) continue;
      const s = summaries.find((x) => x.group === group && x.family === family)!;
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: `${group} · ${family} (MAE ${fmt(s.mae)}, ${s.n_test} held out)`,
        x: pts.map((p) => p.measured),
        y: pts.map((p) => p.predicted),
        error_y: { type: 'data', symmetric: false, array: pts.map((p) => p.upper - p.predicted), arrayminus: pts.map((p) => p.predicted - p.lower), color: translucent(GROUP_COLOURS[group], 0.45), thickness: 1, width: 2 },
        text: pts.map((p) => `${shortName(p.model)} (${p.params_b}B)`),
        hovertemplate: '%{text}<br>measured %{x:.3f}, predicted %{y:.3f}<extra></extra>',
        marker: { color: GROUP_COLOURS[group], symbol: FAMILY_SYMBOLS[families.indexOf(family) % FAMILY_SYMBOLS.length], size: 10, line: { width: 0.8, color: '#fff' } },
      });
    }
  }
  // Axes span the points (not the whole bands) so clusters stay readable; bars may run off.
  const vals = points.flatMap((p) => [p.measured, p.predicted]);
  const span = Math.max(...vals) - Math.min(...vals) || 0.1;
  const lo = Math.min(...vals) - 0.12 * span;
  const hi = Math.max(...vals) + 0.12 * span;
  traces.push({ type: 'scatter', mode: 'lines', name: 'predicted = measured', x: [lo, hi], y: [lo, hi], line: { color: '#888', dash: 'dash', width: 1.2 }, hoverinfo: 'skip' });
  return {
    name: 'fig9-holdout-predictions',
    title: `Fit on small models (≤ ${cutoffB}B), predict the large ones`,
    data: traces,
    layout: baseLayout({
      xaxis: axis('measured accuracy', { range: [lo, hi] }),
      yaxis: axis('predicted from the small-model fit', { range: [lo, hi] }),
      legend: { x: 1.02, y: 1 },
      margin: { l: 80, r: 30, t: 90, b: 60 },
    }),
    width: 1000,
    height: 620,
    synthetic: data.synthetic,
    caption: `Each family's trend score = a + b·log10(params), fitted on its models of at most ${cutoffB}B parameters, predicts its larger models; bars are 95% prediction intervals and points on the dashed line were predicted exactly.`,
    stats: { cutoff_b: cutoffB, points, summaries },
  };
}
