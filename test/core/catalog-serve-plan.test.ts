import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CatalogModel, loadCatalog } from '../../src/core/catalog-load.js';
import { kvBytesPerToken, planModel, planServe, tpSplitsHeads, DEFAULT_SERVE_OPTIONS } from '../../src/core/serve-plan.js';

const catalog = loadCatalog();
const byId = (id: string): CatalogModel => {
  const m = catalog.find((x) => x.id === id);
  assert.ok(m, id);
  return m;
};
const plan1 = (id: string, o: Partial<typeof DEFAULT_SERVE_OPTIONS> = {}) => planServe([byId(id)], o)[0]!;

test('known sizes on 8 x 80 GB nodes', () => {
  const small = plan1('qwen2.5-0.5b-instruct');
  assert.equal(small.tensor_parallel, 1);
  assert.equal(small.pipeline_parallel, 1);
  assert.equal(plan1('llama-3.1-8b-instruct').tensor_parallel, 1);
  // 140 GB of weights + KV for 2 x 40k tokens do not fit in 2 x 70 GB usable.
  const l70 = plan1('llama-3.3-70b-instruct');
  assert.equal(l70.tensor_parallel, 4);
  assert.equal(l70.weights_gb, 140);
  const moe = plan1('qwen3-235b-a22b');
  assert.equal(moe.tensor_parallel, 8);
  assert.equal(moe.pipeline_parallel, 1);
  assert.equal(moe.reasoning_parser, 'qwen3');
  const big = plan1('llama-3.1-405b-instruct');
  assert.equal(big.tensor_parallel, 8);
  assert.equal(big.pipeline_parallel, 2);
  assert.equal(big.gpus, 16);
  assert.equal(big.nodes, 2);
  assert.ok(big.argv.includes('--pipeline-parallel-size'));
  assert.ok(big.notes.some((n) => /Ray/.test(n)));
});

test('the rule reacts to GPU memory, context and node size', () => {
  assert.equal(plan1('llama-3.3-70b-instruct', { gpuMemGb: 141 }).tensor_parallel, 2, 'H200-class GPUs halve it');
  assert.equal(plan1('llama-3.3-70b-instruct', { maxModelLen: 4096 }).tensor_parallel, 4, '140 GB of weights alone overflow 2 x 70 GB');
  // 16 GB of weights + 11 GB of KV (2 x 40k tokens) need two 24 GB cards; at 4k context one will do.
  assert.equal(plan1('llama-3.1-8b-instruct', { gpuMemGb: 24 }).tensor_parallel, 2);
  assert.equal(plan1('llama-3.1-8b-instruct', { gpuMemGb: 24, maxModelLen: 4096 }).tensor_parallel, 1);
  assert.equal(plan1('llama-3.1-8b-instruct', { gpuMemGb: 24, maxModelLen: 4096, kvSeqs: 16 }).tensor_parallel, 2);
  const fourGpu = plan1('qwen3-235b-a22b', { gpusPerNode: 4 });
  assert.equal(fourGpu.tensor_parallel, 4);
  assert.equal(fourGpu.pipeline_parallel, 2);
});

test('tensor parallel divides the attention heads', () => {
  // Qwen2-57B-A14B: 28 heads, 4 KV heads: tp 8 impossible, so a 24 GB card gets tp 4 x pp.
  const m = byId('qwen2-57b-a14b-instruct');
  assert.equal(tpSplitsHeads(m, 4), true);
  assert.equal(tpSplitsHeads(m, 8), false);
  const p = plan1('qwen2-57b-a14b-instruct', { gpuMemGb: 24 });
  assert.equal(p.tensor_parallel, 4);
  assert.ok(p.pipeline_parallel >= 2);
  assert.ok(p.notes.some((n) => /largest that splits/.test(n)));
  // Qwen1.5-4B has 20 heads and 20 KV heads: tp 8 is not allowed.
  assert.equal(tpSplitsHeads(byId('qwen1.5-4b-chat'), 8), false);
  assert.equal(tpSplitsHeads(byId('qwen1.5-4b-chat'), 4), true);
});

