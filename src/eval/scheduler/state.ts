/**
 * The state file of a sweep on a scheduler, <out>/<scheduler>/<sweep>/jobs.json: every job
 * submitted per model (the latest last), so status and resubmission know which job is whose.
 * Written atomically after each submission; a lock file keeps two `masa sweep` runs of the same
 * sweep from both submitting a job for one model.
 */
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic.js';
import { MasaError } from '../../core/errors.js';
import type { SubmittedJob } from './types.js';

export interface SweepJobsState {
  v: 1;
  scheduler: string;
  sweep: string;
  config: string;
  /** Submissions so far (names each one's files). */
  submissions: number;
  /** Per model, every job submitted for it, oldest first. */
  models: Record<string, SubmittedJob[]>;
}

export const STATE_FILE = 'jobs.json';

export function schedulerDir(out: string, scheduler: string, sweep: string): string {
  return join(out, scheduler, sweep);
}

export function readJobsState(dir: string, scheduler: string, sweep: string, config: string): SweepJobsState {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return { v: 1, scheduler, sweep, config, submissions: 0, models: {} };
  let s: SweepJobsState;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as SweepJobsState;
  } catch (e) {
    throw new MasaError(`${file}: not valid JSON (${(e as Error).message}); it maps the sweep's models to their jobs, so fix or remove it`);
  }
  if (!s || s.v !== 1 || typeof s.models !== 'object' || s.models === null) throw new MasaError(`${file}: not a masa jobs file (v 1)`);
  if (s.scheduler !== scheduler) throw new MasaError(`${file}: written for scheduler '${s.scheduler}', not '${scheduler}'`);
  return s;
}

export function writeJobsState(dir: string, s: SweepJobsState): void {
  writeFileAtomic(join(dir, STATE_FILE), JSON.stringify(s, null, 2) + '\n');
}

export function latestJob(s: SweepJobsState, model: string): SubmittedJob | undefined {
  const jobs = s.models[model];
  return jobs && jobs.length > 0 ? jobs[jobs.length - 1] : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the sweep's submit lock (a file naming our pid); a lock whose process is gone is taken over. */
export function lockSubmissions(dir: string): () => void {
  const file = join(dir, 'submit.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new MasaError(`${file}: cannot create (${(e as Error).message})`);
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new MasaError(`${file}: another masa sweep (pid ${pid}) is submitting this sweep's jobs; wait for it`);
      unlinkSync(file);
    }
  }
  throw new MasaError(`${file}: cannot take the submit lock`);
}
