/**
 * Shared visual vocabulary so every figure reads the same way: one colour per family, one
 * marker symbol per generation rank, one colour per benchmark group.
 */
import type { Group } from '../bench/types.js';
import type { ScoreGroup } from '../analysis/tables.js';

const FAMILY_COLOURS: Record<string, string> = { Qwen: '#6a3d9a', Llama: '#1f78b4' };
const EXTRA_COLOURS = ['#e6550d', '#31a354', '#d62728', '#8c564b', '#e377c2', '#17becf'];

/** Families in a stable order (known ones first) so colours never swap between figures. */
export function familyOrder(families: Iterable<string>): string[] {
  const known = Object.keys(FAMILY_COLOURS);
  return [...new Set(families)].sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
}

export function familyColour(family: string, order: readonly string[]): string {
  if (FAMILY_COLOURS[family]) return FAMILY_COLOURS[family]!;
  const unknown = order.filter((f) => !FAMILY_COLOURS[f]);
  return EXTRA_COLOURS[Math.max(0, unknown.indexOf(family)) % EXTRA_COLOURS.length]!;
}

// Open/filled shapes distinct enough at 8-10 px; rank 1 = earliest generation.
const GENERATION_SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'star', 'cross', 'x', 'pentagon', 'hexagon'];

export function generationSymbol(rank: number | null): string {
  if (rank === null || !Number.isFinite(rank)) return 'circle-open';
  return GENERATION_SYMBOLS[(Math.max(1, Math.round(rank)) - 1) % GENERATION_SYMBOLS.length]!;
}

/** The paper's groups (its figures draw these). */
export const GROUPS: readonly Group[] = ['SA', 'MA-U', 'MA-P'];

/** Every score group: the paper's, then the ones the games feed. */
export const SCORE_GROUPS: readonly ScoreGroup[] = ['SA', 'MA-U', 'MA-P', 'MA-C', 'MA-A', 'MA-P-play'];

/** The four pillars of multi-agent intelligence, as masa measures them, beside single-agent skill. */
export const PILLAR_GROUPS: ReadonlyArray<{ group: ScoreGroup; column: 'ma_u' | 'ma_p' | 'ma_c' | 'ma_a'; pillar: string; measured: string }> = [
  { group: 'MA-U', column: 'ma_u', pillar: 'understanding', measured: 'ToMBench, EmoBench' },
  { group: 'MA-P', column: 'ma_p', pillar: 'planning', measured: 'CoordinationQA' },
  { group: 'MA-C', column: 'ma_c', pillar: 'efficient communication', measured: 'the games' },
  { group: 'MA-A', column: 'ma_a', pillar: 'adaptation', measured: 'the games' },
];

export const SCORE_GROUP_COLOURS: Record<ScoreGroup, string> = { SA: '#1b9e77', 'MA-U': '#d95f02', 'MA-P': '#7570b3', 'MA-C': '#e7298a', 'MA-A': '#66a61e', 'MA-P-play': '#a6761d' };

export const SCORE_GROUP_LABELS: Record<ScoreGroup, string> = {
  SA: 'SA (single-agent)',
  'MA-U': 'MA-U (multi-agent understanding)',
  'MA-P': 'MA-P (multi-agent planning)',
  'MA-C': 'MA-C (efficient communication)',
  'MA-A': 'MA-A (adaptation)',
  'MA-P-play': 'MA-P in play (planning, played)',
};

export const GROUP_COLOURS: Record<Group, string> = { SA: '#1b9e77', 'MA-U': '#d95f02', 'MA-P': '#7570b3' };

export const GROUP_LABELS: Record<Group, string> = {
  SA: 'SA (single-agent)',
  'MA-U': 'MA-U (multi-agent understanding)',
  'MA-P': 'MA-P (multi-agent planning)',
};

/** A CSS rgba() of a hex colour, for translucent bands. */
export function translucent(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

export const FONT = { family: 'Helvetica, Arial, sans-serif', size: 13, color: '#222' };

/** Layout fields every figure shares. */
export function baseLayout(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { font: FONT, paper_bgcolor: '#fff', plot_bgcolor: '#fff', margin: { l: 70, r: 30, t: 80, b: 60 }, ...extra };
}

export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, showline: true, linecolor: '#444', mirror: false, gridcolor: '#e5e5e5', zeroline: false, ticks: 'outside', ...extra };
}

/** Fixed-decimal text, '–' for a missing value. */
export function fmt(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** x-domains of k side-by-side panels separated by `gap` (paper fraction). */
export function panelDomains(k: number, gap = 0.08): Array<[number, number]> {
  const w = (1 - gap * (k - 1)) / k;
  return Array.from({ length: k }, (_, i) => [i * (w + gap), i * (w + gap) + w] as [number, number]);
}

/** Plotly axis ids for panel i (0-based): 'x', 'x2', ... and layout keys 'xaxis', 'xaxis2', ... */
export function axisIds(i: number): { x: string; y: string; xKey: string; yKey: string } {
  const s = i === 0 ? '' : String(i + 1);
  return { x: `x${s}`, y: `y${s}`, xKey: `xaxis${s}`, yKey: `yaxis${s}` };
}

/** A title above a panel (plotly has no per-subplot titles). */
export function panelTitle(text: string, domain: [number, number]): Record<string, unknown> {
  return { text: `<b>${text}</b>`, x: (domain[0] + domain[1]) / 2, y: 1.0, xref: 'paper', yref: 'paper', xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 14 } };
}
