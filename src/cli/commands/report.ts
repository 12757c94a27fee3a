import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { readCosts } from '../../figures/cost-table.js';
import { loadFigureData } from '../../figures/figure-data.js';
import { checkPage } from '../../figures/page-check.js';
import { writeReport } from '../../figures/report.js';
import { bool, num, required, str } from '../args.js';
import type { Command } from '../command.js';

export const command: Command = {
  name: 'report',
  summary: 'write one self-contained HTML report: figures, statistics with intervals, and the paper claims checked',
  usage: ['masa report --scores <scores.csv> --out <report.html> [--costs <costs.csv>] [--seed S] [--resamples N] [--claims <claims.json>] [--check]'],
  flags: {
    scores: { type: 'string', description: "tidy scores table written by 'masa summarize'", arg: '<scores.csv>' },
    out: { type: 'string', description: 'the HTML file to write', default: 'figures/report.html', arg: '<file>' },
    seed: { type: 'number', description: 'seed of every bootstrap and permutation', default: 0, arg: '<S>' },
    resamples: { type: 'number', description: 'bootstrap resamples', default: 2000, arg: '<N>' },
    claims: { type: 'string', description: "the paper's claims", default: 'data/paper/claims.json', arg: '<file>' },
    cutoff: { type: 'number', description: 'held-out check: fit on models of at most B billion params', arg: '<B>' },
    costs: { type: 'string', description: "cost table from 'masa summarize --costs-out' (default: costs.csv beside --scores, when there)", arg: '<costs.csv>' },
    check: { type: 'boolean', description: 'then open the page in headless Chromium and fail on any console or page error' },
  },
  details: [
    'The page has no external files and makes no network request: figures are inline SVG (rendered in',
    'headless Chromium), styles are inline. When any model is simulated a synthetic-data banner says so.',
  ].join('\n'),
  async run(args) {
    const scores = required(args, 'scores', 'report');
    const out = str(args, 'out', 'figures/report.html');
    const resamples = num(args, 'resamples', 2000);
    if (!(Number.isInteger(resamples) && resamples >= 100)) throw new MasaError(`masa report: --resamples must be an integer >= 100, got ${resamples}`, { exitCode: 2 });
    const cutoff = num(args, 'cutoff');
    if (cutoff !== undefined && !(cutoff > 0)) throw new MasaError(`masa report: --cutoff must be a positive number of billions, got ${cutoff}`, { exitCode: 2 });
    const data = loadFigureData(scores);
    const besides = join(dirname(scores), 'costs.csv');
    const costsFile = str(args, 'costs') ?? (existsSync(besides) ? besides : undefined);
    const costs = costsFile ? readCosts(costsFile) : undefined;
    const t0 = Date.now();
    const r = await writeReport(data, out, { seed: num(args, 'seed', 0), resamples, claimsFile: str(args, 'claims'), cutoffB: cutoff, costs });
    const verdicts = ['reproduced', 'not reproduced', 'not testable'].map((v) => `${r.stats.claims.filter((c) => c.verdict === v).length} ${v}`).join(', ');
    const line = `report: ${r.file} (${r.figures.length} figures; claims: ${r.stats.claimsError ?? verdicts})${data.synthetic ? ' [synthetic data]' : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`;
    process.stdout.write(line);
    if (bool(args, 'check')) {
      const c = await checkPage(out);
      const problems = [...c.consoleErrors.map((m) => `console error: ${m}`), ...c.pageErrors.map((m) => `page error: ${m}`), ...c.externalRequests.map((u) => `external request: ${u}`)];
      for (const p of problems) process.stderr.write(`${out}: ${p}\n`);
      process.stdout.write(`checked in headless Chromium: ${problems.length === 0 ? 'renders with no console errors, page errors or external requests' : `${problems.length} problems`}\n`);
      if (problems.length > 0) return 1;
    }
    return 0;
  },
};
