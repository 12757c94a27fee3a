import type { Group } from '../bench/types.js';
import { generationMeans, type GenerationMean } from '../analysis/generation-deltas.js';
import type { FigureData } from './figure-data.js';
import { axis, axisIds, baseLayout, familyOrder, fmt, GROUP_COLOURS, GROUP_LABELS, GROUPS, panelDomains, panelTitle } from './palette.js';
import type { FigureSpec } from './spec.js';

const KEYS: Record<Group, 'sa' | 'ma_u' | 'ma_p'> = { SA: 'sa', 'MA-U': 'ma_u', 'MA-P': 'ma_p' };

/** Paper figure: per family, mean SA, MA-U and MA-P of each generation, with 95% intervals; first and last values labelled. */
export function generationTrends(data: FigureData): FigureSpec {
  const means = generationMeans(data.models);
  const families = familyOrder(means.map((m) => m.family));
  const domains = panelDomains(families.length, 0.07);
  const traces: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = baseLayout({
    legend: { orientation: 'h', x: 0, y: -0.2 },
    margin: { l: 70, r: 30, t: 100, b: 110 },
  });
  const annotations: Array<Record<string, unknown>> = [];
  families.forEach((family, i) => {
    const ids = axisIds(i);
    const rows: GenerationMean[] = means.filter((m) => m.family === family);
    const ends = (pick: (list: GenerationMean[]) => GenerationMean | undefined): Record<Group, 'top' | 'middle' | 'bottom'> =>
      separate(GROUPS.map((g) => pick(rows.filter((r) => r[KEYS[g]] !== null))?.[KEYS[g]] ?? null));
    const firstPos = ends((l) => l[0]);
    const lastPos = ends((l) => l[l.length - 1]);
    for (const group of GROUPS) {
      const key = KEYS[group];
      const pts = rows.filter((r) => r[key] !== null);
      if (pts.length === 0) continue;
      const y = pts.map((r) => r[key] as number);
      const se = pts.map((r) => (r[`${key}_se`] as number | null) ?? 0);
      traces.push({
        type: 'scatter',
        mode: 'lines+markers+text',
        name: GROUP_LABELS[group],
        legendgroup: group,
        showlegend: i === 0,
        x: pts.map((r) => r.generation),
        y,
        error_y: { type: 'data', array: se.map((s) => 1.96 * s), visible: true, thickness: 1, width: 3, color: GROUP_COLOURS[group] },
        // Only the first and last value are labelled: the earliest -> latest change the paper quotes.
        text: y.map((v, k) => (k === 0 || k === y.length - 1 ? fmt(v) : '')),
        textposition: y.map((_, k) => (k === 0 ? `${firstPos[group]} left` : `${lastPos[group]} right`)),
        textfont: { color: GROUP_COLOURS[group], size: 12 },
        customdata: pts.map((r) => r.models),
        hovertemplate: `${family} %{x}<br>${group} %{y:.3f} (mean of %{customdata} models)<extra></extra>`,
        line: { color: GROUP_COLOURS[group], width: 2 },
        marker: { color: GROUP_COLOURS[group], size: 8 },
        xaxis: ids.x,
        yaxis: ids.y,
      });
    }
    const gens = rows.map((r) => r.generation);
    layout[ids.xKey] = axis('', { tickangle: 0, domain: domains[i], type: 'category', categoryorder: 'array', categoryarray: gens, range: [-0.6, gens.length - 0.4], anchor: ids.y });
    layout[ids.yKey] = axis(i === 0 ? 'mean accuracy' : '', { range: [0, 1.06], anchor: ids.x, ...(i > 0 ? { matches: 'y' } : {}) });
    annotations.push(panelTitle(family, domains[i]!));
  });
  layout.annotations = annotations;
  return {
    name: 'fig2-generation-trends',
    title: 'Group scores across generations, per family',
    data: traces,
    layout,
    width: Math.max(560, 420 * families.length),
    height: 500,
    synthetic: data.synthetic,
    caption:
      'Mean SA, MA-U and MA-P accuracy of each generation (over its models, all sizes), one panel per family, with 95% intervals from item sampling; the earliest and latest values are labelled.',
  };
}

/** Vertical label positions for up to three values at one x: close pairs are pushed apart. */
export function separate(values: ReadonlyArray<number | null>): Record<Group, 'top' | 'middle' | 'bottom'> {
  const pos: Record<Group, 'top' | 'middle' | 'bottom'> = { SA: 'middle', 'MA-U': 'middle', 'MA-P': 'middle' };
  const idx = GROUPS.map((g, k) => k).filter((k) => values[k] !== null).sort((a, b) => (values[a] as number) - (values[b] as number));
  for (let k = 1; k < idx.length; k++) {
    const lo = idx[k - 1]!;
    const hi = idx[k]!;
    if ((values[hi] as number) - (values[lo] as number) < 0.05) {
      pos[GROUPS[hi]!] = 'top';
      if (pos[GROUPS[lo]!] === 'middle') pos[GROUPS[lo]!] = 'bottom';
    }
  }
  return pos;
}
