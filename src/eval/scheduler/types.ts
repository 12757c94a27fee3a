/**
 * What `masa sweep --scheduler <name>` asks of a batch scheduler. The sweep side (which models
 * need a job, what each job serves and evaluates, the state file, the status table) is shared;
 * a backend only turns scheduler-neutral ModelJobs into its own submissions (SLURM batch scripts
 * now; Kubernetes Job manifests could join), submits them, reads their states and cancels them.
 * The sweep config does not change with the backend: site specifics live under cluster.<backend>.
 */
import type { ServePlan } from '../../core/serve-plan.js';

/** A job's state in every backend's terms. Only pending and running are still active. */
export type JobState = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'timeout' | 'unknown';

export function isActive(s: JobState): boolean {
  return s === 'pending' || s === 'running';
}

export interface JobStatus {
  id: string;
  state: JobState;
  /** The scheduler's own word for it (e.g. SLURM's OUT_OF_MEMORY, COMPLETING). */
  native: string;
  /** As the scheduler reports it (SLURM: "code:signal"), when known. */
  exit_code: string | null;
  /** Why it waits or ended, in the scheduler's words (SLURM's Reason), when it says. */
  reason: string | null;
}

/** One model's job, scheduler-neutral: what it serves, how it evaluates, what it needs. */
export interface ModelJob {
  /** Served name (the sweep's `model`), which masa eval asks for. */
  model: string;
  /** Folder-safe name for files. */
  slug: string;
  /** `vllm serve ...` argv without --host and --port (the job picks a free port on its node). */
  serve: string[];
  /** Arguments after the masa command (`eval --model ...`), without --endpoint. */
  eval: string[];
  nodes: number;
  gpus_per_node: number;
  time_min: number;
  /** Host memory the node should have for loading the weights, GB (a backend may override it). */
  host_mem_gb: number;
  health_timeout_s: number;
  stop_grace_s: number;
  /** Environment variable holding the key the server requires and masa eval sends, if any. */
  api_key_env?: string;
  plan: ServePlan;
}

/** What masa needs on a node besides the model's job: how to run masa (and Node for small helpers). */
export interface NodeCommands {
  masa: string[];
  node: string;
}

/** One submission (a SLURM script: one job, or an array of same-shaped jobs). */
export interface SubmitUnit {
  /** The file written (script or manifest). */
  file: string;
  /** The command that submits it, as argv. */
  command: string[];
  /** Models in task order (array task i = models[i]). */
  models: string[];
  /** Per model: where the job's output and the server log will be, with `{id}` for the job id. */
  outputs: Array<{ output: string; server_log: string }>;
}

export interface SubmittedJob {
  model: string;
  /** The scheduler's id of this model's job (SLURM array tasks: JOBID_N). */
  job_id: string;
  file: string;
  output: string;
  server_log: string;
  submitted_at: string;
}

export interface Scheduler {
  readonly name: string;
  /** Throws a MasaError naming every command that is missing. */
  checkInstalled(): void;
  /** Writes the submissions for these jobs (grouped as the backend can) under dir; pure but for the files. */
  prepare(jobs: ModelJob[], ctx: PrepareContext): SubmitUnit[];
  /** Submits one unit; returns one entry per model, in unit order. */
  submit(unit: SubmitUnit): SubmittedJob[];
  /** States of these job ids; an id the scheduler no longer knows maps to state 'unknown'. */
  status(ids: readonly string[]): Map<string, JobStatus>;
  cancel(ids: readonly string[]): void;
}

export interface PrepareContext {
  /** The sweep's name (its config file name without .json). */
  sweep: string;
  config: string;
  /** The scheduler's folder for this sweep: <out>/<scheduler>/<sweep>/. */
  dir: string;
  /** Distinguishes this submission's files from earlier ones (e.g. "003"). */
  tag: string;
  node: NodeCommands;
  /** --partition / --account from the command line (override the config). */
  partition?: string;
  account?: string;
}
