import { fitBand } from '../analysis/bands.js';
import { fitLog, type Fit } from '../analysis/fits.js';
import type { GroupScoreRow, ScoreGroup } from '../analysis/tables.js';
import { MasaError } from '../core/errors.js';
import type { Group } from '../bench/types.js';
import { groupChance, shortName, type FigureData } from './figure-data.js';
import { axis, axisIds, baseLayout, familyColour, familyOrder, fmt, generationSymbol, panelDomains, panelTitle, translucent } from './palette.js';
import type { FigureSpec } from './spec.js';

export type MaColumn = 'ma_u' | 'ma_p' | 'ma_c' | 'ma_a' | 'ma_p_play';

export interface LogFitSummary {
  y: MaColumn;
  n: number;
  a: number;
  b: number;
  se_a: number;
  se_b: number;
  r2: number;
  aic: number;
}

export interface SaPanel {
  key: MaColumn;
  group: ScoreGroup;
  label: string;
}

const PANELS: SaPanel[] = [
  { key: 'ma_u', group: 'MA-U', label: 'MA-U (understanding)' },
  { key: 'ma_p', group: 'MA-P', label: 'MA-P (planning)' },
];

/** Evenly spaced points from lo to hi. */
export function grid(lo: number, hi: number, k = 60): number[] {
  return Array.from({ length: k }, (_, i) => lo + ((hi - lo) * i) / (k - 1));
}

/** A closed polygon trace filling between a band's lower and upper curves. */
export function bandTrace(xs: readonly number[], lower: readonly number[], upper: readonly number[], colour: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: 'lines',
    x: [...xs, ...[...xs].reverse()],
    y: [...upper, ...[...lower].reverse()],
    fill: 'toself',
    fillcolor: translucent(colour, 0.15),
    line: { width: 0, color: translucent(colour, 0) },
    hoverinfo: 'skip',
    ...extra,
  };
}

/** A group score with its 95% interval (score ± 1.96 se), or '–' when the model has none. */
export function scoreWithInterval(score: number | null, se: number | null): string {
  if (score === null || !Number.isFinite(score)) return '–';
  if (se === null || !Number.isFinite(se)) return score.toFixed(3);
  return `${score.toFixed(3)} [${Math.max(0, score - 1.96 * se).toFixed(3)}, ${Math.min(1, score + 1.96 * se).toFixed(3)}]`;
}

/** What a model's hover label shows beyond its name: family, generation, size, and every group score with its interval. */
export function modelHoverData(m: GroupScoreRow): string[] {
  const size = m.params_b === null ? 'size unknown' : m.active_params_b !== null && m.active_params_b !== m.params_b ? `${m.params_b}B params (${m.active_params_b}B active)` : `${m.params_b}B params`;
  return [m.family || 'family unknown', m.generation || 'generation unknown', size, scoreWithInterval(m.sa, m.sa_stderr), scoreWithInterval(m.ma_u, m.ma_u_stderr), scoreWithInterval(m.ma_p, m.ma_p_stderr)];
}

export const MODEL_HOVER =
  '%{customdata[0]} · %{customdata[1]} · %{customdata[2]}<br>SA %{customdata[3]}<br>MA-U %{customdata[4]}<br>MA-P %{customdata[5]}<br><span style="font-size:10px">(95% intervals)</span>';

/** One scatter trace per (family, generation): colour = family, symbol = generation. */
export function modelTraces(models: readonly GroupScoreRow[], families: readonly string[], x: (m: GroupScoreRow) => number | null, y: (m: GroupScoreRow) => number | null, axes: { x: string; y: string }, showlegend: boolean, hover: string): Array<Record<string, unknown>> {
  const traces: Array<Record<string, unknown>> = [];
  for (const family of families) {
    const fam = models.filter((m) => m.family === family);
    const gens = [...new Map(fam.map((m) => [m.generation, m.generation_rank] as const)).entries()].sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0));
    for (const [generation, rank] of gens) {
      const pts = fam.filter((m) => m.generation === generation && x(m) !== null && y(m) !== null);
      if (pts.length === 0) continue;
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: generation,
        legendgroup: `${family}|${generation}`,
        showlegend,
        x: pts.map((m) => x(m)),
        y: pts.map((m) => y(m)),
        text: pts.map((m) => shortName(m.model)),
        customdata: pts.map(modelHoverData),
        hovertemplate: `<b>%{text}</b><br>${hover}<br>${MODEL_HOVER}<extra></extra>`,
        marker: { color: familyColour(family, families), symbol: generationSymbol(rank), size: 9, line: { width: 0.8, color: '#fff' } },
        xaxis: axes.x,
        yaxis: axes.y,
      });
    }
  }
  return traces;
}

