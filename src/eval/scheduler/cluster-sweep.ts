/**
 * `masa sweep --scheduler <name>` and `masa sweep status`: the scheduler-neutral side. Which
 * models need a job is decided from two sources: the records (a model whose runs are all done
 * needs none) and the scheduler (a model whose latest job is pending or running gets no second
 * one). So rerunning the sweep is resuming it: jobs only for models with missing or partial runs.
 */
import { existsSync, mkdirSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { lookupModel, presetFor } from '../catalog.js';
import { optionsByBench, planRun, plannedRequests, splitSelection } from '../plan.js';
import { planGameRun } from '../game-plan.js';
import { summarizeGameRun } from '../game-summary.js';
import { summarizeRun } from '../summarize.js';
import type { SweepConfig, SweepModel } from '../sweep.js';
import { buildModelJob, modelGeneration } from './model-job.js';
import { latestJob, lockSubmissions, readJobsState, schedulerDir, writeJobsState } from './state.js';
import { isActive, type JobState, type JobStatus, type ModelJob, type NodeCommands, type Scheduler, type SubmitUnit } from './types.js';

export interface BenchRecords {
  bench: string;
  run_id: string;
  /** Item-trials planned, answered, still failed, never requested. */
  trials: number;
  answered: number;
  errors: number;
  missing: number;
  n: number;
  accuracy: number | null;
  stderr: number | null;
}

export type RecordsState = 'done' | 'partial' | 'missing';

export interface ModelRecords {
  status: RecordsState;
  trials: number;
  answered: number;
  errors: number;
  missing: number;
  benches: BenchRecords[];
}

/** What the records say of a model's runs, planned exactly as its job's `masa eval` plans them. */
export async function modelRecords(cfg: SweepConfig, m: SweepModel, out: string): Promise<ModelRecords> {
  const { benches, games } = splitSelection(m.benches ?? cfg.benches);
  const generation = modelGeneration(cfg, m);
  const preset = presetFor(lookupModel([m.model]).model, generation.chat_template_kwargs as Record<string, unknown> | undefined);
  const rows: BenchRecords[] = [];
  const planCfg = { model: m.model, seed: cfg.seed ?? 0, limit: cfg.limit ?? null, options: optionsByBench(cfg.options ?? {}), generation, greedy: m.greedy ?? cfg.greedy ?? false, preset, dataRoot: cfg.data, out };
  const known = [...benches, ...games];
  for (const g of games) {
    const s = await summarizeGameRun(planGameRun(g, planCfg, known, false));
    rows.push({ bench: g.id, run_id: s.run_id, trials: s.trials, answered: s.answered, errors: s.errors, missing: s.missing, n: s.n, accuracy: s.n > 0 ? s.accuracy : null, stderr: s.n > 0 ? s.stderr : null });
  }
  for (const b of benches) {
    const plan = await planRun(b, planCfg, known, false);
    const keys = new Set<string>();
    for (const r of plannedRequests(plan)) keys.add(r.key);
    const s = await summarizeRun(plan, keys);
    rows.push({ bench: b.id, run_id: s.run_id, trials: s.trials, answered: s.answered, errors: s.errors, missing: s.missing, n: s.n, accuracy: s.n > 0 ? s.accuracy : null, stderr: s.n > 0 ? s.stderr : null });
  }
  const sum = (k: 'trials' | 'answered' | 'errors' | 'missing'): number => rows.reduce((a, r) => a + r[k], 0);
  const [trials, answered, errors, missing] = [sum('trials'), sum('answered'), sum('errors'), sum('missing')];
  const status: RecordsState = errors === 0 && missing === 0 ? 'done' : answered === 0 && errors === 0 ? 'missing' : 'partial';
  return { status, trials, answered, errors, missing, benches: rows.sort((a, b) => (m.benches ?? cfg.benches).indexOf(a.bench) - (m.benches ?? cfg.benches).indexOf(b.bench)) };
}

/** The sweep's name: its config file's name without .json (as `masa sweep` names its table). */
export function sweepName(file: string): string {
  return basename(file).replace(/\.json$/i, '');
}

/** The last "masa-job: FAILED: ..." line a job wrote to its output, if any. */
export function jobFailureReason(output: string): string | null {
  if (!existsSync(output)) return null;
  const fd = openSync(output, 'r');
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').filter((l) => l.startsWith('masa-job: FAILED: '));
    return lines.length > 0 ? lines[lines.length - 1]!.slice('masa-job: FAILED: '.length).trim() : null;
  } finally {
    closeSync(fd);
  }
}

export interface ClusterOptions {
  file: string;
  out: string;
  scheduler: Scheduler;
  node: NodeCommands;
  log: (m: string) => void;
}

export interface SubmitOptions extends ClusterOptions {
  dryRun: boolean;
  partition?: string;
  account?: string;
}

export interface SubmitRow {
  model: string;
  action: 'submitted' | 'would submit' | 'skipped';
  job_id: string | null;
  /** What the records say (done, partial, missing) and, when skipped, why. */
  records: RecordsState;
  why: string;
}

export interface SubmitReport {
  dir: string;
  units: SubmitUnit[];
  rows: SubmitRow[];
}

function activeStates(scheduler: Scheduler, ids: string[], canAsk: boolean, log: (m: string) => void): Map<string, JobStatus> {
  if (ids.length === 0) return new Map();
  if (!canAsk) {
    log(`${scheduler.name} is not reachable from here: the dry run cannot tell whether earlier jobs are still active`);
    return new Map();
  }
  return scheduler.status(ids);
}

