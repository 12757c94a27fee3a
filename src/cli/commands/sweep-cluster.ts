/** `masa sweep --scheduler <name>` and `masa sweep status`: the tables; the work is in src/eval/scheduler/. */
import { resolve } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { runsDir } from '../../core/paths.js';
import { clusterSweepStatus, nodeCommands, schedulerFor, submitClusterSweep, type StatusRow, type SubmitRow } from '../../eval/scheduler/index.js';
import { shWords } from '../../eval/scheduler/shell.js';
import { readSweepConfig } from '../../eval/sweep.js';
import { bool, str, type ParsedArgs } from '../args.js';

function table(head: string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n');
}

function setup(args: ParsedArgs, file: string, fallback?: string) {
  const name = str(args, 'scheduler') ?? fallback;
  if (!name) throw new MasaError('masa sweep: --scheduler is needed (slurm)', { exitCode: 2 });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const cluster = cfg.cluster!;
  const out = str(args, 'out') ? resolve(str(args, 'out')!) : (cfg.out ?? runsDir());
  const log = (m: string): void => {
    process.stderr.write(`masa sweep: ${m}\n`);
  };
  return { cfg, out, log, opts: { file, out, scheduler: schedulerFor(name, cluster), node: nodeCommands(cluster), log } };
}

export async function runClusterSubmit(args: ParsedArgs, file: string): Promise<number> {
  const { cfg, opts } = setup(args, file);
  // A job serves one model, so it cannot run cross-play against another model's server; the games themselves run.
  if (cfg.crossplay) process.stderr.write(`masa sweep: warning: ${file}: "crossplay" is not run by --scheduler jobs (each serves one model); run it with plain masa sweep against the servers\n`);
  const dryRun = bool(args, 'dry-run');
  const report = await submitClusterSweep(cfg, { ...opts, dryRun, partition: str(args, 'partition'), account: str(args, 'account') });
  const lines: string[] = [];
  for (const u of report.units) lines.push(`${dryRun ? '' : '# submitted: '}${shWords(u.command)}    # ${u.models.join(', ')}`);
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n\n');
  const body = report.rows.map((r: SubmitRow) => [r.model, r.action, r.job_id ?? '-', r.records, r.why]);
  process.stdout.write(table(['model', 'action', 'job', 'records', 'why'], body) + '\n');
  process.stdout.write(`${dryRun ? 'dry run: nothing submitted; ' : ''}scripts, logs and jobs.json in ${report.dir}\n`);
  if (bool(args, 'json')) process.stdout.write(JSON.stringify({ dir: report.dir, dry_run: dryRun, units: report.units, rows: report.rows }) + '\n');
  return 0;
}

function pctDone(r: StatusRow): string {
  return r.trials === 0 ? '-' : `${r.answered}/${r.trials}`;
}

export async function runClusterStatus(args: ParsedArgs, file: string): Promise<number> {
  for (const f of ['partition', 'account', 'dry-run', 'parallel-models']) {
    if (args.flags[f] !== undefined) throw new MasaError(`masa sweep status: --${f} does not apply`, { exitCode: 2 });
  }
  const { cfg, opts } = setup(args, file, 'slurm');
  const { dir, rows } = await clusterSweepStatus(cfg, opts);
  const body = rows.map((r) => [
    r.model,
    r.job_id ?? '-',
    r.state === null ? '-' : r.native && r.native.toLowerCase() !== r.state ? `${r.state} (${r.native})` : r.state,
    r.records,
    pctDone(r),
    String(r.errors),
    String(r.missing),
    r.reason ?? (r.scheduler_reason ? `${r.scheduler_reason}` : ''),
  ]);
  process.stdout.write(table(['model', 'job', 'state', 'records', 'answered', 'errors', 'missing', 'reason'], body) + '\n');
  process.stdout.write(`jobs: ${dir}\n`);
  if (bool(args, 'json')) process.stdout.write(JSON.stringify({ dir, rows }) + '\n');
  return rows.every((r) => r.records === 'done') ? 0 : 3;
}
