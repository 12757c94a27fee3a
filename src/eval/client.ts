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

export interface ChatResult {
  content: string | null;
  reasoning: string | null;
  finish_reason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  /** The served model name the server reported. */
  model: string | null;
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
    const choice = res?.choices?.[0];
    if (!choice) throw new RequestFailure('response has no choices', 'retry', 'neutral', null, null, false);
    const message = choice.message as unknown as Record<string, unknown>;
    const usage = res.usage ? { prompt_tokens: res.usage.prompt_tokens ?? 0, completion_tokens: res.usage.completion_tokens ?? 0 } : null;
    return {
      content: typeof message?.content === 'string' ? message.content : null,
      reasoning: reasoningField(message),
      finish_reason: choice.finish_reason ?? null,
      usage,
      model: typeof res.model === 'string' ? res.model : null,
    };
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
  const choices = body.choices as Array<Record<string, unknown>> | undefined;
  const choice = choices?.[0];
  if (!choice) return null;
  const message = (choice.message ?? {}) as Record<string, unknown>;
  const u = body.usage as Record<string, number> | null | undefined;
  return {
    content: typeof message.content === 'string' ? message.content : null,
    reasoning: reasoningField(message),
    finish_reason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    usage: u ? { prompt_tokens: u.prompt_tokens ?? 0, completion_tokens: u.completion_tokens ?? 0 } : null,
    model: typeof body.model === 'string' ? body.model : null,
  };
}
