/**
 * Schedulers `masa sweep --scheduler <name>` can submit to. Only SLURM is built; a backend joins
 * by implementing Scheduler (types.ts) and reading its own cluster.<name> section of the config.
 */
import { join } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { projectRoot } from '../../core/paths.js';
import { masaVersion } from '../provenance.js';
import type { ClusterConfig } from './config.js';
import { SlurmScheduler, type CommandRunner } from './slurm.js';
import type { NodeCommands, Scheduler } from './types.js';

export const SCHEDULERS = ['slurm'] as const;

export function schedulerFor(name: string, cluster: ClusterConfig, run?: CommandRunner): Scheduler {
  if (name === 'slurm') return new SlurmScheduler(cluster.slurm, `masa ${masaVersion()}`, run);
  throw new MasaError(`--scheduler: unknown scheduler '${name}' (known: ${SCHEDULERS.join(', ')})`, { exitCode: 2 });
}

/** How a node runs masa: cluster.masa (words split on spaces), else this checkout through this Node by absolute path (a shared filesystem). */
export function nodeCommands(cluster: ClusterConfig): NodeCommands {
  const masa = cluster.masa ? cluster.masa.trim().split(/\s+/) : [process.execPath, join(projectRoot(), 'bin', 'masa.mjs')];
  return { masa, node: cluster.masa ? 'node' : process.execPath };
}

export { submitClusterSweep, clusterSweepStatus, modelRecords, sweepName, jobFailureReason } from './cluster-sweep.js';
export type { SubmitReport, SubmitRow, StatusRow, ModelRecords, BenchRecords } from './cluster-sweep.js';
export type { Scheduler, ModelJob, JobState, JobStatus, SubmitUnit, SubmittedJob, NodeCommands } from './types.js';
