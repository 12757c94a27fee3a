/**
 * Runs untrusted Python (model-written code) in a sandbox built from Debian's bubblewrap and
 * util-linux, so that scoring code benchmarks is safe by default:
 *
 * - bwrap: new user, pid, net, ipc, uts and cgroup namespaces (no network: only a private,
 *   unconnected loopback); a minimal read-only root (/usr, /etc and the /bin, /lib symlinks),
 *   so the project, $HOME, /root, /tmp and /run of the host do not exist inside; a private
 *   size-bounded tmpfs at /tmp as the only writable place (and a 4 MiB /dev/shm); all
 *   capabilities dropped; no
 *   further user namespaces; a new session (no terminal injection); --die-with-parent.
 * - prlimit: CPU seconds (SIGKILL at the limit), address space, file size, open files, no
 *   core dumps, and processes.
 * - setpriv (when masa runs as root): the sandbox runs under a uid of its own (one per slot
 *   and masa process, never a real account), so RLIMIT_NPROC holds (the kernel exempts root
 *   from it) and a fork bomb stops at `maxProcesses`; files readable only by root stay so.
 * - The pid namespace guarantees cleanup: when the sandbox's init exits (or is killed with
 *   bwrap), the kernel kills every process left inside, so double-forked daemons die too.
 *   masa also kills the process group and enforces a wall-clock limit and an output cap.
 *
 * Without bwrap masa refuses to run code unless the caller passes `unsafe: true`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { MasaError } from '../core/errors.js';

export type RunStatus = 'passed' | 'failed' | 'timeout' | 'crashed' | 'rejected';

export interface SandboxLimits {
  /** CPU seconds of each process (upstream HumanEval: 3 s). */
  cpuSeconds: number;
  /** Wall-clock seconds for the whole run (catches sleeping or blocked code). */
  wallSeconds: number;
  /** Address space of each process, MiB. */
  memoryMb: number;
  /** Processes and threads in the sandbox at once. */
  maxProcesses: number;
  /** Bytes of stdout + stderr before the run is killed. */
  maxOutputBytes: number;
  /** Size of the private writable /tmp, MiB. */
  tmpMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 3,
  wallSeconds: 10,
  // With 16 processes at 512 MiB, a hostile program can hold at most 8 GiB at once.
  memoryMb: 512,
  maxProcesses: 16,
  maxOutputBytes: 1 << 20,
  tmpMb: 32,
};

export interface RunRequest {
  /** The Python program; it passes when it runs to the end without an exception. */
  program: string;
  limits?: Partial<SandboxLimits>;
  /** Run without bubblewrap (prlimit only). Never the default. */
  unsafe?: boolean;
  /** Python interpreter; default Debian's /usr/bin/python3. */
  python?: string;
}

export interface RunResult {
  status: RunStatus;
  /** Why: the exception (with the failing line), the limit hit, or the sandbox's error. */
  detail: string;
  exitCode: number | null;
  /** Signal that ended the program, e.g. 'SIGXCPU'. */
  signal: string | null;
  wallMs: number;
  /** Heads of the captured streams (at most 8 KiB each). */
  stdout: string;
  stderr: string;
  /** Total bytes the program wrote to stdout + stderr (counted up to the cap). */
  outputBytes: number;
  /** 'bwrap' or 'unsafe'. */
  mode: 'bwrap' | 'unsafe';
}

