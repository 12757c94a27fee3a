import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBody, requestKey, resolveGeneration, runHash } from '../../src/eval/generation.js';
import { normalizeBaseUrl, parseRetryAfter } from '../../src/eval/client.js';
import { AimdLimiter } from '../../src/eval/limiter.js';
import { Redactor } from '../../src/eval/redact.js';
import { selectItems } from '../../src/eval/plan.js';

test('precedence: benchmark < catalog preset < run flags < greedy, with sources', () => {
  const g = resolveGeneration({ max_tokens: 100, temperature: 0.6 }, { temperature: 0.7, top_p: 0.8, top_k: 20 }, { top_p: 0.9, chat_template_kwargs: { enable_thinking: false } }, false);
  assert.deepEqual(g.settings, { request_seed: true, max_tokens: 100, temperature: 0.7, top_p: 0.9, top_k: 20, chat_template_kwargs: { enable_thinking: false } });
  assert.equal(g.sources.temperature, 'catalog');
  assert.equal(g.sources.top_p, 'run');
  const greedy = resolveGeneration({ max_tokens: 100 }, { temperature: 0.7, top_p: 0.8, top_k: 20, repetition_penalty: 1.05 }, {}, true);
  assert.deepEqual(greedy.settings, { request_seed: true, max_tokens: 100, temperature: 0, repetition_penalty: 1.05 });
  assert.equal(greedy.sources.temperature, 'greedy');
});

test('body carries vLLM extras and template kwargs; key changes with any of them', () => {
  const g = resolveGeneration({}, undefined, { top_k: 20, min_p: 0, repetition_penalty: 1.1, chat_template_kwargs: { enable_thinking: true }, extra: { include_stop_str_in_output: true } }, false);
  const body = buildBody('m', [{ role: 'user', content: 'hi' }], g.settings, 7);
  assert.equal(body.top_k, 20);
  assert.equal(body.min_p, 0);
  assert.equal(body.repetition_penalty, 1.1);
  assert.deepEqual(body.chat_template_kwargs, { enable_thinking: true });
  assert.equal(body.include_stop_str_in_output, true);
  assert.equal(body.seed, 7);
  const k = requestKey(body, 0, null);
  assert.equal(k, requestKey({ ...body }, 0, null));
  assert.notEqual(k, requestKey({ ...body, chat_template_kwargs: { enable_thinking: false } }, 0, null));
  assert.notEqual(k, requestKey(body, 1, null));
  assert.notEqual(k, requestKey(body, 0, [1, 0]));
  const id = { model: 'm', bench: 'b', bench_options: {}, generation: g.settings, seed: 0 };
  assert.notEqual(runHash(id), runHash({ ...id, generation: { ...g.settings, top_k: 40 } }));
});

test('base URLs: /v1 added to a bare host, credentials dropped', () => {
  assert.equal(normalizeBaseUrl('http://h:8000'), 'http://h:8000/v1');
  assert.equal(normalizeBaseUrl('http://u:secret@h:8000/v1/'), 'http://h:8000/v1');
  assert.equal(normalizeBaseUrl('https://x.org/openai/v1'), 'https://x.org/openai/v1');
});

test('Retry-After in seconds, milliseconds or as a date', () => {
  assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' })), 2000);
  assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' })), 150);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now), 3000);
  assert.equal(parseRetryAfter(new Headers({})), null);
});

test('AIMD: stray throttles keep the limit, heavy throttling halves toward the floor, clean windows grow it back', () => {
  const l = new AimdLimiter({ ceiling: 32, floor: 4 });
  for (let i = 0; i < 640; i++) l.record(i % 20 === 0 ? 'congestion' : 'ok'); // 5%
  assert.equal(l.limit, 32);
  for (let i = 0; i < 400; i++) l.record(i % 2 === 0 ? 'congestion' : 'ok'); // 50%
  assert.equal(l.limit, 4);
  for (let i = 0; i < 2000; i++) l.record('ok');
  assert.equal(l.limit, 32);
  l.record('timeout');
  l.record('timeout');
  assert.ok(l.limit < 32);
});

test('redactor removes the key everywhere and ignores placeholder keys', () => {
  const r = new Redactor(['sk-secret-123456', 'EMPTY']);
  assert.equal(r.text('a sk-secret-123456 b sk-secret-123456'), 'a [REDACTED] b [REDACTED]');
  assert.equal(r.text('EMPTY'), 'EMPTY');
});

test('--limit subset is seeded and prefix-stable', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ id: `i${i}`, tags: {}, cluster: `i${i}`, source: '' }));
  const a = selectItems(items, 10, 1).map((x) => x.id);
  const b = selectItems(items, 20, 1).map((x) => x.id);
  assert.deepEqual(b.slice(0, 10), a);
  assert.notDeepEqual(selectItems(items, 10, 2).map((x) => x.id), a);
});
