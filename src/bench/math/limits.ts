/**
 * Bounds on every comparison, so an answer like 2^{10^{10}} or a 10,000-character response
 * ends in a verdict or 'undecided' instead of hanging the scorer:
 * - a work budget counted in evaluation steps, which is deterministic, so a verdict never
 *   depends on how loaded the machine is;
 * - a cap on exact-number size in bits;
 * - a wall-clock deadline as a last safety net (generous, so that it only fires on a stalled
 *   machine, never on a normal answer slowed by load).
 */

/** Thrown when a computation would exceed its budget; callers turn it into 'undecided'. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

export interface Budget {
  /** Date.now() value after which work stops. */
  deadline: number;
  /** Largest exact integer (numerator or denominator) allowed, in bits. */
  maxBits: number;
  /** Evaluation steps taken so far. */
  steps: number;
  /** Steps allowed: sized so the worst case finishes in well under 100 ms on one core. */
  maxSteps: number;
}

export const DEFAULT_TIME_MS = 1000;
export const DEFAULT_MAX_BITS = 65536;
export const DEFAULT_MAX_STEPS = 12000;

export function makeBudget(timeMs = DEFAULT_TIME_MS, maxBits = DEFAULT_MAX_BITS, maxSteps = DEFAULT_MAX_STEPS): Budget {
  return { deadline: Date.now() + timeMs, maxBits, steps: 0, maxSteps };
}

/** Counts one step of work (weight > 1 for costly ones); throws LimitError past the budget. */
export function checkTime(budget: Budget, weight = 1): void {
  budget.steps += weight;
  if (budget.steps > budget.maxSteps) throw new LimitError('work budget exceeded');
  if ((budget.steps & 63) === 0 && Date.now() > budget.deadline) throw new LimitError('time budget exceeded');
}
