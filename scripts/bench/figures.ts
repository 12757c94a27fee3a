// Time to build every figure spec, compute the report statistics, and render all figures
// (HTML + SVG + PNG) in one headless Chromium, on a seeded 39-model x 7-benchmark table.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildFigures } from '../../src/figures/all-figures.js';
import { exportFigures } from '../../src/figures/export.js';
import { figureData } from '../../src/figures/figure-data.js';
import { reportStats } from '../../src/figures/report-stats.js';
import { writeReport } from '../../src/figures/report.js';
import { fixtureRecords } from '../../test/figures/fixture.js';
import type { BenchSection } from '../bench.js';

const secs = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(2)} s`;

export const section: BenchSection = {
  name: 'figures',
  title: 'Figures and report: build, statistics, export in one Chromium',
  async run() {
    const data = figureData(fixtureRecords({ seed: 7 }), 'bench');
    let t0 = performance.now();
    const set = buildFigures(data, { seed: 0, resamples: 2000 });
    process.stdout.write(`build ${set.figures.length} figure specs (2000 resamples): ${secs(t0)}\n`);
    t0 = performance.now();
    reportStats(data, { seed: 0, resamples: 2000 });
    process.stdout.write(`report statistics (3 pairs, elasticities, claims; 2000 resamples): ${secs(t0)}\n`);
    if (!existsSync('/usr/bin/chromium') && !process.env.MASA_CHROMIUM) {
      process.stdout.write('export: skipped (no chromium)\n');
      return;
    }
    const out = join('test-output', 'bench-figures');
    rmSync(out, { recursive: true, force: true });
    t0 = performance.now();
    await exportFigures(set.figures, out);
    process.stdout.write(`export ${set.figures.length} figures x (html, svg, png), one browser: ${secs(t0)}\n`);
    t0 = performance.now();
    await writeReport(data, join(out, 'report.html'), { seed: 0, resamples: 2000 });
    process.stdout.write(`masa report end to end (stats + figures + SVG render): ${secs(t0)}\n`);
  },
};
