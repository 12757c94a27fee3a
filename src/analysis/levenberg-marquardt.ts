/**
 * Levenberg-Marquardt nonlinear least squares with box bounds (steps are projected onto
 * the box), Marquardt's diagonal scaling, and multiple starting points. Small and exact
 * enough to land on the same optimum as scipy's MINPACK/TRF to 1e-6 relative.
 */
import { solveSpd, crossProduct, transposeVec, type Matrix } from './linalg.js';

export interface LmProblem {
  /** Model value at each row for parameters θ. */
  model(theta: readonly number[]): number[];
  /** Jacobian ∂model_i/∂θ_j (rows × parameters). */
  jacobian(theta: readonly number[]): Matrix;
  y: readonly number[];
  lower?: readonly number[];
  upper?: readonly number[];
}

export interface LmResult {
  theta: number[];
  rss: number;
  iterations: number;
  converged: boolean;
}

function clamp(theta: number[], lower?: readonly number[], upper?: readonly number[]): number[] {
  return theta.map((t, i) => Math.min(upper?.[i] ?? Infinity, Math.max(lower?.[i] ?? -Infinity, t)));
}

function rssOf(problem: LmProblem, theta: readonly number[]): number {
  const f = problem.model(theta);
  let s = 0;
  for (let i = 0; i < f.length; i++) s += (problem.y[i]! - f[i]!) ** 2;
  return Number.isFinite(s) ? s : Infinity;
}

export function levenbergMarquardt(problem: LmProblem, start: readonly number[], maxIter = 500): LmResult {
  let theta = clamp([...start], problem.lower, problem.upper);
  let rss = rssOf(problem, theta);
  let lambda = 1e-3;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    const f = problem.model(theta);
    const r = problem.y.map((v, i) => v - f[i]!);
    const J = problem.jacobian(theta);
    const A = crossProduct(J);
    const g = transposeVec(J, r);
    const gradNorm = Math.max(...g.map(Math.abs));
    if (gradNorm < 1e-15) {
      converged = true;
      break;
    }
    let improved = false;
    for (let tries = 0; tries < 60; tries++) {
      const M = A.map((row, i) => row.map((v, j) => (i === j ? v + lambda * Math.max(v, 1e-12) : v)));
      const delta = solveSpd(M, g);
      if (!delta) {
        lambda *= 10;
        continue;
      }
      const cand = clamp(theta.map((t, i) => t + delta[i]!), problem.lower, problem.upper);
      // A step below rounding level: θ is a (possibly bound-constrained) minimum.
      if (cand.every((c, i) => Math.abs(c - theta[i]!) <= 1e-14 * (Math.abs(theta[i]!) + 1e-8))) break;
      const candRss = rssOf(problem, cand);
      if (candRss <= rss) {
        const step = Math.max(...cand.map((c, i) => Math.abs(c - theta[i]!) / (Math.abs(theta[i]!) + 1e-8)));
        const relDrop = (rss - candRss) / Math.max(rss, 1e-300);
        theta = cand;
        rss = candRss;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (relDrop < 1e-14 && step < 1e-10) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved) {
      // No step lowers the RSS at any damping: a (possibly bound-constrained) minimum.
      converged = true;
      break;
    }
    if (converged) break;
  }
  return { theta, rss, iterations: it, converged };
}

/** Runs LM from each start and keeps the lowest RSS. */
export function levenbergMarquardtMulti(problem: LmProblem, starts: ReadonlyArray<readonly number[]>): LmResult {
  let best: LmResult | undefined;
  for (const s of starts) {
    const r = levenbergMarquardt(problem, s);
    if (!best || r.rss < best.rss - 1e-15 * Math.max(1, best.rss)) best = r;
  }
  return best!;
}
