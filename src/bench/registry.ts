import { MasaError } from '../core/errors.js';
import type { AnyBenchmark } from './types.js';

// One line per benchmark module; the order is the paper's: SA, then MA-U, then MA-P.
export const BENCHMARKS: readonly AnyBenchmark[] = [
];

export function benchmarkIds(): string[] {
  return BENCHMARKS.map((b) => b.id);
}

export function getBenchmark(id: string): AnyBenchmark {
  const b = BENCHMARKS.find((x) => x.id === id);
  if (!b) throw new MasaError(`unknown benchmark '${id}' (known: ${benchmarkIds().join(', ')})`);
  return b;
}
