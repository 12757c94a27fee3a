import { displayOrder, shortName, type FigureData } from './figure-data.js';
import { axis, axisIds, baseLayout, familyOrder, GROUP_COLOURS, panelDomains, panelTitle } from './palette.js';
import type { FigureSpec } from './spec.js';

const UPSTREAM_COLOUR = '#555';

/**
 * Per benchmark (one panel each) and model (rows), the accuracy under the benchmark authors' own
 * answer parser (open marker) and under masa's robust one (filled), joined by a line: a long line
 * is a score that depends on how answers were read. Empty when the table has one policy only.
 */
export function extractionPolicies(data: FigureData): FigureSpec {
  const base: FigureSpec = {
    name: 'fig10-extraction-policies',
    title: 'Accuracy under the upstream and the robust answer parser',
    data: [],
    layout: baseLayout(),
    width: 900,
    height: 400,
    synthetic: data.synthetic,
    caption:
      "Each benchmark's accuracy per model under the benchmark authors' own answer extraction (open circles) and masa's robust extraction (filled), joined by a line; the line's length is how much the score depends on the parser.",
  };
  const pt = data.policyTidy;
  if (!pt) return base;
  const families = familyOrder(data.models.map((m) => m.family));
  const models = displayOrder(data.models, families).map((m) => m.model);
  const rows = models.map(shortName);
  const benches = data.benchmarks;
  const domains = panelDomains(benches.length, 0.025);
  const at = (list: typeof pt.upstream): Map<string, number> => new Map(list.map((r) => [`${r.model}\u0000${r.benchmark}`, r.accuracy]));
  const up = at(pt.upstream);
  const rob = at(pt.robust);
  const traces: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = baseLayout({ legend: { orientation: 'h', x: 0, y: -0.06 }, margin: { l: Math.min(260, 40 + 7 * Math.max(...rows.map((r) => r.length))), r: 20, t: 110, b: 70 } });
  const annotations: Array<Record<string, unknown>> = [];
  const stats: Record<string, { mean_difference: number; largest: number; models: number }> = {};
  benches.forEach((b, i) => {
    const ids = axisIds(i);
    const colour = GROUP_COLOURS[b.group];
    const pairs = models
      .map((m, k) => ({ row: rows[k]!, u: up.get(`${m}\u0000${b.id}`), r: rob.get(`${m}\u0000${b.id}`) }))
      .filter((p): p is { row: string; u: number; r: number } => p.u !== undefined && p.r !== undefined);
    const diffs = pairs.map((p) => p.r - p.u);
    stats[b.id] = {
      mean_difference: diffs.length ? diffs.reduce((a, c) => a + c, 0) / diffs.length : 0,
      largest: diffs.length ? Math.max(...diffs.map(Math.abs)) : 0,
      models: pairs.length,
    };
    traces.push({
      type: 'scatter',
      mode: 'lines',
      x: pairs.flatMap((p) => [p.u, p.r, null]),
      y: pairs.flatMap((p) => [p.row, p.row, null]),
      line: { color: '#bbb', width: 3 },
      hoverinfo: 'skip',
      showlegend: false,
      xaxis: ids.x,
      yaxis: ids.y,
    });
    const marker = (name: string, xs: number[], m: Record<string, unknown>): Record<string, unknown> => ({
      type: 'scatter',
      mode: 'markers',
      name,
      legendgroup: name,
      showlegend: i === 0,
      x: xs,
      y: pairs.map((p) => p.row),
      marker: m,
      hovertemplate: `%{y}<br>${b.title} ${name}: %{x:.3f}<extra></extra>`,
      xaxis: ids.x,
      yaxis: ids.y,
    });
    traces.push(marker('upstream parser', pairs.map((p) => p.u), { symbol: 'circle-open', size: 9, color: UPSTREAM_COLOUR, line: { width: 2 } }));
    traces.push(marker('robust parser', pairs.map((p) => p.r), { symbol: 'circle', size: 8, color: colour }));
    layout[ids.xKey] = axis('', { domain: domains[i], range: [-0.04, 1.04], tickvals: [0, 0.5, 1], anchor: ids.y });
    layout[ids.yKey] = axis('', {
      type: 'category',
      categoryorder: 'array',
      categoryarray: [...rows].reverse(),
      // Every model named, however many.
      tickmode: 'array',
      tickvals: rows,
      tickfont: { size: 10 },
      showticklabels: i === 0,
      anchor: ids.x,
      ...(i > 0 ? { matches: 'y' } : {}),
    });
    annotations.push(panelTitle(`${b.title}<br><span style="font-size:10px">${b.group}</span>`, domains[i]!));
  });
  layout.annotations = annotations;
  return {
    ...base,
    data: pairsDrawn(traces) ? traces : [],
    layout,
    width: Math.max(900, (layout.margin as { l: number }).l + 150 * benches.length),
    height: Math.max(380, 170 + 17 * rows.length),
    stats: { benchmarks: stats },
  };
}

function pairsDrawn(traces: ReadonlyArray<Record<string, unknown>>): boolean {
  return traces.some((t) => Array.isArray(t.x) && (t.x as unknown[]).length > 0);
}
