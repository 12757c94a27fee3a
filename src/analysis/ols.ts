/**
 * Ordinary least squares with classical and HC3 (MacKinnon-White) standard errors and the
 * Gaussian log-likelihood statsmodels reports, so AIC and BIC match statsmodels' OLS:
 *   llf = -n/2 · (ln(2π) + ln(RSS/n) + 1),  AIC = -2·llf + 2p,  BIC = -2·llf + p·ln n,
 * where p counts the regression coefficients (intercept included, the error variance not).
 */
import { MasaError } from '../core/errors.js';
import { crossProduct, inverse, matVec, transposeVec, type Matrix } from './linalg.js';

export interface OlsResult {
  beta: number[];
  /** Classical standard errors: sqrt(diag(σ²(XᵀX)⁻¹)), σ² = RSS/(n - p). */
  se: number[];
  /** Heteroskedasticity-robust HC3 standard errors. */
  hc3Se: number[];
  cov: Matrix;
  hc3Cov: Matrix;
  residuals: number[];
  fitted: number[];
  /** Leverages h_ii, the diagonal of the hat matrix. */
  leverage: number[];
  /** Cook's distance of each row: e_i² h_ii / (p σ² (1 - h_ii)²), for spotting influential models. */
  cooksDistance: number[];
  rss: number;
  n: number;
  p: number;
  dfResid: number;
  sigma2: number;
  /** Centred R² = 1 - RSS/TSS. */
  r2: number;
  llf: number;
  aic: number;
  bic: number;
}

/** Gaussian log-likelihood at the ML variance RSS/n. */
export function gaussianLogLik(rss: number, n: number): number {
  return (-n / 2) * (Math.log(2 * Math.PI) + Math.log(rss / n) + 1);
}

export function ols(X: Matrix, y: readonly number[]): OlsResult {
  const n = y.length;
  const p = X[0]?.length ?? 0;
  if (X.length !== n) throw new MasaError(`ols: ${X.length} design rows for ${n} responses`);
  if (n <= p) throw new MasaError(`ols: ${n} observations cannot identify ${p} coefficients with an error term`);
  const xtxInv = inverse(crossProduct(X), 'XᵀX');
  const beta = matVec(xtxInv, transposeVec(X, y));
  const fitted = X.map((row) => row.reduce((s, v, j) => s + v * beta[j]!, 0));
  const residuals = y.map((v, i) => v - fitted[i]!);
  const rss = residuals.reduce((s, e) => s + e * e, 0);
  const dfResid = n - p;
  const sigma2 = rss / dfResid;
  const cov = xtxInv.map((row) => row.map((v) => v * sigma2));
  const leverage = X.map((row) => {
    const t = matVec(xtxInv, row);
    return row.reduce((s, v, j) => s + v * t[j]!, 0);
  });
  // HC3 = (XᵀX)⁻¹ Xᵀ diag(e_i² / (1 - h_ii)²) X (XᵀX)⁻¹.
  const meat: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  X.forEach((row, i) => {
    const w = (residuals[i]! / (1 - leverage[i]!)) ** 2;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a]![b]! += w * row[a]! * row[b]!;
  });
  const hc3Cov = sandwich(xtxInv, meat);
  const ym = y.reduce((a, b) => a + b, 0) / n;
  const tss = y.reduce((s, v) => s + (v - ym) ** 2, 0);
  const llf = gaussianLogLik(rss, n);
  return {
    beta,
    se: cov.map((r, i) => Math.sqrt(r[i]!)),
    hc3Se: hc3Cov.map((r, i) => Math.sqrt(r[i]!)),
    cov,
    hc3Cov,
    residuals,
    fitted,
    leverage,
    cooksDistance: residuals.map((e, i) => (e * e * leverage[i]!) / (p * sigma2 * (1 - leverage[i]!) ** 2)),
    rss,
    n,
    p,
    dfResid,
    sigma2,
    r2: 1 - rss / tss,
    llf,
    aic: -2 * llf + 2 * p,
    bic: -2 * llf + p * Math.log(n),
  };
}

function sandwich(bread: Matrix, meat: Matrix): Matrix {
  const p = bread.length;
  const tmp: Matrix = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => meat[i]!.reduce((s, v, k) => s + v * bread[k]![j]!, 0)));
  return Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => bread[i]!.reduce((s, v, k) => s + v * tmp[k]![j]!, 0)));
}

/** Residuals of y regressed on X (no standard errors: the partial-correlation inner step). */
export function olsResiduals(X: Matrix, y: readonly number[]): number[] {
  const xtxInv = inverse(crossProduct(X), 'XᵀX');
  const beta = matVec(xtxInv, transposeVec(X, y));
  return y.map((v, i) => v - X[i]!.reduce((s, x, j) => s + x * beta[j]!, 0));
}
