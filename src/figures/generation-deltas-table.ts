import { DEFAULT_SIZE_CLASSES, generationDeltas, type GenerationDelta } from '../analysis/generation-deltas.js';
import type { FigureData } from './figure-data.js';
import { baseLayout, familyOrder, fmt } from './palette.js';
import type { FigureSpec } from './spec.js';

const METRICS = [
  { key: 'sa', label: 'SA' },
  { key: 'ma_u', label: 'MA-U' },
  { key: 'ma_p', label: 'MA-P' },
] as const;

/** 'from → to (Δ ±, [lo, hi])' for a delta cell. */
export function deltaCell(d: GenerationDelta | undefined): string {
  if (!d) return '–';
  const sign = d.delta >= 0 ? '+' : '−';
  return `${fmt(d.from)} → ${fmt(d.to)}<br><b>${sign}${fmt(Math.abs(d.delta))}</b> [${fmt(d.ci[0])}, ${fmt(d.ci[1])}]`;
}

/** Paper headline table: earliest → latest generation per family (all sizes, and each size class), with 95% intervals. */
export function generationDeltasTable(data: FigureData): FigureSpec {
  const deltas = generationDeltas(data.models);
  const families = familyOrder(deltas.map((d) => d.family));
  const classes = ['all', ...DEFAULT_SIZE_CLASSES.map((c) => c.name)];
  const rows: Array<{ family: string; size: string; gens: string; cells: string[] }> = [];
  for (const family of families) {
    for (const size of classes) {
      const cell = deltas.filter((d) => d.family === family && d.size_class === size);
      if (cell.length === 0) continue;
      const first = cell[0]!;
      rows.push({
        family,
        size: size === 'all' ? 'all sizes' : size,
        gens: `${first.from_generation} → ${first.to_generation}`,
        cells: METRICS.map((m) => deltaCell(cell.find((d) => d.metric === m.key))),
      });
    }
  }
  const header = ['Family', 'Size', 'Generations', ...METRICS.map((m) => `${m.label}: earliest → latest<br>Δ [95% CI]`)];
  const fill = rows.map((r) => (r.size === 'all sizes' ? '#f3f3f3' : '#fff'));
  return {
    name: 'fig6-generation-deltas',
    title: 'Earliest vs latest generation, per family and size',
    data: [
      {
        type: 'table',
        columnwidth: [70, 70, 150, 170, 170, 170],
        header: { values: header.map((h) => `<b>${h}</b>`), align: 'left', fill: { color: '#e6e6e6' }, font: { size: 12 }, height: 40 },
        cells: {
          values: [rows.map((r) => r.family), rows.map((r) => r.size), rows.map((r) => r.gens), ...METRICS.map((_, k) => rows.map((r) => r.cells[k]!))],
          align: 'left',
          fill: { color: [fill] },
          font: { size: 12 },
          height: 46,
        },
      },
    ],
    layout: baseLayout({ margin: { l: 20, r: 20, t: 80, b: 20 } }),
    width: 900,
    height: 170 + 48 * rows.length,
    synthetic: data.synthetic,
    caption:
      'Change in mean SA, MA-U and MA-P accuracy from each family\'s earliest to its latest generation, over all sizes and within each size class; intervals are 95% normal intervals from item sampling (they do not cover the choice of models).',
    stats: { deltas },
  };
}
