/**
 * Spearman's rho: Pearson's r of the average ranks (ties handled as scipy.stats.spearmanr),
 * with the same t-based p-value scipy uses (n - 2 degrees of freedom).
 */
import { assertMinN, assertNotConstant, dropIncomplete } from './clean.js';
import { correlationP, pearsonR, type CorrelationTest } from './pearson.js';
import { averageRanks } from './ranks.js';

export function spearmanRho(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearsonR(averageRanks(x), averageRanks(y));
}

export function spearman(x: ReadonlyArray<number | null>, y: ReadonlyArray<number | null>, names: [string, string] = ['x', 'y']): CorrelationTest {
  const c = dropIncomplete([x, y], names);
  const [cx, cy] = c.columns as [number[], number[]];
  assertMinN(cx.length, 3, 'Spearman correlation');
  assertNotConstant(cx, names[0]);
  assertNotConstant(cy, names[1]);
  const rho = spearmanRho(cx, cy);
  return { estimate: rho, p: correlationP(rho, cx.length - 2), n: cx.length, dropped: c.dropped };
}
