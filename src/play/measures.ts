/**
 * A run-level measure from its per-episode values: episodes are the independent units, so the
 * interval is the Student t interval of their mean (clipped to the measure's range). Episodes
 * where a measure does not apply (null) are left out of it.
 */
import { studentTQuantile } from '../core/distributions.js';

export interface MeasureSummary {
  /** Episodes the measure applied to. */
  n: number;
  mean: number | null;
  /** Standard error of the mean over episodes (sample sd / sqrt(n)); null below 2 episodes. */
  stderr: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export function summarizeMeasure(values: ReadonlyArray<number | null | undefined>, range: readonly [number, number]): MeasureSummary {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n: 0, mean: null, stderr: null, ci_low: null, ci_high: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, stderr: null, ci_low: range[0], ci_high: range[1] };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const stderr = Math.sqrt(ss / (n - 1) / n);
  const half = studentTQuantile(0.975, n - 1) * stderr;
  return { n, mean, stderr, ci_low: Math.max(range[0], mean - half), ci_high: Math.min(range[1], mean + half) };
}

/** A measure's value mapped onto [0, 1] by its range, for the score tables. */
export function normalise(value: number, range: readonly [number, number]): number {
  const [lo, hi] = range;
  return hi === lo ? 0 : (value - lo) / (hi - lo);
}
