/**
 * Everything `masa analyze` reports for one pair of score columns across models: the three
 * correlations with p-values, bootstrap intervals (BCa, percentile) and permutation
 * p-values; the partial correlation controlling for log10 parameters; and the linear, log
 * and logistic-with-floor fits compared by AIC.
 */
import { bootstrapCorrelation, permutationTest, type CorrelationMethod } from './correlation-resampling.js';
import { dropIncomplete } from './clean.js';
import { elasticity } from './elasticity.js';
import { fitLinear, fitLog, fitLogistic, type Fit, type FitForm } from './fits.js';
import { kendall } from './kendall.js';
import { partialOnLogSize } from './partial-correlation.js';
import { pearson } from './pearson.js';
import { spearman } from './spearman.js';

export interface PairOptions {
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Permutations for the permutation p-values (default 5000). */
  permutations?: number;
  level?: number;
  /** Logistic floor: a fixed chance level, or 'fit' within floorBounds. Default 0. */
  floor?: number | 'fit';
  floorBounds?: [number, number];
  /** Family labels for a family-block bootstrap (one per row). */
  blocks?: readonly string[];
  /** Model sizes (billions) for the partial correlation; omitted = not computed. */
  size?: ReadonlyArray<number | null>;
}

export interface CorrelationReport {
  estimate: number;
  p: number;
  /** BCa interval (percentile when BCa is undefined). */
  ci: [number, number];
  ci_method: 'bca' | 'percentile';
  ci_percentile: [number, number];
  permutation_p: number;
  bootstrap_valid: number;
}

export interface FitSummary {
  params: Record<string, number>;
  se: Record<string, number>;
  hc3_se?: Record<string, number>;
  r2: number;
  aic: number;
  bic: number;
  n: number;
}

export interface PairAnalysis {
  x: string;
  y: string;
  n: number;
  dropped: number;
  level: number;
  seed: number;
  resamples: number;
  block_bootstrap: boolean;
  pearson: CorrelationReport & { r: number };
  spearman: CorrelationReport & { rho: number };
  kendall: CorrelationReport & { tau: number; method: 'exact' | 'asymptotic' };
  partial_log_params: { r: number; p: number; n: number; df: number } | null;
  fits: {
    linear: FitSummary & { a: number; b: number };
    log: (FitSummary & { a: number; b: number }) | null;
    logistic: (FitSummary & { floor: number; w: number; c: number; floor_fitted: boolean; converged: boolean }) | null;
  };
  /** Lowest-AIC form among those fitted on the same rows. */
  best_form: FitForm;
  /**
   * When both columns are accuracies (all values in [0, 1]): y points gained per x point, with
   * its bootstrap interval and the one-sided p-value for a slope below 1. Null otherwise.
   */
  elasticity: { slope: number; se: number; ci: [number, number]; ci_analytic: [number, number]; p_below_1: number; p_below_1_bootstrap: number } | null;
  notes: string[];
  /** The full fits (for bands and residuals); not part of the JSON summary. */
  fitObjects: Partial<Record<FitForm, Fit>>;
}

function summary(f: Fit): FitSummary {
  return { params: f.params, se: f.se, ...(f.hc3_se ? { hc3_se: f.hc3_se } : {}), r2: f.r2, aic: f.aic, bic: f.bic, n: f.n };
}

export function analyzePair(xName: string, yName: string, x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, opts: PairOptions = {}): PairAnalysis {
  const seed = opts.seed ?? 0;
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const names: [string, string] = [xName, yName];
  const notes: string[] = [];
  const base = { p: pearson(x, y, names), s: spearman(x, y, names), k: kendall(x, y, names) };
  const corr = (method: CorrelationMethod, estimate: number, p: number): CorrelationReport => {
    const b = bootstrapCorrelation(method, x, y, { resamples, seed, level, blocks: opts.blocks });
    const perm = permutationTest(method, x, y, { permutations: opts.permutations ?? 5000, seed });
    const bcaOk = Number.isFinite(b.bca[0]) && Number.isFinite(b.bca[1]);
    return { estimate, p, ci: bcaOk ? b.bca : b.percentile, ci_method: bcaOk ? 'bca' : 'percentile', ci_percentile: b.percentile, permutation_p: perm.p, bootstrap_valid: b.valid };
  };
  const fitOpts = { names, floor: opts.floor ?? 0, floorBounds: opts.floorBounds };
  const linear = fitLinear(x, y, fitOpts);
  const fitObjects: Partial<Record<FitForm, Fit>> = { linear };
  let log: PairAnalysis['fits']['log'] = null;
  try {
    const f = fitLog(x, y, fitOpts);
    fitObjects.log = f;
    log = { a: f.params.a!, b: f.params.b!, ...summary(f) };
    if (f.dropped > linear.dropped) notes.push(`log fit: ${f.dropped - linear.dropped} rows with ${xName} <= 0 left out`);
  } catch (e) {
    notes.push(`log fit not possible: ${(e as Error).message}`);
  }
  let logistic: PairAnalysis['fits']['logistic'] = null;
  try {
    const f = fitLogistic(x, y, fitOpts);
    fitObjects.logistic = f;
    logistic = { floor: f.params.floor!, w: f.params.w!, c: f.params.c!, floor_fitted: f.free.includes('floor'), converged: f.converged, ...summary(f) };
  } catch (e) {
    notes.push(`logistic fit not possible: ${(e as Error).message}`);
  }
  const comparable = (Object.keys(fitObjects) as FitForm[]).filter((k) => fitObjects[k]!.n === linear.n);
  const best_form = comparable.reduce((a, b) => (fitObjects[b]!.aic < fitObjects[a]!.aic ? b : a));
  let partial: PairAnalysis['partial_log_params'] = null;
  if (opts.size) {
    try {
      const pc = partialOnLogSize(x, y, opts.size);
      partial = { r: pc.r, p: pc.p, n: pc.n, df: pc.df };
    } catch (e) {
      notes.push(`partial correlation not possible: ${(e as Error).message}`);
    }
  }
  const clean = dropIncomplete([x, y]);
  const unit = (v: readonly number[]): boolean => v.every((u) => u >= 0 && u <= 1);
  let el: PairAnalysis['elasticity'] = null;
  if (unit(clean.columns[0]!) && unit(clean.columns[1]!)) {
    const e = elasticity(x, y, { resamples, seed, level, blocks: opts.blocks });
    el = { slope: e.slope, se: e.se, ci: e.bootstrap.percentile, ci_analytic: e.ci_analytic, p_below_1: e.p_below_1, p_below_1_bootstrap: e.p_below_1_bootstrap };
  }
  return {
    x: xName,
    y: yName,
    n: clean.kept.length,
    dropped: clean.dropped,
    level,
    seed,
    resamples,
    block_bootstrap: !!opts.blocks,
    pearson: { r: base.p.estimate, ...corr('pearson', base.p.estimate, base.p.p) },
    spearman: { rho: base.s.estimate, ...corr('spearman', base.s.estimate, base.s.p) },
    kendall: { tau: base.k.estimate, method: base.k.method, ...corr('kendall', base.k.estimate, base.k.p) },
    partial_log_params: partial,
    fits: { linear: { a: linear.params.a!, b: linear.params.b!, ...summary(linear) }, log, logistic },
    best_form,
    elasticity: el,
    notes,
    fitObjects,
  };
}

/** The JSON-ready part of a PairAnalysis (drops the full fit objects). */
export function pairAnalysisJson(a: PairAnalysis): Omit<PairAnalysis, 'fitObjects'> {
  const { fitObjects: _omit, ...rest } = a;
  return rest;
}

