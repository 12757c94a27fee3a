/**
 * Every figure from one scores table, in the paper's order then the extra ones. A figure
 * whose statistic cannot be computed on these data (too few models, a constant column: a
 * MasaError) is left out and its reason returned, never drawn empty.
 */
import { MasaError } from '../core/errors.js';
import { accuracyHeatmap } from './accuracy-heatmap.js';
import { benchmarkGroupsTable } from './benchmark-groups-table.js';
import { elasticityIntervals } from './elasticity-intervals.js';
import { extractionPolicies } from './extraction-policies.js';
import type { FigureData } from './figure-data.js';
import { generationDeltasTable } from './generation-deltas-table.js';
import { generationTrends } from './generation-trends.js';
import { holdoutPredictions } from './holdout-predictions.js';
import { pcaLoadings } from './pca-loadings.js';
import { saVsMa, saVsPillars } from './sa-vs-ma.js';
import { pillarHeatmap } from './pillar-heatmap.js';
import { crossplayHeatmap } from './crossplay-heatmap.js';
import { scoresVsParams } from './scores-vs-params.js';
import type { FigureSpec } from './spec.js';

export interface FigureOptions {
  seed?: number;
  /** Bootstrap resamples for the interval figures (default 2000). */
  resamples?: number;
  /** Size cutoff (billions) for the held-out figure. */
  cutoffB?: number;
}

export interface FigureSet {
  figures: FigureSpec[];
  /** Figures not drawn, with why. */
  skipped: Array<{ name: string; reason: string }>;
}

export const FIGURE_BUILDERS: ReadonlyArray<{ name: string; build: (d: FigureData, o: FigureOptions) => FigureSpec }> = [
  { name: 'fig1-benchmark-groups', build: (d) => benchmarkGroupsTable(d) },
  { name: 'fig2-generation-trends', build: (d) => generationTrends(d) },
  { name: 'fig3-sa-vs-ma', build: (d) => saVsMa(d) },
  { name: 'fig4-scores-vs-params', build: (d) => scoresVsParams(d) },
  { name: 'fig5-accuracy-heatmap', build: (d) => accuracyHeatmap(d) },
  { name: 'fig6-generation-deltas', build: (d) => generationDeltasTable(d) },
  { name: 'fig7-elasticity', build: (d, o) => elasticityIntervals(d, o) },
  { name: 'fig8-pca-loadings', build: (d) => pcaLoadings(d) },
  { name: 'fig9-holdout-predictions', build: (d, o) => holdoutPredictions(d, o) },
  { name: 'fig10-extraction-policies', build: (d) => extractionPolicies(d) },
  { name: 'fig11-four-pillars', build: (d) => saVsPillars(d) },
  { name: 'fig12-pillar-heatmap', build: (d) => pillarHeatmap(d) },
  { name: 'fig13-crossplay-heatmap', build: (d) => crossplayHeatmap(d) },
];

export function buildFigures(data: FigureData, opts: FigureOptions = {}): FigureSet {
  const figures: FigureSpec[] = [];
  const skipped: FigureSet['skipped'] = [];
  for (const b of FIGURE_BUILDERS) {
    try {
      const spec = b.build(data, opts);
      if (spec.data.length === 0) skipped.push({ name: b.name, reason: 'nothing to draw on these data' });
      else figures.push(spec);
    } catch (e) {
      if (!(e instanceof MasaError)) throw e;
      skipped.push({ name: b.name, reason: (e as Error).message });
    }
  }
  return { figures, skipped };
}
