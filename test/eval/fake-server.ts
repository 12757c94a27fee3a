/**
 * A bare OpenAI-compatible server for tests and benchmarks (node:http on 127.0.0.1, random
 * port): /v1/models and /v1/chat/completions with injectable latency, faults (status codes,
 * Retry-After, hangs), reasoning fields and finish_reason "length". The default answer is
 * deterministic per prompt, so online and batch runs of the same items score the same.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequestBody {
  model?: string;
  messages: Array<{ role: string; content: string }>;
  [k: string]: unknown;
}

export interface FakeAnswer {
  content: string | null;
  reasoning?: string | null;
  /** Which field name(s) carry reasoning, as vLLM versions differ. */
  reasoningFields?: Array<'reasoning' | 'reasoning_content'>;
  finish_reason?: string;
  completion_tokens?: number;
}

/** A fault answers after `delayMs` (default: the server's latency); a hang never answers. */
export type Fault = { status: number; retryAfter?: string; message?: string; delayMs?: number } | { hang: true };

export interface FakeServerOptions {
  models?: string[];
  latencyMs?: number | ((n: number) => number);
  /** n is the 0-based request count; return a fault to inject instead of answering. */
  fault?: (n: number, body: ChatRequestBody) => Fault | null;
  respond?: (body: ChatRequestBody, n: number) => FakeAnswer;
  /** When set, /v1/* require `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Echo the Authorization header into error bodies and answers (to test redaction). */
  echoAuth?: boolean;
}

export interface FakeServer {
  url: string;
  stats: { requests: number; chat: number; byStatus: Record<number, number>; inFlight: number; maxInFlight: number; bodies: number };
  /** Every chat body received, when `keepBodies` was called. */
  received: ChatRequestBody[];
  keepBodies(on: boolean): void;
  close(): Promise<void>;
}

/** The default answer: "Compute A + B" -> "The answer is A+B", deliberately wrong when (A*7+B) % 5 == 0. */
export function arithmeticAnswer(body: ChatRequestBody): FakeAnswer {
  const last = body.messages[body.messages.length - 1]?.content ?? '';
  const m = /Compute (\d+) \+ (\d+)/.exec(last);
  if (!m) return { content: 'I do not know.' };
  const a = Number(m[1]);
  const b = Number(m[2]);
  const sum = (a * 7 + b) % 5 === 0 ? a + b + 1 : a + b;
  return { content: `The answer is ${sum}`, completion_tokens: 5 };
}

export async function startFakeServer(o: FakeServerOptions = {}): Promise<FakeServer> {
  const models = o.models ?? ['m'];
  const stats: FakeServer['stats'] = { requests: 0, chat: 0, byStatus: {}, inFlight: 0, maxInFlight: 0, bodies: 0 };
  const received: ChatRequestBody[] = [];
  let keep = false;
  const hanging = new Set<ServerResponse>();
  const send = (res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    stats.requests++;
    const auth = req.headers.authorization ?? '';
    if (o.apiKey && req.url?.startsWith('/v1') && auth !== `Bearer ${o.apiKey}`) {
      send(res, 401, { error: o.echoAuth ? `Unauthorized (got ${auth})` : 'Unauthorized' });
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      send(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: Math.floor(Date.now() / 1000), owned_by: 'vllm', root: `fake/${id}`, parent: null, max_model_len: 4096 })),
      });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'NotFoundError', param: null, code: 404 } });
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      send(res, 400, { error: { message: 'bad JSON', type: 'BadRequestError', param: null, code: 400 } });
      return;
    }
    const n = stats.chat++;
    if (keep) received.push(body);
    if (body.model !== undefined && !models.includes(body.model)) {
      send(res, 404, { error: { message: `The model \`${body.model}\` does not exist.`, type: 'NotFoundError', param: null, code: 404 } });
      return;
    }
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const fault = o.fault?.(n, body) ?? null;
    const latency = typeof o.latencyMs === 'function' ? o.latencyMs(n) : (o.latencyMs ?? 0);
    const delay = fault && 'status' in fault && fault.delayMs !== undefined ? fault.delayMs : latency;
    const finish = (): void => {
      stats.inFlight--;
      if (fault && 'hang' in fault) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (fault) {
        const msg = (fault.message ?? `injected ${fault.status}`) + (o.echoAuth ? ` (auth ${auth})` : '');
        send(res, fault.status, { error: { message: msg, type: 'InternalServerError', param: null, code: fault.status } }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
        return;
      }
      const a = (o.respond ?? arithmeticAnswer)(body, n);
      const message: Record<string, unknown> = { role: 'assistant', content: o.echoAuth && a.content !== null ? `${a.content} [${auth}]` : a.content, tool_calls: [] };
      for (const f of a.reasoningFields ?? ['reasoning', 'reasoning_content']) message[f] = a.reasoning ?? null;
      // n choices (the answer is deterministic per prompt, so all alike); usage sums them, as servers do.
      const k = typeof body.n === 'number' && body.n > 1 ? body.n : 1;
      const completion = (a.completion_tokens ?? 5) * k;
      send(res, 200, {
        id: `chatcmpl-${n.toString(16).padStart(32, '0')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: models[0],
        choices: Array.from({ length: k }, (_, index) => ({ index, message, logprobs: null, finish_reason: a.finish_reason ?? 'stop', stop_reason: null })),
        usage: { prompt_tokens: 10, total_tokens: 10 + completion, completion_tokens: completion, prompt_tokens_details: null },
      });
    };
    if (delay > 0) setTimeout(finish, delay);
    else finish();
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats,
    received,
    keepBodies(on: boolean) {
      keep = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
