import { MasaError } from '../core/errors.js';
import { GAMES } from '../play/registry.js';
import { displayOrder, shortName, type FigureData, type TidyRow } from './figure-data.js';
import { baseLayout, familyOrder } from './palette.js';
import type { FigureSpec } from './spec.js';

/** 'model:sim/qwen3-8b' -> 'qwen3-8b'; bots keep their 'bot:' prefix. */
function partnerLabel(p: string): string {
  return p.startsWith('model:') ? shortName(p.slice(6).replace(/@.*$/, '')) : p;
}

/**
 * Cross-play: for the first game with cross-play runs (Hanabi), each model's headline score with
 * each partner it played with (self-play on the diagonal's column 'self', scripted bots and
 * other models beside it). Retention, the ad-hoc teamwork measure, is the row's cross-play mean
 * over its self-play cell.
 */
export function crossplayHeatmap(data: FigureData): FigureSpec {
  const game = GAMES.find((g) => g.crossPlay && data.play.some((r) => r.benchmark === g.id && r.partner !== 'self'));
  if (!game) throw new MasaError('no cross-play runs (masa eval --bench hanabi --option partner=bot:<name> or partner=model:<name>)');
  const rows: TidyRow[] = data.play.filter((r) => r.benchmark === game.id);
  const partners = [...new Set(rows.map((r) => r.partner ?? 'self'))].sort((a, b) => (a === 'self' ? -1 : b === 'self' ? 1 : a.startsWith('bot:') === b.startsWith('bot:') ? a.localeCompare(b) : a.startsWith('bot:') ? -1 : 1));
  const families = familyOrder(rows.map((r) => r.family));
  const models = displayOrder([...new Map(rows.map((r) => [r.model, r])).values()], families);
  const head = game.measures[0]!;
  const scale = head.range[1] - head.range[0];
  const at = new Map(rows.map((r) => [`${r.model}\u0000${r.partner}`, r]));
  const z = models.map((m) => partners.map((p) => at.get(`${m.model}\u0000${p}`)?.accuracy ?? null));
  const text = models.map((m) => partners.map((p) => {
    const r = at.get(`${m.model}\u0000${p}`);
    return r ? `${(head.range[0] + r.accuracy * scale).toFixed(1)} [${(head.range[0] + r.ci_low * scale).toFixed(1)}, ${(head.range[0] + r.ci_high * scale).toFixed(1)}]` : '';
  }));
  const ylabels = models.map((m) => shortName(m.model));
  const labelWidth = Math.min(260, 40 + 7 * Math.max(...ylabels.map((r) => r.length)));
  return {
    name: 'fig13-crossplay-heatmap',
    title: `${game.title}: each model with each partner`,
    data: [
      {
        type: 'heatmap',
        x: partners.map(partnerLabel),
        y: ylabels,
        z,
        text,
        zmin: 0,
        zmax: 1,
        colorscale: 'Viridis',
        colorbar: { title: { text: `${head.id} / ${head.range[1]}` }, thickness: 14 },
        texttemplate: '%{text}',
        textfont: { size: 10 },
        hovertemplate: `%{y} with %{x}<br>${head.id}: %{text}<extra></extra>`,
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: baseLayout({ margin: { l: labelWidth, r: 30, t: 120, b: 30 }, xaxis: { side: 'top', title: { text: 'partner' }, automargin: true }, yaxis: { autorange: 'reversed', automargin: true } }),
    width: Math.max(600, labelWidth + 130 * partners.length + 120),
    height: Math.max(320, 180 + 22 * ylabels.length),
    synthetic: data.synthetic,
    caption: `${game.title} ${head.id} (mean over games, 95% interval) of each model (rows) with each partner (columns): itself (self-play), the scripted bots and other models (cross-play). Cross-play retention is a row's cross-play mean over its self-play score.`,
    stats: { game: game.id, models: models.map((m) => m.model), partners, z },
  };
}
