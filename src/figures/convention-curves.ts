import { MasaError } from '../core/errors.js';
import { shortName } from './figure-data.js';
import { axis, axisIds, baseLayout, panelDomains, panelTitle } from './palette.js';
import type { FigureSpec } from './spec.js';

/** One model's reference-game curves: per repetition, words per message and accuracy (null where not played). */
export interface ConventionCurve {
  model: string;
  words: Array<number | null>;
  accuracy: Array<number | null>;
  synthetic: boolean;
}

/**
 * Convention formation in the repeated reference game: words per message and listener accuracy
 * across repetitions of the same targets, one line per model, with the human speakers of ICCA
 * (Hua & Artzi 2024, 54 games: 7.89 → 3.23 words) for reference. A partner swap shows as a jump
 * back up at the repetition where the fresh listener joined.
 */
export function conventionCurves(curves: readonly ConventionCurve[], swapAt: number | null = null): FigureSpec {
  if (curves.length === 0) throw new MasaError('no reference-game runs (masa eval --bench refgame)');
  const reps = Math.max(...curves.map((c) => c.words.length));
  const xs = Array.from({ length: reps }, (_, i) => i + 1);
  const domains = panelDomains(2, 0.1);
  const traces: Array<Record<string, unknown>> = [];
  curves.forEach((c, k) => {
    for (const [i, key] of (['words', 'accuracy'] as const).entries()) {
      const ids = axisIds(i);
      traces.push({ type: 'scatter', mode: 'lines+markers', name: shortName(c.model), legendgroup: c.model, showlegend: i === 0, x: xs, y: c[key], xaxis: ids.x, yaxis: ids.y, hovertemplate: `${shortName(c.model)}<br>repetition %{x}: %{y:.2f}<extra></extra>`, line: { width: 1.6 }, marker: { size: 6 }, legendrank: k });
    }
  });
  // ICCA's human speakers, repetitions 1-6 (lil-lab/ICCA@e0d286c data, as computed in shared/notes).
  const human = [7.89, 5.27, 4.26, 3.74, 3.47, 3.23];
  traces.push({ type: 'scatter', mode: 'lines', name: 'ICCA humans (images)', x: human.map((_, i) => i + 1), y: human, xaxis: 'x', yaxis: 'y', line: { color: '#999', dash: 'dot', width: 2 }, hovertemplate: 'humans<br>repetition %{x}: %{y:.2f} words<extra></extra>' });
  const layout: Record<string, unknown> = baseLayout({ legend: { x: 1.02, y: 1 }, margin: { l: 70, r: 30, t: 100, b: 60 } });
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  for (const [i, title] of ['Words per message', 'Listener accuracy'].entries()) {
    const ids = axisIds(i);
    layout[ids.xKey] = axis('repetition of the same targets', { domain: domains[i], dtick: 1, anchor: ids.y });
    layout[ids.yKey] = axis(i === 0 ? 'words' : 'accuracy', { anchor: ids.x, rangemode: 'tozero', ...(i === 1 ? { range: [0, 1.05] } : {}) });
    annotations.push(panelTitle(title, domains[i]!));
    if (swapAt !== null && swapAt > 0) shapes.push({ type: 'line', xref: ids.x, yref: `${ids.y} domain`, x0: swapAt + 0.5, x1: swapAt + 0.5, y0: 0, y1: 1, line: { color: '#b55', dash: 'dash', width: 1.2 } });
  }
  if (swapAt !== null && swapAt > 0) annotations.push({ xref: 'x', yref: 'y domain', x: swapAt + 0.5, y: 1, text: 'new listener', showarrow: false, xanchor: 'left', yanchor: 'top', font: { size: 11, color: '#b55' } });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return {
    name: 'convention-curves',
    title: 'Convention formation: shorter messages while accuracy holds?',
    data: traces,
    layout,
    width: 1100,
    height: 460,
    synthetic: curves.some((c) => c.synthetic),
    caption: `Words per message and listener accuracy across repetitions of the same targets in the repeated reference game, one line per model${swapAt ? `; a fresh listener joins after repetition ${swapAt}` : ''}. The dotted line is ICCA's human speakers (with images), who shorten from 7.9 to 3.2 words.`,
    stats: { curves },
  };
}
