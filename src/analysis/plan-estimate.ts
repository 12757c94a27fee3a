/**
 * `masa plan`: what a sweep will cost before anything runs: per (model, benchmark) the items,
 * requests and tokens, from the benchmarks' sizes and trials, the requests masa would send
 * (trials that repeat a prompt share one, see src/eval/sharing.ts), and typical answer lengths;
 * from earlier runs where there are any (their accuracy, prompt and completion tokens per request).
 *
 * With a precision target the items are where the stopping rule (src/eval/precision.ts) stops on
 * a run of item scores at the expected accuracy: the model's own earlier accuracy on the
 * benchmark, else other models' mean there, else 0.5 (the widest interval, so then an upper
 * estimate). The run is replayed on a regular 0/1 sequence at that accuracy (every prefix as
 * close to it as whole items allow), a benchmark that folds trials by their mean (CoordinationQA)
 * varies less per item than that, so it tends to stop sooner than estimated.
 *
 * Beside it, the items a fixed-n interval would need at that accuracy (fixed_n_items): the floor a
 * target cannot be bought below, whatever the interval.
 *
 * Answer lengths with no earlier run are masa's assumptions (ASSUMED_ANSWER_TOKENS, not
 * measurements), five times longer for thinking models, never above the run's max_tokens.
 * Prompt tokens with no earlier run: 4 characters a token plus the chat template's markers.
 */
import { loadItems } from '../bench/data.js';
import type { AnyBenchmark, Item } from '../bench/types.js';
import type { ModelInfo } from '../core/catalog.js';
import { findModel } from '../core/catalog-load.js';
import { benchOptions, itemRequests, planFromItems } from '../eval/plan.js';
import { precisionSettings, stoppingRun, type PrecisionSettings } from '../eval/precision.js';
import { groupTrials } from '../eval/sharing.js';
import { fixedSampleSize } from './sample-size.js';
import { summarizeResults } from './summarize-results.js';

/** Typical answer lengths in tokens when no earlier run says better: masa's assumptions, not measurements. */
export const ASSUMED_ANSWER_TOKENS: Record<string, number> = {
  math500: 600,
  humaneval: 200,
  'mmlu-pro': 350,
  'gpqa-diamond': 600,
  tombench: 8,
  emobench: 30,
  coordinationqa: 150,
};
const DEFAULT_ANSWER_TOKENS = 300;
const THINKING_FACTOR = 5;

export interface PlanRow {
  model: string;
  bench: string;
  /** Items the run draws from, trials per item. */
  items_total: number;
  trials: number;
  /** Items it is expected to need (all of them without a target). */
  items: number;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** The accuracy the estimate assumed, and where it came from. */
  accuracy: number;
  accuracy_basis: 'earlier run' | 'other models' | 'assumed 0.5' | 'not needed';
  /** Completion tokens per request, and where that came from. */
  completion_per_request: number;
  tokens_basis: 'earlier run' | 'other models' | 'assumed';
  /** Whether the target is expected to stop the run before its last item. */
  stops_early: boolean;
  /**
   * With a target: the items a fixed-n 95% interval at the assumed accuracy would need (0/1 item
   * scores, checked once at a planned n, no optional stopping; src/analysis/sample-size.ts). What
   * `items` spends beyond it is the price of stopping when the interval is narrow enough.
   */
  fixed_n_items: number | null;
}

export interface PlanOptions {
  models: string[];
  benches: AnyBenchmark[];
  targetCi?: number | null;
  minItems?: number;
  limit?: number | null;
  seed?: number;
  dataRoot?: string;
  /** Benchmark options by id ('*' for all), as --option. */
  options?: Record<string, Record<string, unknown>>;
  /** A results folder with earlier runs (optional). */
  results?: string;
  shareTrials?: boolean;
  catalog: readonly ModelInfo[];
  onWarning?: (m: string) => void;
}

interface Earlier {
  accuracy: Map<string, number>;
  promptPerRequest: Map<string, number>;
  completionPerRequest: Map<string, number>;
}

const bare = (model: string): string => model.replace(/^sim\//, '');
const key = (model: string, bench: string): string => `${bare(model)}\u0000${bench}`;

async function earlierRuns(dir: string | undefined, o: PlanOptions): Promise<Earlier> {
  const e: Earlier = { accuracy: new Map(), promptPerRequest: new Map(), completionPerRequest: new Map() };
  if (!dir) return e;
  const res = await summarizeResults(dir, { catalog: o.catalog, dataRoot: o.dataRoot, onWarning: o.onWarning });
  for (const r of res.rows) if (r.n > 0) e.accuracy.set(key(r.model, r.benchmark), r.accuracy);
  for (const c of res.costs) {
    if (c.requests === 0) continue;
    e.promptPerRequest.set(key(c.model, c.benchmark), c.prompt_tokens / c.requests);
    e.completionPerRequest.set(key(c.model, c.benchmark), c.completion_tokens / c.requests);
  }
  return e;
}

/** The mean of a map's values for one benchmark over other models, if any. */
function othersMean(m: Map<string, number>, bench: string): number | null {
  const vals = [...m].filter(([k]) => k.endsWith(`\u0000${bench}`)).map(([, v]) => v);
  return vals.length > 0 ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
}

/** Item scores in order at accuracy p, every prefix as close to p as whole items allow. */
export function regularScores(n: number, p: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let t = 1; t <= n; t++) {
    const x = Math.round(t * p) - sum > 0 ? 1 : 0;
    out.push(x);
    sum += x;
  }
  return out;
}

