import type { Group } from '../bench/types.js';
import { fitBand } from '../analysis/bands.js';
import { scalingFits } from '../analysis/scaling.js';
import { groupChance, type FigureData } from './figure-data.js';
import { axis, axisIds, baseLayout, familyColour, familyOrder, fmt, GROUPS, panelDomains, panelTitle } from './palette.js';
import { bandTrace, chanceLine, grid, modelTraces } from './sa-vs-ma.js';
import type { FigureSpec } from './spec.js';

const KEYS: Record<Group, 'sa' | 'ma_u' | 'ma_p'> = { SA: 'sa', 'MA-U': 'ma_u', 'MA-P': 'ma_p' };

export interface SizeFitSummary {
  group: Group;
  family: string;
  n: number;
  /** score = a + b·log10(params): b is the gain per tenfold parameters. */
  a: number;
  b: number;
  se_b: number;
  r2: number;
}

/**
 * Each group score against parameters (log axis), per family: points, the fit
 * score = a + b·log10(params) per family and its 95% delta-method band, and the chance level.
 */
export function scoresVsParams(data: FigureData, opts: { size?: 'params_b' | 'active_params_b' } = {}): FigureSpec {
  const sizeKey = opts.size ?? 'params_b';
  const models = data.models.filter((m) => typeof m[sizeKey] === 'number' && (m[sizeKey] as number) > 0);
  const families = familyOrder(models.map((m) => m.family));
  const domains = panelDomains(3, 0.06);
  const traces: Array<Record<string, unknown>> = [];
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = baseLayout({ legend: { x: 1.02, y: 1 }, margin: { l: 70, r: 30, t: 100, b: 60 } });
  const fits: SizeFitSummary[] = [];
  const sizes = models.map((m) => m[sizeKey] as number);
  const lo = Math.log10(Math.min(...sizes));
  const hi = Math.log10(Math.max(...sizes));
  // 1-2-5 ticks: plotly's default log ticks label minor steps with bare digits.
  const ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].filter((t) => Math.log10(t) >= lo - 0.1 && Math.log10(t) <= hi + 0.1);
  GROUPS.forEach((group, i) => {
    const ids = axisIds(i);
    const key = KEYS[group];
    traces.push(...modelTraces(models, families, (m) => m[sizeKey] as number, (m) => m[key], ids, i === 0, `%{x}B params, ${group} %{y:.3f}`));
    const per = scalingFits({ size: models.map((m) => m[sizeKey]), score: models.map((m) => m[key]), family: models.map((m) => m.family) }, ['linear']);
    for (const s of per) {
      const fit = s.fits.linear;
      if (s.subset === 'pooled' || !fit) continue;
      const colour = familyColour(s.subset, families);
      const fx = grid(Math.min(...fit.x), Math.max(...fit.x), 40);
      const band = fitBand(fit, fx, { method: 'delta' });
      const px = fx.map((v) => 10 ** v);
      traces.push(bandTrace(px, band.map((p) => p.lower), band.map((p) => p.upper), colour, { name: `${s.subset} 95% band`, legendgroup: `fit-${s.subset}`, showlegend: false, xaxis: ids.x, yaxis: ids.y }));
      traces.push({
        type: 'scatter', mode: 'lines', name: `${s.subset} fit`, legendgroup: `fit-${s.subset}`, showlegend: i === 0,
        x: px, y: band.map((p) => p.fit), line: { color: colour, width: 2 }, hoverinfo: 'skip', xaxis: ids.x, yaxis: ids.y,
      });
      fits.push({ group, family: s.subset, n: fit.n, a: fit.params.a!, b: fit.params.b!, se_b: fit.se.b!, r2: fit.r2 });
    }
    const slopes = fits.filter((f) => f.group === group).map((f) => `${f.family}: ${f.b >= 0 ? '+' : ''}${fmt(f.b)} per 10× (R² ${fmt(f.r2)})`);
    if (slopes.length > 0) {
      annotations.push({ xref: `${ids.x} domain`, yref: `${ids.y} domain`, x: 0.02, y: 0.98, xanchor: 'left', yanchor: 'top', showarrow: false, align: 'left', bgcolor: 'rgba(255,255,255,0.8)', text: slopes.join('<br>'), font: { size: 11 } });
    }
    const chance = groupChance(data.benchmarks, group);
    if (chance !== null && chance > 0) {
      const c = chanceLine(ids, chance, `chance ${fmt(chance)}`, 'h');
      shapes.push(c.shape);
      annotations.push(c.annotation);
    }
    const pad = 0.1;
    layout[ids.xKey] = axis(sizeKey === 'params_b' ? 'parameters (billions, log scale)' : 'active parameters (billions, log scale)', { type: 'log', domain: domains[i], range: [lo - pad, hi + pad], anchor: ids.y, tickvals: ticks, ticktext: ticks.map(String) });
    layout[ids.yKey] = axis(i === 0 ? 'accuracy' : '', { range: [0, 1], anchor: ids.x, ...(i > 0 ? { matches: 'y' } : {}) });
    annotations.push(panelTitle(group, domains[i]!));
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return {
    name: 'fig4-scores-vs-params',
    title: 'Group scores against model size, per family',
    data: traces,
    layout,
    width: 1300,
    height: 480,
    synthetic: data.synthetic,
    caption:
      'SA, MA-U and MA-P accuracy against parameter count (log scale), one point per model; each family has its own fit score = a + b·log10(params) with a 95% confidence band, and the slope b (gain per tenfold size) is printed per panel.',
    stats: { size: sizeKey, fits },
  };
}
