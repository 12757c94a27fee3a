/**
 * From a server's answer (online or from a batch output line) to a SampleRecord: split off the
 * reasoning, score the answer under both extraction policies (nothing when truncated), fill every
 * field. One code path for online and batch, so both give the same records and the same scores.
 */
import { scorePolicies } from '../bench/policies.js';
import type { Item, PolicyScores, Trial, TrialScore } from '../bench/types.js';
import type { ChatResult } from './client.js';
import type { RunPlan } from './plan.js';
import { splitResponse } from './reasoning.js';
import type { HarnessVerdict, PolicyVerdict, SampleRecord } from './records.js';

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
  /** max_tokens actually sent, when known (context-length capping may lower the planned one). */
  max_tokens?: number | null;
}

export interface Failure {
  error: string;
  latency_ms: number | null;
  endpoint: string | null;
  attempts: number;
  max_tokens?: number | null;
}

/** max_tokens actually sent, when it differs from the plan's (context-length capping); else undefined. */
function sentMaxTokens(r: RecordInput, sent: number | null | undefined): number | undefined {
  return sent === null || sent === undefined || sent === r.plan.generation.settings.max_tokens ? undefined : sent;
}

/**
 * One object literal with every field. Not `{ ...base, twenty more fields }`: V8 builds that on
 * a slow path (~20 us a record, the largest per-record cost of a run against a fast server).
 */
function makeRecord(
  r: RecordInput,
  response: string | null,
  reasoning: string | null,
  finishReason: string | null,
  truncated: boolean,
  usage: SampleRecord['usage'],
  latency: number | null,
  both: PolicyScores | null,
  status: string | null,
  error: string | null,
  attempts: number,
  endpoint: string | null,
  sent: number | null | undefined,
): SampleRecord {
  const ts: TrialScore | null = both ? (r.plan.extraction === 'upstream' ? both.upstream : both.robust) : null;
  const rec: SampleRecord = {
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
    response,
    reasoning,
    finish_reason: finishReason,
    truncated,
    usage,
    latency_ms: latency,
    extracted: ts ? ts.extracted : null,
    rule: ts ? ts.rule : null,
    gold: ts ? ts.gold : null,
    correct: ts ? ts.correct : null,
    status,
    extraction: r.plan.extraction ?? 'robust',
    policies: both ? { upstream: verdict(both.upstream, truncated), robust: verdict(both.robust, truncated) } : undefined,
    error,
    attempts,
    endpoint,
    time: new Date().toISOString(),
  };
  const mt = sentMaxTokens(r, sent);
  if (mt !== undefined) rec.max_tokens = mt;
  return rec;
}

function verdict(t: TrialScore, truncated: boolean): PolicyVerdict {
  return { extracted: t.extracted, rule: t.rule, correct: t.correct, status: t.status ?? (truncated ? 'truncated' : null) };
}

function fromScore(r: RecordInput, s: Success, answer: string | null, reasoning: string | null, truncated: boolean, both: PolicyScores): SampleRecord {
  const ts = r.plan.extraction === 'upstream' ? both.upstream : both.robust;
  const status = ts.status ?? (truncated ? 'truncated' : null);
  return makeRecord(r, answer, reasoning, s.result.finish_reason, truncated, s.result.usage, s.latency_ms, both, status, null, s.attempts, s.endpoint, s.max_tokens);
}

/** Scores a successful response. Returns synchronously when the benchmark scores synchronously. */
export function successRecord(r: RecordInput, s: Success): SampleRecord | Promise<SampleRecord> {
  const split = splitResponse(s.result.content, s.result.reasoning, s.result.finish_reason);
  const scored = split.truncated ? null : split.answer;
  const both = scorePolicies(r.plan.bench, r.item, scored, r.trial, r.plan.options);
  // A truncated response keeps its partial text in the record but is scored as no answer.
  const answer = split.answer;
  if (typeof (both as Promise<PolicyScores>).then === 'function') {
    return (both as Promise<PolicyScores>).then((t) => fromScore(r, s, answer, split.reasoning, split.truncated, t));
  }
  return fromScore(r, s, answer, split.reasoning, split.truncated, both as PolicyScores);
}

export function failureRecord(r: RecordInput, f: Failure): SampleRecord {
  return makeRecord(r, null, null, null, false, null, f.latency_ms, null, 'error', f.error, f.attempts, f.endpoint, f.max_tokens);
}

/** A response another harness recorded (`masa import`), with that harness's own verdict. */
export interface ImportedResponse {
  result: ChatResult;
  /** Names the harness and file, in the record's `endpoint` field. */
  source: string;
  verdict: HarnessVerdict;
}

/**
 * An imported response goes through the same scoring and record path as a served one (so any
 * rule added to successRecord applies to imports too); the harness's verdict rides beside it.
 */
export function importedRecord(r: RecordInput, imp: ImportedResponse): SampleRecord | Promise<SampleRecord> {
  const rec = successRecord(r, { result: imp.result, latency_ms: null, endpoint: imp.source, attempts: 1 });
  const attach = (x: SampleRecord): SampleRecord => {
    x.harness = imp.verdict;
    return x;
  };
  return rec instanceof Promise ? rec.then(attach) : attach(rec);
}
