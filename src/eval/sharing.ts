/**
 * Spending less of the server on the same requests, without changing what is asked:
 *  - trials of an item whose bodies are identical but for the per-request seed (a benchmark
 *    whose trials repeat one prompt: EmoBench's 5 samples, CoordinationQA's 3) go as one
 *    request: with sampling, one request with `n` = the trials (vLLM computes the prompt once;
 *    its V1 engine seeds choice i with seed + i); with greedy decoding, where vLLM rejects n > 1
 *    and the seed changes nothing, one request whose answer is every trial's answer;
 *  - a run's requests (all in hand: its plan is known) are sent ordered by their prompt, so prompts
 *    sharing a long prefix (a system prompt and game description, a story with its questions
 *    and trials, one category's few-shot exemplars) follow each other and find it in vLLM's
 *    prefix cache instead of computing it again after it was evicted (a precision-targeted
 *    run keeps its stratified order, see runner.ts).
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

/** Characters of prompt per element of a sort key. */
const KEY_CHUNK = 64;

/**
 * A compact sort key for a prompt as the server's prefix cache sees it (roles and contents in
 * order): one 32-bit hash per 64 characters, as two UTF-16 units. Sorting by it puts prompts that
 * share their first k chunks next to each other (it is not alphabetical, and need not be), at a
 * thirtieth of the prompt's size, so a whole run's keys fit in memory.
 */
export function prefixKey(messages: ReadonlyArray<{ role: string; content: unknown }>): string {
  let text = '';
  for (const m of messages) text += `${m.role}\u0001${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}\u0002`;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += KEY_CHUNK) {
    let h = 0x811c9dc5;
    const end = Math.min(text.length, i + KEY_CHUNK);
    for (let j = i; j < end; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
    h >>>= 0;
    parts.push(String.fromCharCode(h >>> 16, h & 0xffff));
  }
  return parts.join('');
}

function byKey<T>(list: readonly T[], key: (t: T) => string): T[] {
  const keyed = list.map((t, i) => ({ t, i, k: key(t) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
  return keyed.map((e) => e.t);
}

/** Items in an order where their (first trial's) prompts sharing a prefix are adjacent. */
export function itemsByPrefix<I>(items: readonly I[], messages: (item: I) => ReadonlyArray<{ role: string; content: unknown }>): I[] {
  return byKey(items, (it) => prefixKey(messages(it)));
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
