/**
 * Hostile completions, written for masa, scored as HumanEval answers in the sandbox. Each must
 * end as failed or timed out within its limit, and leave the machine as it was: no new files
 * outside the sandbox, no leftover processes, the test process and a canary process alive.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildProgram, execute, HUMANEVAL_DEFAULTS, loadHumanEval, type HumanEvalOptions } from '../../src/bench/humaneval.js';
import { sandboxConcurrency, slotUid } from '../../src/bench/sandbox.js';
import { projectRoot, samplesDir } from '../../src/core/paths.js';

const item = loadHumanEval(join(samplesDir(), 'HumanEval')).find((i) => i.entry_point === 'count_vowels')!;
const nonce = `masa-hostile-${process.pid}-${randomBytes(4).toString('hex')}`;
const OPTIONS: HumanEvalOptions = { ...HUMANEVAL_DEFAULTS, timeout_s: 2, wall_timeout_s: 6 };
// The function every hostile completion ends with: wrong on purpose, so nothing can pass.
const WRONG = 'def count_vowels(text):\n    return -1\n';
// The fork bomb and `kill -9 -1` would hurt the machine if a change broke the sandbox and
// they ran as root, so they refuse to (the sandbox never runs code as root).
const GUARD = 'if os.getuid() == 0:\n    raise SystemExit("refusing to run as root: the sandbox is broken")';

interface Proc {
  pid: number;
  uid: number;
  cmd: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), uid, cmd });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const sandboxUids = new Set(Array.from({ length: sandboxConcurrency() }, (_, i) => slotUid(i)));
const inSandbox = (): Proc[] => processes().filter((p) => sandboxUids.has(p.uid));

/** Where a file escaping the sandbox could land on the host. */
const hostDirs = [projectRoot(), homedir(), tmpdir(), '/tmp', '/var/tmp', '/dev/shm', '/'];
const escaped = (): string[] => hostDirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.includes(nonce)).map((f) => join(d, f)) : []));

let canary: ReturnType<typeof spawn>;
before(() => {
  canary = spawn('sleep', ['300'], { stdio: 'ignore' });
});
after(() => {
  canary.kill('SIGKILL');
});

/** Runs a hostile completion and checks what must hold after any of them. */
async function hostile(code: string, options: HumanEvalOptions = OPTIONS, alongside?: Promise<unknown>) {
  const started = Date.now();
  const r = await execute(buildProgram(item, code), options);
  const elapsed = Date.now() - started;
  await alongside;
  assert.ok(['failed', 'timeout'].includes(r.status), `${r.status}: ${r.detail}`);
  assert.ok(elapsed < (options.wall_timeout_s + 3) * 1000, `took ${elapsed} ms`);
  // Cleanup is synchronous (the pid namespace dies with the run); allow a moment anyway.
  for (let i = 0; i < 20 && inSandbox().length > 0; i++) await new Promise((res) => setTimeout(res, 50));
  assert.deepEqual(inSandbox(), [], 'processes left behind');
  assert.deepEqual(escaped(), [], 'files escaped the sandbox');
  assert.equal(canary.exitCode, null, 'the canary process was killed');
  assert.equal(spawnSync('true').status, 0, 'the host cannot start processes');
  return r;
}

