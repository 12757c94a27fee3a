/**
 * What a run cost the server, from its records and meta.json: one row per run of `masa
 * summarize`'s cost table (costs.csv) and the report's "What the server spent" section.
 *
 * - requests: answered requests; a request shared by several trials (one request with n, or one
 *   greedy answer for all, SampleRecord.shared) counts once;
 * - prompt tokens: per request, once; cached: what the server said it served from its prefix
 *   cache (usage.prompt_tokens_details.cached_tokens; vLLM reports it only when started with
 *   --enable-prompt-tokens-details, else the column is empty); computed = prompt - cached;
 * - completion tokens: per distinct answer; reasoning tokens as the server reported them, else
 *   estimated as the completion tokens times the reasoning's share of the answer's characters;
 * - wall time: the sessions' time from their first request to their last record (older runs:
 *   session start to end); tokens/s = (computed prompt + completion tokens) / wall time.
 * Every record counts, including retried and superseded ones and answers past a precision run's
 * prefix: all of them were work the server did.
 */
import type { RunMeta, SampleRecord } from '../eval/records.js';
import { toCsv } from '../core/csv.js';

export interface RunCostRow {
  model: string;
  benchmark: string;
  run_id: string;
  requests: number;
  /** Records whose request failed after every retry. */
  failed: number;
  prompt_tokens: number;
  /** Null when the server never reported cached tokens. */
  cached_tokens: number | null;
  computed_prompt_tokens: number | null;
  completion_tokens: number;
  reasoning_tokens: number;
  /** True when some reasoning tokens were estimated from text lengths (not reported). */
  reasoning_estimated: boolean;
  wall_s: number | null;
  tokens_per_s: number | null;
  completion_tokens_per_s: number | null;
  /** True for simulated (`sim/...`) models. */
  synthetic: boolean;
}

export const COST_COLUMNS: ReadonlyArray<keyof RunCostRow> = [
  'model', 'benchmark', 'run_id', 'requests', 'failed', 'prompt_tokens', 'cached_tokens', 'computed_prompt_tokens',
  'completion_tokens', 'reasoning_tokens', 'reasoning_estimated', 'wall_s', 'tokens_per_s', 'completion_tokens_per_s', 'synthetic',
];

/** Sums one run's records; `row()` turns the sums and the run's sessions into a cost row. */
export class CostTally {
  private requests = 0;
  private failed = 0;
  private prompt = 0;
  private cached = 0;
  private cachedReported = false;
  private completion = 0;
  private reasoning = 0;
  private estimated = false;

  /** A benchmark's record, or a game's model turn (the same usage, reasoning and error fields). */
  add(r: Pick<SampleRecord, 'error' | 'usage' | 'reasoning' | 'response'> & { shared?: SampleRecord['shared'] }): void {
    if (r.error !== null) {
      this.failed++;
      return;
    }
    const s = r.shared;
    const u = r.usage;
    if (!s || s.index === 0) {
      this.requests++;
      if (u) {
        this.prompt += u.prompt_tokens;
        if (typeof u.cached_tokens === 'number') {
          this.cached += u.cached_tokens;
          this.cachedReported = true;
        }
      }
    }
    // A greedy answer serving several trials was generated once (its other records hold choice 0 again).
    if (s && s.choice !== s.index) return;
    if (!u) return;
    this.completion += u.completion_tokens;
    if (typeof u.reasoning_tokens === 'number') this.reasoning += u.reasoning_tokens;
    else if (r.reasoning) {
      const rl = r.reasoning.length;
      this.reasoning += Math.round((u.completion_tokens * rl) / (rl + (r.response?.length ?? 0)));
      this.estimated = true;
    }
  }

  row(model: string, benchmark: string, runId: string, meta: RunMeta | null): RunCostRow {
    const wall = wallSeconds(meta);
    const computed = this.cachedReported ? this.prompt - this.cached : null;
    const work = (computed ?? this.prompt) + this.completion;
    return {
      model,
      benchmark,
      run_id: runId,
      requests: this.requests,
      failed: this.failed,
      prompt_tokens: this.prompt,
      cached_tokens: this.cachedReported ? this.cached : null,
      computed_prompt_tokens: computed,
      completion_tokens: this.completion,
      reasoning_tokens: this.reasoning,
      reasoning_estimated: this.estimated,
      wall_s: wall,
      tokens_per_s: wall && wall > 0 ? work / wall : null,
      completion_tokens_per_s: wall && wall > 0 ? this.completion / wall : null,
      synthetic: model.startsWith('sim/'),
    };
  }
}

/** A run's working time over its sessions (first request to last record; start to end where that is not recorded). */
export function wallSeconds(meta: RunMeta | null): number | null {
  const sessions = meta?.sessions ?? [];
  let ms = 0;
  let any = false;
  for (const s of sessions) {
    if (typeof s.work_ms === 'number') {
      ms += s.work_ms;
      any = true;
    } else if (s.mode === 'online' && s.finished_at && s.started_at && s.requested > 0) {
      const d = Date.parse(s.finished_at) - Date.parse(s.started_at);
      if (Number.isFinite(d) && d >= 0) {
        ms += d;
        any = true;
      }
    }
  }
  return any ? ms / 1000 : null;
}

export function costsCsv(rows: readonly RunCostRow[]): string {
  return toCsv(COST_COLUMNS, rows as unknown as Array<Record<string, unknown>>);
}
