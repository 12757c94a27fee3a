/**
 * The SLURM backend: job scripts (slurm-script.ts) grouped into arrays where the shapes allow,
 * `sbatch --parsable` to submit, `scontrol show job -o` to read states (no accounting needed:
 * sacct fails on clusters without slurmdbd, and scontrol knows finished jobs for MinJobAge),
 * `scancel` to cancel. The commands run through an injectable runner, so parsing is testable.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic.js';
import { MasaError } from '../../core/errors.js';
import type { SlurmSiteConfig } from './config.js';
import { outputPattern, slurmResources, slurmScript } from './slurm-script.js';
import type { JobState, JobStatus, ModelJob, PrepareContext, Scheduler, SubmitUnit, SubmittedJob } from './types.js';

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started at all. */
  error?: string;
}

export type CommandRunner = (cmd: string, args: readonly string[]) => CommandResult;

export const spawnRunner: CommandRunner = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error.message } : {}) };
};

export const SLURM_COMMANDS = ['sbatch', 'scontrol', 'scancel'] as const;

function onPath(cmd: string, path = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** Every SLURM client command that is not on PATH. */
export function missingSlurmCommands(path?: string): string[] {
  return SLURM_COMMANDS.filter((c) => !onPath(c, path));
}

const NATIVE_STATES: Record<string, JobState> = {
  PENDING: 'pending',
  CONFIGURING: 'pending',
  REQUEUED: 'pending',
  REQUEUE_FED: 'pending',
  REQUEUE_HOLD: 'pending',
  RESV_DEL_HOLD: 'pending',
  RUNNING: 'running',
  COMPLETING: 'running',
  SIGNALING: 'running',
  STAGE_OUT: 'running',
  STOPPED: 'running',
  SUSPENDED: 'running',
  RESIZING: 'running',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  TIMEOUT: 'timeout',
  DEADLINE: 'timeout',
  FAILED: 'failed',
  NODE_FAIL: 'failed',
  OUT_OF_MEMORY: 'failed',
  BOOT_FAIL: 'failed',
  PREEMPTED: 'failed',
  SPECIAL_EXIT: 'failed',
  REVOKED: 'failed',
};

export function slurmState(native: string): JobState {
  return NATIVE_STATES[native.toUpperCase()] ?? 'unknown';
}

/** One `scontrol show job -o` line as key -> value (values may hold spaces: a word without '=' continues the last value). */
export function parseScontrolLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const word of line.trim().split(' ')) {
    const m = /^([A-Za-z][A-Za-z0-9_:/]*)=(.*)$/.exec(word);
    if (m) {
      last = m[1]!;
      out[last] = m[2]!;
    } else if (last !== null) out[last] += ` ${word}`;
  }
  return out;
}

/** Array task indices in SLURM's notation: "3", "0-2", "1,3-4", "0-7%2" (a throttle). */
export function expandTaskIds(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    for (let k = a; k <= b; k += step) out.push(k);
  }
  return out;
}

/** Job states from `scontrol show job -o` output: plain jobs by JobId, array tasks as JOBID_N. */
export function parseScontrolJobs(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  for (const line of stdout.split('\n')) {
    if (!line.includes('JobId=')) continue;
    const f = parseScontrolLine(line);
    const native = (f.JobState ?? '').split(/\s/)[0] ?? '';
    const base: Omit<JobStatus, 'id'> = {
      state: slurmState(native),
      native,
      exit_code: f.ExitCode ?? null,
      reason: f.Reason && f.Reason !== 'None' ? f.Reason : null,
    };
    const ids = f.ArrayJobId !== undefined && f.ArrayTaskId !== undefined ? expandTaskIds(f.ArrayTaskId).map((k) => `${f.ArrayJobId}_${k}`) : [f.JobId!];
    for (const id of ids) out.set(id, { id, ...base });
  }
  return out;
}

function baseId(id: string): string {
  return id.split('_')[0]!;
}

function commandFailure(cmd: string, r: CommandResult): string {
  return r.error ?? (r.stderr.trim() || r.stdout.trim() || `exit status ${r.status}`);
}