// The driver runs inside the sandbox: it compiles and executes the program in a fresh
// namespace (like upstream's exec, so `if __name__ == "__main__":` blocks do not run), and
// reports the outcome as one JSON line on fd 4, apart from the program's own output.
const DRIVER = String.raw`
import sys, os, json, traceback
def _report(status, detail=''):
    try:
        sys.stdout.flush(); sys.stderr.flush()
    except BaseException:
        pass
    try:
        os.write(4, (json.dumps({'status': status, 'detail': detail[-4000:]}) + '\n').encode())
    except BaseException:
        pass
    os._exit(0 if status == 'passed' else 1)
_path = sys.argv[1]
with open(_path, encoding='utf-8', errors='replace') as _f:
    _src = _f.read()
try:
    _code = compile(_src, 'program.py', 'exec')
except BaseException as _e:
    _report('failed', ''.join(traceback.format_exception_only(type(_e), _e)).strip())
_lines = _src.split('\n')
try:
    exec(_code, {'__name__': '__humaneval__', '__builtins__': __builtins__})
except BaseException as _e:
    _msg = ''.join(traceback.format_exception_only(type(_e), _e)).strip()
    _at = [f for f in traceback.extract_tb(_e.__traceback__) if f.filename == 'program.py']
    if _at:
        _n = _at[-1].lineno
        _msg += ' (line %d: %s)' % (_n, _lines[_n - 1].strip() if 0 < _n <= len(_lines) else '?')
    _report('failed', _msg)
_report('passed')
`;

const SIGNALS: Record<number, string> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM', 24: 'SIGXCPU', 25: 'SIGXFSZ', 7: 'SIGBUS', 8: 'SIGFPE', 4: 'SIGILL', 13: 'SIGPIPE' };
const HEAD_BYTES = 8192;
// Our sandbox uids: well above real accounts and the 65534 'nobody'; one per masa process and slot.
const UID_BASE = 0x5a000000;

/** Finds an executable on PATH or at the usual Debian place; undefined when absent. */
export function findExecutable(name: string, preferred: string[] = []): string | undefined {
  const candidates = [...preferred, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name))];
  return candidates.find(isExecutable);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** bubblewrap's path; MASA_BWRAP names another one (tests set it to a missing path). */
export function findBwrap(): string | undefined {
  const override = process.env.MASA_BWRAP;
  if (override) return isExecutable(override) ? override : undefined;
  return findExecutable('bwrap', ['/usr/bin/bwrap']);
}

export const BWRAP_MISSING =
  'masa runs model-written code only inside a bubblewrap sandbox, and bwrap was not found. ' +
  'Install it with `sudo apt-get install bubblewrap` (Debian/Ubuntu; `npm run setup` does this), ' +
  'or pass --unsafe-exec to run the code without a sandbox (only with code you trust).';

/** Throws the MasaError telling the user how to install bubblewrap, unless running unsafely. */
export function requireSandbox(unsafe: boolean): void {
  if (unsafe) return;
  if (!findBwrap()) throw new MasaError(BWRAP_MISSING);
  if (!findExecutable('prlimit', ['/usr/bin/prlimit'])) {
    throw new MasaError('masa needs `prlimit` (util-linux) to bound sandboxed code: `sudo apt-get install util-linux`');
  }
}

/** A counting semaphore that also hands out slot numbers (each slot gets its own uid). */
class SlotPool {
  private free: number[];
  private waiting: Array<(slot: number) => void> = [];
  constructor(readonly size: number) {
    this.free = Array.from({ length: size }, (_, i) => size - 1 - i);
  }
  acquire(): Promise<number> {
    const slot = this.free.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(slot: number): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}

let pool: SlotPool | undefined;

/** How many programs run at once (default: the number of cores). Set before the first run. */
export function setSandboxConcurrency(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 255) throw new MasaError(`sandbox concurrency must be 1..255 (got ${n})`);
  pool = new SlotPool(n);
}

