// The official `openai` SDK against the simulator: models list, chat, streaming, and vLLM's
// error bodies mapped to the SDK's error classes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { startSimulator, type SimulatorHandle } from '../../src/sim/server.js';
import { TEST_MODELS, fixedProfile } from './helpers.js';

let sim: SimulatorHandle;
let client: OpenAI;

before(async () => {
  sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [] });
  client = new OpenAI({ baseURL: sim.url, apiKey: 'unused', maxRetries: 0 });
});
after(async () => {
  await sim.close();
});

test('models.list', async () => {
  const ids: string[] = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ['sim/test-7b', 'sim/test-think-8b']);
});

test('chat.completions.create with vLLM extras', async () => {
  const r = await client.chat.completions.create({
    model: 'sim/test-think-8b',
    messages: [{ role: 'user', content: 'Hello there' }],
    temperature: 0.6,
    max_completion_tokens: 512,
    // @ts-expect-error vLLM-only fields pass through the SDK
    top_k: 20,
    chat_template_kwargs: { enable_thinking: true },
  });
  assert.equal(r.model, 'sim/test-think-8b');
  assert.equal(r.choices[0]!.finish_reason, 'stop');
  const msg = r.choices[0]!.message as unknown as { content: string; reasoning?: string; reasoning_content?: string };
  assert.ok(msg.content.length > 0);
  assert.ok((msg.reasoning ?? msg.reasoning_content ?? '').length > 0);
  assert.ok(r.usage!.completion_tokens > 0);
});

test('streaming through the SDK', async () => {
  const stream = await client.chat.completions.create({
    model: 'sim/test-7b',
    messages: [{ role: 'user', content: 'Hello there' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let usage = 0;
  let finish: string | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
    if (chunk.usage) usage = chunk.usage.completion_tokens;
  }
  assert.ok(text.length > 0);
  assert.equal(finish, 'stop');
  assert.equal(usage, Math.ceil(text.length / 4));
});

test('errors map to the SDK classes with vLLM messages', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'sim/none', messages: [{ role: 'user', content: 'hi' }] }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && e.status === 404 && /does not exist/.test(e.message),
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'sim/test-7b', messages: [{ role: 'user', content: 'hi' }], n: 2, temperature: 0 }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.status === 400 && /greedy sampling/.test(e.message),
  );
  const flaky = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], failRate: 1 });
  const limited = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), benchmarks: [], rateLimit: '1/s' });
  try {
    const c = new OpenAI({ baseURL: flaky.url, apiKey: 'x', maxRetries: 0 });
    await assert.rejects(c.chat.completions.create({ model: 'sim/test-7b', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof OpenAI.InternalServerError);
    const l = new OpenAI({ baseURL: limited.url, apiKey: 'x', maxRetries: 0 });
    await l.chat.completions.create({ model: 'sim/test-7b', messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(l.chat.completions.create({ model: 'sim/test-7b', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof OpenAI.RateLimitError);
  } finally {
    await flaky.close();
    await limited.close();
  }
});
