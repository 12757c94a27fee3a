/**
 * Regression of y on x in three forms, all by least squares, all returning the same
 * JSON-serialisable Fit:
 *   linear    y = a + b·x                                 (OLS; HC3 SEs too)
 *   log       y = a + b·ln x          (x > 0)             (OLS on ln x; HC3 SEs too)
 *   logistic  y = floor + (1 - floor)·σ(w·x + c)          (Levenberg-Marquardt)
 * The logistic floor is the chance level: fixed (the default, e.g. the benchmark group's
 * chance accuracy) or fitted within bounds (ObsScaling fits it in [0, 0.2]).
 *
 * Standard errors are sqrt(diag((JᵀJ)⁻¹ · RSS/(n - p))) with J the Jacobian at the optimum,
 * as scipy.optimize.curve_fit with absolute_sigma=False (for the linear forms this is the
 * usual OLS covariance). p counts the fitted parameters (a fixed floor is not one).
 * AIC = -2·llf + 2p and BIC = -2·llf + p·ln n with the Gaussian llf at σ² = RSS/n
 * (statsmodels' OLS convention, applied alike to every form so they can be compared).
 */
import { MasaError } from '../core/errors.js';
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { crossProduct, inverse, type Matrix } from './linalg.js';
import { levenbergMarquardtMulti } from './levenberg-marquardt.js';
import { gaussianLogLik, ols } from './ols.js';

export type FitForm = 'linear' | 'log' | 'logistic';

export interface Fit {
  form: FitForm;
  /** linear/log: a, b. logistic: floor, w, c. */
  params: Record<string, number>;
  /** Standard error of each fitted parameter (a fixed floor has none). */
  se: Record<string, number>;
  /** HC3 robust standard errors (linear and log forms). */
  hc3_se?: Record<string, number>;
  /** Leverage and Cook's distance of each row (linear and log forms), for influential models. */
  leverage?: number[];
  cooks_distance?: number[];
  /** Names of the fitted parameters, in the order of `cov`. */
  free: string[];
  cov: number[][];
  n: number;
  /** Rows dropped for a missing value (or x <= 0 in the log form). */
  dropped: number;
  df_resid: number;
  rss: number;
  /** Residual standard deviation sqrt(RSS / df_resid). */
  sigma: number;
  r2: number;
  llf: number;
  aic: number;
  bic: number;
  x: number[];
  y: number[];
  fitted: number[];
  residuals: number[];
  converged: boolean;
}

export interface LogisticOptions {
  /** Fixed floor (default 0), or 'fit' to estimate it within `floorBounds`. */
  floor?: number | 'fit';
  /** Bounds for a fitted floor (default [0, 0.5]). */
  floorBounds?: [number, number];
  /**
   * A known good start ({floor, w, c}), e.g. the full-data fit when refitting a bootstrap
   * resample: LM then starts from it and from the linearised guess only, instead of the grid.
   */
  start?: Record<string, number>;
}

