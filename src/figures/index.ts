/**
 * masa's figures layer: pure builders from score tables to plotly specs (one file per
 * figure), their export to HTML/SVG/PNG in one headless Chromium, and the self-contained
 * HTML report. Notebooks and the CLI import from here.
 */
export * from './spec.js';
export * from './palette.js';
export * from './figure-data.js';
export * from './benchmark-groups-table.js';
export * from './generation-trends.js';
export * from './sa-vs-ma.js';
export * from './scores-vs-params.js';
export * from './accuracy-heatmap.js';
export * from './generation-deltas-table.js';
export * from './elasticity-intervals.js';
export * from './pca-loadings.js';
export * from './holdout-predictions.js';
export * from './pillar-heatmap.js';
export * from './crossplay-heatmap.js';
export * from './convention-curves.js';
export * from './extraction-policies.js';
export * from './all-figures.js';
export * from './export.js';
export * from './page-check.js';
export * from './report-stats.js';
export * from './report.js';
export * from './published-generations.js';
