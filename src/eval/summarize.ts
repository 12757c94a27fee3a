/**
 * A run's summary from its records file: the record that counts per (item, trial) (latest
 * success, else latest error), trials folded per item with the benchmark's reduce, then
 * accuracy and its (clustered) standard error. Items with a trial that still failed are left
 * out of the accuracy and counted in `errors`, so a transport failure never scores as wrong;
 * truncated responses are the model's doing and count as wrong.
 */
import { summarizeBench, type BenchSummary, type ItemScore } from '../bench/summary.js';
import type { ExtractionPolicy, TrialScore } from '../bench/types.js';
import type { RunPlan } from './plan.js';
import { readRecords, recordPolicyScore, recordScore, replacesKept } from './store.js';

interface Compact {
  ok: boolean;
  truncated: boolean;
  score: TrialScore | null;
  /** Both policies' verdicts (the top-level one stands in for both in an older record). */
  upstream: TrialScore | null;
  robust: TrialScore | null;
  tokens: number;
}

export interface RunSummary {
  /** Set on game runs' summaries (game-summary.ts); absent for benchmarks. */
  kind?: undefined;
  run_id: string;
  dir: string;
  model: string;
  bench: string;
  /** Items scored (every trial answered). */
  n: number;
  accuracy: number;
  stderr: number;
  ci_low: number;
  ci_high: number;
  /** Items planned. */
  items: number;
  /** Item-trials planned, answered, still failed, never requested. */
  trials: number;
  answered: number;
  errors: number;
  missing: number;
  /** Answered trials cut by the token limit (scored wrong). */
  truncated: number;
  completion_tokens: number;
  chance: number;
  /** The policy `accuracy` follows, and the accuracy under each (src/bench/policies.ts). */
  extraction: ExtractionPolicy;
  accuracy_upstream: number;
  accuracy_robust: number;
  summary: BenchSummary;
}

export async function summarizeRun(plan: RunPlan, keys: Set<string>, onBadLine?: (line: number) => void): Promise<RunSummary> {
  const latest = new Map<string, Compact>();
  for await (const r of readRecords(plan.dir, { onBadLine })) {
    if (!keys.has(r.request_key)) continue;
    const k = `${r.item_id}\u0000${r.trial}`;
    const ok = r.error === null;
    if (!replacesKept(latest.get(k)?.ok, ok)) continue;
    latest.set(k, {
      ok,
      truncated: r.truncated === true,
      score: ok ? (recordPolicyScore(r, plan.extraction ?? 'robust') ?? recordScore(r)) : null,
      upstream: ok ? (recordPolicyScore(r, 'upstream') ?? recordScore(r)) : null,
      robust: ok ? (recordPolicyScore(r, 'robust') ?? recordScore(r)) : null,
      tokens: r.usage?.completion_tokens ?? 0,
    });
  }
  const scores: ItemScore[] = [];
  const byPolicy: Record<ExtractionPolicy, ItemScore[]> = { upstream: [], robust: [] };
  let trials = 0;
  let answered = 0;
  let errors = 0;
  let missing = 0;
  let truncated = 0;
  let tokens = 0;
  for (const item of plan.items) {
    const ts: TrialScore[] = [];
    const tp: Record<ExtractionPolicy, TrialScore[]> = { upstream: [], robust: [] };
    let complete = true;
    for (const trial of plan.bench.trials(item, plan.options)) {
      trials++;
      const c = latest.get(`${item.id}\u0000${trial.index}`);
      if (!c) {
        missing++;
        complete = false;
      } else if (!c.ok) {
        errors++;
        complete = false;
      } else {
        answered++;
        tokens += c.tokens;
        if (c.truncated) truncated++;
        ts.push(c.score!);
        tp.upstream.push(c.upstream!);
        tp.robust.push(c.robust!);
      }
    }
    if (complete) {
      scores.push({ id: item.id, score: plan.bench.reduce(item, ts, plan.options), cluster: item.cluster, tags: item.tags });
      for (const p of ['upstream', 'robust'] as const) byPolicy[p].push({ id: item.id, score: plan.bench.reduce(item, tp[p], plan.options), cluster: item.cluster, tags: item.tags });
    }
  }
  const mean = (xs: ItemScore[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b.score, 0) / xs.length);
  const summary = summarizeBench(plan.bench.id, scores);
  return {
    run_id: plan.runId,
    dir: plan.dir,
    model: plan.model,
    bench: plan.bench.id,
    n: summary.n,
    accuracy: summary.accuracy,
    stderr: summary.stderr,
    ci_low: summary.ci_low,
    ci_high: summary.ci_high,
    items: plan.items.length,
    trials,
    answered,
    errors,
    missing,
    truncated,
    completion_tokens: tokens,
    chance: plan.bench.chance(plan.items, plan.options),
    extraction: plan.extraction ?? 'robust',
    accuracy_upstream: mean(byPolicy.upstream),
    accuracy_robust: mean(byPolicy.robust),
    summary,
  };
}
