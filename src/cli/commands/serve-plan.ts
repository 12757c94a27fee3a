import { loadCatalog, selectModels } from '../../core/catalog-load.js';
import { MasaError } from '../../core/errors.js';
import { DEFAULT_SERVE_OPTIONS, GPU_OVERHEAD_GB, planServe } from '../../core/serve-plan.js';
import { bool, num, required, str } from '../args.js';
import type { Command } from '../command.js';

const d = DEFAULT_SERVE_OPTIONS;

export const command: Command = {
  name: 'serve-plan',
  summary: 'print the `vllm serve` command (and GPU count) for each catalog model',
  usage: [
    'masa serve-plan --models <filter> [--gpu-mem-gb 80] [--gpus-per-node 8] [--max-model-len N] [--port-base 8000] [--json]',
  ],
  flags: {
    models: { type: 'string', description: 'comma-separated ids, a family, a generation, paper or all', arg: '<filter>' },
    'gpu-mem-gb': { type: 'number', description: 'memory per GPU (nominal GB)', default: d.gpuMemGb, arg: '<n>' },
    'gpus-per-node': { type: 'number', description: 'GPUs per node: the largest tensor-parallel size', default: d.gpusPerNode, arg: '<n>' },
    'max-model-len': { type: 'number', description: `context cap per model (default: min(context, ${d.defaultMaxModelLen}))`, arg: '<n>' },
    'port-base': { type: 'number', description: 'port of the first model; the next ones count up', default: d.portBase, arg: '<port>' },
    'kv-seqs': { type: 'number', description: 'full-length sequences the KV cache must hold', default: d.kvSeqs, arg: '<n>' },
    'gpu-memory-utilization': { type: 'number', description: "vLLM's --gpu-memory-utilization", default: d.gpuMemoryUtilization, arg: '<f>' },
    'generation-config': { type: 'string', description: "vLLM's --generation-config: vllm or auto", default: d.generationConfig, arg: 'vllm|auto' },
    json: { type: 'boolean', description: 'print a JSON array of plans (argv, tp, pp, gpus, port, memory figures)' },
    catalog: { type: 'string', description: 'another catalog file', default: 'data/models.csv', arg: '<file>' },
  },
  details: [
    'Sizing rule: weights = 2 bytes x total params (bf16; MoE experts all loaded). KV headroom =',
    '--kv-seqs sequences of max-model-len tokens (2 x layers x kv_heads x head_dim x 2 bytes per token;',
    '20% of the weights when the architecture is unknown). Usable per GPU = gpu-mem-gb x',
    `gpu-memory-utilization - ${GPU_OVERHEAD_GB} GB. Tensor parallel = the smallest power of two <= gpus-per-node`,
    'that holds weights + headroom and splits the attention and KV heads. Larger models use the largest',
    'such tp and pipeline-parallel stages across nodes (one per node; needs a Ray cluster).',
    '',
    'Served name = the catalog id, so `masa eval --model <id>` finds the preset. --generation-config vllm',
    "(the default here) stops vLLM from applying the model's generation_config.json to requests: masa",
    "sends the catalog's preset in every request and records it, so a field masa leaves out never",
    'silently takes a server-side value. Use auto to serve the model for other clients.',
    'Qwen3 hybrids get --reasoning-parser qwen3 (vLLM >= 0.9; 0.8.x also needs --enable-reasoning).',
  ].join('\n'),
  async run(args) {
    const spec = required(args, 'models', 'serve-plan');
    const gen = str(args, 'generation-config', d.generationConfig);
    if (gen !== 'vllm' && gen !== 'auto') throw new MasaError(`masa serve-plan: --generation-config must be vllm or auto, got '${gen}'`, { exitCode: 2 });
    const models = selectModels(spec, loadCatalog(str(args, 'catalog')));
    const plans = planServe(models, {
      gpuMemGb: num(args, 'gpu-mem-gb'),
      gpusPerNode: num(args, 'gpus-per-node'),
      maxModelLen: num(args, 'max-model-len'),
      portBase: num(args, 'port-base'),
      kvSeqs: num(args, 'kv-seqs'),
      gpuMemoryUtilization: num(args, 'gpu-memory-utilization'),
      generationConfig: gen,
    });
    if (bool(args, 'json')) {
      process.stdout.write(JSON.stringify(plans, null, 2) + '\n');
      return 0;
    }
    const out: string[] = [];
    for (const p of plans) {
      const shape = p.pipeline_parallel > 1 ? `tp ${p.tensor_parallel} x pp ${p.pipeline_parallel} = ${p.gpus} GPUs on ${p.nodes} nodes` : `tp ${p.tensor_parallel} (${p.gpus} GPU${p.gpus > 1 ? 's' : ''})`;
      out.push(`# ${p.id}: ${shape}; weights ${p.weights_gb} GB + KV ${p.kv_cache_gb} GB; endpoint http://<host>:${p.port}/v1`);
      for (const n of p.notes) out.push(`#   note: ${n}`);
      out.push(p.command, '');
    }
    process.stdout.write(out.join('\n'));
    return 0;
  },
};
