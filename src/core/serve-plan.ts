import type { CatalogModel } from './catalog-load.js';
import { MasaError } from './errors.js';

/**
 * How many GPUs a model needs under vLLM, and the `vllm serve` command that starts it.
 *
 * The rule (all sizes in GB = 1e9 bytes; pass the card's nominal memory, e.g. 80 for an
 * "80 GB" H100/A100, whose real 85.9e9 bytes leave a little slack):
 *  - weights = 2 bytes x total params (bf16; an MoE loads every expert, so total, not active);
 *  - KV cache headroom = `kvSeqs` (default 2) full-length sequences (max_model_len tokens each) at
 *    2 (K,V) x layers x kv_heads x head_dim x 2 bytes per token; vLLM refuses to start
 *    unless one fits, and a second keeps one long request from stalling all the others.
 *    Without the architecture numbers the headroom is 20% of the weights;
 *  - usable memory per GPU = gpu_mem_gb x gpu_memory_utilization (0.9) - 2 GB (activations,
 *    CUDA graphs, communication buffers);
 *  - tensor parallel = the smallest power of two <= gpus_per_node whose GPUs hold
 *    weights + headroom, and that splits the attention heads (heads % tp == 0, and the KV heads
 *    divide tp or tp divides them) where the catalog knows them;
 *  - beyond one node: tp = the largest valid tp <= gpus_per_node, and pipeline parallel
 *    = the number of such nodes (ceil), one stage per node (vLLM needs a Ray cluster then).
 */
export interface ServePlanOptions {
  gpuMemGb: number;
  gpusPerNode: number;
  /** Caps every model's max_model_len (never raised beyond the model's own context). */
  maxModelLen?: number;
  /** Default max_model_len when maxModelLen is not given: min(context, this). */
  defaultMaxModelLen: number;
  portBase: number;
  gpuMemoryUtilization: number;
  /** Full-length sequences the KV cache must hold. */
  kvSeqs: number;
  /** `--generation-config` value: 'vllm' so masa's request fields alone set sampling. */
  generationConfig: 'vllm' | 'auto';
}

export const DEFAULT_SERVE_OPTIONS: ServePlanOptions = {
  gpuMemGb: 80,
  gpusPerNode: 8,
  // Room for a 32768-token answer (Qwen3's recommended thinking budget) plus an 8192-token prompt.
  defaultMaxModelLen: 40960,
  portBase: 8000,
  gpuMemoryUtilization: 0.9,
  kvSeqs: 2,
  generationConfig: 'vllm',
};

/** Per-GPU memory held back from weights and KV cache (activations, CUDA graphs, NCCL). */
export const GPU_OVERHEAD_GB = 2;

export interface ServePlan {
  id: string;
  hf_id: string;
  port: number;
  tensor_parallel: number;
  pipeline_parallel: number;
  gpus: number;
  nodes: number;
  max_model_len: number;
  weights_gb: number;
  kv_cache_gb: number;
  /** Per-GPU usable memory the plan assumed. */
  usable_gb_per_gpu: number;
  reasoning_parser?: string;
  /** argv of the command (no shell quoting needed: no element holds spaces). */
  argv: string[];
  /** The same as one shell line. */
  command: string;
  notes: string[];
}

/** KV-cache bytes per token in bf16, when the architecture is known. */
export function kvBytesPerToken(m: CatalogModel): number | undefined {
  if (m.num_layers === undefined || m.num_kv_heads === undefined || m.head_dim === undefined) return undefined;
  return 2 * m.num_layers * m.num_kv_heads * m.head_dim * 2;
}

