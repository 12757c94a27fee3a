/**
 * The HTTP side of the simulator: a vLLM-compatible OpenAI server on loopback, with a latency
 * model (time to first token + tokens per second), injected 500s and router-style rate limits,
 * so the evaluation core's concurrency, retries and resume can be exercised through real sockets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelInfo } from '../core/catalog.js';
import { loadCatalog } from '../core/catalog-load.js';
import { MasaError } from '../core/errors.js';
import { mulberry32 } from '../core/rng.js';
import { BENCHMARKS } from '../bench/registry.js';
import type { AnyBenchmark } from '../bench/types.js';
import type { AnyGame } from '../play/types.js';
import {
  ApiError,
  EMULATED_VLLM_VERSION,
  completionTooLong,
  errorBody,
  modelList,
  parseChatRequest,
  promptTooLong,
  randomHex32,
  unknownModel,
  type ChatRequest,
} from './api.js';
import { Engine, type ChoiceOut, type SimModel } from './engine.js';
import { buildIndex, type ItemIndex } from './item-index.js';
import { loadProfile, type Profile } from './profile.js';
import { chatTokens, pieces, PrefixCache, type Admission } from './prefix-cache.js';
import { promptTokens, splitTokens } from './tokens.js';

export const SIM_MODEL_PREFIX = 'sim/';
/** Default KV cache per simulated model: an assumption (roughly an 8B model on one 80 GB GPU), not a measurement. */
export const DEFAULT_KV_CACHE_TOKENS = 200_000;

export interface RateLimit {
  /** Most requests in flight at once; more get 429. */
  concurrent?: number;
  /** Most requests started per second; more get 429. */
  perSecond?: number;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Bundled profile name ('paper', 'emergence'), a JSON file path, or a parsed profile. Default 'paper'. */
  profile?: string | Profile;
  seed?: number;
  /** Time to first token, ms. */
  latencyMs?: number;
  /** Decode speed per request; 0 = instant. */
  tokensPerS?: number;
  /** Prefill speed: prompt tokens computed (not served from the prefix cache) per second; 0 = instant. */
  prefillTokensPerS?: number;
  /** Each model's KV cache in tokens, for automatic prefix caching (src/sim/prefix-cache.ts); 0 = no prefix caching. Default 200,000. */
  kvCacheTokens?: number;
  /** Tokens per KV block (vLLM --block-size). Default 16. */
  blockSize?: number;
  /** Report usage.prompt_tokens_details.cached_tokens (as vLLM started with --enable-prompt-tokens-details). Default true. */
  promptTokensDetails?: boolean;
  /** Probability of an injected 500 per chat request. */
  failRate?: number;
  /** A number = concurrent requests; a string 'n' or 'n/s'; or an object. */
  rateLimit?: number | string | RateLimit;
  /** When set, /v1/* needs `Authorization: Bearer <key>` (401 otherwise), as vLLM's --api-key. */
  apiKey?: string;
  /** The models to serve (default: the catalog, data/models.csv). */
  models?: readonly ModelInfo[];
  /** Serve the one model of `models` under this name (as vLLM's --served-model-name), instead of
   * `sim/<catalog id>`. It must start with `sim/`, so records made against it stay marked synthetic. */
  servedModelName?: string;
  /** The context length /v1/models reports and requests are held to (as vLLM's --max-model-len);
   * default each model's catalog context length. */
  maxModelLen?: number;
  /** Benchmarks whose items are recognised (default: every registered benchmark). */
  benchmarks?: readonly AnyBenchmark[];
  /** Games whose turns are played (default: every registered game). */
  games?: readonly AnyGame[];
  /** Dataset root to index (e.g. ../shared/datasets); default fetched data, else the samples. */
  dataRoot?: string;
  /** How many documented option variants per benchmark to index besides the defaults (default 4). */
  indexVariants?: number;
  /** A prebuilt index (tests share one between servers). */
  index?: ItemIndex;
}