/** Jobs that share every requested resource: one array per group, in first-seen order. */
export function groupByShape(jobs: readonly ModelJob[], site: SlurmSiteConfig): ModelJob[][] {
  const groups = new Map<string, ModelJob[]>();
  for (const j of jobs) {
    const key = JSON.stringify(slurmResources(j, site)) + `|${j.health_timeout_s}|${j.stop_grace_s}`;
    const g = groups.get(key);
    if (g) g.push(j);
    else groups.set(key, [j]);
  }
  return [...groups.values()];
}

export class SlurmScheduler implements Scheduler {
  readonly name = 'slurm';

  constructor(
    private readonly site: SlurmSiteConfig,
    private readonly generator: string,
    private readonly run: CommandRunner = spawnRunner,
  ) {}

  checkInstalled(): void {
    const missing = missingSlurmCommands();
    if (missing.length > 0) {
      throw new MasaError(
        `--scheduler slurm: ${missing.join(', ')} not found on PATH. masa submits through SLURM's client commands (${SLURM_COMMANDS.join(', ')}); ` +
          'run it on a login node of the cluster, or install them (Debian: apt-get install slurm-client). --dry-run writes the scripts without them.',
      );
    }
  }

  prepare(jobs: ModelJob[], ctx: PrepareContext): SubmitUnit[] {
    const scripts = join(ctx.dir, 'scripts');
    const logDir = join(ctx.dir, 'logs');
    mkdirSync(logDir, { recursive: true });
    return groupByShape(jobs, this.site).map((group, k) => {
      const array = group.length > 1;
      const outputName = array ? `${ctx.tag}-array${k}` : `${ctx.tag}-${group[0]!.slug}`;
      const file = join(scripts, `${outputName}.sbatch`);
      const text = slurmScript({
        sweep: ctx.sweep,
        config: ctx.config,
        jobs: group,
        resources: slurmResources(group[0]!, this.site),
        site: this.site,
        partition: ctx.partition,
        account: ctx.account,
        logDir,
        outputName,
        node: ctx.node,
        generator: this.generator,
      });
      writeFileAtomic(file, text);
      const pattern = outputPattern(logDir, outputName, array);
      return {
        file,
        command: ['sbatch', '--parsable', file],
        models: group.map((j) => j.model),
        outputs: group.map((j) => ({
          output: pattern.replace('%A_%a', '{id}').replace('%j', '{id}'),
          server_log: join(logDir, `${j.slug}-{id}.vllm.log`),
        })),
      };
    });
  }

  submit(unit: SubmitUnit): SubmittedJob[] {
    const r = this.run(unit.command[0]!, unit.command.slice(1));
    if (r.status !== 0) throw new MasaError(`sbatch ${unit.file}: ${commandFailure('sbatch', r)}`);
    const id = r.stdout.trim().split('\n').pop()!.split(';')[0]!.trim();
    if (!/^\d+$/.test(id)) throw new MasaError(`sbatch ${unit.file}: unexpected output '${r.stdout.trim()}' (wanted a job id)`);
    const at = new Date().toISOString();
    const array = unit.models.length > 1;
    return unit.models.map((model, i) => {
      const jobId = array ? `${id}_${i}` : id;
      return {
        model,
        job_id: jobId,
        file: unit.file,
        output: unit.outputs[i]!.output.replace('{id}', jobId),
        server_log: unit.outputs[i]!.server_log.replace('{id}', jobId),
        submitted_at: at,
      };
    });
  }

  status(ids: readonly string[]): Map<string, JobStatus> {
    const out = new Map<string, JobStatus>();
    for (const base of new Set(ids.map(baseId))) {
      const r = this.run('scontrol', ['show', 'job', '-o', base]);
      if (r.status === 0) {
        for (const [id, s] of parseScontrolJobs(r.stdout)) out.set(id, s);
        continue;
      }
      // Forgotten (older than MinJobAge, or the controller's state was reset): not active.
      if (/invalid job id/i.test(r.stderr + r.stdout)) continue;
      throw new MasaError(`scontrol show job ${base}: ${commandFailure('scontrol', r)} (cannot tell whether the sweep's jobs are still active)`);
    }
    for (const id of ids) if (!out.has(id)) out.set(id, { id, state: 'unknown', native: 'UNKNOWN', exit_code: null, reason: 'not known to SLURM (any more)' });
    return out;
  }

  cancel(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const r = this.run('scancel', [...ids]);
    if (r.status !== 0) throw new MasaError(`scancel ${ids.join(' ')}: ${commandFailure('scancel', r)}`);
  }
}
