import { displayOrder, shortName, type FigureData } from './figure-data.js';
import { baseLayout, familyOrder } from './palette.js';
import type { FigureSpec } from './spec.js';

/** Paper appendix: model × benchmark accuracy, models in family/generation/size order, benchmarks grouped SA | MA-U | MA-P. */
export function accuracyHeatmap(data: FigureData): FigureSpec {
  const families = familyOrder(data.models.map((m) => m.family));
  const models = displayOrder(data.models, families);
  const benches = data.benchmarks;
  const acc = new Map(data.tidy.map((r) => [`${r.model}\u0000${r.benchmark}`, r.accuracy] as const));
  const z = models.map((m) => benches.map((b) => acc.get(`${m.model}\u0000${b.id}`) ?? null));
  const cols = benches.map((b) => `${b.title}<br><span style="font-size:10px">${b.group}</span>`);
  const rows = models.map((m) => shortName(m.model));
  const height = Math.max(360, 180 + 17 * rows.length);
  const labelWidth = Math.min(260, 40 + 7 * Math.max(...rows.map((r) => r.length)));
  // Separators between the groups' columns.
  const shapes: Array<Record<string, unknown>> = [];
  benches.forEach((b, j) => {
    if (j > 0 && benches[j - 1]!.group !== b.group) shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: j - 0.5, x1: j - 0.5, y0: 0, y1: 1, line: { color: '#fff', width: 4 } });
  });
  return {
    name: 'fig5-accuracy-heatmap',
    title: 'Accuracy of each model on each benchmark',
    data: [
      {
        type: 'heatmap',
        x: cols,
        y: rows,
        z,
        zmin: 0,
        zmax: 1,
        colorscale: 'Viridis',
        colorbar: { title: { text: 'accuracy' }, thickness: 14 },
        texttemplate: '%{z:.2f}',
        textfont: { size: 10 },
        hovertemplate: '%{y}<br>%{x}: %{z:.3f}<extra></extra>',
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: baseLayout({
      margin: { l: labelWidth, r: 30, t: 140, b: 30 },
      xaxis: { side: 'top', tickangle: 0, automargin: true },
      yaxis: { autorange: 'reversed', tickfont: { size: 11 }, automargin: true },
      shapes,
    }),
    width: Math.max(700, labelWidth + 110 * benches.length + 120),
    height,
    synthetic: data.synthetic,
    caption: 'Accuracy of every model (rows: by family, generation and size) on every benchmark (columns: SA, then MA-U, then MA-P); empty cells were not evaluated or had no scored item.',
    stats: { models: models.map((m) => m.model), benchmarks: benches.map((b) => b.id), z },
  };
}