/** Where the stopping rule is expected to stop on `n` items at accuracy p (n when it is not). */
export function expectedItems(n: number, p: number, s: PrecisionSettings): number {
  const r = stoppingRun(regularScores(n, p), n, s);
  return r.stoppedAt ?? n;
}

function promptEstimate(messages: ReadonlyArray<{ content: string }>): number {
  let t = 3;
  for (const m of messages) t += 4 + Math.ceil(m.content.length / 4);
  return t;
}

export async function planEstimates(o: PlanOptions): Promise<PlanRow[]> {
  const settings = o.targetCi === undefined || o.targetCi === null ? null : precisionSettings(o.targetCi, { minItems: o.minItems });
  const earlier = await earlierRuns(o.results, o);
  const rows: PlanRow[] = [];
  for (const bench of o.benches) {
    const options = benchOptions(bench, o.options ?? {}, o.benches);
    const { items: all, location } = await loadItems(bench, options, o.dataRoot);
    // The items in run order and what each sends: the same for every model (the order depends on the seed only).
    const plan = planFromItems(bench, options, all as Item[], location, {
      model: o.models[0] ?? 'model',
      seed: o.seed ?? 0,
      limit: o.limit ?? null,
      options: o.options ?? {},
      generation: {},
      greedy: false,
      preset: undefined,
      out: '',
      precision: settings,
    });
    const perItem = plan.items.map((item) => {
      const groups = groupTrials(itemRequests(plan, item), o.shareTrials ?? true);
      return { requests: groups.length, prompt: groups.reduce((t, g) => t + promptEstimate(g.body.messages), 0), trials: bench.trials(item, options).length };
    });
    const n = perItem.length;
    const allRequests = perItem.reduce((t, x) => t + x.requests, 0);
    const trials = Math.max(0, ...perItem.map((x) => x.trials));
    for (const model of o.models) {
      const info = findModel(bare(model), o.catalog);
      const k = key(model, bench.id);
      let accuracy = 0.5;
      let accuracyBasis: PlanRow['accuracy_basis'] = settings ? 'assumed 0.5' : 'not needed';
      if (settings) {
        const own = earlier.accuracy.get(k);
        const others = othersMean(earlier.accuracy, bench.id);
        if (own !== undefined) [accuracy, accuracyBasis] = [own, 'earlier run'];
        else if (others !== null) [accuracy, accuracyBasis] = [others, 'other models'];
      }
      const items = settings ? expectedItems(n, accuracy, settings) : n;
      let requests = 0;
      let promptTokens = 0;
      for (let i = 0; i < items; i++) {
        requests += perItem[i]!.requests;
        promptTokens += perItem[i]!.prompt;
      }
      const ownPrompt = earlier.promptPerRequest.get(k) ?? othersMean(earlier.promptPerRequest, bench.id);
      if (ownPrompt !== null && ownPrompt !== undefined) promptTokens = Math.round(ownPrompt * requests);
      let perRequest = earlier.completionPerRequest.get(k);
      let tokensBasis: PlanRow['tokens_basis'] = 'earlier run';
      if (perRequest === undefined) {
        const others = othersMean(earlier.completionPerRequest, bench.id);
        if (others !== null) [perRequest, tokensBasis] = [others, 'other models'];
      }
      if (perRequest === undefined) {
        const maxTokens = plan.generation.settings.max_tokens ?? Infinity;
        const answer = Math.min(maxTokens, (ASSUMED_ANSWER_TOKENS[bench.id] ?? DEFAULT_ANSWER_TOKENS) * (info?.thinking ? THINKING_FACTOR : 1));
        // A shared request answers once per trial it serves.
        perRequest = (answer * plan.total) / Math.max(1, allRequests);
        tokensBasis = 'assumed';
      }
      rows.push({
        model,
        bench: bench.id,
        items_total: n,
        trials,
        items,
        requests,
        prompt_tokens: promptTokens,
        completion_tokens: Math.round(perRequest * requests),
        accuracy,
        accuracy_basis: accuracyBasis,
        completion_per_request: perRequest,
        tokens_basis: tokensBasis,
        stops_early: items < n,
        fixed_n_items: settings ? fixedSampleSize({ variance: n > 1 ? (accuracy * (1 - accuracy) * n) / (n - 1) : 0, population: n, halfWidth: settings.target, alpha: settings.alpha }) : null,
      });
    }
  }
  return rows;
}
