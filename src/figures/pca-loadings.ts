import { pca, type PcaResult } from '../analysis/pca.js';
import type { FigureData } from './figure-data.js';
import { axis, baseLayout, fmt, GROUP_COLOURS } from './palette.js';
import type { FigureSpec } from './spec.js';

const PC_COLOURS = ['#333333', '#e7298a', '#66a61e'];

/** PCA of the model × benchmark accuracy matrix (benchmarks as columns, models as rows). */
export function benchmarkPca(data: FigureData): PcaResult {
  const benches = data.benchmarks;
  const acc = new Map(data.tidy.map((r) => [`${r.model}\u0000${r.benchmark}`, r.accuracy] as const));
  const columns = benches.map((b) => data.models.map((m) => acc.get(`${m.model}\u0000${b.id}`) ?? null));
  return pca(columns, benches.map((b) => b.id));
}

/** Loadings of each benchmark on the first principal components: do MA benchmarks load with SA ones? */
export function pcaLoadings(data: FigureData): FigureSpec {
  const r = benchmarkPca(data);
  const benches = r.columns.map((id) => data.benchmarks.find((b) => b.id === id)!);
  const k = Math.min(3, r.loadings.length);
  const x = benches.map((b) => `${b.title}<br><span style="color:${GROUP_COLOURS[b.group]}">${b.group}</span>`);
  const traces = Array.from({ length: k }, (_, c) => ({
    type: 'bar',
    name: `PC${c + 1} (${fmt(100 * r.explained_ratio[c]!, 0)}% of variance)`,
    x,
    y: r.loadings[c],
    marker: { color: PC_COLOURS[c] },
    hovertemplate: `PC${c + 1} %{x}: %{y:.3f}<extra></extra>`,
  }));
  return {
    name: 'fig8-pca-loadings',
    title: 'Principal components of the model × benchmark matrix',
    data: traces,
    layout: baseLayout({
      barmode: 'group',
      xaxis: { tickangle: 0, automargin: true },
      yaxis: axis('loading', { range: [-1, 1], zeroline: true, zerolinecolor: '#888' }),
      legend: { orientation: 'h', x: 0, y: -0.25 },
      margin: { l: 80, r: 30, t: 90, b: 130 },
    }),
    width: 960,
    height: 500,
    synthetic: data.synthetic,
    caption: `Loadings of each benchmark on the first ${k} principal components of the standardised accuracies over ${r.n} models; if MA benchmarks load on PC1 like the SA ones, one general skill explains them, otherwise they measure something else.`,
    stats: { columns: r.columns, explained_ratio: r.explained_ratio, loadings: r.loadings.slice(0, k), n: r.n, dropped: r.dropped },
  };
}
