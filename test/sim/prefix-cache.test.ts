// The simulator's model of vLLM's automatic prefix caching: block-granular hits on shared
// prefixes, the last token always computed, LRU eviction under a KV budget, cached_tokens
// reported as vLLM reports it, and latency that follows the prefill work.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PrefixCache, chatTokens } from '../../src/sim/prefix-cache.js';
import { promptTokens } from '../../src/sim/tokens.js';
import { startSimulator, type SimulatorHandle } from '../../src/sim/server.js';
import { TEST_MODELS, chat, fixedProfile } from './helpers.js';

const words = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(3, '0')}`).join('');

test('chat tokens count as the simulator counts prompt tokens', () => {
  const contents = ['system text', words(40, 'q')];
  assert.equal(chatTokens(['system', 'user'], contents).length, promptTokens(contents));
});

test('a shared prefix hits block by block; a prompt wholly cached still computes its last block', () => {
  const c = new PrefixCache({ budgetTokens: 10_000, blockSize: 16 });
  const story = words(64, 's'); // 64 tokens of 4 characters
  const a = c.admit(chatTokens(['user'], [story + words(20, 'a')]), 'm');
  assert.equal(a.cached, 0);
  c.release(a, 'm');
  const b = c.admit(chatTokens(['user'], [story + words(20, 'b')]), 'm');
  // Shared: 3 role tokens + 64 story tokens = 67 -> 4 full blocks (64 tokens).
  assert.equal(b.cached, 64);
  c.release(b, 'm');
  const same = chatTokens(['user'], [story + words(20, 'a')]);
  const again = c.admit(same, 'm');
  assert.equal(again.cached, Math.floor((same.length - 1) / 16) * 16, 'at most len - 1 tokens, block-aligned');
  c.release(again, 'm');
  const other = c.admit(chatTokens(['user'], [story + words(20, 'a')]), 'another-model');
  assert.equal(other.cached, 0, 'the salt (model, template options) separates caches');
});

test('under a small budget the least recently used prefixes are evicted first; pinned blocks are not', () => {
  const c = new PrefixCache({ budgetTokens: 16 * 12, blockSize: 16 }); // 12 blocks
  const p = (tag: string) => chatTokens(['user'], [words(64, tag)]); // 67 tokens: 4 full blocks each
  for (const t of ['x', 'y', 'z']) c.release(c.admit(p(t), 'm'), 'm');
  c.release(c.admit(p('x'), 'm'), 'm'); // x is now the most recently used
  c.release(c.admit(p('w'), 'm'), 'm'); // needs 4 blocks: evicts y (least recently used)
  assert.equal(c.admit(p('x'), 'm').cached, 64, 'x survived');
  assert.equal(c.admit(p('y'), 'm').cached, 0, 'y was evicted');
  assert.ok(c.snapshot().evictedBlocks >= 4);
  assert.ok(c.snapshot().blocks <= c.capacity + c.snapshot().overflowBlocks);
});

let sim: SimulatorHandle;
before(async () => {
  sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.5), seed: 1, kvCacheTokens: 100_000, prefillTokensPerS: 500 });
});
after(async () => {
  await sim.close();
});

test('the server reports cached_tokens only when some were cached, and latency follows the prefill work', async () => {
  const system = { role: 'system', content: words(300, 'p') }; // ~300 tokens shared
  const ask = (q: string) => chat(sim, { model: 'sim/test-7b', messages: [system, { role: 'user', content: q }], temperature: 0.7, seed: 1, max_tokens: 50 });
  const t0 = performance.now();
  const first = await ask('first question');
  const cold = performance.now() - t0;
  assert.equal(first.status, 200);
  assert.equal(first.json.usage.prompt_tokens_details, null);
  const t1 = performance.now();
  const second = await ask('second question');
  const warm = performance.now() - t1;
  const cached = second.json.usage.prompt_tokens_details.cached_tokens;
  assert.ok(cached >= 288 && cached % 16 === 0 && cached < second.json.usage.prompt_tokens, `cached ${cached}`);
  // ~310 prompt tokens at 500/s: a cold prefill of ~620 ms; warm computes only the ~20 uncached ones (~40 ms).
  assert.ok(cold >= 600 && warm < cold / 2, `cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`);
  const s = sim.stats();
  assert.equal(s.cachedTokens, cached);
  // The same counters in Prometheus text under vLLM's names.
  const metrics = await (await fetch(`${sim.origin}/metrics`)).text();
  assert.match(metrics, new RegExp(`vllm:prefix_cache_hits_total\\{model_name="sim/test-7b"\\} ${cached}\\n`));
  assert.match(metrics, /# TYPE vllm:prompt_tokens_total counter/);
  assert.ok(s.promptTokens >= first.json.usage.prompt_tokens + second.json.usage.prompt_tokens);
});