export function sandboxConcurrency(): number {
  return (pool ??= new SlotPool(Math.min(255, Math.max(1, availableParallelism())))).size;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function slotUid(slot: number): number {
  return UID_BASE + ((process.pid & 0xffff) << 8) + slot;
}

let warnedUnsafe = false;
function warnUnsafe(): void {
  if (warnedUnsafe) return;
  warnedUnsafe = true;
  process.stderr.write(
    'masa: WARNING: --unsafe-exec: running model-written code WITHOUT a sandbox (resource limits only). ' +
      'It can read and change your files and use the network.\n',
  );
}

/** Top-level paths of the host's root that Python needs, as bwrap arguments (read-only). */
function rootLayout(python: string): string[] {
  const args: string[] = [];
  for (const p of ['/usr', '/etc']) if (existsSync(p)) args.push('--ro-bind', p, p);
  for (const p of ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32']) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else if (st.isDirectory()) args.push('--ro-bind', p, p);
  }
  // An interpreter outside /usr (e.g. a pyenv build): make its prefix visible, read-only.
  const real = realpathSync(python);
  if (!['/usr/', '/bin/', '/sbin/', '/lib'].some((p) => real.startsWith(p))) {
    const prefix = dirname(dirname(real));
    args.push('--ro-bind', prefix, prefix);
  }
  return args;
}

function limitArgs(l: SandboxLimits, nproc: number): string[] {
  const cpu = Math.max(1, Math.ceil(l.cpuSeconds));
  return [
    // soft = hard: every process gets SIGKILL at the limit (the sandbox's pid 1 ignores SIGXCPU).
    `--cpu=${cpu}:${cpu}`,
    `--as=${Math.round(l.memoryMb * 1024 * 1024)}`,
    `--nproc=${nproc}`,
    `--fsize=${Math.round(l.tmpMb * 1024 * 1024)}`,
    '--nofile=256',
    '--core=0',
  ];
}

/** Processes of a non-root user, so RLIMIT_NPROC (counted per real uid) leaves room for them. */
function processesOfUid(uid: number): number {
  try {
    const r = spawnSync('ps', ['-U', String(uid), '-o', 'pid='], { encoding: 'utf8' });
    return r.stdout.split('\n').filter((s) => s.trim()).length;
  } catch {
    return 0;
  }
}

interface Plan {
  command: string;
  args: string[];
  /** Kills whatever of the run might be left (unsafe mode only). */
  cleanup?: () => void;
  tmp?: string;
}

function bwrapPlan(bwrap: string, python: string, l: SandboxLimits, slot: number): Plan {
  const prlimit = findExecutable('prlimit', ['/usr/bin/prlimit'])!;
  const root = isRoot();
  const nproc = root ? l.maxProcesses : l.maxProcesses + processesOfUid(process.getuid!());
  const sandbox = [
    '--unshare-all',
    '--unshare-user',
    // The program is the namespace's init: when it exits the kernel kills whatever it left
    // behind, and bwrap reaps it (with bwrap's own init, that init is left as a zombie for
    // the host's init to reap, which counts against the slot's process limit meanwhile).
    '--as-pid-1',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--hostname',
    'sandbox',
    '--clearenv',
    '--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin',
    '--setenv', 'HOME', '/tmp',
    '--setenv', 'LANG', 'C.UTF-8',
    // Threads count as processes: keep numeric libraries to one, whatever the core count.
    '--setenv', 'OPENBLAS_NUM_THREADS', '1',
    '--setenv', 'OMP_NUM_THREADS', '1',
    '--setenv', 'MKL_NUM_THREADS', '1',
    ...rootLayout(python),
    '--dev', '/dev',
    // bwrap's own tmpfs mounts (its root, /dev) are writable and unbounded: only the sized
    // /tmp and /dev/shm (for multiprocessing's semaphores) stay writable.
    '--size', String(4 * 1024 * 1024),
    '--tmpfs', '/dev/shm',
    '--remount-ro', '/dev',
    '--proc', '/proc',
    '--size', String(Math.round(l.tmpMb * 1024 * 1024)),
    '--tmpfs', '/tmp',
    '--ro-bind-data', '3', '/sandbox/program.py',
    '--remount-ro', '/',
    '--chdir', '/tmp',
    // bwrap tells us the sandbox's init (our program) by pid, so a run that must be stopped is
    // stopped from the inside out: bwrap then reaps it, and nothing is left to the host's init.
    '--info-fd', '5',
    python, '-I', '-c', DRIVER, '/sandbox/program.py',
  ];
  const limited = [prlimit, ...limitArgs(l, nproc), '--', bwrap, ...sandbox];
  if (!root) return { command: limited[0]!, args: limited.slice(1) };
  const setpriv = findExecutable('setpriv', ['/usr/bin/setpriv']);
  if (!setpriv) throw new MasaError('masa runs sandboxed code under its own uid and needs `setpriv` (util-linux) for that');
  const uid = slotUid(slot);
  return {
    command: setpriv,
    args: [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', ...limited],
  };
}

function unsafePlan(python: string, l: SandboxLimits, slot: number, program: string): Plan {
  warnUnsafe();
  const prlimit = findExecutable('prlimit', ['/usr/bin/prlimit']);
  const tmp = mkdtempSync(join(tmpdir(), 'masa-unsafe-'));
  const file = join(tmp, 'program.py');
  writeFileSync(file, program);
  const py = [python, '-I', '-c', DRIVER, file];
  const root = isRoot();
  const setpriv = root ? findExecutable('setpriv', ['/usr/bin/setpriv']) : undefined;
  const nproc = root ? l.maxProcesses : l.maxProcesses + processesOfUid(process.getuid!());
  let argv = prlimit ? [prlimit, ...limitArgs(l, nproc), '--', ...py] : py;
  let cleanup: (() => void) | undefined;
  if (setpriv) {
    // Even unsandboxed, never run model code as root: its own uid bounds processes and
    // lets us kill everything it started (kill -1 as that uid) when it ends.
    const uid = slotUid(slot);
    chownSync(tmp, uid, uid);
    chownSync(file, uid, uid);
    const drop = [setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all'];
    argv = [...drop, ...argv];
    cleanup = () => {
      // SIGKILL is delivered asynchronously: repeat until nothing of that uid is still alive.
      for (let i = 0; i < 100; i++) {
        spawnSync(drop[0]!, [...drop.slice(1), '/bin/kill', '-KILL', '-1'], { stdio: 'ignore' });
        if (!anyAlive(uid)) return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    };
  }
  return { command: argv[0]!, args: argv.slice(1), cleanup, tmp };
}

/** Whether a process of this uid is alive (zombies waiting for their reaper do not count). */
function anyAlive(uid: number): boolean {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid && !/^State:\s+Z/m.test(status)) return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : (findExecutable('python3') ?? '/usr/bin/python3');
}

/** Runs one program in the sandbox (waiting for a free slot first). Never throws for the program's faults. */
export async function runPython(req: RunRequest): Promise<RunResult> {
  const unsafe = req.unsafe === true;
  requireSandbox(unsafe);
  if (unsafe) warnUnsafe();
  const python = req.python ?? defaultPython();
  if (!isExecutable(python)) throw new MasaError(`python '${python}' is not an executable (option python)`);
  await probe(unsafe, python);
  return runBounded({ ...req, python });
}

async function runBounded(req: RunRequest): Promise<RunResult> {
  sandboxConcurrency();
  const slot = await pool!.acquire();
  try {
    return await runInSlot(req, slot);
  } finally {
    pool!.release(slot);
  }
}

const probes = new Map<string, Promise<void>>();

/**
 * Runs a trivial program once per mode and interpreter: if the sandbox itself cannot start
 * (no user namespaces, a broken interpreter), every problem would score 0 for a reason that
 * is not the model's, so this fails loudly instead.
 */
function probe(unsafe: boolean, python: string): Promise<void> {
  const key = `${unsafe}:${python}`;
  let p = probes.get(key);
  if (!p) {
    p = runBounded({ program: 'pass\n', unsafe, python, limits: { cpuSeconds: 10, wallSeconds: 30 } }).then((r) => {
      if (r.status === 'passed') return;
      probes.delete(key);
      const hint = unsafe
        ? ''
        : ' (bubblewrap needs user namespaces: check `sysctl user.max_user_namespaces` and, on Debian, `kernel.unprivileged_userns_clone`)';
      throw new MasaError(`the ${unsafe ? 'unsandboxed runner' : 'sandbox'} cannot run '${python}': ${r.status}: ${r.detail || r.stderr.trim()}${hint}`);
    });
    probes.set(key, p);
  }
  return p;
}

function runInSlot(req: RunRequest, slot: number): Promise<RunResult> {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...req.limits };
  const python = req.python!;
  const unsafe = req.unsafe === true;
  const plan = unsafe ? unsafePlan(python, limits, slot, req.program) : bwrapPlan(findBwrap()!, python, limits, slot);
  const started = Date.now();

  return new Promise<RunResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(plan.command, plan.args, {
        stdio: ['ignore', 'pipe', 'pipe', unsafe ? 'ignore' : 'pipe', 'pipe', unsafe ? 'ignore' : 'pipe'],
        detached: true,
        env: unsafe ? { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', HOME: plan.tmp ?? '/tmp', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } : {},
        cwd: plan.tmp ?? '/',
      });
    } catch (e) {
      resolve(rejected(`cannot start the sandbox: ${(e as Error).message}`, started, unsafe));
      return;
    }
    const heads = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const headLen = { stdout: 0, stderr: 0 };
    let outputBytes = 0;
    let overflow = false;
    let wallTimeout = false;
    let result = '';
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let exited = false;
    let done = false;

    const killAll = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    let info = '';
    let innerPid: number | undefined;
    let backstop: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (innerPid !== undefined && !exited) {
        try {
          process.kill(innerPid, 'SIGKILL');
        } catch {
          // already gone
        }
        backstop ??= setTimeout(killAll, 2000);
      } else {
        killAll();
      }
    };
    const collect = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (headLen[name] < HEAD_BYTES) {
        heads[name].push(chunk.subarray(0, HEAD_BYTES - headLen[name]));
        headLen[name] += Math.min(chunk.length, HEAD_BYTES - headLen[name]);
      }
      if (outputBytes > limits.maxOutputBytes && !overflow) {
        overflow = true;
        stop();
      }
    };
    child.stdout!.on('data', collect('stdout'));
    child.stderr!.on('data', collect('stderr'));
    const resultStream = child.stdio[4] as NodeJS.ReadableStream;
    resultStream.on('data', (c: Buffer) => {
      if (result.length < 16384) result += c.toString('utf8');
    });
    const programStream = child.stdio[3] as NodeJS.WritableStream | null;
    if (programStream) {
      programStream.on('error', () => undefined);
      programStream.end(req.program);
    }
    for (const s of [child.stdout!, child.stderr!, resultStream]) s.on('error', () => undefined);

    const infoStream = (child.stdio as unknown as Array<NodeJS.ReadableStream | null>)[5] ?? null;
    if (infoStream) {
      infoStream.on('error', () => undefined);
      infoStream.on('data', (c: Buffer) => {
        if (info.length > 4096) return;
        info += c.toString('utf8');
        const m = /"child-pid"\s*:\s*(\d+)/.exec(info);
        if (m) innerPid = Number(m[1]);
      });
    }
    const streams = [child.stdout!, child.stderr!, resultStream, ...(infoStream ? [infoStream] : [])];

    const timer = setTimeout(() => {
      wallTimeout = true;
      stop();
    }, limits.wallSeconds * 1000);

    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      clearTimeout(backstop);
      killAll();
      plan.cleanup?.();
      if (plan.tmp) rmSync(plan.tmp, { recursive: true, force: true });
      for (const s of streams) (s as unknown as { destroy(): void }).destroy();
      resolve(
        classify({
          unsafe,
          limits,
          started,
          exitCode,
          exitSignal,
          overflow,
          wallTimeout,
          outputBytes,
          result,
          stdout: Buffer.concat(heads.stdout).toString('utf8'),
          stderr: Buffer.concat(heads.stderr).toString('utf8'),
        }),
      );
    };
    let grace: NodeJS.Timeout | undefined;
    let closed = 0;
    const onClosed = (): void => {
      if (++closed === streams.length && exited) finish();
    };
    for (const s of streams) s.on('close', onClosed);
    child.on('error', (e) => {
      exited = true;
      exitCode = null;
      result = '';
      heads.stderr.push(Buffer.from(`cannot start the sandbox: ${e.message}`));
      finish();
    });
    child.on('exit', (code, signal) => {
      exited = true;
      exitCode = code;
      exitSignal = signal;
      if (closed === streams.length) finish();
      // Something outside the sandbox may still hold the pipes (unsafe mode): don't wait long.
      else grace = setTimeout(finish, 250);
    });
  });
}

