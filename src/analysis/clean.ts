/**
 * Input hygiene shared by every statistic: rows with a missing value (NaN, null, ±Infinity)
 * are dropped and counted, never silently used; a constant column is an error, because
 * every correlation and slope is undefined for it.
 */
import { MasaError } from '../core/errors.js';

export interface Cleaned {
  /** Columns with incomplete rows removed, in the original row order. */
  columns: number[][];
  /** Indices (into the input) of the rows kept. */
  kept: number[];
  /** Number of rows dropped for a missing value. */
  dropped: number;
}

/** Keeps the rows where every column is a finite number. */
export function dropIncomplete(columns: ReadonlyArray<ReadonlyArray<number | null | undefined>>, names?: readonly string[]): Cleaned {
  const n = columns[0]?.length ?? 0;
  columns.forEach((c, k) => {
    if (c.length !== n) throw new MasaError(`column ${names?.[k] ?? k} has ${c.length} values, expected ${n}`);
  });
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    if (columns.every((c) => typeof c[i] === 'number' && Number.isFinite(c[i] as number))) kept.push(i);
  }
  return { columns: columns.map((c) => kept.map((i) => c[i] as number)), kept, dropped: n - kept.length };
}

/** Throws a MasaError naming the column when it has fewer than two distinct values. */
export function assertNotConstant(values: readonly number[], name: string): void {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return;
  throw new MasaError(`column '${name}' is constant (${values.length} values all ${values[0]}): the statistic is undefined`);
}

export function assertMinN(n: number, min: number, what: string): void {
  if (n < min) throw new MasaError(`${what} needs at least ${min} complete rows, got ${n}`);
}

export function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Sample variance (n - 1 denominator). */
export function variance(v: readonly number[]): number {
  const m = mean(v);
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return s / (v.length - 1);
}