/** True when tp GPUs can split this model's attention (vLLM's head-divisibility checks). */
export function tpSplitsHeads(m: CatalogModel, tp: number): boolean {
  if (m.num_attention_heads !== undefined && m.num_attention_heads % tp !== 0) return false;
  const kv = m.num_kv_heads;
  if (kv !== undefined && !(kv % tp === 0 || tp % kv === 0)) return false;
  return true;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function planModel(m: CatalogModel, index: number, opts: ServePlanOptions): ServePlan {
  if (!(opts.gpuMemGb > 0)) throw new MasaError(`serve-plan: --gpu-mem-gb must be > 0, got ${opts.gpuMemGb}`);
  if (!Number.isInteger(opts.gpusPerNode) || opts.gpusPerNode < 1) {
    throw new MasaError(`serve-plan: --gpus-per-node must be a positive integer, got ${opts.gpusPerNode}`);
  }
  if (opts.maxModelLen !== undefined && !(Number.isInteger(opts.maxModelLen) && opts.maxModelLen > 0)) {
    throw new MasaError(`serve-plan: --max-model-len must be a positive integer, got ${opts.maxModelLen}`);
  }
  if (!(opts.kvSeqs >= 1)) throw new MasaError(`serve-plan: --kv-seqs must be >= 1, got ${opts.kvSeqs}`);
  if (!(opts.gpuMemoryUtilization > 0 && opts.gpuMemoryUtilization <= 1)) {
    throw new MasaError(`serve-plan: --gpu-memory-utilization must be in (0, 1], got ${opts.gpuMemoryUtilization}`);
  }
  const notes: string[] = [];
  const cap = opts.maxModelLen ?? opts.defaultMaxModelLen;
  const maxLen = Math.min(cap, m.context_length);
  if (opts.maxModelLen !== undefined && opts.maxModelLen > m.context_length) {
    notes.push(`--max-model-len ${opts.maxModelLen} exceeds the model's context ${m.context_length}; capped`);
  }
  const weights = 2 * m.params_b;
  const perToken = kvBytesPerToken(m);
  const kv = perToken !== undefined ? (perToken * maxLen * opts.kvSeqs) / 1e9 : 0.2 * weights;
  if (perToken === undefined) notes.push('architecture unknown: KV headroom taken as 20% of the weights');
  const need = weights + kv;
  const usable = opts.gpuMemGb * opts.gpuMemoryUtilization - GPU_OVERHEAD_GB;
  if (!(usable > 0)) throw new MasaError(`serve-plan: --gpu-mem-gb ${opts.gpuMemGb} leaves no usable memory`);

  const candidates: number[] = [];
  for (let tp = 1; tp <= opts.gpusPerNode; tp *= 2) if (tpSplitsHeads(m, tp)) candidates.push(tp);
  if (candidates.length === 0) throw new MasaError(`serve-plan: no tensor-parallel size splits ${m.id}'s attention heads`);
  let tp = candidates.find((t) => t * usable >= need);
  let pp = 1;
  if (tp === undefined) {
    tp = candidates[candidates.length - 1]!;
    pp = Math.ceil(need / (tp * usable));
    if (tp < opts.gpusPerNode) notes.push(`tp ${tp} is the largest that splits the attention heads; ${opts.gpusPerNode - tp} GPUs per node idle`);
  }
  const port = opts.portBase + index;
  const argv = ['vllm', 'serve', m.hf_id, '--served-model-name', m.id, '--dtype', 'bfloat16', '--tensor-parallel-size', String(tp)];
  if (pp > 1) argv.push('--pipeline-parallel-size', String(pp), '--distributed-executor-backend', 'ray');
  argv.push(
    '--max-model-len',
    String(maxLen),
    '--gpu-memory-utilization',
    String(opts.gpuMemoryUtilization),
    '--generation-config',
    opts.generationConfig,
    '--port',
    String(port),
  );
  if (m.trust_remote_code) argv.push('--trust-remote-code');
  let reasoning_parser: string | undefined;
  if (m.thinking) {
    reasoning_parser = 'qwen3';
    argv.push('--reasoning-parser', reasoning_parser);
  }
  if (pp > 1) notes.push(`needs ${pp} nodes of ${opts.gpusPerNode} GPUs joined in a Ray cluster (vLLM examples/online_serving/run_cluster.sh); run the command on the head node`);
  return {
    id: m.id,
    hf_id: m.hf_id,
    port,
    tensor_parallel: tp,
    pipeline_parallel: pp,
    gpus: tp * pp,
    nodes: pp > 1 ? pp : 1,
    max_model_len: maxLen,
    weights_gb: round1(weights),
    kv_cache_gb: round1(kv),
    usable_gb_per_gpu: round1(usable),
    ...(reasoning_parser ? { reasoning_parser } : {}),
    argv,
    command: argv.join(' '),
    notes,
  };
}

/** One plan per model, ports assigned in order from portBase. */
export function planServe(models: readonly CatalogModel[], opts: Partial<ServePlanOptions> = {}): ServePlan[] {
  const o: ServePlanOptions = { ...DEFAULT_SERVE_OPTIONS, ...stripUndefined(opts) };
  return models.map((m, i) => planModel(m, i, o));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
