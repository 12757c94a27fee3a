/**
 * One OpenAI-compatible endpoint through the `openai` SDK, with the SDK's own retries off
 * (maxRetries 0): masa owns retries so a request waiting to be retried never holds a slot.
 * Every failure is classified once here, so the dispatcher and the limiter agree on what it means.
 */
import OpenAI from 'openai';
import type { ChatBody } from './generation.js';
import { createHttpFetch, type FetchLike } from './http-fetch.js';
import { reasoningField } from './reasoning.js';
import type { Redactor } from './redact.js';
import type { Signal } from './limiter.js';

/** Token usage as the server reported it; the optional counts only when it reported them. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** usage.prompt_tokens_details.cached_tokens: prompt tokens served from the prefix cache. */
  cached_tokens?: number;
  /** usage.completion_tokens_details.reasoning_tokens, where a server reports it. */
  reasoning_tokens?: number;
}

export interface ChoiceResult {
  content: string | null;
  reasoning: string | null;
  finish_reason: string | null;
}

export interface ChatResult {
  content: string | null;
  reasoning: string | null;
  finish_reason: string | null;
  usage: ChatUsage | null;
  /** The served model name the server reported. */
  model: string | null;
  /** Every choice of a request with n > 1 (the fields above are the first); absent with one. */
  choices?: ChoiceResult[];
}

/** The usage object of a chat response, with the cache and reasoning counts when present. */
export function parseUsage(u: unknown): ChatUsage | null {
  if (!u || typeof u !== 'object') return null;
  const o = u as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const out: ChatUsage = { prompt_tokens: num(o.prompt_tokens) ?? 0, completion_tokens: num(o.completion_tokens) ?? 0 };
  const cached = num((o.prompt_tokens_details as Record<string, unknown> | null | undefined)?.cached_tokens);
  if (cached !== undefined) out.cached_tokens = cached;
  const reasoning = num((o.completion_tokens_details as Record<string, unknown> | null | undefined)?.reasoning_tokens);
  if (reasoning !== undefined) out.reasoning_tokens = reasoning;
  return out;
}

function choiceOf(choice: Record<string, unknown>): ChoiceResult {
  const message = (choice.message ?? {}) as Record<string, unknown>;
  return {
    content: typeof message.content === 'string' ? message.content : null,
    reasoning: reasoningField(message),
    finish_reason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
  };
}

/** A response body's choices as a ChatResult (null when it has none). */
function resultOf(choices: unknown, usage: unknown, model: unknown): ChatResult | null {
  const list = Array.isArray(choices) ? (choices as Array<Record<string, unknown>>) : [];
  if (list.length === 0 || !list[0]) return null;
  const all = list.map(choiceOf);
  const r: ChatResult = { ...all[0]!, usage: parseUsage(usage), model: typeof model === 'string' ? model : null };
  if (all.length > 1) r.choices = all;
  return r;
}

/**
 * retry: worth another attempt (429, 5xx, timeouts, connection errors).
 * item: this request is at fault (400 context length, 422): recorded, not retried now.
 * fatal: the run is misconfigured (401, 403, 404 unknown model): stop, record nothing.
 * aborted: we cancelled it (Ctrl-C): not the item's fault, not recorded.
 */
export type FailureClass = 'retry' | 'item' | 'fatal' | 'aborted';

