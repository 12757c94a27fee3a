/**
 * `masa summarize` for a precision-targeted run (meta.precision, src/eval/precision.ts): the
 * run's items are rebuilt in its stratified seeded order and summarized over the longest
 * complete prefix with the confidence sequence, exactly as the run itself summarized them
 * (eval/summarize.ts precisionNumbers), so the table and the run agree.
 */
import type { ScoreSummary } from '../bench/summary.js';
import type { Item, TrialScore } from '../bench/types.js';
import { stratifiedOrder } from '../eval/order.js';
import type { RunMeta } from '../eval/records.js';
import { precisionNumbers, type ItemState } from '../eval/summarize.js';

interface RecordedItem {
  trials: Map<number, { ok: boolean; score: TrialScore | null }>;
}

interface OrderSource {
  items?(): Item[];
  trials?(item: Item): number;
  reduce(item: Item, trials: TrialScore[]): number;
}

/** Columns a precision-targeted row adds to the tidy table. */
export interface PrecisionColumns {
  /** How the interval was made ('wilson' for ordinary runs). */
  interval: string;
  /** Items the run draws from; stopped_at: where the rule stopped (empty: not yet). */
  items_total: number;
  stopped_at: number | null;
}

export function precisionRow(
  meta: RunMeta,
  recorded: ReadonlyMap<string, RecordedItem>,
  adapter: OrderSource,
  warn: (m: string) => void,
  runId: string,
): { summary: ScoreSummary; errors: number; columns: PrecisionColumns } | null {
  const pm = meta.precision!;
  const all = adapter.items?.() ?? [];
  if (all.length === 0 || !adapter.trials) {
    warn(`${runId}: a precision-targeted run, but its items could not be loaded to rebuild their order: summarized over every answered item instead`);
    return null;
  }
  const order = stratifiedOrder(all, meta.seed).slice(0, pm.population);
  let errors = 0;
  const failedTrials = new Map<string, number>();
  const states: ItemState[] = order.map((item) => {
    const rec = recorded.get(item.id);
    const want = adapter.trials!(item);
    if (!rec) return { id: item.id, status: 'missing', score: null };
    const ts: TrialScore[] = [];
    let failed = 0;
    for (let t = 0; t < want; t++) {
      const o = rec.trials.get(t);
      if (!o) return { id: item.id, status: 'missing', score: null };
      if (!o.ok) failed++;
      else ts.push(o.score!);
    }
    if (failed > 0) {
      failedTrials.set(item.id, failed);
      return { id: item.id, status: 'failed', score: null };
    }
    return { id: item.id, status: 'complete', score: { id: item.id, score: adapter.reduce(item, ts), cluster: item.cluster, tags: item.tags } };
  });
  const p = precisionNumbers(states, order.length, { target: pm.target, alpha: pm.alpha, minItems: pm.min_items });
  for (const id of p.counted) errors += failedTrials.get(id) ?? 0;
  return { summary: p.bench(meta.bench), errors, columns: { interval: p.precision.method, items_total: order.length, stopped_at: p.precision.stopped_at } };
}