/** Horizontal (or vertical) dashed chance line across one panel, with its label. */
export function chanceLine(axes: { x: string; y: string }, value: number, label: string, orientation: 'h' | 'v'): { shape: Record<string, unknown>; annotation: Record<string, unknown> } {
  const line = { color: '#888', width: 1.2, dash: 'dash' };
  if (orientation === 'h') {
    return {
      shape: { type: 'line', xref: `${axes.x} domain`, yref: axes.y, x0: 0, x1: 1, y0: value, y1: value, line },
      annotation: { xref: `${axes.x} domain`, yref: axes.y, x: 1, y: value, xanchor: 'right', yanchor: 'bottom', text: label, showarrow: false, bgcolor: 'rgba(255,255,255,0.75)', font: { size: 11, color: '#555' } },
    };
  }
  return {
    shape: { type: 'line', xref: axes.x, yref: `${axes.y} domain`, x0: value, x1: value, y0: 0, y1: 1, line },
    annotation: { xref: axes.x, yref: `${axes.y} domain`, x: value, y: 0.02, xanchor: 'left', yanchor: 'bottom', text: label, showarrow: false, bgcolor: 'rgba(255,255,255,0.75)', font: { size: 11, color: '#555' }, textangle: -90 },
  };
}

/** The panels' grid: `cols` across, rows from the top, with gaps (paper fractions). */
function gridDomains(k: number, cols: number): Array<{ x: [number, number]; y: [number, number] }> {
  const rows = Math.ceil(k / cols);
  const xs = panelDomains(cols, 0.09);
  const gap = rows > 1 ? 0.16 : 0;
  const h = (1 - gap * (rows - 1)) / rows;
  return Array.from({ length: k }, (_, i) => {
    const r = Math.floor(i / cols);
    const top = 1 - r * (h + gap);
    return { x: xs[i % cols]!, y: [top - h, top] as [number, number] };
  });
}

/**
 * SA against each MA column in its own panel, one point per model (colour = family, symbol =
 * generation), the log fit MA = a + b·ln(SA) with its 95% delta-method band and R², and each
 * group's chance level (where known) as a dashed line.
 */
export function saAgainst(data: FigureData, panels: readonly SaPanel[], cols: number): { traces: Array<Record<string, unknown>>; layout: Record<string, unknown>; fits: LogFitSummary[]; saChance: number | null } {
  const models = data.models;
  const families = familyOrder(models.map((m) => m.family));
  const domains = gridDomains(panels.length, cols);
  const traces: Array<Record<string, unknown>> = [];
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = baseLayout({ legend: { x: 1.02, y: 1, title: { text: 'generation<br><span style="font-size:11px">(colour = family)</span>' } }, margin: { l: 70, r: 30, t: 100, b: 60 } });
  const fits: LogFitSummary[] = [];
  const saChance = groupChance(data.benchmarks, 'SA');
  const sa = models.map((m) => m.sa);
  const saOk = sa.filter((v): v is number => v !== null && v > 0);
  const xs = saOk.length > 0 ? grid(Math.min(...saOk), Math.max(...saOk)) : [];
  panels.forEach((panel, i) => {
    const ids = axisIds(i);
    traces.push(...modelTraces(models, families, (m) => m.sa, (m) => m[panel.key], ids, i === 0, `SA %{x:.3f}, ${panel.group} %{y:.3f}`));
    let fit: Fit | null = null;
    try {
      fit = fitLog(sa, models.map((m) => m[panel.key]), { names: ['sa', panel.key] });
    } catch {
      fit = null; // too few models or constant SA: the panel shows the points without a fit
    }
    if (fit) {
      const band = fitBand(fit, xs, { method: 'delta' });
      traces.push(bandTrace(xs, band.map((p) => p.lower), band.map((p) => p.upper), '#333', { name: '95% band', legendgroup: 'fit', showlegend: i === 0, xaxis: ids.x, yaxis: ids.y }));
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: 'log fit',
        legendgroup: 'fit',
        showlegend: i === 0,
        x: xs,
        y: band.map((p) => p.fit),
        line: { color: '#333', width: 2 },
        hoverinfo: 'skip',
        xaxis: ids.x,
        yaxis: ids.y,
      });
      fits.push({ y: panel.key, n: fit.n, a: fit.params.a!, b: fit.params.b!, se_a: fit.se.a!, se_b: fit.se.b!, r2: fit.r2, aic: fit.aic });
      annotations.push({
        xref: `${ids.x} domain`, yref: `${ids.y} domain`, x: 0.02, y: 0.98, xanchor: 'left', yanchor: 'top', showarrow: false, align: 'left',
        bgcolor: 'rgba(255,255,255,0.8)',
        text: `${panel.group} = ${fmt(fit.params.a, 2)} + ${fmt(fit.params.b, 2)}·ln(SA)<br>R² = ${fmt(fit.r2, 2)}, n = ${fit.n}`,
        font: { size: 12 },
      });
    }
    const maChance = groupChance(data.benchmarks, panel.group as Group);
    if (maChance !== null) {
      const c = chanceLine(ids, maChance, `${panel.group} chance ${fmt(maChance)}`, 'h');
      shapes.push(c.shape);
      annotations.push(c.annotation);
    }
    if (saChance !== null && saChance > 0) {
      const c = chanceLine(ids, saChance, `SA chance ${fmt(saChance)}`, 'v');
      shapes.push(c.shape);
      annotations.push(c.annotation);
    }
    const d = domains[i]!;
    layout[ids.xKey] = axis('SA accuracy (mean of SA benchmarks)', { domain: d.x, range: [0, 1], anchor: ids.y });
    layout[ids.yKey] = axis(`${panel.group} score`, { domain: d.y, range: [0, 1], anchor: ids.x });
    annotations.push({ ...panelTitle(`SA vs ${panel.label}`, d.x), y: d.y[1] });
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { traces, layout, fits, saChance };
}

