import { MasaError } from '../../core/errors.js';
import { buildFigures } from '../../figures/all-figures.js';
import { exportFigures, type FigureFormat } from '../../figures/export.js';
import { loadFigureData } from '../../figures/figure-data.js';
import { list, num, required, str } from '../args.js';
import type { Command } from '../command.js';

const FORMATS: readonly FigureFormat[] = ['html', 'svg', 'png'];

export function parseFormats(values: readonly string[] | undefined, command: string): FigureFormat[] {
  if (!values || values.length === 0) return [...FORMATS];
  for (const v of values) {
    if (!FORMATS.includes(v as FigureFormat)) throw new MasaError(`masa ${command}: --formats takes html, svg and/or png, got '${v}'`, { exitCode: 2 });
  }
  return [...new Set(values)] as FigureFormat[];
}

export const command: Command = {
  name: 'figures',
  summary: "draw the paper's figures (and the ones it lacks) from a scores table as HTML, SVG and PNG",
  usage: ['masa figures --scores <scores.csv> --out <dir> [--formats html,svg,png] [--seed S] [--resamples N] [--cutoff B]'],
  flags: {
    scores: { type: 'string', description: "tidy scores table written by 'masa summarize'", arg: '<scores.csv>' },
    out: { type: 'string', description: 'output folder', default: 'figures', arg: '<dir>' },
    formats: { type: 'list', description: 'formats to write (comma-separated)', default: 'html,svg,png', arg: '<list>' },
    seed: { type: 'number', description: 'seed of the bootstrap intervals', default: 0, arg: '<S>' },
    resamples: { type: 'number', description: 'bootstrap resamples for interval figures', default: 2000, arg: '<N>' },
    cutoff: { type: 'number', description: 'held-out figure: fit on models of at most B billion params (default: the size below which 2/3 of models lie)', arg: '<B>' },
  },
  details: [
    'Figures: fig1 benchmark groups table, fig2 generation trends, fig3 SA vs MA-U/MA-P with the log fit,',
    'fig4 group scores vs parameters, fig5 accuracy heatmap, fig6 generation-delta table, fig7 MA-per-SA',
    'elasticity, fig8 PCA loadings, fig9 held-out size predictions. HTML is interactive (plotly.min.js is',
    "copied beside it); SVG and PNG are rendered in one headless Chromium (Debian's chromium, or MASA_CHROMIUM).",
    'Figures from simulated models carry a "SYNTHETIC DATA" mark in their title.',
  ].join('\n'),
  async run(args) {
    const scores = required(args, 'scores', 'figures');
    const out = str(args, 'out', 'figures');
    const formats = parseFormats(list(args, 'formats'), 'figures');
    const resamples = num(args, 'resamples', 2000);
    if (!(Number.isInteger(resamples) && resamples >= 100)) throw new MasaError(`masa figures: --resamples must be an integer >= 100, got ${resamples}`, { exitCode: 2 });
    const cutoff = num(args, 'cutoff');
    if (cutoff !== undefined && !(cutoff > 0)) throw new MasaError(`masa figures: --cutoff must be a positive number of billions, got ${cutoff}`, { exitCode: 2 });
    const data = loadFigureData(scores);
    const set = buildFigures(data, { seed: num(args, 'seed', 0), resamples, cutoffB: cutoff });
    for (const s of set.skipped) process.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
    if (data.unscored.length > 0) process.stderr.write(`left out ${data.unscored.length} run(s) with no scored item: ${data.unscored.map((u) => `${u.model} on ${u.benchmark}`).join(', ')}\n`);
    if (set.figures.length === 0) throw new MasaError(`${scores}: no figure could be drawn from these scores`);
    const t0 = Date.now();
    const written = await exportFigures(set.figures, out, { formats });
    for (const w of written) {
      process.stdout.write(`${w.name}: ${formats.map((f) => w.files[f]).filter(Boolean).join(' ')}\n`);
    }
    process.stdout.write(`${written.length} figures (${formats.join(', ')}) in ${out}${data.synthetic ? ' [synthetic data]' : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
  },
};