function rejected(detail: string, started: number, unsafe: boolean): RunResult {
  return {
    status: 'rejected',
    detail,
    exitCode: null,
    signal: null,
    wallMs: Date.now() - started,
    stdout: '',
    stderr: '',
    outputBytes: 0,
    mode: unsafe ? 'unsafe' : 'bwrap',
  };
}

interface Outcome {
  unsafe: boolean;
  limits: SandboxLimits;
  started: number;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  overflow: boolean;
  wallTimeout: boolean;
  outputBytes: number;
  result: string;
  stdout: string;
  stderr: string;
}

/** Turns what happened into one outcome; the limits we enforced take precedence over the program's report. */
function classify(o: Outcome): RunResult {
  const base = {
    exitCode: o.exitCode,
    signal: null as string | null,
    wallMs: Date.now() - o.started,
    stdout: o.stdout,
    stderr: o.stderr,
    outputBytes: o.outputBytes,
    mode: (o.unsafe ? 'unsafe' : 'bwrap') as 'bwrap' | 'unsafe',
  };
  // bwrap reports a signal-terminated program as exit code 128 + signal; unsafe mode sees it directly.
  const signo = !o.exitSignal && o.exitCode !== null && o.exitCode > 128 ? o.exitCode - 128 : null;
  const signal = o.exitSignal ?? (signo !== null ? (SIGNALS[signo] ?? `signal ${signo}`) : null);
  base.signal = signal;

  if (o.overflow) return { ...base, status: 'failed', detail: `output limit exceeded (${o.limits.maxOutputBytes} bytes); killed` };
  let report: { status?: string; detail?: string } | undefined;
  const line = o.result.split('\n').find((s) => s.trim() !== '');
  if (line) {
    try {
      report = JSON.parse(line) as { status?: string; detail?: string };
    } catch {
      report = undefined;
    }
  }
  if (report?.status === 'passed' && o.exitCode === 0) return { ...base, status: 'passed', detail: '' };
  if (o.wallTimeout) return { ...base, status: 'timeout', detail: `wall-clock limit of ${o.limits.wallSeconds} s exceeded` };
  // We kill only on overflow or wall time (handled above), so a SIGKILL or SIGXCPU came from RLIMIT_CPU.
  if (signal === 'SIGXCPU' || signal === 'SIGKILL') {
    return { ...base, status: 'timeout', detail: `CPU limit of ${o.limits.cpuSeconds} s exceeded (${signal})` };
  }
  if (report?.status === 'failed') return { ...base, status: 'failed', detail: report.detail ?? 'failed' };
  if (signal) return { ...base, status: 'crashed', detail: `killed by ${signal}` };
  if (!o.unsafe && o.exitCode === 1 && /^bwrap: /m.test(o.stderr) && !report) {
    return { ...base, status: 'rejected', detail: `the sandbox refused to run: ${o.stderr.trim().split('\n').slice(-1)[0]}` };
  }
  if (o.exitCode === null) return { ...base, status: 'rejected', detail: o.stderr.trim() || 'the sandbox did not start' };
  const tail = o.stderr.trim().split('\n').slice(-1)[0] ?? '';
  return { ...base, status: 'failed', detail: `exited with code ${o.exitCode} before the tests finished${tail ? `: ${tail}` : ''}` };
}
