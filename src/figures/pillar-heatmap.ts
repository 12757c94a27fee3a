import { MasaError } from '../core/errors.js';
import type { GroupScoreRow } from '../analysis/tables.js';
import { displayOrder, shortName, type FigureData } from './figure-data.js';
import { baseLayout, familyOrder } from './palette.js';
import type { FigureSpec } from './spec.js';

const COLUMNS: ReadonlyArray<{ key: keyof GroupScoreRow & string; label: string }> = [
  { key: 'sa', label: 'SA<br><span style="font-size:10px">single-agent</span>' },
  { key: 'ma_u', label: 'MA-U<br><span style="font-size:10px">understanding</span>' },
  { key: 'ma_p', label: 'MA-P<br><span style="font-size:10px">planning (questions)</span>' },
  { key: 'ma_p_play', label: 'MA-P in play<br><span style="font-size:10px">planning (Hanabi)</span>' },
  { key: 'ma_c', label: 'MA-C<br><span style="font-size:10px">communication</span>' },
  { key: 'ma_a', label: 'MA-A<br><span style="font-size:10px">adaptation</span>' },
];

/** Model × pillar: every model's group scores side by side, the four pillars of one cohort in one picture. */
export function pillarHeatmap(data: FigureData): FigureSpec {
  const cols = COLUMNS.filter((c) => data.models.some((m) => typeof m[c.key] === 'number'));
  if (!cols.some((c) => c.key === 'ma_c' || c.key === 'ma_a')) throw new MasaError('no MA-C or MA-A scores (run the games)');
  const families = familyOrder(data.models.map((m) => m.family));
  const models = displayOrder(data.models, families);
  const z = models.map((m) => cols.map((c) => (typeof m[c.key] === 'number' ? (m[c.key] as number) : null)));
  const rows = models.map((m) => shortName(m.model));
  const labelWidth = Math.min(260, 40 + 7 * Math.max(...rows.map((r) => r.length)));
  return {
    name: 'fig12-pillar-heatmap',
    title: 'Single-agent skill and the four pillars, model by model',
    data: [
      {
        type: 'heatmap',
        x: cols.map((c) => c.label),
        y: rows,
        z,
        zmin: 0,
        zmax: 1,
        colorscale: 'Viridis',
        colorbar: { title: { text: 'score' }, thickness: 14 },
        texttemplate: '%{z:.2f}',
        textfont: { size: 10 },
        hovertemplate: '%{y}<br>%{x}: %{z:.3f}<extra></extra>',
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: baseLayout({ margin: { l: labelWidth, r: 30, t: 140, b: 30 }, xaxis: { side: 'top', tickangle: 0, automargin: true }, yaxis: { autorange: 'reversed', tickfont: { size: 11 }, automargin: true } }),
    width: Math.max(700, labelWidth + 120 * cols.length + 120),
    height: Math.max(360, 180 + 17 * rows.length),
    synthetic: data.synthetic,
    caption: 'Every model (rows: by family, generation and size) on single-agent skill and each pillar of multi-agent intelligence: understanding and planning from the single-turn benchmarks, planning in play, communication and adaptation from the games (group scores in [0, 1]; empty cells were not measured).',
    stats: { models: models.map((m) => m.model), columns: cols.map((c) => c.key), z },
  };
}
