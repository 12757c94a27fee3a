/**
 * Partial correlation of x and y controlling for covariates (by default one: log10
 * parameters): both are residualised on the covariates by OLS with an intercept and the
 * residuals correlated. The p-value uses n - 2 - k degrees of freedom (k covariates), as
 * pingouin.partial_corr does.
 */
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { olsResiduals } from './ols.js';
import { correlationP, pearsonR } from './pearson.js';

export interface PartialCorrelation {
  r: number;
  p: number;
  n: number;
  dropped: number;
  df: number;
}

export function partialCorrelation(
  x: ReadonlyArray<number | null>,
  y: ReadonlyArray<number | null>,
  covariates: ReadonlyArray<ReadonlyArray<number | null>>,
): PartialCorrelation {
  const c = dropIncomplete([x, y, ...covariates]);
  const [cx, cy, ...cz] = c.columns as number[][];
  const k = cz.length;
  assertMinN(cx!.length, k + 3, 'partial correlation');
  assertNotConstant(cx!, 'x');
  assertNotConstant(cy!, 'y');
  const design = cx!.map((_, i) => [1, ...cz.map((z) => z[i]!)]);
  const rx = olsResiduals(design, cx!);
  const ry = olsResiduals(design, cy!);
  const r = pearsonR(rx, ry);
  const df = cx!.length - 2 - k;
  return { r, p: correlationP(r, df), n: cx!.length, dropped: c.dropped, df };
}

/** Partial correlation controlling for log10 of a size column (parameters in billions). */
export function partialOnLogSize(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, size: ReadonlyArray<number | null>): PartialCorrelation {
  return partialCorrelation(x, y, [size.map((s) => (s !== null && s > 0 ? Math.log10(s) : NaN))]);
}

/**
 * Indicator columns for a categorical covariate (e.g. family fixed effects), dropping the
 * first level (alphabetical) as the baseline, for use as `partialCorrelation` covariates.
 */
export function dummies(labels: readonly string[]): number[][] {
  const levels = [...new Set(labels)].sort();
  return levels.slice(1).map((level) => labels.map((l) => (l === level ? 1 : 0)));
}
