/**
 * Scaling in size: a score against log10 parameters (total or active), pooled and per
 * family, with the linear and logistic-with-floor forms (the log form a + b·ln(params) is
 * the linear form in log10 params rescaled, so it is not fitted twice), and out-of-sample
 * checks: leave-one-family-out (Sloth) and fit-small-predict-large cutoffs (ObsScaling).
 */
import { MasaError } from '../core/errors.js';
import { dropIncomplete } from './clean.js';
import { fitForm, predictFit, type Fit, type FitForm, type FitOptions } from './fits.js';

export interface ScalingFit {
  /** A family name, or 'pooled'. */
  subset: string;
  n: number;
  fits: Partial<Record<FitForm, Fit>>;
  /** Why a form could not be fitted on this subset (too few models, constant size, ...). */
  errors: Partial<Record<FitForm, string>>;
}

export interface ScalingInput {
  /** Parameters in billions (total or active). */
  size: ReadonlyArray<number | null>;
  score: ReadonlyArray<number | null>;
  family: readonly string[];
}

export function log10Size(size: ReadonlyArray<number | null>): number[] {
  return size.map((s) => (s !== null && s > 0 ? Math.log10(s) : NaN));
}

/** Fits `forms` of score on log10(size), pooled and for each family. */
export function scalingFits(input: ScalingInput, forms: readonly FitForm[] = ['linear', 'logistic'], fitOpts: FitOptions = {}): ScalingFit[] {
  const x = log10Size(input.size);
  const subsets = ['pooled', ...[...new Set(input.family)].sort()];
  return subsets.map((subset) => {
    const rows = input.family.map((f, i) => i).filter((i) => subset === 'pooled' || input.family[i] === subset);
    const xs = rows.map((i) => x[i]!);
    const ys = rows.map((i) => input.score[i] ?? NaN);
    const fits: Partial<Record<FitForm, Fit>> = {};
    const errors: Partial<Record<FitForm, string>> = {};
    for (const form of forms) {
      try {
        fits[form] = fitForm(form, xs, ys, { names: ['log10_params', 'score'], ...fitOpts });
      } catch (e) {
        errors[form] = (e as Error).message;
      }
    }
    return { subset, n: dropIncomplete([xs, ys]).columns[0]!.length, fits, errors };
  });
}

export interface HoldoutPrediction {
  index: number;
  x: number;
  y: number;
  predicted: number;
  error: number;
}

export interface HoldoutResult {
  /** The held-out family, or the cutoff as 'log10(params) > c'. */
  heldOut: string;
  nTrain: number;
  nTest: number;
  predictions: HoldoutPrediction[];
  mae: number;
  rmse: number;
  /** Mean squared error on the training rows (ObsScaling reports both). */
  trainMse: number;
}

function holdout(x: readonly number[], y: readonly number[], train: number[], test: number[], form: FitForm, fitOpts: FitOptions, label: string): HoldoutResult {
  const fit = fitForm(form, train.map((i) => x[i]!), train.map((i) => y[i]!), fitOpts);
  const predictions = test.map((i) => {
    const predicted = predictFit(fit, x[i]!);
    return { index: i, x: x[i]!, y: y[i]!, predicted, error: predicted - y[i]! };
  });
  const m = predictions.length;
  return {
    heldOut: label,
    nTrain: train.length,
    nTest: m,
    predictions,
    mae: predictions.reduce((s, p) => s + Math.abs(p.error), 0) / m,
    rmse: Math.sqrt(predictions.reduce((s, p) => s + p.error ** 2, 0) / m),
    trainMse: fit.rss / fit.n,
  };
}

function completeRows(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>): number[] {
  return x.map((_, i) => i).filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
}

/** Leave-one-family-out: fit on the other families, predict the held-out one. Indices refer to the input rows. */
export function leaveOneFamilyOut(
  x: ReadonlyArray<number | null>,
  y: ReadonlyArray<number | null>,
  family: readonly string[],
  form: FitForm = 'linear',
  fitOpts: FitOptions = {},
): HoldoutResult[] {
  const rows = completeRows(x, y);
  const families = [...new Set(rows.map((i) => family[i]!))].sort();
  if (families.length < 2) throw new MasaError(`leave-one-family-out needs at least 2 families, got ${families.length}`);
  return families.map((f) => holdout(x as number[], y as number[], rows.filter((i) => family[i] !== f), rows.filter((i) => family[i] === f), form, fitOpts, f));
}

/** Fit on rows with x <= cutoff (small models), predict those above. */
export function sizeCutoffHoldout(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, cutoff: number, form: FitForm = 'linear', fitOpts: FitOptions = {}): HoldoutResult {
  const rows = completeRows(x, y);
  const train = rows.filter((i) => x[i]! <= cutoff);
  const test = rows.filter((i) => x[i]! > cutoff);
  if (test.length === 0) throw new MasaError(`size cutoff ${cutoff}: no models above it to predict`);
  return holdout(x as number[], y as number[], train, test, form, fitOpts, `x > ${cutoff}`);
}

/**
 * Held-out error against the cutoff (ObsScaling's error curve): every distinct x that leaves
 * at least `minTrain` rows below and one above. Cutoffs where the fit fails are skipped.
 */
export function cutoffCurve(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, form: FitForm = 'linear', fitOpts: FitOptions = {}, minTrain = 5): HoldoutResult[] {
  const rows = completeRows(x, y);
  const xs = [...new Set(rows.map((i) => x[i]!))].sort((a, b) => a - b);
  const out: HoldoutResult[] = [];
  for (const c of xs) {
    const nTrain = rows.filter((i) => x[i]! <= c).length;
    if (nTrain < minTrain || nTrain === rows.length) continue;
    try {
      out.push(sizeCutoffHoldout(x, y, c, form, fitOpts));
    } catch {
      /* a cutoff whose training set cannot be fitted is left off the curve */
    }
  }
  return out;
}