export class RequestFailure extends Error {
  constructor(
    message: string,
    readonly cls: FailureClass,
    /** What the failure says about endpoint load, for the adaptive limit. */
    readonly signal: Signal,
    readonly status: number | null,
    /** From Retry-After / retry-after-ms, when the server sent one. */
    readonly retryAfterMs: number | null,
    /** The endpoint itself looks down (connection refused, reset, DNS). */
    readonly endpointDown: boolean,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

/** Normalises a base URL: a bare host gets /v1; user:password@ is never kept. */
export function normalizeBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: '${url}'`);
  }
  u.username = '';
  u.password = '';
  let path = u.pathname.replace(/\/+$/, '');
  if (path === '') path = '/v1';
  return `${u.protocol}//${u.host}${path}${u.search}`;
}

export function parseRetryAfter(headers: Headers | undefined | null, now = Date.now()): number | null {
  if (!headers || typeof headers.get !== 'function') return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null || ra === '') return null;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

function short(text: string, max = 400): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}...` : one;
}

export function classifyError(e: unknown, redactor: Redactor): RequestFailure {
  const msg = (s: string): string => redactor.text(short(s));
  if (e instanceof RequestFailure) return e;
  if (e instanceof OpenAI.APIUserAbortError) return new RequestFailure('aborted', 'aborted', 'neutral', null, null, false);
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new RequestFailure('request timed out', 'retry', 'timeout', null, null, false);
  if (e instanceof OpenAI.APIConnectionError) {
    const cause = (e as { cause?: { code?: string; message?: string; cause?: { code?: string } } }).cause;
    const code = cause?.code ?? cause?.cause?.code ?? '';
    return new RequestFailure(msg(`connection error${code ? ` (${code})` : ''}: ${cause?.message ?? e.message}`), 'retry', 'congestion', null, null, true);
  }
  if (e instanceof OpenAI.APIError) {
    const status = typeof e.status === 'number' ? e.status : null;
    const retryAfter = parseRetryAfter(e.headers as Headers | undefined);
    const text = msg(e.message);
    if (status === null) return new RequestFailure(text, 'retry', 'neutral', null, retryAfter, false);
    if (status === 429 || status === 503) return new RequestFailure(text, 'retry', 'congestion', status, retryAfter, false);
    if (status === 408 || status === 504) return new RequestFailure(text, 'retry', 'timeout', status, retryAfter, false);
    if (status === 502) return new RequestFailure(text, 'retry', 'congestion', status, retryAfter, true);
    if (status >= 500 || status === 409) return new RequestFailure(text, 'retry', 'neutral', status, retryAfter, false);
    if (status === 401 || status === 403 || status === 404) return new RequestFailure(text, 'fatal', 'neutral', status, null, false);
    return new RequestFailure(text, 'item', 'ok', status, null, false);
  }
  const err = e as Error;
  return new RequestFailure(msg(`${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`), 'retry', 'neutral', null, null, false);
}

export interface EndpointClientOptions {
  baseUrl: string;
  apiKey: string | undefined;
  redactor: Redactor;
  /** The HTTP client under the SDK (default: node:http with keep-alive, see http-fetch.ts). */
  fetch?: FetchLike;
}

export class EndpointClient {
  readonly baseUrl: string;
  private readonly sdk: OpenAI;
  private readonly redactor: Redactor;

  constructor(o: EndpointClientOptions) {
    this.baseUrl = normalizeBaseUrl(o.baseUrl);
    this.redactor = o.redactor;
    // Local servers started without --api-key accept any bearer; the SDK insists on one.
    this.sdk = new OpenAI({ baseURL: this.baseUrl, apiKey: o.apiKey || 'EMPTY', maxRetries: 0, fetch: o.fetch ?? createHttpFetch() });
  }

  async chat(body: ChatBody, timeoutMs: number, signal?: AbortSignal): Promise<ChatResult> {
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      res = await this.sdk.chat.completions.create(
        { ...(body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming), stream: false },
        { timeout: timeoutMs, maxRetries: 0, signal },
      );
    } catch (e) {
      throw classifyError(e, this.redactor);
    }
    const r = resultOf(res?.choices, res?.usage, res?.model);
    if (!r) throw new RequestFailure('response has no choices', 'retry', 'neutral', null, null, false);
    return r;
  }

  /** GET /v1/models: the card of `model` (or null when not listed) and every served id. */
  async models(model: string, timeoutMs = 10_000): Promise<{ card: Record<string, unknown> | null; ids: string[] }> {
    try {
      const page = await this.sdk.models.list({ timeout: timeoutMs, maxRetries: 0 });
      const cards = page.data as unknown as Array<Record<string, unknown>>;
      const card = cards.find((c) => c.id === model) ?? null;
      return { card, ids: cards.map((c) => String(c.id)) };
    } catch (e) {
      throw classifyError(e, this.redactor);
    }
  }
}

/** Turns a chat result as found in a batch output line into the same shape as an online one. */
export function chatResultFromBody(body: Record<string, unknown>): ChatResult | null {
  return resultOf(body.choices, body.usage, body.model);
}
