import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { classifyError, EndpointClient } from '../../src/eval/client.js';
import { bodyAfterCappedTruncation, bodyAfterContextError, capToContext, estimatePromptTokens, parseContextError } from '../../src/eval/context.js';
import { Redactor } from '../../src/eval/redact.js';
import type { RunMeta, SampleRecord } from '../../src/eval/records.js';
import { runEval, type EvalConfig } from '../../src/eval/runner.js';
import { readRecords } from '../../src/eval/store.js';
import { benchmark as arith } from './arith-bench.js';
import { arithmeticAnswer, startFakeServer, type ChatRequestBody, type Fault } from './fake-server.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'masa-ctx-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Every wording in ../shared/notes/vllm-api.md §6.
const WORDINGS: Array<[string, number, number]> = [
  ["This model's maximum context length is 4096 tokens. However, you requested 5000 tokens in the messages, Please reduce the length of the messages.", 4096, 5000],
  ["This model's maximum context length is 4096 tokens. However, your request has 5000 input tokens. Please reduce the length of the input messages.", 4096, 5000],
  ["This model's maximum context length is 4096 tokens. However, you requested 4600 tokens (4000 in the messages, 600 in the completion). Please reduce the length of the messages or completion. None", 4096, 4000],
  ["'max_tokens' or 'max_completion_tokens' is too large: 600. This model's maximum context length is 4096 tokens and your request has 4000 input tokens (600 > 4096 - 4000).", 4096, 4000],
  ["This model's maximum context length is 40960 tokens. However, you requested 0 output tokens and your prompt contains at least 40961 input tokens, for a total of at least 40961 tokens. Please reduce the length of the input prompt or the number of requested output tokens. (parameter=input_tokens, value=40961)", 40960, 40961],
];

test('parseContextError reads the context length and input tokens of every vLLM wording', () => {
  for (const [msg, len, input] of WORDINGS) {
    assert.deepEqual(parseContextError(`400 ${msg}`), { maxModelLen: len, inputTokens: input }, msg);
  }
  assert.equal(parseContextError('400 temperature must be non-negative'), null);
  assert.equal(parseContextError("400 This model's maximum context length is 4096 tokens."), null);
});

test('bodyAfterContextError: room left after the prompt, or null when the prompt alone does not fit', () => {
  const body = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }], max_tokens: 600 };
  assert.equal(bodyAfterContextError(body, WORDINGS[3]![0], null)?.max_tokens, 96);
  assert.equal(bodyAfterContextError(body, WORDINGS[2]![0], null)?.max_tokens, 96);
  assert.equal(bodyAfterContextError(body, WORDINGS[0]![0], 4096), null);
  assert.equal(bodyAfterContextError(body, WORDINGS[4]![0], null), null);
  // Already within the room the server names: not the complaint, no loop.
  assert.equal(bodyAfterContextError({ ...body, max_tokens: 50 }, WORDINGS[3]![0], null), null);
});

test('capToContext lowers max_tokens only when the over-estimated prompt would not fit', () => {
  const messages = [{ role: 'user' as const, content: 'a'.repeat(300) }];
  const est = estimatePromptTokens(messages);
  assert.ok(est >= 100 && est < 200, String(est));
  const body = { model: 'm', messages, max_tokens: 4096 };
  const capped = capToContext(body, 4096);
  assert.equal(capped.max_tokens, 4096 - est);
  assert.equal(body.max_tokens, 4096, 'the planned body is not mutated');
  assert.equal(capToContext(body, 8192), body);
  assert.equal(capToContext(body, null), body);
  assert.equal(capToContext({ model: 'm', messages }, 4096).max_tokens, undefined);
  assert.equal(capToContext(body, 50), body, 'no room even by the estimate: the server decides');
});

test('bodyAfterCappedTruncation: resend only a capped answer cut short when the server says there was more room', () => {
  const sent = { model: 'm', messages: [], max_tokens: 3000 };
  assert.equal(bodyAfterCappedTruncation(sent, 4096, 'length', 100, 4096)?.max_tokens, 3996);
  assert.equal(bodyAfterCappedTruncation(sent, 3500, 'length', 100, 4096)?.max_tokens, 3500);
  assert.equal(bodyAfterCappedTruncation(sent, 4096, 'stop', 100, 4096), null);
  assert.equal(bodyAfterCappedTruncation(sent, 3000, 'length', 100, 4096), null, 'not capped');
  assert.equal(bodyAfterCappedTruncation(sent, 4096, 'length', 1096, 4096), null, 'no more room');
  assert.equal(bodyAfterCappedTruncation(sent, 4096, 'length', null, 4096), null);
});

const MAX_LEN = 4096;
/** The fake server as vLLM: prompt tokens = chars/4 (under the estimate), 400 when prompt + max_tokens > 4096. */
function contextFault(body: ChatRequestBody): Fault | null {
  const prompt = Math.ceil(body.messages.reduce((s, m) => s + m.content.length, 0) / 4) + (body.messages[0]!.content.includes('LONG') ? 5000 : 0);
  const max = typeof body.max_tokens === 'number' ? body.max_tokens : 0;
  if (prompt >= MAX_LEN) return { status: 400, message: `This model's maximum context length is ${MAX_LEN} tokens. However, your request has ${prompt} input tokens. Please reduce the length of the input messages.` };
  if (prompt + max > MAX_LEN) {
    return { status: 400, message: `'max_tokens' or 'max_completion_tokens' is too large: ${max}. This model's maximum context length is ${MAX_LEN} tokens and your request has ${prompt} input tokens (${max} > ${MAX_LEN} - ${prompt}).` };
  }
  return null;
}

