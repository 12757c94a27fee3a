/**
 * The little dense linear algebra the fits and PCA need (matrices of a few columns):
 * products, a pivoted Gauss-Jordan inverse, Cholesky solves and a Jacobi eigensolver.
 * Matrices are arrays of rows.
 */
import { MasaError } from '../core/errors.js';

export type Matrix = number[][];

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function transpose(a: Matrix): Matrix {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  const t = zeros(cols, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j]![i] = a[i]![j]!;
  return t;
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const k = b.length;
  const m = k === 0 ? 0 : b[0]!.length;
  const out = zeros(n, m);
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    const oi = out[i]!;
    for (let r = 0; r < k; r++) {
      const v = ai[r]!;
      if (v === 0) continue;
      const br = b[r]!;
      for (let j = 0; j < m; j++) oi[j]! += v * br[j]!;
    }
  }
  return out;
}

export function matVec(a: Matrix, v: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

/** AᵀA for an n × p matrix, without forming Aᵀ. */
export function crossProduct(a: Matrix): Matrix {
  const p = a.length === 0 ? 0 : a[0]!.length;
  const out = zeros(p, p);
  for (const row of a) {
    for (let i = 0; i < p; i++) {
      const ri = row[i]!;
      for (let j = i; j < p; j++) out[i]![j]! += ri * row[j]!;
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) out[i]![j] = out[j]![i]!;
  return out;
}

/** Aᵀv. */
export function transposeVec(a: Matrix, v: readonly number[]): number[] {
  const p = a.length === 0 ? 0 : a[0]!.length;
  const out = new Array<number>(p).fill(0);
  a.forEach((row, i) => {
    for (let j = 0; j < p; j++) out[j]! += row[j]! * v[i]!;
  });
  return out;
}

/** Inverse by Gauss-Jordan elimination with partial pivoting; a singular matrix is an error. */
export function inverse(a: Matrix, what = 'matrix'): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...identity(n)[i]!]);
  const scale = Math.max(1e-300, ...a.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    if (Math.abs(m[piv]![col]!) <= 1e-13 * scale) throw new MasaError(`${what} is singular (the predictors are collinear or constant)`);
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const pr = m[col]!;
    const d = pr[col]!;
    for (let j = 0; j < 2 * n; j++) pr[j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      if (f === 0) continue;
      const row = m[r]!;
      for (let j = 0; j < 2 * n; j++) row[j]! -= f * pr[j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** Solves A x = b for a symmetric positive definite A (Cholesky); returns null when A is not SPD. */
export function solveSpd(a: Matrix, b: readonly number[]): number[] | null {
  const n = a.length;
  const l = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations. Returns eigenvalues
 * in decreasing order and the matching unit eigenvectors as columns of `vectors`.
 */
export function symmetricEigen(a: Matrix): { values: number[]; vectors: Matrix } {
  const n = a.length;
  const m = a.map((r) => [...r]);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k]![p]!;
          const mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p]![k]!;
          const mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y]![y]! - m[x]![x]!);
  return {
    values: order.map((i) => m[i]![i]!),
    vectors: v.map((row) => order.map((i) => row[i]!)),
  };
}
