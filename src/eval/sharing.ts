/**
 * Spending less of the server on the same requests, without changing what is asked:
 *  - trials of an item whose bodies are identical but for the per-request seed (a benchmark
 *    whose trials repeat one prompt: EmoBench's 5 samples, CoordinationQA's 3) go as one
 *    request: with sampling, one request with `n` = the trials (vLLM computes the prompt once;
 *    its V1 engine seeds choice i with seed + i); with greedy decoding, where vLLM rejects n > 1
 *    and the seed changes nothing, one request whose answer is every trial's answer;
 *  - the requests in hand (a window of the plan) are sent ordered by their prompt, so prompts
 *    sharing a long prefix (a system prompt and game description, a story with its questions
 *    and trials, one category's few-shot exemplars) follow each other and find it in vLLM's
 *    prefix cache instead of computing it again after it was evicted.
 * Request keys stay those of the planned requests, one record per trial as before; under
 * greedy decoding the records are the same as without sharing. Under sampling a shared
 * request's choices 1.. are drawn with seeds seed+1.. rather than each trial's own seed: other
 * samples from the same distribution.
 */
import { stableStringify } from '../core/hash.js';
import type { Item, Trial } from '../bench/types.js';
import type { ChatBody } from './generation.js';

export interface TrialRequest {
  item: Item;
  trial: Trial;
  key: string;
  body: ChatBody;
}

/** One request to send and the trials it answers (mode 'n': choice i answers member i; 'fanout': choice 0 answers all). */
export interface RequestGroup {
  body: ChatBody;
  members: TrialRequest[];
  mode: 'single' | 'n' | 'fanout';
}

/** vLLM treats temperature below 1e-5 as greedy. A body without temperature samples (the model's default). */
export function isGreedy(body: ChatBody): boolean {
  return typeof body.temperature === 'number' && body.temperature < 1e-5;
}

function withoutSeed(body: ChatBody): string {
  const { seed: _seed, ...rest } = body;
  return stableStringify(rest);
}

/**
 * An item's trial requests grouped into the requests to send, in trial order. With `share`
 * false, or a body that already sets `n`, every trial is its own request.
 */
export function groupTrials(reqs: readonly TrialRequest[], share: boolean): RequestGroup[] {
  if (!share || reqs.length < 2) return reqs.map((r) => ({ body: r.body, members: [r], mode: 'single' as const }));
  const byBody = new Map<string, TrialRequest[]>();
  const out: RequestGroup[] = [];
  for (const r of reqs) {
    if (r.body.n !== undefined) {
      out.push({ body: r.body, members: [r], mode: 'single' });
      continue;
    }
    const k = withoutSeed(r.body);
    let list = byBody.get(k);
    if (!list) {
      byBody.set(k, (list = []));
      out.push({ body: r.body, members: list, mode: 'single' });
    }
    list.push(r);
  }
  for (const g of out) {
    if (g.members.length < 2) continue;
    if (isGreedy(g.members[0]!.body)) g.mode = 'fanout';
    else {
      g.mode = 'n';
      g.body = { ...g.members[0]!.body, n: g.members.length };
    }
  }
  return out;
}

/** The prompt as the server's prefix cache sees it: roles and contents, in order. */
export function prefixKey(body: ChatBody): string {
  let k = '';
  for (const m of body.messages) k += `${m.role}\u0001${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}\u0002`;
  return k;
}

/** The groups in an order where prompts sharing a prefix are adjacent (sorted by prompt; ties keep plan order). */
export function orderByPrefix<G extends { body: ChatBody }>(groups: readonly G[]): G[] {
  const keyed = groups.map((g, i) => ({ g, i, k: prefixKey(g.body) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
  return keyed.map((e) => e.g);
}

/**
 * Splits one answer among the records it serves: per choice, its completion tokens (a request
 * with n reports only their sum, so it is divided by answer length); the prompt counts for the
 * first record only in cost tables (see SampleRecord.shared).
 */
export function choiceTokens(total: number, texts: ReadonlyArray<string>): number[] {
  const lens = texts.map((t) => Math.max(1, t.length));
  const sum = lens.reduce((a, b) => a + b, 0);
  const out = lens.map((l) => Math.floor((total * l) / sum));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length, rest--) out[i]!++;
  return out;
}
