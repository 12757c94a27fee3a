/**
 * The `cluster` section of a sweep config: what a scheduler needs to know about a site, kept
 * apart from the sweep itself so one sweep.json serves `masa sweep` (endpoints given) and
 * `masa sweep --scheduler slurm` (the jobs start the servers). Scheduler-neutral keys (serve
 * sizing, time limits, health timeout, how to run vllm and masa on a node) sit at the top; each
 * backend's own keys sit under its name (`slurm` now; a `kubernetes` section could join beside it).
 */
import { MasaError } from '../../core/errors.js';

export interface SlurmSiteConfig {
  /** Default partition and account (the --partition / --account flags override them). */
  partition?: string;
  account?: string;
  /** Environment modules loaded before anything else (`module load <m>`). */
  modules: string[];
  /** Shell lines run after the modules, e.g. activating a virtualenv. */
  setup: string[];
  /** A command line `vllm serve` runs inside, e.g. "apptainer exec --nv /images/vllm.sif". */
  container?: string;
  /** Extra `#SBATCH` lines, e.g. "--qos=normal" or "--constraint=a100". */
  sbatch: string[];
  /** How GPUs are asked for: --gres=gpu:N (default), --gpus-per-node=N, or not at all. */
  gpu_request: 'gres' | 'gpus-per-node' | 'none';
  /** CPUs per GPU for --cpus-per-task (default 8), or a fixed cpus_per_task. */
  cpus_per_gpu: number;
  cpus_per_task?: number;
  /** --mem as SLURM takes it ("64G"; "0" = all of the node's); default from the weights. */
  mem?: string;
  /** Seconds before the time limit when SLURM warns the batch shell (SIGTERM; 0 = no warning). */
  signal_s: number;
}

export interface ClusterConfig {
  /** Serve-plan sizing (as masa serve-plan's flags). */
  gpu_mem_gb?: number;
  gpus_per_node?: number;
  max_model_len?: number;
  /** Default time limit per model job, in minutes (sweep.json takes minutes or SLURM's [D-]HH:MM[:SS]). */
  time_min: number;
  /** Seconds a job waits for the server's /health and /v1/models before it fails. */
  health_timeout_s: number;
  /** Seconds the job gives `masa eval` to record what is in flight when told to stop (keep it under
   * the site's KillWait, 30 s by default: scancel and the time limit SIGKILL the job that long after SIGTERM). */
  stop_grace_s: number;
  /** The vllm executable on the node (default `vllm` on PATH). */
  vllm: string;
  /** Extra `vllm serve` flags for every model (a model's own `vllm_args` come after). */
  vllm_args: string[];
  /** How the node runs masa (default: this checkout through this Node, by absolute path). */
  masa?: string;
  /** Environment variable holding a key the job's server requires and masa eval sends (none by default). */
  api_key_env?: string;
  slurm: SlurmSiteConfig;
}

export const DEFAULT_TIME_MIN = 12 * 60;

/** Minutes in a SLURM time string: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (seconds round up). */
export function parseSlurmTime(v: string): number | null {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(v.trim());
  if (!m) return null;
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  let minutes: number;
  if (d !== undefined) minutes = d * 1440 + a! * 60 + (b ?? 0) + ((c ?? 0) > 0 ? 1 : 0);
  else if (c !== undefined) minutes = a! * 60 + b! + (c > 0 ? 1 : 0);
  else if (b !== undefined) minutes = a! + (b > 0 ? 1 : 0);
  else minutes = a!;
  return minutes;
}

/** SLURM's D-HH:MM:SS for a number of minutes. */
export function formatSlurmTime(min: number): string {
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${d > 0 ? `${d}-` : ''}${p(h)}:${p(m)}:00`;
}

type Raw = Record<string, unknown>;

class Fields {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly o: Raw,
  ) {}
  fail(key: string, msg: string): never {
    throw new MasaError(`${this.file}: ${this.where}.${key}: ${msg}`, { exitCode: 2 });
  }
  known(keys: readonly string[]): void {
    for (const k of Object.keys(this.o)) if (!keys.includes(k)) this.fail(k, `unknown setting (known: ${keys.join(', ')})`);
  }
  str(k: string): string | undefined {
    const v = this.o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') this.fail(k, 'must be a non-empty string');
    return v;
  }
  num(k: string, min: number, int = false): number | undefined {
    const v = this.o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (int && !Number.isInteger(v))) this.fail(k, `must be a${int ? ' whole' : ''} number >= ${min}`);
    return v;
  }
  lines(k: string): string[] {
    const v = this.o[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '' || /[\r\n]/.test(x))) this.fail(k, 'must be a list of one-line strings');
    return v as string[];
  }
  time(k: string): number | undefined {
    const v = this.o[k];
    if (v === undefined) return undefined;
    const min = typeof v === 'number' ? (Number.isInteger(v) ? v : null) : typeof v === 'string' ? parseSlurmTime(v) : null;
    if (min === null || !(min >= 1)) this.fail(k, `must be whole minutes >= 1 or SLURM's [D-]HH:MM[:SS], got ${JSON.stringify(v)}`);
    return min;
  }
}

