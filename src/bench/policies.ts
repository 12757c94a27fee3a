/**
 * The one entry point that scores a response: under both extraction policies at once, so every
 * record keeps both verdicts and a policy can be switched later without re-requesting anything.
 * The online runner (through src/eval/outcome.ts), batch import, `masa score`, summarize's
 * rescoring of old records and `masa audit` all call scorePolicies; nothing that records a verdict
 * scores on its own (the simulator's item index only checks its own wordings with score()).
 */
import { MasaError } from '../core/errors.js';
import { EXTRACTION_POLICIES, type AnyBenchmark, type ExtractionPolicy, type Item, type PolicyScores, type Trial } from './types.js';

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as Promise<T>)?.then === 'function';
}

/**
 * Both verdicts for one response. Synchronous when the benchmark scores synchronously (the
 * runner's hot path stays free of promises); a benchmark's own scoreBoth is used when it has one.
 */
export function scorePolicies(
  bench: AnyBenchmark,
  item: Item,
  response: string | null,
  trial: Trial,
  options: object,
): PolicyScores | Promise<PolicyScores> {
  if (bench.scoreBoth) return bench.scoreBoth(item, response, trial, options);
  const upstream = bench.score(item, response, trial, options, 'upstream');
  const robust = bench.score(item, response, trial, options, 'robust');
  if (isPromise(upstream) || isPromise(robust)) {
    return Promise.all([upstream, robust]).then(([u, r]) => ({ upstream: u, robust: r }));
  }
  return { upstream, robust };
}

/** True when the two policies read a response differently (another answer or another verdict). */
export function policiesDisagree(p: { upstream: { extracted: string | null; correct: boolean | null }; robust: { extracted: string | null; correct: boolean | null } }): boolean {
  return p.upstream.correct !== p.robust.correct || p.upstream.extracted !== p.robust.extracted;
}

/** Checks an --extraction value. */
export function parseExtraction(value: unknown, where = '--extraction'): ExtractionPolicy {
  if (value === undefined || value === null) return 'robust';
  if (typeof value === 'string' && (EXTRACTION_POLICIES as readonly string[]).includes(value)) return value as ExtractionPolicy;
  throw new MasaError(`${where}: '${String(value)}' is not one of ${EXTRACTION_POLICIES.join(', ')}`, { exitCode: 2 });
}
