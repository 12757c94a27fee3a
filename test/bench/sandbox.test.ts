import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MasaError } from '../../src/core/errors.js';
import { humaneval, HUMANEVAL_DEFAULTS, loadHumanEval } from '../../src/bench/humaneval.js';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { samplesDir } from '../../src/core/paths.js';
import { requireSandbox, runPython } from '../../src/bench/sandbox.js';

const quick = { cpuSeconds: 1, wallSeconds: 4 };

test('sandbox: outcomes are passed, failed (with the exception), timeout, crashed', async () => {
  const [pass, fail, loop, sleep, segv, exit0] = await Promise.all([
    runPython({ program: 'x = 1\nassert x == 1\n' }),
    runPython({ program: 'def f():\n    return 2\n\nassert f() == 3, "f is wrong"\n' }),
    runPython({ program: 'while True:\n    pass\n', limits: quick }),
    runPython({ program: 'import time\ntime.sleep(60)\n', limits: { wallSeconds: 1 } }),
    runPython({ program: 'import ctypes\nctypes.string_at(0)\n' }),
    runPython({ program: 'import os\nos._exit(0)\n' }),
  ]);
  assert.equal(pass.status, 'passed', pass.detail);
  assert.equal(pass.mode, 'bwrap');
  assert.equal(fail.status, 'failed');
  assert.equal(fail.detail, 'AssertionError: f is wrong (line 4: assert f() == 3, "f is wrong")');
  assert.equal(loop.status, 'timeout');
  assert.match(loop.detail, /CPU limit of 1 s/);
  assert.equal(sleep.status, 'timeout');
  assert.match(sleep.detail, /wall-clock limit of 1 s/);
  assert.ok(sleep.wallMs < 3000, `${sleep.wallMs} ms`);
  assert.equal(segv.status, 'crashed');
  assert.equal(segv.signal, 'SIGSEGV');
  // Leaving before the tests finish is not a pass.
  assert.equal(exit0.status, 'failed');
  assert.match(exit0.detail, /before the tests finished/);
});

test('sandbox: stdout is captured, stdin is empty, the environment is clean, /tmp is private and writable', async () => {
  process.env.MASA_TEST_SECRET = 'do-not-leak';
  try {
    const r = await runPython({
      program: [
        'import os, sys',
        'print("hello")',
        'assert "MASA_TEST_SECRET" not in os.environ, "env leaked"',
        'open("/tmp/scratch.txt", "w").write("ok")',
        'assert open("/tmp/scratch.txt").read() == "ok"',
        'assert os.getcwd() == "/tmp"',
        'assert [p for p in os.listdir("/proc") if p.isdigit()] == ["1"], os.listdir("/proc")',
        'assert os.getuid() != 0',
        'try:',
        '    input()',
        '    raise SystemExit("stdin had data")',
        'except EOFError:',
        '    pass',
      ].join('\n'),
    });
    assert.equal(r.status, 'passed', r.detail);
    assert.equal(r.stdout, 'hello\n');
  } finally {
    delete process.env.MASA_TEST_SECRET;
  }
});

test('without bubblewrap masa refuses to execute and says how to install it; unsafe_exec runs anyway', async () => {
  const saved = process.env.MASA_BWRAP;
  process.env.MASA_BWRAP = '/nonexistent/bwrap';
  const item = loadHumanEval(join(samplesDir(), 'HumanEval'))[0]!;
  const trial = { index: 0, permutation: null };
  try {
    assert.throws(() => requireSandbox(false), (e: unknown) => e instanceof MasaError && /apt-get install bubblewrap/.test(e.message) && /--unsafe-exec/.test(e.message));
    await assert.rejects(runPython({ program: 'pass' }), /apt-get install bubblewrap/);
    await assert.rejects(Promise.resolve().then(() => humaneval.score(item, item.canonical_solution, trial, HUMANEVAL_DEFAULTS)), MasaError);
    const unsafe = { ...HUMANEVAL_DEFAULTS, unsafe_exec: true };
    const ok = await humaneval.score(item, item.canonical_solution, trial, unsafe);
    assert.equal(ok.status, 'passed', ok.detail);
    const bad = await humaneval.score(item, '    return -1', trial, unsafe);
    assert.equal(bad.status, 'failed');
    const slow = await runPython({ program: 'while True: pass', unsafe: true, limits: quick });
    assert.equal(slow.status, 'timeout');
    assert.equal(slow.mode, 'unsafe');
  } finally {
    if (saved === undefined) delete process.env.MASA_BWRAP;
    else process.env.MASA_BWRAP = saved;
  }
});

test('a sandbox that cannot run the interpreter fails loudly instead of scoring every problem 0', async () => {
  await assert.rejects(runPython({ program: 'pass', python: '/nonexistent/python3' }), (e: unknown) => e instanceof MasaError && /not an executable/.test(e.message));
  await assert.rejects(runPython({ program: 'pass', python: '/bin/false' }), (e: unknown) => e instanceof MasaError && /sandbox cannot run '\/bin\/false'/.test(e.message));
});

test('the sandbox runs Debian Python with its packages (numpy threads fit the process limit)', async () => {
  const r = await runPython({ program: 'import numpy as np\nassert int(np.arange(10).sum()) == 45\n' });
  assert.equal(r.status, 'passed', `${r.detail} ${r.stderr}`);
});

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test('unsafe_exec (as root) still runs the code under its own uid and kills what it leaves behind', { skip: asRoot ? false : 'needs root' }, async () => {
  const marker = `${200 + (process.pid % 1000) / 1000}`;
  const r = await runPython({
    program: `import os, subprocess\nassert os.getuid() != 0\nsubprocess.Popen(["sleep", "${marker}"], start_new_session=True)\n`,
    unsafe: true,
  });
  assert.equal(r.status, 'passed', r.detail);
  const left = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(`sleep ${marker}`);
      } catch {
        return false;
      }
    });
  assert.deepEqual(left, []);
});
