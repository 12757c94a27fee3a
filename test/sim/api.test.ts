// The simulator's HTTP surface against the vLLM fact sheet (../shared/notes/vllm-api.md):
// shapes, statuses and error bodies, plus latency, injected failures and rate limits.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../src/sim/server.js';
import { TEST_MODELS, chat, fixedProfile } from './helpers.js';

let sim: SimulatorHandle;
const USER = [{ role: 'user', content: 'What is the capital of France?' }];

before(async () => {
  sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [] });
});
after(async () => {
  await sim.close();
});

test('binds to loopback and reports its URL', () => {
  assert.equal(sim.host, '127.0.0.1');
  assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
});

test('GET /v1/models: one vLLM card per model, fresh created, max_model_len', async () => {
  const before = Math.floor(Date.now() / 1000);
  const res = await fetch(`${sim.url}/models`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as any;
  assert.equal(body.object, 'list');
  assert.deepEqual(body.data.map((m: any) => m.id), ['sim/test-7b', 'sim/test-think-8b']);
  const card = body.data[1];
  assert.equal(card.object, 'model');
  assert.equal(card.owned_by, 'vllm');
  assert.equal(card.root, 'Test/Test-Think-8B');
  assert.equal(card.parent, null);
  assert.equal(card.max_model_len, 40960);
  assert.ok(card.created >= before && card.created <= Math.floor(Date.now() / 1000));
  assert.match(card.permission[0].id, /^modelperm-[0-9a-f]{32}$/);
});

test('GET /health is 200 with an empty body; /version names a vLLM version', async () => {
  const h = await fetch(`${sim.origin}/health`);
  assert.equal(h.status, 200);
  assert.equal(await h.text(), '');
  const v = (await (await fetch(`${sim.origin}/version`)).json()) as any;
  assert.match(v.version, /^\d+\.\d+\.\d+/);
});

test('chat completion: every field present (nulls too), usage, ids', async () => {
  const r = await chat(sim, { model: 'sim/test-7b', messages: USER, temperature: 0, seed: 1, unknown_field: { x: 1 }, top_k: 20, min_p: 0, repetition_penalty: 1.05 });
  assert.equal(r.status, 200);
  const b = r.json;
  assert.match(b.id, /^chatcmpl-[0-9a-f]{32}$/);
  assert.equal(b.object, 'chat.completion');
  assert.equal(b.model, 'sim/test-7b');
  for (const k of ['service_tier', 'system_fingerprint', 'prompt_logprobs', 'kv_transfer_params']) assert.ok(k in b && b[k] === null, k);
  const c = b.choices[0];
  assert.equal(c.index, 0);
  assert.equal(c.finish_reason, 'stop');
  assert.equal(c.stop_reason, null);
  assert.equal(c.logprobs, null);
  assert.equal(c.message.role, 'assistant');
  assert.equal(typeof c.message.content, 'string');
  assert.deepEqual(c.message.tool_calls, []);
  for (const k of ['refusal', 'annotations', 'audio', 'function_call', 'reasoning', 'reasoning_content']) assert.ok(k in c.message && c.message[k] === null, k);
  assert.deepEqual(Object.keys(b.usage), ['prompt_tokens', 'total_tokens', 'completion_tokens', 'prompt_tokens_details']);
  assert.equal(b.usage.total_tokens, b.usage.prompt_tokens + b.usage.completion_tokens);
  assert.ok(b.usage.completion_tokens >= Math.ceil(c.message.content.length / 4));
});

test('deterministic: the same request gives the same text; X-Request-Id sets the id', async () => {
  const body = { model: 'sim/test-7b', messages: USER, temperature: 0.7, seed: 11, n: 3 };
  const a = await chat(sim, body, { 'x-request-id': 'abc123' });
  const b = await chat(sim, body);
  assert.equal(a.json.id, 'chatcmpl-abc123');
  assert.deepEqual(a.json.choices.map((c: any) => c.message.content), b.json.choices.map((c: any) => c.message.content));
  assert.equal(a.json.choices.length, 3);
});

test('model defaults to the first served one', async () => {
  const r = await chat(sim, { messages: USER });
  assert.equal(r.status, 200);
  assert.equal(r.json.model, 'sim/test-7b');
});

function assertError(r: { status: number; json: any }, status: number, type: string, pattern: RegExp): void {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.deepEqual(Object.keys(r.json), ['error']);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(r.json.error.code, status);
  assert.equal(r.json.error.type, type);
  assert.match(r.json.error.message, pattern);
}

test('errors: vLLM nested bodies and statuses', async () => {
  assertError(await chat(sim, { model: 'nope', messages: USER }), 404, 'NotFoundError', /The model `nope` does not exist\./);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, n: 2, temperature: 0 }), 400, 'BadRequestError', /n must be 1 when using greedy sampling, got 2/);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, top_logprobs: 2 }), 400, 'BadRequestError', /`logprobs` must be set to true/);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, logprobs: true, top_logprobs: 21 }), 400, 'BadRequestError', /greater than max allowed: 20/);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, temperature: -1 }), 400, 'BadRequestError', /temperature/);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, max_tokens: 0 }), 400, 'BadRequestError', /max_tokens/);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, stream_options: { include_usage: true } }), 400, 'BadRequestError', /stream=True/);
  assertError(await chat(sim, { model: 'sim/test-7b' }), 400, 'BadRequestError', /messages/);
  assertError(await chat(sim, { model: 'sim/test-7b', messages: USER, temperature: 'hot' }), 400, 'BadRequestError', /temperature/);
  const long = [{ role: 'user', content: 'x'.repeat(4 * 41000) }];
  assertError(await chat(sim, { model: 'sim/test-think-8b', messages: long }), 400, 'BadRequestError', /maximum context length is 40960 tokens/);
  assertError(await chat(sim, { model: 'sim/test-think-8b', messages: USER, max_tokens: 41000 }), 400, 'BadRequestError', /maximum context length/);
  const bad = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  assert.equal(bad.status, 400);
});

