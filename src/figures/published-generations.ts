/**
 * What public numbers say about single-agent skill across generations: one panel per family,
 * x = generation, y = a published score on one of masa's SA benchmarks (only rows whose variant
 * is masa's benchmark: MATH-500, GPQA Diamond, MMLU-Pro, HumanEval), one point per (model,
 * source), the generation's median joined by a line. These are model makers' and benchmark
 * authors' numbers, not masa's measurements: the title and every hover say so.
 */
import type { PublishedPoint } from '../analysis/published.js';
import { publishedByGeneration } from '../analysis/published.js';
import { axis, axisIds, baseLayout, familyOrder, panelDomains, panelTitle } from './palette.js';
import type { FigureSpec } from './spec.js';

const BENCH_COLOURS: Record<string, string> = { math500: '#e7298a', humaneval: '#66a61e', 'mmlu-pro': '#1b9e77', 'gpqa-diamond': '#7570b3' };
const BENCH_NAMES: Record<string, string> = { math500: 'MATH-500', humaneval: 'HumanEval', 'mmlu-pro': 'MMLU-Pro', 'gpqa-diamond': 'GPQA Diamond' };

export function publishedGenerations(points: readonly PublishedPoint[], opts: { thinking?: 'on' | 'off' } = {}): FigureSpec {
  const pts = points.filter((p) => p.masa_benchmark in BENCH_COLOURS);
  const families = familyOrder(pts.map((p) => p.family));
  const domains = panelDomains(Math.max(1, families.length), 0.07);
  const summary = publishedByGeneration(pts);
  const traces: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = baseLayout({ legend: { orientation: 'h', x: 0, y: -0.18 }, margin: { l: 70, r: 30, t: 100, b: 100 } });
  families.forEach((family, i) => {
    const ids = axisIds(i);
    const fam = pts.filter((p) => p.family === family);
    const gens = [...new Map(fam.map((p) => [p.generation, p.generation_rank ?? 0] as const))].sort((a, b) => a[1] - b[1]).map((g) => g[0]);
    for (const bench of Object.keys(BENCH_COLOURS)) {
      const bp = fam.filter((p) => p.masa_benchmark === bench);
      if (bp.length === 0) continue;
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: BENCH_NAMES[bench],
        legendgroup: bench,
        showlegend: false,
        x: bp.map((p) => p.generation),
        y: bp.map((p) => p.value),
        text: bp.map((p) => p.model),
        customdata: bp.map((p) => [p.params_b === null ? '?' : `${p.params_b}B`, p.variant, p.thinking ? `thinking ${p.thinking}` : '', p.source.slice(0, 140)]),
        hovertemplate: `<b>%{text}</b> (%{customdata[0]})<br>${BENCH_NAMES[bench]} %{y:.3f} published<br>%{customdata[1]} %{customdata[2]}<br>source: %{customdata[3]}<extra></extra>`,
        marker: { color: BENCH_COLOURS[bench], size: 7, opacity: 0.55 },
        xaxis: ids.x,
        yaxis: ids.y,
      });
      const med = summary.filter((s) => s.family === family && s.masa_benchmark === bench).sort((a, b) => gens.indexOf(a.generation) - gens.indexOf(b.generation));
      traces.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${BENCH_NAMES[bench]} (median)`,
        legendgroup: bench,
        showlegend: !traces.some((t) => t.legendgroup === bench && t.showlegend),
        x: med.map((s) => s.generation),
        y: med.map((s) => s.median),
        customdata: med.map((s) => [s.models, s.values, s.min, s.max]),
        hovertemplate: `${family} %{x}: median %{y:.3f} published ${BENCH_NAMES[bench]}<br>%{customdata[1]} values, %{customdata[0]} models, range %{customdata[2]:.3f}-%{customdata[3]:.3f}<extra></extra>`,
        line: { color: BENCH_COLOURS[bench], width: 2 },
        marker: { color: BENCH_COLOURS[bench], size: 9, symbol: 'diamond' },
        xaxis: ids.x,
        yaxis: ids.y,
      });
    }
    layout[ids.xKey] = axis('', { domain: domains[i], type: 'category', categoryorder: 'array', categoryarray: gens, anchor: ids.y });
    layout[ids.yKey] = axis(i === 0 ? 'published score' : '', { range: [0, 1.02], anchor: ids.x, ...(i > 0 ? { matches: 'y' } : {}) });
    annotations.push(panelTitle(family, domains[i]!));
  });
  layout.annotations = annotations;
  const mode = opts.thinking ? `, Qwen3 thinking ${opts.thinking}` : '';
  return {
    name: 'published-sa-by-generation',
    title: `Published SA scores across generations<br><sup>model makers' and benchmark authors' numbers, not masa's${mode}</sup>`,
    data: traces,
    layout,
    width: 1100,
    height: 480,
    synthetic: false,
    caption:
      'Each faint point is one published value (one model, one source) on a masa SA benchmark, kept only where the variant is masa\'s benchmark (MATH-500, not MATH; GPQA Diamond, not main); the line joins each generation\'s median, which depends on which sizes were published (Llama-3.2: only 1B and 3B). Sources disagree and protocols differ (shots, CoT, thinking mode): see data/published/.',
    stats: { summary },
  };
}