export interface SimulatorStats {
  /** Chat requests received. */
  requests: number;
  /** Chat responses sent with status 200. */
  completed: number;
  recognised: number;
  unrecognised: number;
  /** Error responses by HTTP status. */
  errors: Record<number, number>;
  inFlight: number;
  maxInFlight: number;
  /** Prompt tokens of answered requests, and how many of them the prefix cache served (computed = the rest). */
  promptTokens: number;
  cachedTokens: number;
  /** Completion tokens generated. */
  completionTokens: number;
  /** KV blocks evicted to make room (least recently used first). */
  evictedBlocks: number;
}

export interface SimulatorHandle {
  /** Base URL of the OpenAI API, e.g. http://127.0.0.1:8000/v1 */
  url: string;
  /** Server root, e.g. http://127.0.0.1:8000 */
  origin: string;
  port: number;
  host: string;
  /** Served model names (`sim/<catalog id>`). */
  models: string[];
  profile: Profile;
  index: ItemIndex;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

/** Parses '--rate-limit': 'n' (concurrent requests) or 'n/s' (requests per second). */
export function parseRateLimit(v: number | string | RateLimit | undefined): RateLimit {
  if (v === undefined) return {};
  if (typeof v === 'object') return v;
  const s = String(v).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(\/s)?$/.exec(s);
  if (!m || Number(m[1]) <= 0) throw new MasaError(`--rate-limit: expected n (concurrent) or n/s (per second), got '${s}'`);
  return m[2] ? { perSecond: Number(m[1]) } : { concurrent: Math.floor(Number(m[1])) };
}

export function simModels(models: readonly ModelInfo[]): SimModel[] {
  return models.map((info) => ({
    name: `${SIM_MODEL_PREFIX}${info.id}`,
    info,
    root: info.hf_id,
    maxModelLen: info.context_length > 0 ? info.context_length : 4096,
  }));
}

function validateOptions(o: SimulatorOptions): void {
  const check = (name: string, v: number | undefined, min: number, max: number) => {
    if (v !== undefined && (!Number.isFinite(v) || v < min || v > max)) throw new MasaError(`--${name}: must be in [${min}, ${max}], got ${v}`);
  };
  check('port', o.port, 0, 65535);
  check('latency-ms', o.latencyMs, 0, 3_600_000);
  check('tokens-per-s', o.tokensPerS, 0, 1e9);
  check('prefill-tokens-per-s', o.prefillTokensPerS, 0, 1e12);
  check('kv-cache-tokens', o.kvCacheTokens, 0, 1e12);
  check('block-size', o.blockSize, 1, 1024);
  check('fail-rate', o.failRate, 0, 1);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new MasaError(`--seed: must be an integer, got ${o.seed}`);
  if (o.maxModelLen !== undefined && !(Number.isInteger(o.maxModelLen) && o.maxModelLen > 0)) throw new MasaError(`--max-model-len: must be a whole number > 0, got ${o.maxModelLen}`);
  if (o.servedModelName !== undefined) {
    if (!o.servedModelName.startsWith(SIM_MODEL_PREFIX) || o.servedModelName.length === SIM_MODEL_PREFIX.length) {
      throw new MasaError(`--served-model-name: '${o.servedModelName}' must start with '${SIM_MODEL_PREFIX}', so what is recorded from a simulated model stays marked synthetic`);
    }
    if (o.models?.length !== 1) throw new MasaError('--served-model-name: needs exactly one model (--model)');
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Starts a simulator; resolves once it listens. Stop it with close(). */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  validateOptions(opts);
  const host = opts.host ?? '127.0.0.1';
  const seed = opts.seed ?? 0;
  const latencyMs = opts.latencyMs ?? 0;
  const tokensPerS = opts.tokensPerS ?? 0;
  const prefillPerS = opts.prefillTokensPerS ?? 0;
  const kvTokens = opts.kvCacheTokens ?? DEFAULT_KV_CACHE_TOKENS;
  const details = opts.promptTokensDetails ?? true;
  // One KV cache per model: each stands for its own vLLM server.
  const caches = new Map<string, PrefixCache>();
  const cacheFor = (name: string): PrefixCache | null => {
    if (kvTokens <= 0) return null;
    let c = caches.get(name);
    if (!c) caches.set(name, (c = new PrefixCache({ budgetTokens: kvTokens, blockSize: opts.blockSize })));
    return c;
  };
  const failRate = opts.failRate ?? 0;
  const limit = parseRateLimit(opts.rateLimit);
  const profile = typeof opts.profile === 'object' ? opts.profile : loadProfile(opts.profile ?? 'paper');
  const served = simModels(opts.models ?? loadCatalog()).map((m) => ({
    ...m,
    name: opts.servedModelName ?? m.name,
    maxModelLen: opts.maxModelLen ?? m.maxModelLen,
  }));
  if (served.length === 0) throw new MasaError('the simulator needs at least one model');
  const byName = new Map(served.map((m) => [m.name, m] as [string, SimModel]));
  const index = opts.index ?? (await buildIndex(opts.benchmarks ?? BENCHMARKS, { dataRoot: opts.dataRoot, maxVariants: opts.indexVariants }));
  const engine = new Engine(index, profile, seed, opts.games);
  // Failures and ids are not part of the deterministic answer: a retried request must be able to succeed.
  const chaos = mulberry32(seed ^ 0x5eed);
  const idRng = mulberry32((seed * 2654435761) ^ 0x1d);

  // Per-model counters for GET /metrics.
  const perModel = new Map<string, ModelCounters>();
  const stats: SimulatorStats = { requests: 0, completed: 0, recognised: 0, unrecognised: 0, errors: {}, inFlight: 0, maxInFlight: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, evictedBlocks: 0 };
  let windowStart = 0;
  let windowCount = 0;
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const sendError = (res: ServerResponse, e: ApiError, extra: Record<string, string> = {}): void => {
    stats.errors[e.status] = (stats.errors[e.status] ?? 0) + 1;
    const body = errorBody(e);
    res.writeHead(e.status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };

  const sendJson = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const handleChat = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    stats.requests++;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      sendError(res, new ApiError(400, 'BadRequestError', `[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error', 'ctx': {'error': '${(e as Error).message.replace(/'/g, '')}'}}]`));
      return;
    }
    let chat: ChatRequest;
    try {
      chat = parseChatRequest(body);
    } catch (e) {
      if (e instanceof ApiError) return sendError(res, e);
      throw e;
    }
    const model = chat.model === undefined ? served[0]! : byName.get(chat.model);
    if (!model) return sendError(res, unknownModel(chat.model!));
    const pt = promptTokens(chat.contents);
    if (pt >= model.maxModelLen) return sendError(res, promptTooLong(model.maxModelLen, pt));
    if (chat.maxTokens !== null && pt + chat.maxTokens > model.maxModelLen) {
      return sendError(res, completionTooLong(model.maxModelLen, pt, chat.maxTokens));
    }
    // Injected engine failures come after validation, as real ones do; a stream may fail after it started.
    if (failRate > 0 && chaos.next() < failRate) {
      const failure = new ApiError(500, 'InternalServerError', 'Simulated engine failure (masa sim --fail-rate).');
      if (!chat.stream || chaos.next() < 0.5) return sendError(res, failure);
      stats.errors[500] = (stats.errors[500] ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      const first = { id: `chatcmpl-${randomHex32(idRng.next)}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: model.name };
      res.write(`data: ${JSON.stringify({ ...first, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] })}\n\n`);
      res.end(`data: ${errorBody(failure)}\n\ndata: [DONE]\n\n`);
      return;
    }
    const done = engine.complete(model, chat, pt);
    if (done.recognised || done.game) stats.recognised++;
    else stats.unrecognised++;
    // The prefix cache: what of this prompt the server would not compute again, and when its blocks free up.
    const cache = cacheFor(model.name);
    const salt = `${model.name}|${String(chat.enableThinking)}`;
    const admission: Admission | null = cache ? cache.admit(chatTokens(chat.roles, chat.contents), salt) : null;
    const cached = admission?.cached ?? 0;
    stats.promptTokens += pt;
    stats.cachedTokens += cached;
    stats.completionTokens += sumTokens(done.choices);
    const mine = perModel.get(model.name) ?? { requests: 0, prompt: 0, cached: 0, generation: 0 };
    perModel.set(model.name, mine);
    mine.requests++;
    mine.prompt += pt;
    mine.cached += cached;
    mine.generation += sumTokens(done.choices);
    if (cache && admission) {
      let freed = false;
      const free = (): void => {
        if (freed) return;
        freed = true;
        const before = cache.snapshot().evictedBlocks;
        cache.release(admission, salt, done.choices.map((c) => pieces(c.content ?? '', pieces(c.reasoning ?? ''))));
        stats.evictedBlocks += cache.snapshot().evictedBlocks - before;
      };
      res.once('finish', free);
      res.once('close', free);
    }
    const promptDetails = details && cached > 0 ? { cached_tokens: cached } : null;
    const rid = req.headers['x-request-id'];
    const id = `chatcmpl-${typeof rid === 'string' && rid !== '' ? rid : randomHex32(idRng.next)}`;
    const created = Math.floor(Date.now() / 1000);
    let maxTokens = 0;
    for (const c of done.choices) if (c.completionTokens > maxTokens) maxTokens = c.completionTokens;
    // Latency: time to first token, prefill of the tokens not cached, then decode of the longest choice.
    const prefillMs = prefillPerS > 0 ? ((pt - cached) / prefillPerS) * 1000 : 0;
    if (chat.stream) {
      streamChat(res, id, created, model.name, chat, done.choices, pt, promptDetails, prefillMs);
      return;
    }
    const payload = JSON.stringify({
      id,
      object: 'chat.completion',
      created,
      model: model.name,
      choices: done.choices.map((c, i) => choiceJson(c, i, chat)),
      usage: { prompt_tokens: pt, total_tokens: pt + sumTokens(done.choices), completion_tokens: sumTokens(done.choices), prompt_tokens_details: promptDetails },
      service_tier: null,
      system_fingerprint: null,
      prompt_logprobs: null,
      kv_transfer_params: null,
    });
    const delay = latencyMs + prefillMs + (tokensPerS > 0 ? (maxTokens / tokensPerS) * 1000 : 0);
    stats.completed++;
    if (delay > 0) later(delay, () => sendJson(res, 200, payload));
    else sendJson(res, 200, payload);
  };

  const streamChat = (
    res: ServerResponse,
    id: string,
    created: number,
    modelName: string,
    chat: ChatRequest,
    choices: ChoiceOut[],
    pt: number,
    promptDetails: { cached_tokens: number } | null,
    prefillMs: number,
  ): void => {
    stats.completed++;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const events: string[] = [];
    const chunk = (choicesJson: unknown[], extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: modelName, choices: choicesJson, ...extra })}\n\n`;
    // Token groups per event; each group is paced by the decode speed.
    const groupTokens = 8;
    const pace: number[] = [];
    choices.forEach((c, i) => {
      events.push(chunk([{ index: i, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
      pace.push(latencyMs + (i === 0 ? prefillMs : 0));
      const parts: Array<{ key: 'reasoning' | 'content'; text: string }> = [];
      for (const key of ['reasoning', 'content'] as const) {
        const text = c[key];
        if (!text) continue;
        const toks = splitTokens(text);
        for (let t = 0; t < toks.length; t += groupTokens) parts.push({ key, text: toks.slice(t, t + groupTokens).join('') });
      }
      parts.forEach((p, k) => {
        const delta = p.key === 'reasoning' ? { reasoning: p.text, reasoning_content: p.text } : { content: p.text };
        const last = k === parts.length - 1;
        const ch: Record<string, unknown> = { index: i, delta, logprobs: null, finish_reason: last ? c.finishReason : null };
        if (last) ch.stop_reason = c.stopReason;
        events.push(chunk([ch]));
        pace.push(tokensPerS > 0 ? (groupTokens / tokensPerS) * 1000 : 0);
      });
      if (parts.length === 0) {
        events.push(chunk([{ index: i, delta: {}, logprobs: null, finish_reason: c.finishReason, stop_reason: c.stopReason }]));
        pace.push(0);
      }
    });
    if (chat.includeUsage) {
      const ct = sumTokens(choices);
      // Null fields are left out of stream chunks (exclude_unset), so the details only when reported.
      const usage: Record<string, unknown> = { prompt_tokens: pt, total_tokens: pt + ct, completion_tokens: ct };
      if (promptDetails) usage.prompt_tokens_details = promptDetails;
      events.push(chunk([], { usage }));
      pace.push(0);
    }
    events.push('data: [DONE]\n\n');
    pace.push(0);
    let k = 0;
    const pump = (): void => {
      while (k < events.length) {
        if (closing || res.destroyed) return;
        const wait = pace[k]!;
        if (wait > 0) {
          pace[k] = 0;
          later(wait, pump);
          return;
        }
        res.write(events[k]!);
        k++;
      }
      res.end();
    };
    pump();
  };

  const rateLimited = (): boolean => {
    if (limit.concurrent !== undefined && stats.inFlight >= limit.concurrent) return true;
    if (limit.perSecond !== undefined) {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        windowCount = 0;
      }
      if (windowCount >= limit.perSecond) return true;
      windowCount++;
    }
    return false;
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const method = req.method ?? 'GET';
    if (path === '/health' || path === '/ping') {
      if (method !== 'GET' && !(method === 'POST' && path === '/ping')) return sendJson(res, 405, '{"detail":"Method Not Allowed"}');
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    }
    if (path === '/version') return sendJson(res, 200, JSON.stringify({ version: EMULATED_VLLM_VERSION }));
    if (path === '/metrics') {
      const text = metricsText(perModel);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (path.startsWith('/v1') && opts.apiKey !== undefined && method !== 'OPTIONS') {
      if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        stats.errors[401] = (stats.errors[401] ?? 0) + 1;
        return sendJson(res, 401, '{"error":"Unauthorized"}');
      }
    }
    if (path === '/v1/models') {
      if (method !== 'GET') return sendJson(res, 405, '{"detail":"Method Not Allowed"}');
      const list = modelList(
        served.map((m) => ({ id: m.name, root: m.root, maxModelLen: m.maxModelLen })),
        Math.floor(Date.now() / 1000),
        idRng.next,
      );
      return sendJson(res, 200, JSON.stringify(list));
    }
    if (path === '/v1/chat/completions') {
      if (method !== 'POST') return sendJson(res, 405, '{"detail":"Method Not Allowed"}');
      const ctype = req.headers['content-type'];
      if (typeof ctype !== 'string' || !ctype.toLowerCase().startsWith('application/json')) {
        req.resume();
        return sendJson(res, 415, `{"detail":"Unsupported Media Type: Only 'application/json' is allowed"}`);
      }
      if (rateLimited()) {
        req.resume();
        return sendError(res, new ApiError(429, 'RateLimitError', 'Too many requests: the simulated router is at its limit (masa sim --rate-limit).'), { 'retry-after': '1' });
      }
      stats.inFlight++;
      if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
      let released = false;
      const release = (): void => {
        if (!released) {
          released = true;
          stats.inFlight--;
        }
      };
      res.once('finish', release);
      res.once('close', release);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          handleChat(req, res, chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
        } catch (e) {
          sendError(res, new ApiError(500, 'InternalServerError', `simulator error: ${(e as Error).message}`));
        }
      });
      return;
    }
    sendJson(res, 404, '{"detail":"Not Found"}');
  };

  const server: Server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(new MasaError(`masa sim: cannot listen on ${host}:${opts.port ?? 0} (${e.code ?? e.message})`));
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${hostInUrl}:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    port,
    host,
    models: served.map((m) => m.name),
    profile,
    index,
    stats: () => ({ ...stats, errors: { ...stats.errors } }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ModelCounters {
  requests: number;
  prompt: number;
  cached: number;
  generation: number;
}

/**
 * GET /metrics in Prometheus text, with the names vLLM V1 uses for these counters (a subset:
 * requests, prompt and generated tokens, prefix-cache queries and hits, in tokens).
 */
function metricsText(perModel: ReadonlyMap<string, ModelCounters>): string {
  const series: Array<[string, string, (c: ModelCounters) => number]> = [
    ['vllm:request_success_total', 'Count of successfully processed requests.', (c) => c.requests],
    ['vllm:prompt_tokens_total', 'Number of prefill tokens processed.', (c) => c.prompt],
    ['vllm:generation_tokens_total', 'Number of generation tokens processed.', (c) => c.generation],
    ['vllm:prefix_cache_queries_total', 'Prefix cache queries, in terms of number of queried tokens.', (c) => c.prompt],
    ['vllm:prefix_cache_hits_total', 'Prefix cache hits, in terms of number of cached tokens.', (c) => c.cached],
  ];
  const out: string[] = [];
  for (const [name, help, get] of series) {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const [model, c] of perModel) out.push(`${name}{model_name="${model}"} ${get(c)}`);
  }
  return out.join('\n') + '\n';
}

function sumTokens(choices: readonly ChoiceOut[]): number {
  let n = 0;
  for (const c of choices) n += c.completionTokens;
  return n;
}

const ALT_TOKENS = [' the', ' a', ',', ' and', '.', ' is', ' to', ' of', ' in', ' that', ' it', ' for', ' we', ' so', ' this', ' be', ' on', ' as', ' at', ' by'];

function tokenBytes(t: string): number[] {
  return Array.from(Buffer.from(t, 'utf8'));
}

/** Synthetic but well-formed logprobs: the sampled token is the most likely one. */
function logprobsJson(c: ChoiceOut, chat: ChatRequest, seedText: string): unknown {
  const rng = mulberry32(seedText.length * 2654435761 + chat.topLogprobs);
  const content = splitTokens(c.content ?? '').map((token) => {
    const lp = -Math.pow(rng.next(), 3) * 2;
    const top = [{ token, logprob: lp, bytes: tokenBytes(token) }];
    for (let k = 1; k < chat.topLogprobs; k++) {
      const alt = ALT_TOKENS[(k - 1) % ALT_TOKENS.length]!;
      top.push({ token: alt, logprob: lp - 1 - k - rng.next() * 3, bytes: tokenBytes(alt) });
    }
    return { token, logprob: lp, bytes: tokenBytes(token), top_logprobs: chat.topLogprobs > 0 ? top : [] };
  });
  return { content };
}

function choiceJson(c: ChoiceOut, index: number, chat: ChatRequest): unknown {
  return {
    index,
    message: {
      role: 'assistant',
      content: c.content,
      refusal: null,
      annotations: null,
      audio: null,
      function_call: null,
      tool_calls: [],
      reasoning: c.reasoning,
      reasoning_content: c.reasoning,
    },
    logprobs: chat.logprobs ? logprobsJson(c, chat, c.content ?? '') : null,
    finish_reason: c.finishReason,
    stop_reason: c.stopReason,
  };
}