export interface FitOptions extends LogisticOptions {
  /** Column names for error messages. */
  names?: [string, string];
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The fitted mean at x. */
export function predictFit(fit: Pick<Fit, 'form' | 'params'>, x: number): number {
  const p = fit.params;
  if (fit.form === 'linear') return p.a! + p.b! * x;
  if (fit.form === 'log') return p.a! + p.b! * Math.log(x);
  return p.floor! + (1 - p.floor!) * sigmoid(p.w! * x + p.c!);
}

/** ∂prediction/∂(free parameters) at x, in the order of `fit.free` (the delta method's gradient). */
export function predictionGradient(fit: Pick<Fit, 'form' | 'params' | 'free'>, x: number): number[] {
  const p = fit.params;
  if (fit.form === 'linear') return [1, x];
  if (fit.form === 'log') return [1, Math.log(x)];
  const s = sigmoid(p.w! * x + p.c!);
  const d = (1 - p.floor!) * s * (1 - s);
  const g: Record<string, number> = { floor: 1 - s, w: d * x, c: d };
  return fit.free.map((k) => g[k]!);
}

function prepare(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, names: [string, string], minN: number, what: string) {
  const c = dropIncomplete([x, y], names);
  const [cx, cy] = c.columns as [number[], number[]];
  assertMinN(cx.length, minN, what);
  assertNotConstant(cx, names[0]);
  return { cx, cy, dropped: c.dropped };
}

function fromOls(form: 'linear' | 'log', xs: number[], ys: number[], design: number[], dropped: number): Fit {
  const r = ols(design.map((v) => [1, v]), ys);
  return {
    form,
    params: { a: r.beta[0]!, b: r.beta[1]! },
    se: { a: r.se[0]!, b: r.se[1]! },
    hc3_se: { a: r.hc3Se[0]!, b: r.hc3Se[1]! },
    leverage: r.leverage,
    cooks_distance: r.cooksDistance,
    free: ['a', 'b'],
    cov: r.cov,
    n: r.n,
    dropped,
    df_resid: r.dfResid,
    rss: r.rss,
    sigma: Math.sqrt(r.sigma2),
    r2: r.r2,
    llf: r.llf,
    aic: r.aic,
    bic: r.bic,
    x: xs,
    y: ys,
    fitted: r.fitted,
    residuals: r.residuals,
    converged: true,
  };
}

/** y = a + b·x by OLS. */
export function fitLinear(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, opts: FitOptions = {}): Fit {
  const { cx, cy, dropped } = prepare(x, y, opts.names ?? ['x', 'y'], 3, 'linear fit');
  return fromOls('linear', cx, cy, cx, dropped);
}

/** y = a + b·ln x by OLS on ln x; rows with x <= 0 are dropped and counted. */
export function fitLog(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, opts: FitOptions = {}): Fit {
  const names = opts.names ?? ['x', 'y'];
  const positive = x.map((v) => (v !== null && v > 0 ? v : NaN));
  const { cx, cy, dropped } = prepare(positive, y, names, 3, 'log fit');
  return fromOls('log', cx, cy, cx.map(Math.log), dropped);
}

/** y = floor + (1 - floor)·σ(w·x + c) by Levenberg-Marquardt from several starts. */
export function fitLogistic(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, opts: FitOptions = {}): Fit {
  const names = opts.names ?? ['x', 'y'];
  const fitFloor = opts.floor === 'fit';
  const free = fitFloor ? ['floor', 'w', 'c'] : ['w', 'c'];
  const { cx, cy, dropped } = prepare(x, y, names, free.length + 1, 'logistic fit');
  const fixedFloor = fitFloor ? 0 : (opts.floor as number | undefined) ?? 0;
  if (!fitFloor && !(fixedFloor >= 0 && fixedFloor < 1)) throw new MasaError(`logistic fit: floor must be in [0, 1), got ${fixedFloor}`);
  const [fLo, fHi] = opts.floorBounds ?? [0, 0.5];
  const unpack = (t: readonly number[]): [number, number, number] => (fitFloor ? [t[0]!, t[1]!, t[2]!] : [fixedFloor, t[0]!, t[1]!]);
  const problem = {
    y: cy,
    model: (t: readonly number[]) => {
      const [f, w, c] = unpack(t);
      return cx.map((v) => f + (1 - f) * sigmoid(w * v + c));
    },
    jacobian: (t: readonly number[]): Matrix => {
      const [f, w, c] = unpack(t);
      return cx.map((v) => {
        const s = sigmoid(w * v + c);
        const d = (1 - f) * s * (1 - s);
        return fitFloor ? [1 - s, d * v, d] : [d * v, d];
      });
    },
    lower: fitFloor ? [fLo, -Infinity, -Infinity] : undefined,
    upper: fitFloor ? [fHi, Infinity, Infinity] : undefined,
  };
  const starts: number[][] = [];
  const floors = fitFloor ? [Math.min(fHi, Math.max(fLo, Math.min(...cy) * 0.9)), (fLo + fHi) / 2, fLo] : [fixedFloor];
  const mx = cx.reduce((a, b) => a + b, 0) / cx.length;
  const sx = Math.sqrt(cx.reduce((a, b) => a + (b - mx) ** 2, 0) / cx.length) || 1;
  for (const f of floors) {
    // Linearised start: logit of the rescaled y regressed on x.
    const z = cy.map((v) => {
      const u = Math.min(0.98, Math.max(0.02, (v - f) / (1 - f)));
      return Math.log(u / (1 - u));
    });
    let w0 = 0;
    let c0 = 0;
    try {
      const r = ols(cx.map((v) => [1, v]), z);
      c0 = r.beta[0]!;
      w0 = r.beta[1]!;
    } catch {
      /* collinear start: the grid below still gives starts */
    }
    const cands: Array<[number, number]> = [[w0, c0]];
    if (!opts.start) for (const k of [0.5, 2, 8]) for (const sign of [1, -1]) cands.push([(sign * k) / sx, (-sign * k * mx) / sx]);
    for (const [w, c] of cands) starts.push(fitFloor ? [f, w, c] : [w, c]);
    if (opts.start) break;
  }
  if (opts.start) {
    const s = opts.start;
    starts.unshift(fitFloor ? [Math.min(fHi, Math.max(fLo, s.floor ?? fLo)), s.w ?? 0, s.c ?? 0] : [s.w ?? 0, s.c ?? 0]);
  }
  const best = levenbergMarquardtMulti(problem, starts);
  const [f, w, c] = unpack(best.theta);
  const fitted = problem.model(best.theta);
  const residuals = cy.map((v, i) => v - fitted[i]!);
  const rss = best.rss;
  const n = cx.length;
  const p = free.length;
  const dfResid = n - p;
  const J = problem.jacobian(best.theta);
  let cov: number[][];
  try {
    cov = inverse(crossProduct(J), 'JᵀJ').map((row) => row.map((v) => (v * rss) / dfResid));
  } catch {
    // A saturated sigmoid (a step) leaves the slope unidentified: report the fit without SEs.
    cov = free.map(() => free.map(() => NaN));
  }
  const ym = cy.reduce((a, b) => a + b, 0) / n;
  const tss = cy.reduce((s, v) => s + (v - ym) ** 2, 0);
  const llf = gaussianLogLik(rss, n);
  const params = { floor: f, w, c };
  const se: Record<string, number> = {};
  free.forEach((k, i) => (se[k] = Math.sqrt(cov[i]![i]!)));
  return {
    form: 'logistic',
    params,
    se,
    free,
    cov,
    n,
    dropped,
    df_resid: dfResid,
    rss,
    sigma: Math.sqrt(rss / dfResid),
    r2: 1 - rss / tss,
    llf,
    aic: -2 * llf + 2 * p,
    bic: -2 * llf + p * Math.log(n),
    x: cx,
    y: cy,
    fitted,
    residuals,
    converged: best.converged,
  };
}

/** Fits one form by name. */
export function fitForm(form: FitForm, x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, opts: FitOptions = {}): Fit {
  if (form === 'linear') return fitLinear(x, y, opts);
  if (form === 'log') return fitLog(x, y, opts);
  return fitLogistic(x, y, opts);
}

/** The three forms side by side, with ΔAIC from the best (lowest AIC) form. */
export function compareForms(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, opts: FitOptions = {}): { fits: Record<FitForm, Fit>; best: FitForm; deltaAic: Record<FitForm, number> } {
  const fits = { linear: fitLinear(x, y, opts), log: fitLog(x, y, opts), logistic: fitLogistic(x, y, opts) };
  const forms = Object.keys(fits) as FitForm[];
  const best = forms.reduce((a, b) => (fits[b].aic < fits[a].aic ? b : a));
  const deltaAic = Object.fromEntries(forms.map((f) => [f, fits[f].aic - fits[best].aic])) as Record<FitForm, number>;
  return { fits, best, deltaAic };
}
