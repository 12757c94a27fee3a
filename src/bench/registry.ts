import { MasaError } from '../core/errors.js';
import { coordinationqa } from './coordinationqa.js';
import { emobench } from './emobench.js';
import { gpqaDiamond } from './gpqa-diamond.js';
import { humaneval } from './humaneval.js';
import { math500 } from './math500.js';
import { mmluPro } from './mmlu-pro.js';
import { tombench } from './tombench.js';
import type { AnyBenchmark } from './types.js';

// One line per benchmark module; the order is the paper's: SA, then MA-U, then MA-P.
export const BENCHMARKS: readonly AnyBenchmark[] = [
  math500,
  humaneval,
  mmluPro,
  gpqaDiamond,
  tombench,
  emobench,
  coordinationqa,
];

export function benchmarkIds(): string[] {
  return BENCHMARKS.map((b) => b.id);
}

export function getBenchmark(id: string): AnyBenchmark {
  const b = BENCHMARKS.find((x) => x.id === id);
  if (!b) throw new MasaError(`unknown benchmark '${id}' (known: ${benchmarkIds().join(', ')})`);
  return b;
}
