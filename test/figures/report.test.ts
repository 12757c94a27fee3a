import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIGURE_BUILDERS, buildFigures } from '../../src/figures/all-figures.js';
import { figureData } from '../../src/figures/figure-data.js';
import { checkPage } from '../../src/figures/page-check.js';
import { reportHtml } from '../../src/figures/report.js';
import { reportStats } from '../../src/figures/report-stats.js';
import { fixtureCsv, fixtureRecords, writeFixtureCsv } from './fixture.js';

const skip = existsSync('/usr/bin/chromium') || process.env.MASA_CHROMIUM ? false : 'needs chromium (npm run setup)';
const OUT = join('test-output', 'report-test');

function masa(...args: string[]) {
  return spawnSync(process.execPath, ['bin/masa.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
}

test('report page: statistics with intervals, every claim with a verdict, synthetic banner, nothing external', () => {
  const data = figureData(fixtureRecords({ seed: 7 }), 'fixture.csv');
  const stats = reportStats(data, { seed: 2, resamples: 200, permutations: 200, cutoffB: 20 });
  assert.equal(stats.holdout!.cutoffB, 20);
  const fig = buildFigures(data, { resamples: 200 }).figures[0]!;
  const html = reportHtml(stats, [{ spec: fig, svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>figure one</text></svg>' }], { source: 'fixture.csv', generated: 'now' });
  assert.match(html, /class="banner">SYNTHETIC DATA/);
  assert.equal(stats.pairs.length, 3);
  const saMau = stats.pairs[0]!;
  assert.ok(html.includes(`${saMau.pearson.r.toFixed(3)} [${saMau.pearson.ci[0].toFixed(2)}, ${saMau.pearson.ci[1].toFixed(2)}]`), 'Pearson r with its CI');
  assert.ok(html.includes(saMau.fits.log!.r2.toFixed(3)), 'log fit R²');
  assert.ok(stats.claims.length >= 5);
  for (const c of stats.claims) assert.ok(html.includes(c.detail.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')), c.id);
  assert.equal((html.match(/class="v-(reproduced|not-reproduced|not-testable)"/g) ?? []).length, stats.claims.length);
  assert.ok(stats.elasticity.every((e) => html.includes(e.result.slope.toFixed(3))));
  assert.ok(html.includes('figure one'));
  assert.doesNotMatch(html, /<script|<link|\ssrc=|href="http/i);
  // The parser sensitivity table: every headline statistic, flagged ones marked.
  assert.ok(stats.sensitivity && stats.sensitivity.stats.length >= 15);
  assert.match(html, /<h2 id="sensitivity">Sensitivity to the answer parser<\/h2>/);
  for (const x of stats.sensitivity.stats) assert.ok(html.includes(x.statistic.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), x.statistic);
  assert.equal((html.match(/class="s-changes"/g) ?? []).length, stats.sensitivity.flagged);
  const one = figureData(fixtureRecords({ seed: 7, policies: false }), 'old.csv');
  assert.match(reportHtml(reportStats(one, { resamples: 200, permutations: 200 }), [], { source: 'old.csv', generated: 'now' }), /holds one extraction policy only/);
  const real = figureData(fixtureRecords({ seed: 7, synthetic: false }), 'real.csv');
  const realHtml = reportHtml(reportStats(real, { resamples: 200, permutations: 200 }), [], { source: 'real.csv', generated: 'now' });
  assert.doesNotMatch(realHtml, /class="banner"/);
});

test('masa report writes a self-contained page that renders in Chromium without errors', { skip }, async () => {
  rmSync(OUT, { recursive: true, force: true });
  const csv = writeFixtureCsv(join(OUT, 'scores.csv'), { seed: 11 });
  const file = join(OUT, 'report.html');
  const r = masa('report', '--scores', csv, '--out', file, '--resamples', '200', '--seed', '1', '--check');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`report: .*report\\.html \\(${FIGURE_BUILDERS.length} figures; claims: \\d+ reproduced`));
  assert.match(r.stdout, /checked in headless Chromium: renders with no console errors/);
  const html = readFileSync(file, 'utf8');
  assert.equal((html.match(/<svg/g) ?? []).length >= 9, true);
  const shot = join(OUT, 'report.png');
  const check = await checkPage(file, { screenshot: shot });
  assert.deepEqual(check.consoleErrors, []);
  assert.deepEqual(check.pageErrors, []);
  assert.deepEqual(check.externalRequests, []);
  assert.ok(check.height > 3000, `page height ${check.height}`);
  assert.ok(statSync(shot).size > 50_000);
});

test('masa figures: bad input names the file and the column, exits non-zero', () => {
  mkdirSync(OUT, { recursive: true });
  const recs = fixtureRecords({ seed: 7, models: 4 }).map(({ accuracy: _drop, ...rest }) => rest);
  const bad = join(OUT, 'no-accuracy.csv');
  writeFileSync(bad, fixtureCsv(recs));
  const r = masa('figures', '--scores', bad, '--out', join(OUT, 'figs'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-accuracy\.csv: missing column 'accuracy'/);
  const missing = masa('figures', '--scores', join(OUT, 'nope.csv'), '--out', join(OUT, 'figs'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.csv: cannot read/);
  const text = fixtureCsv(fixtureRecords({ seed: 7, models: 4 })).replace(/\n(sim\/[^\n]*?),(0\.\d+),(0\.\d+),(0\.\d+),(0\.\d+),0,0,/, '\n$1,oops,$3,$4,$5,0,0,');
  const badCell = join(OUT, 'bad-cell.csv');
  writeFileSync(badCell, text);
  const b = masa('figures', '--scores', badCell, '--out', join(OUT, 'figs'));
  assert.equal(b.status, 1);
  assert.match(b.stderr, /bad-cell\.csv:2: column 'accuracy' is 'oops'/);
});

test('masa figures writes HTML, SVG and PNG for every figure in one run', { skip }, () => {
  const csv = writeFixtureCsv(join(OUT, 'fig-scores.csv'), { seed: 5 });
  const dir = join(OUT, 'figs');
  rmSync(dir, { recursive: true, force: true });
  const r = masa('figures', '--scores', csv, '--out', dir, '--resamples', '200');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${FIGURE_BUILDERS.length} figures \\(html, svg, png\\)`));
  for (const name of ['fig1-benchmark-groups', 'fig3-sa-vs-ma', 'fig9-holdout-predictions']) {
    for (const ext of ['html', 'svg', 'png']) assert.ok(statSync(join(dir, `${name}.${ext}`)).size > 1000, `${name}.${ext}`);
    assert.match(readFileSync(join(dir, `${name}.svg`), 'utf8'), /SYNTHETIC DATA/);
  }
  assert.ok(existsSync(join(dir, 'plotly.min.js')));
});

test('the interactive HTML figures render in Chromium without errors', { skip }, async () => {
  const dir = join(OUT, 'figs');
  if (!existsSync(join(dir, 'fig3-sa-vs-ma.html'))) writeFixtureCsv(join(OUT, 'fig-scores.csv'), { seed: 5 });
  if (!existsSync(join(dir, 'fig3-sa-vs-ma.html'))) assert.equal(masa('figures', '--scores', join(OUT, 'fig-scores.csv'), '--out', dir, '--formats', 'html').status, 0);
  const check = await checkPage(join(dir, 'fig3-sa-vs-ma.html'));
  assert.deepEqual([...check.consoleErrors, ...check.pageErrors, ...check.externalRequests], []);
  assert.ok(check.height >= 500);
});
