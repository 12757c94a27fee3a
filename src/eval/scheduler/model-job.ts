/**
 * From a sweep config to scheduler-neutral jobs: per model, the serve plan (masa serve-plan's
 * sizing) as the `vllm serve` command, and the `masa eval` arguments that make exactly the runs
 * `masa sweep` would make with the same config (same run ids, so the two resume each other).
 */
import { findModel } from '../../core/catalog-load.js';
import { MasaError } from '../../core/errors.js';
import { DEFAULT_SERVE_OPTIONS, planModel } from '../../core/serve-plan.js';
import { modelSlug } from '../records.js';
import type { SweepConfig, SweepModel } from '../sweep.js';
import { readClusterConfig, type ClusterConfig } from './config.js';
import type { ModelJob } from './types.js';

/** The generation overrides runSweep uses for a model: the model's on top of the sweep's. */
export function modelGeneration(cfg: SweepConfig, m: SweepModel): Record<string, unknown> {
  return { ...(cfg.generation ?? {}), ...(m.generation ?? {}) };
}

/** `masa eval` arguments (after the masa command) for one model, without --endpoint. */
export function evalArgv(cfg: SweepConfig, m: SweepModel, out: string): string[] {
  const a = ['eval', '--model', m.model, '--bench', (m.benches ?? cfg.benches).join(','), '--out', out, '--seed', String(cfg.seed ?? 0)];
  if (cfg.limit !== undefined) a.push('--limit', String(cfg.limit));
  a.push('--concurrency', String(m.concurrency ?? cfg.concurrency ?? 32));
  a.push('--timeout', String(cfg.timeout_s ?? 600), '--max-attempts', String(cfg.max_attempts ?? 6));
  if (cfg.data !== undefined) a.push('--data', cfg.data);
  if (cfg.options && Object.keys(cfg.options).length > 0) a.push('--option-json', JSON.stringify(cfg.options));
  const gen = modelGeneration(cfg, m);
  if (Object.keys(gen).length > 0) a.push('--generation-json', JSON.stringify(gen));
  if (m.greedy ?? cfg.greedy ?? false) a.push('--greedy');
  return a;
}

/** Host memory for loading a node's share of bf16 weights: 1.2 x that share, at least 32 GB. */
export function hostMemGb(weightsGb: number, nodes: number): number {
  return Math.max(32, Math.ceil((1.2 * weightsGb) / nodes));
}

/** The `vllm serve` argv of a plan, served under the sweep's name, with the site's and the model's extra flags; no --port. */
export function serveArgv(planArgv: readonly string[], served: string, cluster: ClusterConfig, m: SweepModel): string[] {
  const out: string[] = [];
  for (let i = 0; i < planArgv.length; i++) {
    const w = planArgv[i]!;
    if (w === '--port') {
      i++;
      continue;
    }
    if (w === '--served-model-name') {
      out.push(w, served);
      i++;
      continue;
    }
    out.push(i === 0 ? cluster.vllm : w);
  }
  return [...out, ...cluster.vllm_args, ...(m.vllm_args ?? [])];
}

export function buildModelJob(cfg: SweepConfig, index: number, out: string, file: string): ModelJob {
  const cluster = cfg.cluster ?? readClusterConfig(file, undefined);
  const m = cfg.models[index]!;
  const entry = findModel(m.model);
  if (!entry) {
    throw new MasaError(`${file}: models[${index}].model: '${m.model}' is not in the model catalog (data/models.csv; see 'masa models'): a job's GPUs and vllm flags come from its serve plan`, { exitCode: 2 });
  }
  const plan = planModel(entry, 0, {
    ...DEFAULT_SERVE_OPTIONS,
    ...(cluster.gpu_mem_gb !== undefined ? { gpuMemGb: cluster.gpu_mem_gb } : {}),
    ...(cluster.gpus_per_node !== undefined ? { gpusPerNode: cluster.gpus_per_node } : {}),
    ...(cluster.max_model_len !== undefined ? { maxModelLen: cluster.max_model_len } : {}),
  });
  if (plan.nodes > 1) {
    throw new MasaError(
      `${file}: models[${index}] (${m.model}) needs ${plan.nodes} nodes of ${plan.tensor_parallel} GPUs (pipeline parallel over a Ray cluster); masa's jobs serve a model on one node. ` +
        `Raise cluster.gpus_per_node or cluster.gpu_mem_gb if your nodes are larger, or serve it by hand (masa serve-plan) and evaluate it with plain masa sweep.`,
      { exitCode: 2 },
    );
  }
  return {
    model: m.model,
    slug: modelSlug(m.model),
    serve: serveArgv(plan.argv, m.model, cluster, m),
    eval: evalArgv(cfg, m, out),
    nodes: plan.nodes,
    gpus_per_node: plan.gpus,
    time_min: m.time ?? cluster.time_min,
    host_mem_gb: hostMemGb(plan.weights_gb, plan.nodes),
    health_timeout_s: cluster.health_timeout_s,
    stop_grace_s: cluster.stop_grace_s,
    api_key_env: m.api_key_env ?? cluster.api_key_env,
    plan,
  };
}
