/**
 * PCA of the model × benchmark accuracy matrix, standardised (each benchmark centred and
 * divided by its sample SD, so the PCA is of the correlation matrix and a benchmark's
 * spread does not weigh it). Rows with a missing cell are dropped and counted.
 *
 * Sign convention: each component is oriented so that the sum of its coefficients is
 * positive (PC1 then reads as "better at everything"). `components[k][j]` is the unit
 * eigenvector coefficient of column j on PC k; `loadings[k][j]` = components·sqrt(eigenvalue),
 * the correlation of column j with the PC k scores.
 */
import { assertNotConstant, dropIncomplete } from './clean.js';
import { MasaError } from '../core/errors.js';
import { symmetricEigen } from './linalg.js';

export interface PcaResult {
  columns: string[];
  n: number;
  dropped: number;
  means: number[];
  sds: number[];
  eigenvalues: number[];
  explained_ratio: number[];
  components: number[][];
  loadings: number[][];
  /** Scores of the kept rows (n × k), in input order; `rows` gives their input indices. */
  scores: number[][];
  rows: number[];
}

/** `data[j]` is column j (one value per model). */
export function pca(data: ReadonlyArray<ReadonlyArray<number | null>>, columns: readonly string[]): PcaResult {
  if (data.length < 2) throw new MasaError(`PCA needs at least 2 columns, got ${data.length}`);
  const c = dropIncomplete(data, columns);
  const n = c.kept.length;
  if (n < 3) throw new MasaError(`PCA needs at least 3 complete rows, got ${n}`);
  const p = data.length;
  c.columns.forEach((col, j) => assertNotConstant(col, columns[j]!));
  const means = c.columns.map((col) => col.reduce((a, b) => a + b, 0) / n);
  const sds = c.columns.map((col, j) => Math.sqrt(col.reduce((s, v) => s + (v - means[j]!) ** 2, 0) / (n - 1)));
  const z = c.columns.map((col, j) => col.map((v) => (v - means[j]!) / sds[j]!));
  const corr = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => z[a]!.reduce((s, v, i) => s + v * z[b]![i]!, 0) / (n - 1)));
  const { values, vectors } = symmetricEigen(corr);
  const total = values.reduce((a, b) => a + b, 0);
  const components = values.map((_, k) => {
    const v = vectors.map((row) => row[k]!);
    const sign = v.reduce((a, b) => a + b, 0) < 0 ? -1 : 1;
    return v.map((x) => x * sign);
  });
  const scores = Array.from({ length: n }, (_, i) => components.map((comp) => comp.reduce((s, w, j) => s + w * z[j]![i]!, 0)));
  return {
    columns: [...columns],
    n,
    dropped: c.dropped,
    means,
    sds,
    eigenvalues: values.map((v) => Math.max(0, v)),
    explained_ratio: values.map((v) => Math.max(0, v) / total),
    components,
    loadings: components.map((comp, k) => comp.map((w) => w * Math.sqrt(Math.max(0, values[k]!)))),
    scores,
    rows: c.kept,
  };
}