test('max_tokens cuts the answer: finish_reason length, completion_tokens = max_tokens', async () => {
  const r = await chat(sim, { model: 'sim/test-7b', messages: USER, max_tokens: 3, temperature: 0 });
  const c = r.json.choices[0];
  assert.equal(c.finish_reason, 'length');
  assert.equal(c.stop_reason, null);
  assert.equal(r.json.usage.completion_tokens, 3);
  assert.ok(c.message.content.length <= 12);
  const viaNew = await chat(sim, { model: 'sim/test-7b', messages: USER, max_completion_tokens: 2, max_tokens: 50, temperature: 0 });
  assert.equal(viaNew.json.usage.completion_tokens, 2);
});

test('stop strings cut the text and set stop_reason', async () => {
  const full = await chat(sim, { model: 'sim/test-7b', messages: USER, temperature: 0 });
  const text: string = full.json.choices[0].message.content;
  const word = text.split(' ')[3]!;
  const r = await chat(sim, { model: 'sim/test-7b', messages: USER, temperature: 0, stop: [word] });
  const c = r.json.choices[0];
  assert.equal(c.finish_reason, 'stop');
  assert.equal(c.stop_reason, word);
  assert.equal(c.message.content, text.slice(0, text.indexOf(word)));
  const kept = await chat(sim, { model: 'sim/test-7b', messages: USER, temperature: 0, stop: word, include_stop_str_in_output: true });
  assert.ok(kept.json.choices[0].message.content.endsWith(word));
});

test('thinking models: reasoning and reasoning_content; enable_thinking false answers directly', async () => {
  const on = await chat(sim, { model: 'sim/test-think-8b', messages: USER, temperature: 0.6, seed: 1 });
  const m = on.json.choices[0].message;
  assert.equal(typeof m.reasoning, 'string');
  assert.equal(m.reasoning, m.reasoning_content);
  assert.ok(m.reasoning.startsWith('\n'));
  assert.ok(m.content.startsWith('\n\n'));
  const off = await chat(sim, { model: 'sim/test-think-8b', messages: USER, chat_template_kwargs: { enable_thinking: false } });
  assert.equal(off.json.choices[0].message.reasoning, null);
  assert.equal(typeof off.json.choices[0].message.content, 'string');
  const hidden = await chat(sim, { model: 'sim/test-think-8b', messages: USER, include_reasoning: false });
  assert.equal(hidden.json.choices[0].message.reasoning, null);
  // Cut inside the thinking: the whole text is reasoning and content is null.
  const cut = await chat(sim, { model: 'sim/test-think-8b', messages: USER, max_tokens: 4 });
  assert.equal(cut.json.choices[0].finish_reason, 'length');
  assert.equal(cut.json.choices[0].message.content, null);
  assert.equal(typeof cut.json.choices[0].message.reasoning, 'string');
});

test('logprobs: content tokens with top_logprobs', async () => {
  const r = await chat(sim, { model: 'sim/test-7b', messages: USER, logprobs: true, top_logprobs: 2 });
  const lp = r.json.choices[0].logprobs.content;
  assert.ok(lp.length > 0);
  assert.equal(lp.map((t: any) => t.token).join(''), r.json.choices[0].message.content);
  assert.equal(lp[0].top_logprobs.length, 2);
  assert.ok(lp[0].logprob <= 0);
  assert.deepEqual(lp[0].bytes, Array.from(Buffer.from(lp[0].token)));
});

