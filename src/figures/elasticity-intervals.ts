import { MasaError } from '../core/errors.js';
import { elasticity, type Elasticity } from '../analysis/elasticity.js';
import type { FigureData } from './figure-data.js';
import { axis, baseLayout, familyOrder, fmt, GROUP_COLOURS } from './palette.js';
import type { FigureSpec } from './spec.js';

export interface ElasticityRow {
  metric: 'ma_u' | 'ma_p';
  subset: string;
  result: Elasticity;
  /** The interval drawn: BCa, or percentile when BCa is undefined. */
  ci: [number, number];
  ci_method: 'bca' | 'percentile';
}

const METRICS = [
  { key: 'ma_u', group: 'MA-U' },
  { key: 'ma_p', group: 'MA-P' },
] as const;

/** Elasticities of MA-U and MA-P on SA, pooled and per family (families with at least 4 models). */
export function elasticityRows(data: FigureData, opts: { seed?: number; resamples?: number } = {}): ElasticityRow[] {
  const families = familyOrder(data.models.map((m) => m.family));
  const rows: ElasticityRow[] = [];
  for (const m of METRICS) {
    for (const subset of ['all models', ...families]) {
      const models = subset === 'all models' ? data.models : data.models.filter((x) => x.family === subset);
      const complete = models.filter((x) => x.sa !== null && x[m.key] !== null);
      if (complete.length < 4) continue;
      let result: Elasticity;
      try {
        result = elasticity(models.map((x) => x.sa), models.map((x) => x[m.key]), { seed: opts.seed ?? 0, resamples: opts.resamples ?? 2000 });
      } catch {
        continue; // constant SA within the subset: no slope to report
      }
      const bcaOk = Number.isFinite(result.bootstrap.bca[0]) && Number.isFinite(result.bootstrap.bca[1]);
      rows.push({ metric: m.key, subset, result, ci: bcaOk ? result.bootstrap.bca : result.bootstrap.percentile, ci_method: bcaOk ? 'bca' : 'percentile' });
    }
  }
  return rows;
}

/** How many MA points a model gains per SA point (slope of MA on SA) with bootstrap and t intervals, against 1 (MA as fast as SA). */
export function elasticityIntervals(data: FigureData, opts: { seed?: number; resamples?: number } = {}): FigureSpec {
  const rows = elasticityRows(data, opts);
  if (rows.length === 0) throw new MasaError('elasticity: no subset has 4 models with SA and MA scores');
  const label = (r: ElasticityRow): string => `${r.metric === 'ma_u' ? 'MA-U' : 'MA-P'} per SA · ${r.subset}`;
  const ys = rows.map((_, k) => rows.length - 1 - k);
  const traces: Array<Record<string, unknown>> = [];
  for (const m of METRICS) {
    const idx = rows.map((r, k) => k).filter((k) => rows[k]!.metric === m.key);
    if (idx.length === 0) continue;
    const colour = GROUP_COLOURS[m.group];
    traces.push({
      type: 'scatter', mode: 'markers', name: `${m.group}: slope, bootstrap 95% CI`,
      x: idx.map((k) => rows[k]!.result.slope), y: idx.map((k) => ys[k]! + 0.12),
      error_x: { type: 'data', symmetric: false, array: idx.map((k) => rows[k]!.ci[1] - rows[k]!.result.slope), arrayminus: idx.map((k) => rows[k]!.result.slope - rows[k]!.ci[0]), color: colour, thickness: 2, width: 5 },
      marker: { color: colour, size: 10, symbol: 'diamond' },
      text: idx.map((k) => label(rows[k]!)),
      hovertemplate: '%{text}<br>slope %{x:.3f}<extra></extra>',
    });
    traces.push({
      type: 'scatter', mode: 'markers', name: `${m.group}: t-interval 95%`,
      x: idx.map((k) => rows[k]!.result.slope), y: idx.map((k) => ys[k]! - 0.12),
      error_x: { type: 'data', symmetric: false, array: idx.map((k) => rows[k]!.result.ci_analytic[1] - rows[k]!.result.slope), arrayminus: idx.map((k) => rows[k]!.result.slope - rows[k]!.result.ci_analytic[0]), color: '#999', thickness: 1.5, width: 4 },
      marker: { color: '#999', size: 7, symbol: 'circle' },
      hoverinfo: 'skip',
    });
  }
  const allX = rows.flatMap((r) => [r.ci[0], r.ci[1], r.result.ci_analytic[0], r.result.ci_analytic[1], 0, 1]).filter(Number.isFinite);
  const lo = Math.min(...allX);
  const hi = Math.max(...allX);
  const pad = 0.08 * (hi - lo || 1);
  const annotations = rows.map((r, k) => ({
    xref: 'paper', yref: 'y', x: 1.01, y: ys[k], xanchor: 'left', showarrow: false, align: 'left', font: { size: 11 },
    text: `b = ${fmt(r.result.slope)} (n=${r.result.n})<br>p (H0: b ≥ 1): t ${fmtP(r.result.p_below_1)}, boot ${fmtP(r.result.p_below_1_bootstrap)}`,
  }));
  const shapes = [0, 1].map((v) => ({ type: 'line', xref: 'x', yref: 'paper', x0: v, x1: v, y0: 0, y1: 1, line: { color: v === 1 ? '#c00' : '#888', width: 1.2, dash: v === 1 ? 'dash' : 'dot' } }));
  annotations.push({ xref: 'x', yref: 'paper', x: 1, y: 1, xanchor: 'left', showarrow: false, align: 'left', font: { size: 11 }, text: 'b = 1: MA grows as fast as SA', yanchor: 'bottom' } as (typeof annotations)[number]);
  return {
    name: 'fig7-elasticity',
    title: 'Multi-agent gain per unit of single-agent gain',
    data: traces,
    layout: baseLayout({
      margin: { l: 190, r: 230, t: 90, b: 110 },
      xaxis: axis('slope b of MA = a + b·SA (MA points per SA point)', { range: [lo - pad, hi + pad] }),
      yaxis: { tickvals: ys, ticktext: rows.map(label), range: [-0.6, rows.length - 0.4], showgrid: false, zeroline: false },
      legend: { orientation: 'h', x: 0, y: -0.22 },
      shapes,
      annotations,
    }),
    width: 1000,
    height: Math.max(360, 180 + 60 * rows.length),
    synthetic: data.synthetic,
    caption:
      'Slope of MA-U and MA-P on SA across models, pooled and per family, with bootstrap (BCa) and t 95% intervals; a slope below 1 (red dashed line) means multi-agent skill grows more slowly than single-agent skill, and the p-values test slope ≥ 1.',
    stats: { rows: rows.map((r) => ({ metric: r.metric, subset: r.subset, slope: r.result.slope, ci: r.ci, ci_method: r.ci_method, ci_analytic: r.result.ci_analytic, p_below_1: r.result.p_below_1, p_below_1_bootstrap: r.result.p_below_1_bootstrap, n: r.result.n })) },
  };
}

export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}