function report(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no RESULT line in ${JSON.stringify(stdout.slice(0, 500))}`);
  return JSON.parse(line.slice('RESULT '.length));
}

test('writing outside the temporary directory', async () => {
  const targets = hostDirs.map((d) => join(d, `${nonce}.txt`)).concat([`/usr/${nonce}`, `/etc/${nonce}`, `../${nonce}`]);
  const r = await hostile(
    [
      'import json, os',
      `targets = ${JSON.stringify(targets)}`,
      'wrote = []',
      'for p in targets:',
      '    try:',
      '        with open(p, "w") as f:',
      '            f.write("escaped")',
      '        wrote.append(p)',
      '    except OSError:',
      '        pass',
      'print("RESULT " + json.dumps(wrote))',
      WRONG,
    ].join('\n'),
  );
  assert.equal(r.status, 'failed');
  // Only the sandbox's own private, size-bounded /tmp and /dev/shm can be written.
  const wrote = report(r.stdout) as string[];
  assert.ok(wrote.includes(join('/tmp', `${nonce}.txt`)), 'the private /tmp is not writable');
  for (const p of wrote) assert.ok(p.startsWith('/tmp/') || p.startsWith('/dev/shm/'), `wrote ${p}`);
});

test('reading the home directory, the project and host files', async () => {
  const secret = join(tmpdir(), `masa-secret-${randomBytes(6).toString('hex')}`);
  writeFileSync(secret, 'top secret');
  try {
    const paths = [secret, join(projectRoot(), 'package.json'), join(homedir(), '.bashrc'), join(homedir(), '.ssh', 'id_rsa'), '/etc/shadow', '/proc/1/environ'];
    const r = await hostile(
      [
        'import json, os',
        `paths = ${JSON.stringify(paths)}`,
        'got = {}',
        'for p in paths:',
        '    try:',
        '        got[p] = open(p, "rb").read(100).decode("latin-1")',
        '    except OSError as e:',
        '        pass',
        `for d in ${JSON.stringify([homedir(), projectRoot()])}:`,
        '    try:',
        '        got[d] = os.listdir(d)',
        '    except OSError:',
        '        pass',
        'print("RESULT " + json.dumps(got))',
        WRONG,
      ].join('\n'),
    );
    assert.equal(r.status, 'failed');
    const got = report(r.stdout) as Record<string, unknown>;
    assert.ok(!JSON.stringify(got).includes('top secret'));
    // /proc/1 is the program itself (its own environment, which is masa's clean one).
    assert.deepEqual(Object.keys(got).filter((k) => k !== '/proc/1/environ'), []);
  } finally {
    rmSync(secret, { force: true });
  }
});

test('opening a network connection (to a loopback server that is listening outside)', async () => {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await hostile(
      [
        'import json, socket',
        'out = {}',
        `for host, port in [("127.0.0.1", ${port}), ("localhost", ${port}), ("1.1.1.1", 53), ("example.com", 80)]:`,
        '    try:',
        '        socket.create_connection((host, port), timeout=1).close()',
        '        out[host] = "connected"',
        '    except OSError as e:',
        '        out[host] = type(e).__name__',
        'print("RESULT " + json.dumps(out))',
        WRONG,
      ].join('\n'),
    );
    assert.equal(r.status, 'failed');
    const out = report(r.stdout) as Record<string, string>;
    assert.ok(!Object.values(out).includes('connected'), JSON.stringify(out));
    assert.equal(out['127.0.0.1'], 'ConnectionRefusedError');
    assert.equal(connections, 0);
    // The server itself is reachable from the host: the test could have failed.
    await new Promise<void>((res, rej) => {
      const c = connect(port, '127.0.0.1', () => {
        c.end();
        res();
      });
      c.on('error', rej);
    });
    for (let i = 0; i < 20 && connections === 0; i++) await new Promise((res) => setTimeout(res, 25));
    assert.equal(connections, 1);
  } finally {
    server.close();
  }
});

test('a fork bomb stops at the process limit and is cleaned up', async () => {
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, inSandbox().length);
  }, 100);
  try {
    const r = await hostile(
      [
        'import os',
        GUARD,
        'while True:',
        '    try:',
        '        os.fork()',
        '    except OSError:',
        '        pass',
      ].join('\n'),
      { ...OPTIONS, wall_timeout_s: 4 },
    );
    assert.equal(r.status, 'timeout');
  } finally {
    clearInterval(poll);
  }
  assert.ok(peak > 1, `the bomb never forked (peak ${peak})`);
  assert.ok(peak <= OPTIONS.max_procs, `peak ${peak} processes > ${OPTIONS.max_procs}`);
});

test('an infinite loop times out on the CPU limit', async () => {
  const r = await hostile('def count_vowels(text):\n    while True:\n        pass\n', { ...OPTIONS, timeout_s: 1 });
  assert.equal(r.status, 'timeout');
  assert.match(r.detail, /CPU limit of 1 s/);
});

test('allocating 10 GB fails with MemoryError', async () => {
  const r = await hostile(`x = bytearray(10 * 1024 ** 3)\n${WRONG}`);
  assert.equal(r.status, 'failed');
  assert.match(r.detail, /MemoryError/);
  const grow = await hostile(`chunks = []\nwhile True:\n    chunks.append(bytearray(100 * 1024 ** 2))\n${WRONG}`);
  assert.equal(grow.status, 'failed');
  assert.match(grow.detail, /MemoryError/);
});

test('printing 1 GB is cut off at the output limit', async () => {
  const r = await hostile(`import sys\nchunk = "x" * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n${WRONG}`);
  assert.equal(r.status, 'failed');
  assert.match(r.detail, /output limit exceeded/);
  assert.ok(r.outputBytes < 64 * (1 << 20), `${r.outputBytes} bytes read`);
});

test('killing the parent (os.kill(os.getppid()), kill -9 -1) harms nothing outside', async () => {
  // A well-behaved program in another slot runs meanwhile and must pass.
  const neighbour = execute('import time\ntime.sleep(1.5)\n', OPTIONS);
  const r = await hostile(
    [
      'import os, signal, subprocess',
      GUARD,
      'for f in (lambda: os.kill(os.getppid(), signal.SIGKILL), lambda: os.kill(-1, signal.SIGKILL),',
      '          lambda: os.killpg(os.getpgid(0), signal.SIGKILL), lambda: subprocess.run(["kill", "-9", "-1"])):',
      '    try:',
      '        f()',
      '    except Exception:',
      '        pass',
      WRONG,
    ].join('\n'),
    OPTIONS,
    neighbour,
  );
  assert.equal(r.status, 'failed');
  const n = await neighbour;
  assert.equal(n.status, 'passed', n.detail);
});

test('a background process (double fork, setsid, sleep) does not outlive the run', async () => {
  const marker = `${300 + (process.pid % 1000) / 1000}`;
  const r = await hostile(
    [
      'import os, subprocess, time',
      `subprocess.Popen(["sleep", "${marker}"], start_new_session=True)`,
      'if os.fork() == 0:',
      '    os.setsid()',
      '    if os.fork() == 0:',
      '        time.sleep(300)',
      '        os._exit(0)',
      '    os._exit(0)',
      'time.sleep(0.3)',
      WRONG,
    ].join('\n'),
  );
  assert.equal(r.status, 'failed');
  assert.deepEqual(processes().filter((p) => p.cmd.includes(`sleep ${marker}`)), []);
});
