/**
 * From a server's answer (online or from a batch output line) to a SampleRecord: split off the
 * reasoning, score the answer (nothing when truncated), fill every field. One code path for
 * online and batch, so both give the same records and the same scores.
 */
import type { Item, Trial, TrialScore } from '../bench/types.js';
import type { ChatResult } from './client.js';
import type { RunPlan } from './plan.js';
import { splitResponse } from './reasoning.js';
import type { SampleRecord } from './records.js';

export interface RecordInput {
  plan: RunPlan;
  item: Item;
  trial: Trial;
  key: string;
}

export interface Success {
  result: ChatResult;
  latency_ms: number | null;
  endpoint: string | null;
  attempts: number;
}

export interface Failure {
  error: string;
  latency_ms: number | null;
  endpoint: string | null;
  attempts: number;
}

function base(r: RecordInput): Pick<SampleRecord, 'v' | 'run_id' | 'model' | 'bench' | 'item_id' | 'trial' | 'permutation' | 'request_key' | 'tags' | 'cluster'> {
  return {
    v: 1,
    run_id: r.plan.runId,
    model: r.plan.model,
    bench: r.plan.bench.id,
    item_id: r.item.id,
    trial: r.trial.index,
    permutation: r.trial.permutation,
    request_key: r.key,
    tags: r.item.tags,
    cluster: r.item.cluster,
  };
}

function fromScore(r: RecordInput, s: Success, answer: string | null, reasoning: string | null, truncated: boolean, ts: TrialScore): SampleRecord {
  return {
    ...base(r),
    response: answer,
    reasoning,
    finish_reason: s.result.finish_reason,
    truncated,
    usage: s.result.usage,
    latency_ms: s.latency_ms,
    extracted: ts.extracted,
    rule: ts.rule,
    gold: ts.gold,
    correct: ts.correct,
    status: ts.status ?? (truncated ? 'truncated' : null),
    error: null,
    attempts: s.attempts,
    endpoint: s.endpoint,
    time: new Date().toISOString(),
  };
}

/** Scores a successful response. Returns synchronously when the benchmark scores synchronously. */
export function successRecord(r: RecordInput, s: Success): SampleRecord | Promise<SampleRecord> {
  const split = splitResponse(s.result.content, s.result.reasoning, s.result.finish_reason);
  const scored = split.truncated ? null : split.answer;
  const ts = r.plan.bench.score(r.item, scored, r.trial, r.plan.options) as TrialScore | Promise<TrialScore>;
  // A truncated response keeps its partial text in the record but is scored as no answer.
  const answer = split.answer;
  if (ts && typeof (ts as Promise<TrialScore>).then === 'function') {
    return (ts as Promise<TrialScore>).then((t) => fromScore(r, s, answer, split.reasoning, split.truncated, t));
  }
  return fromScore(r, s, answer, split.reasoning, split.truncated, ts as TrialScore);
}

export function failureRecord(r: RecordInput, f: Failure): SampleRecord {
  return {
    ...base(r),
    response: null,
    reasoning: null,
    finish_reason: null,
    truncated: false,
    usage: null,
    latency_ms: f.latency_ms,
    extracted: null,
    rule: null,
    gold: null,
    correct: null,
    status: 'error',
    error: f.error,
    attempts: f.attempts,
    endpoint: f.endpoint,
    time: new Date().toISOString(),
  };
}
