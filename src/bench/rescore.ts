/**
 * Scores recorded responses (`masa score`): one `{id, response, trial?, permutation?}` per
 * line, against any registered benchmark, under both extraction policies (scorePolicies). Pure
 * apart from the benchmark's own scorer.
 */
import { availableParallelism } from 'node:os';
import { MasaError } from '../core/errors.js';
import { isPermutationOf } from './choices.js';
import { summarizeBench, type BenchSummary, type ItemScore } from './summary.js';
import { scorePolicies } from './policies.js';
import type { AnyBenchmark, ExtractionPolicy, Item, PolicyScores, Trial, TrialScore } from './types.js';

export interface ResponseLine {
  id: string;
  response: string | null;
  trial?: number;
  permutation?: number[] | null;
}

export interface Verdict {
  id: string;
  trial: number;
  permutation: number[] | null;
  extracted: string | null;
  rule: string;
  gold: string;
  correct: boolean;
  status: string | null;
  detail?: string;
  /** The policy whose verdict the fields above hold. */
  extraction: ExtractionPolicy;
  /** Both policies' verdicts. */
  policies: Record<ExtractionPolicy, { extracted: string | null; rule: string; correct: boolean; status: string | null }>;
}

export interface RescoreResult {
  verdicts: Verdict[];
  /** The summary under the chosen policy. */
  summary: BenchSummary;
  /** The summary under each policy. */
  summaries: Record<ExtractionPolicy, BenchSummary>;
  extraction: ExtractionPolicy;
  /** Ids in the responses that the benchmark does not have (in order of first appearance). */
  unknownIds: string[];
  /** Items of the benchmark with no response at all (not counted in n). */
  missing: number;
  /** Lines that gave neither trial nor permutation on a benchmark that shuffles options. */
  unshuffled: number;
  chance: number;
}

/** Checks one parsed JSONL value; errors name `file:line`. */
export function parseResponseLine(value: unknown, where: string): ResponseLine {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MasaError(`${where}: not a JSON object`);
  const v = value as Record<string, unknown>;
  let id: string;
  if (typeof v.id === 'string' && v.id !== '') id = v.id;
  else if (typeof v.id === 'number' && Number.isFinite(v.id)) id = String(v.id);
  else throw new MasaError(`${where}: "id" missing or not a string`);
  if (!('response' in v)) throw new MasaError(`${where}: "response" missing`);
  if (v.response !== null && typeof v.response !== 'string') throw new MasaError(`${where}: "response" is not a string or null`);
  const out: ResponseLine = { id, response: v.response as string | null };
  if (v.trial !== undefined && v.trial !== null) {
    if (typeof v.trial !== 'number' || !Number.isInteger(v.trial) || v.trial < 0) throw new MasaError(`${where}: "trial" is not a non-negative integer`);
    out.trial = v.trial;
  }
  if (v.permutation !== undefined && v.permutation !== null) {
    if (!Array.isArray(v.permutation) || !v.permutation.every((x) => typeof x === 'number')) {
      throw new MasaError(`${where}: "permutation" is not a list of numbers`);
    }
    out.permutation = v.permutation as number[];
  } else if (v.permutation === null) out.permutation = null;
  return out;
}

function optionCount(bench: AnyBenchmark, item: Item, trials: Trial[]): number | undefined {
  const p = trials[0]?.permutation;
  if (p) return p.length;
  const opts = (item as unknown as { options?: unknown }).options;
  return Array.isArray(opts) ? opts.length : undefined;
}

/**
 * The trial a response line stands for. No trial and no permutation: upstream order.
 * A trial without a permutation: the benchmark's own seeded trial of that index.
 */
export function resolveTrial(bench: AnyBenchmark, item: Item, line: ResponseLine, options: Record<string, unknown>, where: string): Trial {
  const trials = bench.trials(item, options);
  if (line.permutation) {
    const n = optionCount(bench, item, trials);
    if (n === undefined) throw new MasaError(`${where}: ${bench.id} items have no option list, so "permutation" does not apply`);
    if (!isPermutationOf(line.permutation, n)) {
      throw new MasaError(`${where}: "permutation" [${line.permutation.join(',')}] is not a permutation of 0..${n - 1} for item ${item.id}`);
    }
    return { index: line.trial ?? 0, permutation: [...line.permutation] };
  }
  if (line.trial === undefined || line.permutation === null) return { index: line.trial ?? 0, permutation: null };
  const t = trials[line.trial];
  if (!t) {
    throw new MasaError(`${where}: trial ${line.trial} is not one of the ${trials.length} trial(s) ${bench.id} makes with these options (give "permutation", or raise the repeats option)`);
  }
  return t;
}

export interface RescoreOptions {
  /** The policy the verdicts' top level and `summary` report (default 'robust'). */
  extraction?: ExtractionPolicy;
  /** Responses scored at once (default 2 x cores): a benchmark that runs code (HumanEval's
   * sandbox, which bounds its own processes) scores in parallel; order of output is unaffected. */
  concurrency?: number;
}

export function defaultScoreConcurrency(): number {
  return 2 * Math.max(1, availableParallelism());
}

/**
 * fn over every element with at most `limit` calls pending; results in input order. On a failure
 * nothing new starts, the calls pending settle, and the failure of the earliest element is thrown
 * (the same one whatever the timing).
 */