function cfg(url: string, out: string, extra: Partial<EvalConfig> = {}): EvalConfig {
  return { model: 'm', endpoints: [url], benches: [arith], out, progress: 'none', preset: null, options: { '*': { n: 12 } }, generation: { max_tokens: 4096 }, log: () => {}, ...extra };
}

async function records(dir: string): Promise<SampleRecord[]> {
  const out: SampleRecord[] = [];
  for await (const r of readRecords(dir)) out.push(r);
  return out;
}

test('a benchmark asking max_tokens = the context length: capped before sending (max_model_len from /v1/models), answered, resumed without re-requesting', async () => {
  const server = await startFakeServer({ fault: (_n, b) => contextFault(b) }); // its /v1/models says max_model_len 4096
  try {
    const out = tmp();
    const res = await runEval(cfg(server.url, out));
    const run = res.runs[0]!;
    assert.equal(run.n, 12);
    assert.equal(run.errors, 0);
    assert.equal(server.stats.byStatus[400] ?? 0, 0, 'no request was rejected');
    const recs = await records(run.dir);
    assert.equal(recs.length, 12);
    for (const r of recs) assert.ok(r.max_tokens !== undefined && r.max_tokens < 4096 && r.max_tokens > 3900, `sent max_tokens ${r.max_tokens}`);
    const meta = JSON.parse(readFileSync(join(run.dir, 'meta.json'), 'utf8')) as RunMeta;
    assert.equal(meta.generation.max_tokens, 4096, 'the planned setting stays in the metadata');
    assert.deepEqual(meta.sessions![0]!.context, { max_model_len: 4096, capped: 12, resent_after_400: 0, resent_after_truncation: 0 });

    const before = server.stats.chat;
    const again = await runEval(cfg(server.url, out));
    assert.equal(server.stats.chat, before, 'a capped answer is done: the rerun requests nothing');
    assert.equal(again.runs[0]!.run_id, run.run_id);
    assert.equal((await records(run.dir)).length, 12);
  } finally {
    await server.close();
  }
});

test('without a known context length: a 400 "maximum context length" is resent once with the room the server names; a prompt that alone is too long is recorded as an error', async () => {
  const server = await startFakeServer({
    fault: (_n, b) => contextFault(b),
    respond: (b) => (b.messages[0]!.content.includes('LONG') ? { content: 'never' } : arithmeticAnswer(b)),
  });
  try {
    const out = tmp();
    // Item q3's prompt is made too long for the context by the benchmark wrapper below.
    const longArith = { ...arith, messages: (item: Parameters<typeof arith.messages>[0], t: Parameters<typeof arith.messages>[1], o: Parameters<typeof arith.messages>[2]) => {
      const m = arith.messages(item, t, o);
      return item.id === 'q3' ? [{ role: 'user' as const, content: `${m[0]!.content} LONG` }] : m;
    } };
    const res = await runEval(cfg(server.url, out, { maxModelLen: null, benches: [longArith] }));
    const run = res.runs[0]!;
    assert.equal(run.n, 11);
    assert.equal(run.errors, 1);
    const recs = await records(run.dir);
    const bad = recs.find((r) => r.item_id === 'q3')!;
    assert.match(bad.error!, /maximum context length/);
    assert.equal(bad.attempts, 1, 'no room at all: not resent');
    for (const r of recs.filter((x) => x.item_id !== 'q3')) {
      assert.equal(r.error, null);
      assert.equal(r.attempts, 2);
      assert.ok(r.max_tokens! > 4000 && r.max_tokens! < 4096);
    }
    assert.equal(server.stats.chat, 11 * 2 + 1);
    const meta = JSON.parse(readFileSync(join(run.dir, 'meta.json'), 'utf8')) as RunMeta;
    assert.deepEqual(meta.sessions![0]!.context, { max_model_len: null, capped: 0, resent_after_400: 11, resent_after_truncation: 0 });
    // A rerun retries only the failed item, once.
    const before = server.stats.chat;
    await runEval(cfg(server.url, out, { maxModelLen: null, benches: [longArith] }));
    assert.equal(server.stats.chat, before + 1);
  } finally {
    await server.close();
  }
});

test('a capped answer cut by the lowered limit is resent with the room the server counted', async () => {
  // Answers are cut ("length") unless max_tokens leaves the whole context after the server's 10 prompt tokens.
  const server = await startFakeServer({
    respond: (b) => ((b.max_tokens as number) >= 4086 ? arithmeticAnswer(b) : { content: 'The answer is', finish_reason: 'length' }),
  });
  try {
    const res = await runEval(cfg(server.url, tmp(), { options: { '*': { n: 3 } } }));
    const run = res.runs[0]!;
    assert.equal(run.truncated, 0);
    assert.equal(run.n, 3);
    assert.equal(server.stats.chat, 6);
    for (const r of await records(run.dir)) assert.equal(r.max_tokens, 4086);
  } finally {
    await server.close();
  }
});

test('vLLM <= 0.10.0 flat error bodies keep their message through the SDK', async () => {
  const msg = WORDINGS[3]![0];
  const server = createServer((_req, res) => {
    const text = JSON.stringify({ object: 'error', message: msg, type: 'BadRequestError', param: null, code: 400 });
    res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const redactor = new Redactor([]);
    const c = new EndpointClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: undefined, redactor });
    const e = await c.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 600 }, 5000).then(
      () => assert.fail('expected a 400'),
      (x: unknown) => classifyError(x, redactor),
    );
    assert.equal(e.status, 400);
    assert.equal(e.cls, 'item');
    assert.deepEqual(parseContextError(e.message), { maxModelLen: 4096, inputTokens: 4000 });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