/** Writes the jobs of every model that needs one and submits them (or, dry, prints how). */
export async function submitClusterSweep(cfg: SweepConfig, o: SubmitOptions): Promise<SubmitReport> {
  const name = sweepName(o.file);
  const dir = schedulerDir(o.out, o.scheduler.name, name);
  let canAsk = true;
  try {
    o.scheduler.checkInstalled();
  } catch (e) {
    if (!o.dryRun) throw e;
    canAsk = false;
  }
  // Every model's job is built first, so a config error submits nothing.
  const jobs: ModelJob[] = cfg.models.map((_, i) => buildModelJob(cfg, i, o.out, o.file));
  for (const m of cfg.models) if (m.endpoints.length > 0) o.log(`${m.model}: endpoints ignored with --scheduler (the job serves the model itself)`);
  mkdirSync(dir, { recursive: true });
  const unlock = o.dryRun ? () => {} : lockSubmissions(dir);
  try {
    const state = readJobsState(dir, o.scheduler.name, name, o.file);
    const latest = cfg.models.map((m) => latestJob(state, m.model));
    const states = activeStates(o.scheduler, latest.filter((j) => j !== undefined).map((j) => j!.job_id), canAsk, o.log);
    const rows: SubmitRow[] = [];
    const todo: ModelJob[] = [];
    for (let i = 0; i < cfg.models.length; i++) {
      const m = cfg.models[i]!;
      const rec = await modelRecords(cfg, m, o.out);
      const last = latest[i];
      const st = last ? states.get(last.job_id) : undefined;
      if (last && st && isActive(st.state)) {
        rows.push({ model: m.model, action: 'skipped', job_id: last.job_id, records: rec.status, why: `job ${last.job_id} is ${st.state} (${st.native})` });
      } else if (rec.status === 'done') {
        rows.push({ model: m.model, action: 'skipped', job_id: last?.job_id ?? null, records: rec.status, why: `every item answered (${rec.answered} of ${rec.trials})` });
      } else {
        todo.push(jobs[i]!);
        rows.push({ model: m.model, action: o.dryRun ? 'would submit' : 'submitted', job_id: null, records: rec.status, why: rec.status === 'missing' ? 'no records yet' : `${rec.answered} of ${rec.trials} answered, ${rec.errors} failed, ${rec.missing} missing` });
      }
    }
    if (todo.length === 0) return { dir, units: [], rows };
    const tag = String(state.submissions + 1).padStart(3, '0');
    const units = o.scheduler.prepare(todo, { sweep: name, config: o.file, dir, tag, node: o.node, partition: o.partition, account: o.account });
    if (o.dryRun) return { dir, units, rows };
    state.submissions++;
    writeJobsState(dir, state);
    for (const unit of units) {
      const submitted = o.scheduler.submit(unit);
      for (const s of submitted) {
        (state.models[s.model] ??= []).push(s);
        const row = rows.find((r) => r.model === s.model)!;
        row.job_id = s.job_id;
      }
      // After each sbatch, so a failure later never loses the ids of jobs already queued.
      writeJobsState(dir, state);
    }
    return { dir, units, rows };
  } finally {
    unlock();
  }
}

export interface StatusRow {
  model: string;
  job_id: string | null;
  /** The scheduler's state of the model's latest job (null: none submitted). */
  state: JobState | null;
  native: string | null;
  exit_code: string | null;
  /** The scheduler's reason (why it waits, e.g. Resources). */
  scheduler_reason: string | null;
  records: RecordsState;
  trials: number;
  answered: number;
  errors: number;
  missing: number;
  /** The job's own last "FAILED:" line (e.g. the server ran out of memory). */
  reason: string | null;
  output: string | null;
  server_log: string | null;
  benches: BenchRecords[];
}

/** Per model: the latest job's state and what the records say. */
export async function clusterSweepStatus(cfg: SweepConfig, o: ClusterOptions): Promise<{ dir: string; rows: StatusRow[] }> {
  const name = sweepName(o.file);
  const dir = schedulerDir(o.out, o.scheduler.name, name);
  const state = readJobsState(dir, o.scheduler.name, name, o.file);
  const latest = cfg.models.map((m) => latestJob(state, m.model));
  const ids = latest.filter((j) => j !== undefined).map((j) => j!.job_id);
  if (ids.length > 0) o.scheduler.checkInstalled();
  const states = ids.length > 0 ? o.scheduler.status(ids) : new Map<string, JobStatus>();
  const rows: StatusRow[] = [];
  for (let i = 0; i < cfg.models.length; i++) {
    const m = cfg.models[i]!;
    const rec = await modelRecords(cfg, m, o.out);
    const job = latest[i];
    const st = job ? states.get(job.job_id) : undefined;
    if (job && !st) throw new MasaError(`${o.scheduler.name}: no state for job ${job.job_id}`);
    rows.push({
      model: m.model,
      job_id: job?.job_id ?? null,
      state: st?.state ?? null,
      native: st?.native ?? null,
      exit_code: st?.exit_code ?? null,
      scheduler_reason: st?.reason ?? null,
      records: rec.status,
      trials: rec.trials,
      answered: rec.answered,
      errors: rec.errors,
      missing: rec.missing,
      reason: job && st && !isActive(st.state) && st.state !== 'completed' ? jobFailureReason(job.output) : null,
      output: job?.output ?? null,
      server_log: job?.server_log ?? null,
      benches: rec.benches,
    });
  }
  return { dir, rows };
}