export async function mapBounded<A, B>(xs: readonly A[], limit: number, fn: (x: A, i: number) => B | Promise<B>): Promise<B[]> {
  const out = new Array<B>(xs.length);
  const failures: Array<{ i: number; e: unknown }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < xs.length && failures.length === 0) {
      const i = next++;
      try {
        out[i] = await fn(xs[i]!, i);
      } catch (e) {
        failures.push({ i, e });
      }
    }
  };
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, xs.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failures.length > 0) throw failures.reduce((a, b) => (b.i < a.i ? b : a)).e;
  return out;
}

export async function rescore(
  bench: AnyBenchmark,
  items: readonly Item[],
  lines: ReadonlyArray<{ where: string; line: ResponseLine }>,
  options: Record<string, unknown>,
  opts: RescoreOptions = {},
): Promise<RescoreResult> {
  const extraction = opts.extraction ?? 'robust';
  const byId = new Map(items.map((i) => [i.id, i]));
  const perItem = new Map<string, PolicyScores[]>();
  const seen = new Map<string, string>();
  const verdicts: Verdict[] = [];
  const unknown: string[] = [];
  const unknownSet = new Set<string>();
  const shuffles = items.length > 0 && bench.trials(items[0]!, options).some((t) => t.permutation !== null);
  let unshuffled = 0;
  // Checked in file order first, so a bad line is reported before any scoring work is spent.
  const tasks: Array<{ item: Item; trial: Trial; line: ResponseLine }> = [];
  for (const { where, line } of lines) {
    const item = byId.get(line.id);
    if (!item) {
      if (!unknownSet.has(line.id)) {
        unknownSet.add(line.id);
        unknown.push(line.id);
      }
      continue;
    }
    const trial = resolveTrial(bench, item, line, options, where);
    const key = `${line.id}\u0000${trial.index}`;
    const prev = seen.get(key);
    if (prev) throw new MasaError(`${where}: second response for id ${line.id} trial ${trial.index} (first at ${prev})`);
    seen.set(key, where);
    if (shuffles && line.trial === undefined && line.permutation === undefined) unshuffled++;
    tasks.push({ item, trial, line });
  }
  const scores = await mapBounded(tasks, opts.concurrency ?? defaultScoreConcurrency(), (t) => scorePolicies(bench, t.item, t.line.response, t.trial, options));
  const brief = (t: TrialScore): Verdict['policies']['robust'] => ({ extracted: t.extracted, rule: t.rule, correct: t.correct, status: t.status ?? null });
  for (let k = 0; k < tasks.length; k++) {
    const { item, trial } = tasks[k]!;
    const both = scores[k]!;
    const s = both[extraction];
    let list = perItem.get(item.id);
    if (!list) perItem.set(item.id, (list = []));
    list.push(both);
    const v: Verdict = {
      id: item.id,
      trial: trial.index,
      permutation: trial.permutation,
      extracted: s.extracted,
      rule: s.rule,
      gold: s.gold,
      correct: s.correct,
      status: s.status ?? null,
      extraction,
      policies: { upstream: brief(both.upstream), robust: brief(both.robust) },
    };
    if (s.detail !== undefined) v.detail = s.detail;
    verdicts.push(v);
  }
  const scored: Record<ExtractionPolicy, ItemScore[]> = { upstream: [], robust: [] };
  const scoredItems: Item[] = [];
  for (const item of items) {
    const ts = perItem.get(item.id);
    if (!ts) continue;
    scoredItems.push(item);
    for (const p of ['upstream', 'robust'] as const) {
      scored[p].push({ id: item.id, score: bench.reduce(item, ts.map((t) => t[p]), options), cluster: item.cluster, tags: item.tags });
    }
  }
  const summaries = { upstream: summarizeBench(bench.id, scored.upstream), robust: summarizeBench(bench.id, scored.robust) };
  return {
    verdicts,
    summary: summaries[extraction],
    summaries,
    extraction,
    unknownIds: unknown,
    missing: items.length - scoredItems.length,
    unshuffled,
    chance: bench.chance(scoredItems.length > 0 ? scoredItems : [...items], options),
  };
}

/**
 * Parses `k=v` benchmark options, typed by the benchmark's defaults (number, boolean or
 * string) and checked against the documented choices; an unknown key is an error.
 */
export function parseBenchOptions(bench: AnyBenchmark, pairs: readonly string[]): Record<string, unknown> {
  const defaults = bench.defaultOptions as Record<string, unknown>;
  const docs = bench.optionDocs as Record<string, { choices?: readonly unknown[] } | undefined>;
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new MasaError(`--option '${pair}': expected key=value`, { exitCode: 2 });
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (!(key in defaults)) {
      throw new MasaError(`--option ${key}: ${bench.id} has no such option (known: ${Object.keys(defaults).join(', ') || 'none'})`, { exitCode: 2 });
    }
    const def = defaults[key];
    let value: unknown;
    if (typeof def === 'number') {
      value = Number(raw);
      if (raw === '' || !Number.isFinite(value)) throw new MasaError(`--option ${key}: expected a number, got '${raw}'`, { exitCode: 2 });
    } else if (typeof def === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new MasaError(`--option ${key}: expected true or false, got '${raw}'`, { exitCode: 2 });
      value = raw === 'true';
    } else value = raw;
    const choices = docs[key]?.choices;
    if (choices && !choices.includes(value as never)) {
      throw new MasaError(`--option ${key}: '${raw}' is not one of ${choices.join(', ')}`, { exitCode: 2 });
    }
    out[key] = value;
  }
  return out;
}