/** A model's time limit (models[i].time), validated like the cluster's. */
export function readModelTime(file: string, where: string, v: unknown): number | undefined {
  return new Fields(file, where, { time: v }).time('time');
}

export function readModelVllmArgs(file: string, where: string, v: unknown): string[] | undefined {
  return v === undefined ? undefined : new Fields(file, where, { vllm_args: v }).lines('vllm_args');
}

const CLUSTER_KEYS = ['gpu_mem_gb', 'gpus_per_node', 'max_model_len', 'time', 'health_timeout_s', 'stop_grace_s', 'vllm', 'vllm_args', 'masa', 'api_key_env', 'slurm'] as const;
const SLURM_KEYS = ['partition', 'account', 'modules', 'setup', 'container', 'sbatch', 'gpu_request', 'cpus_per_gpu', 'cpus_per_task', 'mem', 'signal_s'] as const;

/** Reads the cluster section (absent = every default), naming the field at fault. */
export function readClusterConfig(file: string, raw: unknown): ClusterConfig {
  if (raw !== undefined && (!raw || typeof raw !== 'object' || Array.isArray(raw))) throw new MasaError(`${file}: cluster: must be an object`, { exitCode: 2 });
  const c = new Fields(file, 'cluster', (raw ?? {}) as Raw);
  c.known(CLUSTER_KEYS);
  const sr = c.o.slurm;
  if (sr !== undefined && (!sr || typeof sr !== 'object' || Array.isArray(sr))) c.fail('slurm', 'must be an object');
  const s = new Fields(file, 'cluster.slurm', (sr ?? {}) as Raw);
  s.known(SLURM_KEYS);
  const gpuRequest = s.str('gpu_request') ?? 'gres';
  if (gpuRequest !== 'gres' && gpuRequest !== 'gpus-per-node' && gpuRequest !== 'none') s.fail('gpu_request', `must be gres, gpus-per-node or none, got '${gpuRequest}'`);
  const mem = s.str('mem');
  if (mem !== undefined && !/^\d+[KMGT]?$/i.test(mem)) s.fail('mem', `must be SLURM's --mem form (e.g. 64G, 500M, 0), got '${mem}'`);
  const envName = c.str('api_key_env');
  if (envName !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) c.fail('api_key_env', `must be an environment variable name, got '${envName}'`);
  for (const line of s.lines('sbatch')) if (!line.startsWith('-')) s.fail('sbatch', `each line is an sbatch option such as "--qos=normal", got '${line}'`);
  return {
    gpu_mem_gb: c.num('gpu_mem_gb', 1),
    gpus_per_node: c.num('gpus_per_node', 1, true),
    max_model_len: c.num('max_model_len', 1, true),
    time_min: c.time('time') ?? DEFAULT_TIME_MIN,
    health_timeout_s: c.num('health_timeout_s', 1, true) ?? 1800,
    stop_grace_s: c.num('stop_grace_s', 1, true) ?? 20,
    vllm: c.str('vllm') ?? 'vllm',
    vllm_args: c.lines('vllm_args'),
    masa: c.str('masa'),
    api_key_env: envName,
    slurm: {
      partition: s.str('partition'),
      account: s.str('account'),
      modules: s.lines('modules'),
      setup: s.lines('setup'),
      container: s.str('container'),
      sbatch: s.lines('sbatch'),
      gpu_request: gpuRequest as SlurmSiteConfig['gpu_request'],
      cpus_per_gpu: s.num('cpus_per_gpu', 1, true) ?? 8,
      cpus_per_task: s.num('cpus_per_task', 1, true),
      mem,
      signal_s: s.num('signal_s', 0, true) ?? 120,
    },
  };
}