const r2Text = (fits: readonly LogFitSummary[], label: (c: MaColumn) => string): string => fits.map((f) => `${label(f.y)} R² = ${fmt(f.r2)}`).join(', ');

/**
 * Paper figure: SA against MA-U and against MA-P (saAgainst's two panels).
 */
export function saVsMa(data: FigureData): FigureSpec {
  const { traces, layout, fits, saChance } = saAgainst(data, PANELS, 2);
  const r2s = r2Text(fits, (c) => (c === 'ma_u' ? 'MA-U' : 'MA-P'));
  return {
    name: 'fig3-sa-vs-ma',
    title: 'Single-agent vs multi-agent accuracy',
    data: traces,
    layout,
    width: 1100,
    height: 520,
    synthetic: data.synthetic,
    caption: `Each point is a model (colour = family, symbol = generation); the line is the log fit MA = a + b·ln(SA) with its 95% confidence band (${r2s || 'no fit'}), and dashed lines mark each group's chance level.`,
    stats: { fits, chance: { sa: saChance, ma_u: groupChance(data.benchmarks, 'MA-U'), ma_p: groupChance(data.benchmarks, 'MA-P') } },
  };
}

const PILLAR_PANELS: SaPanel[] = [
  { key: 'ma_u', group: 'MA-U', label: 'understanding (MA-U)' },
  { key: 'ma_p', group: 'MA-P', label: 'planning (MA-P)' },
  { key: 'ma_c', group: 'MA-C', label: 'efficient communication (MA-C)' },
  { key: 'ma_a', group: 'MA-A', label: 'adaptation (MA-A)' },
];

/**
 * SA against each of the four pillars of multi-agent intelligence: the paper's two (MA-U, MA-P,
 * single-turn questions) and the two masa's games measure (MA-C, MA-A, played over turns), with
 * the same fits and bands as fig3. A pillar no model has a score for is left out.
 */
export function saVsPillars(data: FigureData): FigureSpec {
  const panels = PILLAR_PANELS.filter((p) => data.models.some((m) => m[p.key] !== null));
  if (!panels.some((p) => p.key === 'ma_c' || p.key === 'ma_a')) throw new MasaError('no MA-C or MA-A scores (run the games: masa eval --bench refgame,repeated-games,hanabi)');
  const { traces, layout, fits } = saAgainst(data, panels, 2);
  const labels: Record<string, string> = { ma_u: 'MA-U', ma_p: 'MA-P', ma_c: 'MA-C', ma_a: 'MA-A' };
  return {
    name: 'fig11-four-pillars',
    title: 'Single-agent skill against the four pillars of multi-agent intelligence',
    data: traces,
    layout,
    width: 1100,
    height: panels.length > 2 ? 900 : 520,
    synthetic: data.synthetic,
    caption: `SA against understanding and planning (the paper's single-turn benchmarks) and against efficient communication and adaptation (masa's interactive games, scored per episode): each point a model, the line the log fit with its 95% band (${r2Text(fits, (c) => labels[c] ?? c) || 'no fit'}).`,
    stats: { fits, panels: panels.map((p) => p.key) },
  };
}