test('max model len: default cap, user cap, never above the context', () => {
  assert.equal(plan1('llama-3.1-8b-instruct').max_model_len, 40960);
  assert.equal(plan1('qwen3-8b').max_model_len, 40960);
  assert.equal(plan1('qwen2.5-7b-instruct').max_model_len, 32768);
  assert.equal(plan1('llama-2-7b-chat').max_model_len, 4096);
  const capped = plan1('llama-2-7b-chat', { maxModelLen: 8192 });
  assert.equal(capped.max_model_len, 4096);
  assert.ok(capped.notes.some((n) => /capped/.test(n)));
  assert.equal(plan1('llama-3.1-8b-instruct', { maxModelLen: 16384 }).max_model_len, 16384);
  const scout = plan1('llama-4-scout-17b-16e-instruct');
  assert.equal(scout.max_model_len, 40960, '10M context is not served by default');
});

test('command shape: served name, dtype, parser only for thinking models, remote code for Qwen1, ports', () => {
  const plans = planServe([byId('qwen3-8b'), byId('qwen2.5-7b-instruct'), byId('qwen-7b-chat')], { portBase: 9000 });
  assert.deepEqual(plans.map((p) => p.port), [9000, 9001, 9002]);
  const [q3, q25, q1] = plans as [typeof plans[0], typeof plans[0], typeof plans[0]];
  assert.deepEqual(q3.argv.slice(0, 5), ['vllm', 'serve', 'Qwen/Qwen3-8B', '--served-model-name', 'qwen3-8b']);
  assert.match(q3.command, /--dtype bfloat16 .*--generation-config vllm .*--reasoning-parser qwen3$/);
  assert.ok(!q25.argv.includes('--reasoning-parser'));
  assert.ok(!q25.argv.includes('--trust-remote-code'));
  assert.ok(q1.argv.includes('--trust-remote-code'));
  assert.equal(q3.command, q3.argv.join(' '));
  assert.ok(planServe([byId('qwen3-8b')], { generationConfig: 'auto' })[0]!.argv.includes('auto'));
});

test('KV bytes per token and the fallback without architecture numbers', () => {
  // Llama-3-70B: 80 layers x 8 KV heads x 128 dims x 2 (K,V) x 2 bytes.
  assert.equal(kvBytesPerToken(byId('llama-3-70b-instruct')), 327_680);
  const bare: CatalogModel = { ...byId('qwen2.5-7b-instruct') };
  delete bare.num_layers;
  delete bare.num_attention_heads;
  delete bare.num_kv_heads;
  delete bare.head_dim;
  assert.equal(kvBytesPerToken(bare), undefined);
  const p = planModel(bare, 0, DEFAULT_SERVE_OPTIONS);
  assert.equal(p.kv_cache_gb, Math.round(0.2 * 2 * bare.params_b * 10) / 10);
  assert.ok(p.notes.some((n) => /20%/.test(n)));
});

test('every catalog model gets a plan on 8 x 80 GB nodes', () => {
  const plans = planServe(catalog);
  assert.equal(plans.length, catalog.length);
  for (const p of plans) {
    assert.ok(p.tensor_parallel >= 1 && p.tensor_parallel <= 8, p.id);
    assert.ok(p.gpus * p.usable_gb_per_gpu >= p.weights_gb + p.kv_cache_gb, `${p.id} fits`);
  }
  assert.deepEqual(plans.filter((p) => p.pipeline_parallel > 1).map((p) => p.id).sort(), ['llama-3.1-405b-instruct', 'llama-4-maverick-17b-128e-instruct']);
});

test('bad options throw', () => {
  assert.throws(() => plan1('qwen3-8b', { gpuMemGb: 0 }), /--gpu-mem-gb/);
  assert.throws(() => plan1('qwen3-8b', { gpusPerNode: 3.5 }), /--gpus-per-node/);
  assert.throws(() => plan1('qwen3-8b', { maxModelLen: -1 }), /--max-model-len/);
  assert.throws(() => plan1('qwen3-8b', { gpuMemGb: 1 }), /no usable memory/);
  assert.throws(() => plan1('qwen3-8b', { kvSeqs: 0 }), /--kv-seqs/);
  assert.throws(() => plan1('qwen3-8b', { gpuMemoryUtilization: 1.5 }), /--gpu-memory-utilization/);
});
