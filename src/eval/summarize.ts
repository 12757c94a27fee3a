/**
 * A run's summary from its records file: the record that counts per (item, trial) (latest
 * success, else latest error), trials folded per item with the benchmark's reduce, then
 * accuracy and its (clustered) standard error. Items with a trial that still failed are left
 * out of the accuracy and counted in `errors`, so a transport failure never scores as wrong;
 * truncated responses are the model's doing and count as wrong.
 */
import { bettingConfidenceSequence } from '../bench/confidence-sequence.js';
import { summarizeBench, type BenchSummary, type ItemScore } from '../bench/summary.js';
import type { ExtractionPolicy, TrialScore } from '../bench/types.js';
import type { RunPlan } from './plan.js';
import { prefixOf, replayPrecision, type PrecisionSettings } from './precision.js';
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
  /** Precision-targeted runs: the interval over the longest complete prefix and where the rule stopped. */
  precision?: PrecisionSummary;
}

const Z95 = 1.959963984540054;

/**
 * A precision-targeted run's summary. Accuracy, n and sub-scores are over the longest complete
 * prefix of the stratified order; ci_low/ci_high are the confidence sequence for the accuracy of
 * all `population` items, widened where needed to the prefix items' own Wilson interval (so a run
 * stopped early never looks more precise than the items it scored), and stderr is the larger of
 * the items' standard error and the interval's half-width / 1.96 (so error bars drawn from it show
 * the interval).
 */
export interface PrecisionSummary {
  target: number;
  alpha: number;
  min_items: number;
  method: string;
  population: number;
  /** Items the interval is over (the longest complete prefix, failed items skipped). */
  items: number;
  /** Items answered after the prefix's end (in flight when the run stopped): recorded, not counted. */
  beyond: number;
  /** Items never requested because the run stopped. */
  skipped: number;
  /** True when the rule reached the target (the run is done). */
  stopped: boolean;
  /** Prefix size at which it did; null when it has not. */
  stopped_at: number | null;
  cs_low: number;
  cs_high: number;
  half_width: number;
  wilson_low: number;
  wilson_high: number;
}

/** How an item stands in a run's records. */
export interface ItemState {
  id: string;
  status: 'complete' | 'failed' | 'missing';
  score: ItemScore | null;
}

/** A precision-targeted run's numbers from its items' states in order (shared with `masa summarize`). */
export function precisionNumbers(
  states: readonly ItemState[],
  population: number,
  settings: PrecisionSettings,
): { prefix: ItemScore[]; counted: Set<string>; precision: PrecisionSummary; bench: (id: string) => BenchSummary } {
  const p = prefixOf(states, (s) => s.status);
  const prefix = p.included.map((s) => s.score!);
  const replay = replayPrecision(
    prefix.map((x) => x.score),
    population,
    settings,
  );
  let beyond = 0;
  let skipped = 0;
  for (let i = p.end; i < states.length; i++) {
    if (states[i]!.status === 'complete') beyond++;
    else if (states[i]!.status === 'missing') skipped++;
  }
  const stopped = replay.stoppedAt !== null;
  const cs = prefix.length > 0 ? replay.cs : bettingConfidenceSequence([], { alpha: settings.alpha, population });
  const precision: PrecisionSummary = {
    target: settings.target,
    alpha: settings.alpha,
    min_items: settings.minItems,
    method: cs.method,
    population,
    items: prefix.length,
    beyond,
    skipped: stopped ? skipped : 0,
    stopped,
    stopped_at: replay.stoppedAt,
    cs_low: cs.low,
    cs_high: cs.high,
    half_width: cs.halfWidth,
    wilson_low: 0,
    wilson_high: 1,
  };
  return {
    prefix,
    counted: new Set([...p.included, ...p.failed].map((s) => s.id)),
    precision,
    bench: (id) => {
      const b = summarizeBench(id, prefix);
      precision.wilson_low = b.ci_low;
      precision.wilson_high = b.ci_high;
      b.ci_low = Math.min(b.ci_low, cs.low);
      b.ci_high = Math.max(b.ci_high, cs.high);
      b.stderr = Math.max(b.stderr, cs.halfWidth / Z95);
      return b;
    },
  };
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
  const states: ItemState[] = [];
  const byPolicy = new Map<string, Record<ExtractionPolicy, number>>();
  const trialCounts = new Map<string, { trials: number; answered: number; errors: number; missing: number; truncated: number; tokens: number }>();
  for (const item of plan.items) {
    const ts: TrialScore[] = [];
    const tp: Record<ExtractionPolicy, TrialScore[]> = { upstream: [], robust: [] };
    const c = { trials: 0, answered: 0, errors: 0, missing: 0, truncated: 0, tokens: 0 };
    for (const trial of plan.bench.trials(item, plan.options)) {
      c.trials++;
      const rec = latest.get(`${item.id}\u0000${trial.index}`);
      if (!rec) c.missing++;
      else if (!rec.ok) c.errors++;
      else {
        c.answered++;
        c.tokens += rec.tokens;
        if (rec.truncated) c.truncated++;
        ts.push(rec.score!);
        tp.upstream.push(rec.upstream!);
        tp.robust.push(rec.robust!);
      }
    }
    trialCounts.set(item.id, c);
    const status = c.missing > 0 ? 'missing' : c.errors > 0 ? 'failed' : 'complete';
    const score = status === 'complete' ? { id: item.id, score: plan.bench.reduce(item, ts, plan.options), cluster: item.cluster, tags: item.tags } : null;
    if (score) byPolicy.set(item.id, { upstream: plan.bench.reduce(item, tp.upstream, plan.options), robust: plan.bench.reduce(item, tp.robust, plan.options) });
    states.push({ id: item.id, status, score });
  }
  // A precision-targeted run counts its prefix; any other run every planned item.
  const p = plan.precision ? precisionNumbers(states, plan.items.length, plan.precision) : null;
  const counted = p ? states.filter((s) => p.counted.has(s.id)) : states;
  let trials = 0;
  let answered = 0;
  let errors = 0;
  let missing = 0;
  let truncated = 0;
  let tokens = 0;
  for (const st of counted) {
    const c = trialCounts.get(st.id)!;
    trials += c.trials;
    answered += c.answered;
    errors += c.errors;
    truncated += c.truncated;
    tokens += c.tokens;
  }
  // Missing: what the run still needs (nothing once the precision rule has stopped it).
  if (!p || !p.precision.stopped) for (const c of trialCounts.values()) missing += c.missing;
  const summary = p ? p.bench(plan.bench.id) : summarizeBench(plan.bench.id, states.filter((s) => s.score).map((s) => s.score!));
  const scoredIds = counted.filter((s) => s.score).map((s) => s.id);
  const mean = (policy: ExtractionPolicy): number => (scoredIds.length === 0 ? 0 : scoredIds.reduce((a, id) => a + byPolicy.get(id)![policy], 0) / scoredIds.length);
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
    accuracy_upstream: mean('upstream'),
    accuracy_robust: mean('robust'),
    summary,
    ...(p ? { precision: p.precision } : {}),
  };
}
