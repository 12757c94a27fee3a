/**
 * Scores under each extraction policy, for the score tables: a run's trials carry both verdicts
 * (records written before they did are rescored from their stored response), each policy folds
 * them with the benchmark's own reduce, and the tidy table gets `accuracy_upstream`,
 * `accuracy_robust` (with their SEs and intervals) beside the chosen policy's `accuracy`.
 */
import { summarizeScores, type ItemScore, type ScoreSummary } from '../bench/summary.js';
import { EXTRACTION_POLICIES, type ExtractionPolicy, type Item, type PolicyScores, type Trial, type TrialScore } from '../bench/types.js';
import type { SampleRecord } from '../eval/records.js';
import { recordPolicyScore, recordScore } from '../eval/store.js';
import type { TidyScoreRow } from './tables.js';

export interface PolicyColumns {
  /** The policy `accuracy` (and stderr, ci_low, ci_high) follow. */
  extraction: ExtractionPolicy;
  accuracy_upstream: number;
  stderr_upstream: number;
  ci_low_upstream: number;
  ci_high_upstream: number;
  accuracy_robust: number;
  stderr_robust: number;
  ci_low_robust: number;
  ci_high_robust: number;
  /** Trials whose record held one verdict only and were rescored from the stored response. */
  rescored: number;
}

export const POLICY_COLUMNS: ReadonlyArray<keyof PolicyColumns> = [
  'extraction',
  'accuracy_upstream', 'stderr_upstream', 'ci_low_upstream', 'ci_high_upstream',
  'accuracy_robust', 'stderr_robust', 'ci_low_robust', 'ci_high_robust',
  'rescored',
];

/** One trial's verdicts as a score table needs them; `pending` when an older record must be rescored. */
export interface TrialVerdicts {
  upstream: TrialScore | null;
  robust: TrialScore | null;
  /** What rescoring needs for a record without both verdicts. */
  pending: { response: string | null; trial: Trial } | null;
}

/** Both verdicts from a record, or what is needed to rescore it. */
export function trialVerdicts(r: SampleRecord): TrialVerdicts {
  const upstream = recordPolicyScore(r, 'upstream');
  const robust = recordPolicyScore(r, 'robust');
  if (upstream && robust) return { upstream, robust, pending: null };
  // A truncated response was scored as no answer, and is rescored so.
  return { upstream: null, robust: null, pending: { response: r.truncated ? null : r.response, trial: { index: r.trial, permutation: r.permutation } } };
}

export type Rescorer = (item: Item, response: string | null, trial: Trial) => PolicyScores | Promise<PolicyScores>;

/**
 * Fills the verdicts of older records: rescored from their response when a rescorer and the item
 * exist, else (code benchmarks, unknown items) the one stored verdict stands for both policies.
 * Returns how many were rescored and how many kept a single verdict.
 */
export async function completeVerdicts(
  trials: Array<{ verdicts: TrialVerdicts; record: SampleRecord; item: Item | undefined }>,
  rescore: Rescorer | undefined,
): Promise<{ rescored: number; single: number }> {
  let rescored = 0;
  let single = 0;
  for (const t of trials) {
    const v = t.verdicts;
    if (!v.pending) continue;
    if (rescore && t.item) {
      const both = await rescore(t.item, v.pending.response, v.pending.trial);
      v.upstream = { ...both.upstream, gold: t.record.gold ?? both.upstream.gold };
      v.robust = { ...both.robust, gold: t.record.gold ?? both.robust.gold };
      rescored++;
    } else {
      v.upstream = v.robust = recordScore(t.record);
      single++;
    }
    v.pending = null;
  }
  return { rescored, single };
}

/** Each policy's summary from per-item trial verdicts, folded with the benchmark's reduce. */
export function policySummaries(
  items: ReadonlyArray<{ item: Item; id: string; cluster: string; tags: Record<string, string>; trials: TrialVerdicts[] }>,
  reduce: (item: Item, trials: TrialScore[]) => number,
): Record<ExtractionPolicy, ScoreSummary> {
  const out = {} as Record<ExtractionPolicy, ScoreSummary>;
  for (const p of EXTRACTION_POLICIES) {
    const scored: ItemScore[] = items.map((it) => ({ id: it.id, score: reduce(it.item, it.trials.map((t) => t[p]!)), cluster: it.cluster, tags: it.tags }));
    out[p] = summarizeScores(scored);
  }
  return out;
}

export function policyColumns(extraction: ExtractionPolicy, s: Record<ExtractionPolicy, ScoreSummary>, rescored: number): PolicyColumns {
  return {
    extraction,
    accuracy_upstream: s.upstream.accuracy,
    stderr_upstream: s.upstream.stderr,
    ci_low_upstream: s.upstream.ci_low,
    ci_high_upstream: s.upstream.ci_high,
    accuracy_robust: s.robust.accuracy,
    stderr_robust: s.robust.stderr,
    ci_low_robust: s.robust.ci_low,
    ci_high_robust: s.robust.ci_high,
    rescored,
  };
}

/** True when tidy records carry both policies' accuracies. */
export function hasPolicyColumns(records: ReadonlyArray<Record<string, unknown>>): boolean {
  // Game rows (MA-C, MA-A, MA-P-play) read moves with one parser: only the benchmarks' rows carry the policies.
  const bench = records.filter((r) => r.group === undefined || r.group === 'SA' || r.group === 'MA-U' || r.group === 'MA-P');
  return bench.length > 0 && bench.every((r) => typeof r.accuracy_upstream === 'number' && typeof r.accuracy_robust === 'number');
}

/**
 * Tidy rows as one policy reads them: accuracy, stderr and interval from that policy's columns.
 * `records` are the typed CSV records the rows were built from, in the same order.
 */
export function rowsUnderPolicy<T extends TidyScoreRow>(rows: readonly T[], records: ReadonlyArray<Record<string, unknown>>, policy: ExtractionPolicy): T[] {
  return rows.map((r, i) => {
    const rec = records[i]!;
    const num = (k: string, d: number): number => (typeof rec[k] === 'number' && Number.isFinite(rec[k] as number) ? (rec[k] as number) : d);
    return { ...r, accuracy: num(`accuracy_${policy}`, r.accuracy), stderr: num(`stderr_${policy}`, r.stderr), ci_low: num(`ci_low_${policy}`, r.ci_low), ci_high: num(`ci_high_${policy}`, r.ci_high) };
  });
}
