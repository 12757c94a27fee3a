import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { EndpointClient, RequestFailure } from '../../src/eval/client.js';
import { createHttpFetch, nestFlatErrorBody } from '../../src/eval/http-fetch.js';
import { Redactor } from '../../src/eval/redact.js';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

test('http fetch: method, headers and body reach the server; status, headers and body come back; gzip is decoded', async () => {
  let seen: { method?: string; auth?: string; body?: string } = {};
  const { server, url } = await serve((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { method: req.method, auth: req.headers.authorization, body };
      const z = gzipSync(JSON.stringify({ ok: true }));
      res.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-thing': 'y', 'content-length': z.length });
      res.end(z);
    });
  });
  try {
    const f = createHttpFetch();
    const res = await f(`${url}/v1/x?q=1`, { method: 'post', headers: { Authorization: 'Bearer k' }, body: '{"a":1}' });
    assert.deepEqual(seen, { method: 'POST', auth: 'Bearer k', body: '{"a":1}' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-thing'), 'y');
    assert.deepEqual(await res.json(), { ok: true });
  } finally {
    await close(server);
  }
});

test('http fetch: an aborted signal rejects with AbortError; a refused connection with its code', async () => {
  const { server, url } = await serve(() => {
    // never answers
  });
  try {
    const f = createHttpFetch();
    const c = new AbortController();
    const p = f(`${url}/v1/x`, { method: 'POST', body: '{}', signal: c.signal });
    setTimeout(() => c.abort(), 30);
    await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    await assert.rejects(f(`${url}/v1/x`, { signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
  } finally {
    await close(server);
  }
  await assert.rejects(createHttpFetch()(`${url}/v1/x`), (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');
});

test('through the SDK: a hang is a timeout (retry), a refused connection marks the endpoint down', async () => {
  const { server, url } = await serve(() => {
    // never answers
  });
  const redactor = new Redactor([]);
  const body = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
  try {
    const c = new EndpointClient({ baseUrl: `${url}/v1`, apiKey: undefined, redactor });
    const e = (await c.chat(body, 100).catch((x: unknown) => x)) as RequestFailure;
    assert.ok(e instanceof RequestFailure);
    assert.equal(e.cls, 'retry');
    assert.equal(e.signal, 'timeout');
  } finally {
    await close(server);
  }
  const c = new EndpointClient({ baseUrl: `${url}/v1`, apiKey: undefined, redactor });
  const e = (await c.chat(body, 2000).catch((x: unknown) => x)) as RequestFailure;
  assert.equal(e.cls, 'retry');
  assert.equal(e.endpointDown, true);
  assert.match(e.message, /ECONNREFUSED/);
});

test('flat (vLLM <= 0.10.0) error bodies are nested; others untouched', () => {
  const flat = Buffer.from(JSON.stringify({ object: 'error', message: 'm', type: 'BadRequestError', param: null, code: 400 }));
  assert.deepEqual(JSON.parse(nestFlatErrorBody(400, flat).toString()), { error: { object: 'error', message: 'm', type: 'BadRequestError', param: null, code: 400 } });
  assert.equal(nestFlatErrorBody(200, flat), flat);
  const nested = Buffer.from(JSON.stringify({ error: { message: 'm' } }));
  assert.equal(nestFlatErrorBody(400, nested), nested);
  const text = Buffer.from('Internal Server Error');
  assert.equal(nestFlatErrorBody(500, text), text);
});