test('streaming: role chunk first, finish_reason last, usage chunk, [DONE]', async () => {
  const res = await fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim/test-think-8b', messages: USER, stream: true, stream_options: { include_usage: true } }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /text\/event-stream/);
  const events = (await res.text()).split('\n\n').filter((e) => e !== '').map((e) => e.replace(/^data: /, ''));
  assert.equal(events[events.length - 1], '[DONE]');
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
  assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
  const usage = chunks[chunks.length - 1];
  assert.deepEqual(usage.choices, []);
  const lastChoice = chunks[chunks.length - 2].choices[0];
  assert.equal(lastChoice.finish_reason, 'stop');
  const reasoning = chunks.map((c) => c.choices[0]?.delta?.reasoning ?? '').join('');
  const content = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.ok(reasoning.length > 0 && content.length > 0);
  assert.equal(usage.usage.completion_tokens, Math.ceil(reasoning.length / 4) + 2 + Math.ceil(content.length / 4));
});

test('unknown routes 404, wrong method 405, non-JSON content type 415', async () => {
  assert.equal((await fetch(`${sim.url}/nothing`)).status, 404);
  assert.equal((await fetch(`${sim.url}/chat/completions`)).status, 405);
  const r = await fetch(`${sim.url}/chat/completions`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 415);
});

test('--api-key: 401 {"error":"Unauthorized"} on /v1 only', async () => {
  const s = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], apiKey: 'k' });
  try {
    const r = await fetch(`${s.url}/models`);
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { error: 'Unauthorized' });
    assert.equal((await fetch(`${s.url}/models`, { headers: { authorization: 'Bearer k' } })).status, 200);
    assert.equal((await fetch(`${s.origin}/health`)).status, 200);
  } finally {
    await s.close();
  }
});

test('--fail-rate injects 500s; --rate-limit answers 429 with Retry-After', async () => {
  const flaky = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], failRate: 0.5, seed: 1 });
  try {
    const statuses = await Promise.all(Array.from({ length: 40 }, () => chat(flaky, { messages: USER }).then((r) => r.status)));
    const fails = statuses.filter((s) => s === 500).length;
    assert.ok(fails > 5 && fails < 35, `${fails} of 40 failed`);
    assert.ok(statuses.every((s) => s === 200 || s === 500));
  } finally {
    await flaky.close();
  }
  const slow = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], latencyMs: 150, rateLimit: 2 });
  try {
    const t0 = Date.now();
    const rs = await Promise.all(Array.from({ length: 5 }, () => chat(slow, { messages: USER })));
    const limited = rs.filter((r) => r.status === 429);
    assert.equal(limited.length, 3);
    assert.equal(limited[0]!.headers.get('retry-after'), '1');
    assert.equal(limited[0]!.json.error.code, 429);
    assert.ok(Date.now() - t0 >= 140, 'latency applied');
    assert.equal(slow.stats().maxInFlight, 2);
  } finally {
    await slow.close();
  }
});

test('--fail-rate in a stream: some failures arrive as a data: {"error": ...} line after the stream started', async () => {
  const flaky = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], failRate: 1, seed: 2 });
  try {
    let midStream = 0;
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${flaky.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: USER, stream: true }),
      });
      if (res.status === 500) {
        assert.equal(((await res.json()) as any).error.code, 500);
        continue;
      }
      assert.equal(res.status, 200);
      const events = (await res.text()).split('\n\n').filter((e) => e !== '');
      const err = JSON.parse(events[1]!.replace(/^data: /, ''));
      assert.equal(err.error.type, 'InternalServerError');
      assert.equal(events[2], 'data: [DONE]');
      midStream++;
    }
    assert.ok(midStream > 0 && midStream < 12, `${midStream} of 12 failed mid-stream`);
  } finally {
    await flaky.close();
  }
});

test('latency model: time to first token plus tokens per second', async () => {
  const s = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], latencyMs: 50, tokensPerS: 1000 });
  try {
    const t0 = Date.now();
    const r = await chat(s, { messages: USER, max_tokens: 100, temperature: 0 });
    const took = Date.now() - t0;
    const expected = 50 + r.json.usage.completion_tokens;
    assert.ok(took >= expected - 5, `took ${took} ms, expected >= ${expected}`);
  } finally {
    await s.close();
  }
});
