/**
 * masa's analysis layer: pure statistics over arrays and score tables. Each statistic lives
 * in its own file; this module re-exports them for notebooks, figures and the CLI.
 */
export * from './distributions.js';
export * from './linalg.js';
export * from './clean.js';
export * from './ranks.js';
export * from './quantile.js';
export * from './pearson.js';
export * from './spearman.js';
export * from './kendall.js';
export * from './bootstrap.js';
export * from './correlation-resampling.js';
export * from './partial-correlation.js';
export * from './ols.js';
export * from './levenberg-marquardt.js';
export * from './fits.js';
export * from './bands.js';
export * from './scaling.js';
export * from './elasticity.js';
export * from './generation-deltas.js';
export * from './pca.js';
export * from './claims.js';
export * from './analyze-pair.js';
export * from './tables.js';
export * from './load-scores.js';
export * from './frames.js';
export * from './summarize-results.js';
export * from './p-adjust.js';
export * from './policy-scores.js';
export * from './sensitivity.js';
export * from './sample-size.js';
