// `masa sweep --scheduler slurm` against a real SLURM (munged, slurmctld, slurmd on localhost,
// started here by slurm-up.sh and stopped by slurm-down.sh, by PID, also on failure). The job
// scripts are the real ones; `vllm` is test/cluster/bin/vllm, which runs masa's simulator behind
// vLLM's flags. Every SLURM case is in this one describe, sharing one start and stop, so no two
// test files fight over the daemons. Needs root and Debian's slurmctld, slurmd, slurm-client and
// munge (npm run setup installs them); skipped, visibly, otherwise.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { samplesDir } from '../../src/core/paths.js';
import { missingSlurmCommands } from '../../src/eval/scheduler/slurm.js';
import { latestRecords, readRecords } from '../../src/eval/store.js';
import { readSweepConfig, runSweep } from '../../src/eval/sweep.js';
import { startSimulator } from '../../src/sim/index.js';

const here = join(process.cwd(), 'test', 'cluster');
const masaBin = join(process.cwd(), 'bin', 'masa.mjs');

function skipReason(): string | false {
  if (process.platform !== 'linux') return 'real SLURM tests run on Linux';
  if (process.getuid?.() !== 0) return 'real SLURM tests start munged, slurmctld and slurmd: they need root (CI runs as root)';
  const daemons = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd'].filter((f) => !existsSync(f));
  const missing = [...daemons, ...missingSlurmCommands()];
  if (missing.length > 0) return `SLURM is not installed (missing ${missing.join(', ')}; npm run setup installs slurmctld slurmd slurm-client munge)`;
  return false;
}

const SECRET = `sk-masa-test-${process.pid}-${Date.now().toString(36)}`;
const work = mkdtempSync(join(tmpdir(), 'masa-slurm-'));

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

function jobEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(here, 'bin')}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    MASA_ROOT: process.cwd(),
    MASA_NODE: process.execPath,
    FAKE_VLLM_DATA: samplesDir(),
    MASA_TEST_SERVER_KEY: SECRET,
    ...extra,
  };
  for (const k of ['FAKE_VLLM_OOM', 'FAKE_VLLM_LATENCY_MS']) if (!(k in extra)) delete env[k];
  return env;
}

/** Runs the masa CLI (sbatch inherits this environment, as it does for a user). */
function masa(args: string[], env: NodeJS.ProcessEnv = jobEnv()): Promise<Cli> {
  return new Promise((resolve) => {
    execFile(process.execPath, [masaBin, ...args], { env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: any = null;
      try {
        json = JSON.parse(last);
      } catch {
        json = null;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

function jobState(id: string): string {
  const r = spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8' });
  return /\bJobState=(\S+)/.exec(r.stdout)?.[1] ?? `UNKNOWN (${r.stderr.trim()})`;
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED']);

async function waitJobs(ids: string[], timeoutMs: number): Promise<Record<string, string>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const states = Object.fromEntries(ids.map((id) => [id, jobState(id)]));
    if (Object.values(states).every((s) => !ACTIVE.has(s))) return states;
    if (Date.now() > end) throw new Error(`jobs still active after ${timeoutMs} ms: ${JSON.stringify(states)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits for the jobs, then checks their final states; a mismatch shows each job's output. */
async function expectStates(ids: string[], expected: string[], timeoutMs: number): Promise<void> {
  const states = Object.values(await waitJobs(ids, timeoutMs));
  if (JSON.stringify(states) === JSON.stringify(expected)) return;
  const outputs = ids.map((id) => {
    const out = /\bStdOut=(\S+)/.exec(spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8' }).stdout)?.[1];
    const text = out && existsSync(out) ? readFileSync(out, 'utf8').split('\n').slice(-25).join('\n') : '(no output file)';
    return `--- job ${id} (${out ?? '?'}):\n${text}`;
  });
  assert.deepEqual(states, expected, outputs.join('\n'));
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function writeSweep(name: string, c: Record<string, unknown>): string {
  const file = join(work, `${name}.json`);
  const cluster = (c.cluster ?? {}) as Record<string, unknown>;
  writeFileSync(
    file,
    JSON.stringify({
      limit: 3,
      concurrency: 4,
      data: samplesDir(),
      out: `${name}-results`,
      ...c,
      cluster: { time: 5, health_timeout_s: 120, api_key_env: 'MASA_TEST_SERVER_KEY', ...cluster, slurm: { cpus_per_task: 1, mem: '300M', ...((cluster.slurm ?? {}) as object) } },
    }),
  );
  return file;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** PIDs a job's output says it started ("server pid N, process group G", "masa eval pid N"). */
function jobPids(output: string): { server: number; group: number; eval: number | null } {
  const text = readFileSync(output, 'utf8');
  const m = /server pid (\d+), process group (\d+)/.exec(text);
  assert.ok(m, `no server pid in ${output}:\n${text}`);
  const e = /masa eval pid (\d+)/.exec(text);
  return { server: Number(m[1]), group: Number(m[2]), eval: e ? Number(e[1]) : null };
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function groupMembers(pgid: number): string[] {
  const r = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.trim().split(/\s+/)[1] === String(pgid));
}

function submittedIds(res: Cli): string[] {
  assert.ok(res.json, `no JSON from masa sweep:\n${res.stdout}\n${res.stderr}`);
  return (res.json.rows as Array<{ job_id: string | null; action: string }>).filter((r) => r.action === 'submitted').map((r) => r.job_id!);
}

const skip = skipReason();

// Each test carries the skip reason, so a machine without SLURM reports them as skipped, by name.
describe('masa sweep on a real SLURM', () => {
  let started = false;
  before(() => {
    if (skip) return;
    const r = spawnSync('sh', [join(here, 'slurm-up.sh')], { encoding: 'utf8', env: { ...process.env, SLURM_FRESH: '1' } });
    // A start that failed half-way is stopped too (slurm-down.sh stops only what slurm-up.sh
    // started); exit 3 means a SLURM that is not ours was already up: it is left alone.
    started = r.status !== 3;
    assert.equal(r.status, 0, `slurm-up.sh failed:\n${r.stdout}\n${r.stderr}`);
  });
  after(() => {
    if (started) {
      // Our controller holds only our jobs: cancel what is left, so slurmd stops with nothing running.
      const left = spawnSync('squeue', ['-h', '-o', '%i'], { encoding: 'utf8' }).stdout.split('\n').filter((s) => s.trim() !== '');
      if (left.length > 0) spawnSync('scancel', left);
      const end = Date.now() + 30_000;
      while (Date.now() < end && spawnSync('squeue', ['-h'], { encoding: 'utf8' }).stdout.trim() !== '') spawnSync('sleep', ['0.5']);
      spawnSync('sh', [join(here, 'slurm-down.sh')]);
    }
    rmSync(work, { recursive: true, force: true });
  });

  test('a 3-model sweep runs end to end: one job array, the right records and scores, no secret written, no server left', { skip }, async () => {
    const models = ['sim/qwen2.5-0.5b-instruct', 'sim/qwen2.5-1.5b-instruct', 'sim/qwen2.5-3b-instruct'];
    const benches = ['mmlu-pro', 'tombench', 'coordinationqa'];
    const file = writeSweep('three', { benches, models: models.map((model) => ({ model })) });
    const sub = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json']);
    assert.equal(sub.code, 0, sub.stderr);
    const ids = submittedIds(sub);
    assert.equal(ids.length, 3);
    assert.equal(sub.json.units.length, 1, 'same resources: one array');
    assert.match(ids[0]!, /^\d+_0$/);
    await expectStates(ids, ['COMPLETED', 'COMPLETED', 'COMPLETED'], 240_000);

    const st = await masa(['sweep', 'status', '--config', file, '--json']);
    assert.equal(st.code, 0, st.stdout + st.stderr);
    for (const r of st.json.rows) {
      assert.equal(r.state, 'completed');
      assert.equal(r.records, 'done');
      assert.equal(r.answered, r.trials);
      assert.ok(r.trials >= 9, `${r.model}: ${r.trials} trials`);
    }
    assert.match(st.stdout, /sim\/qwen2\.5-0\.5b-instruct\s+\d+_0\s+completed\s+done/);

    // Reference: the same sweep through plain masa sweep against an in-process simulator, which
    // serves the same names; the records and scores must be the same item by item.
    const cfg = readSweepConfig(file, { endpointsOptional: true });
    const sim = await startSimulator({ dataRoot: samplesDir() });
    const refOut = join(work, 'three-reference');
    let ref;
    try {
      ref = await runSweep({ ...cfg, models: cfg.models.map((m) => ({ ...m, endpoints: [sim.url] })) }, { out: refOut, progress: 'none', log: () => {} });
    } finally {
      await sim.close();
    }
    assert.ok(ref.rows.every((r) => r.status === 'done'));
    for (const row of ref.rows) {
      const got = st.json.rows.find((r: { model: string }) => r.model === row.model).benches.find((b: { bench: string }) => b.bench === row.bench);
      assert.equal(got.run_id, row.run_id, `${row.model} ${row.bench}: same run id`);
      assert.equal(got.n, row.n);
      assert.equal(got.accuracy, row.accuracy, `${row.model} ${row.bench}: same accuracy`);
      const a = await latestRecords(join(cfg.out!, row.run_id!));
      const b = await latestRecords(join(refOut, row.run_id!));
      assert.equal(a.size, b.size);
      for (const [k, r] of b) {
        const c = a.get(k);
        assert.ok(c, `${row.run_id}: ${k} missing`);
        assert.deepEqual([c.extracted, c.correct, c.response], [r.extracted, r.correct, r.response], `${row.run_id}: ${k}`);
        assert.match(c.endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      }
    }

    // The key reached the server (it required one) but no script, log, state or record holds it.
    const all = filesUnder(cfg.out!);
    const logs = all.filter((f) => f.endsWith('.vllm.log'));
    assert.equal(logs.length, 3);
    for (const f of logs) assert.match(readFileSync(f, 'utf8'), /API key required/);
    for (const f of all) assert.ok(!readFileSync(f, 'utf8').includes(SECRET), `${f} holds the secret`);
    assert.ok(all.some((f) => f.endsWith('.sbatch')) && all.some((f) => f.endsWith('jobs.json')));

    for (const r of st.json.rows) {
      const p = jobPids(r.output);
      assert.ok(processGone(p.server), `server ${p.server} of ${r.model} still running`);
      assert.deepEqual(groupMembers(p.group), []);
    }

    // Nothing left to do: a rerun submits nothing.
    const again = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json']);
    assert.equal(again.code, 0);
    assert.deepEqual(again.json.rows.map((r: { action: string }) => r.action), ['skipped', 'skipped', 'skipped']);
  });

  test('a server that never becomes healthy fails its job with the reason (out of memory, bad flags); the next run resubmits only those models', { skip }, async () => {
    const models = [{ model: 'sim/qwen2.5-0.5b-instruct' }, { model: 'sim/qwen2.5-1.5b-instruct' }, { model: 'sim/qwen2.5-3b-instruct', vllm_args: ['--no-such-flag'] }];
    const file = writeSweep('unhealthy', { benches: ['mmlu-pro'], models });
    const sub = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json'], jobEnv({ FAKE_VLLM_OOM: 'sim/qwen2.5-1.5b-instruct' }));
    assert.equal(sub.code, 0, sub.stderr);
    const ids = submittedIds(sub);
    await expectStates(ids, ['COMPLETED', 'FAILED', 'FAILED'], 180_000);
    const st = await masa(['sweep', 'status', '--config', file, '--json']);
    assert.equal(st.code, 3, 'not every model is done');
    const [ok, oom, flags] = st.json.rows;
    assert.equal(ok.records, 'done');
    for (const bad of [oom, flags]) {
      assert.equal(bad.state, 'failed');
      assert.equal(bad.records, 'missing');
      assert.ok(processGone(jobPids(bad.output).server));
    }
    assert.match(oom.reason, /vllm serve exited with code 1 before it was ready \(out of memory\).*CUDA out of memory/);
    assert.match(flags.reason, /vllm serve exited with code 2 before it was ready \(bad flags\).*unrecognized arguments: --no-such-flag/);
    assert.match(st.stdout, /failed\s+missing\s+0\/\d+.*out of memory/);

    // The user fixes the flags; the next run submits the two failed models again, and only them.
    const cfg = JSON.parse(readFileSync(file, 'utf8'));
    delete cfg.models[2].vllm_args;
    writeFileSync(file, JSON.stringify(cfg));
    const again = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json']);
    assert.deepEqual(again.json.rows.map((r: { action: string }) => r.action), ['skipped', 'submitted', 'submitted']);
    const retry = submittedIds(again);
    assert.ok(!retry.includes(oom.job_id) && !retry.includes(flags.job_id));
    await expectStates(retry, ['COMPLETED', 'COMPLETED'], 180_000);
    const done = await masa(['sweep', 'status', '--config', file, '--json']);
    assert.equal(done.code, 0);
    assert.deepEqual(done.json.rows.map((r: { records: string; job_id: string }) => [r.records, r.job_id]), [['done', ok.job_id], ['done', retry[0]], ['done', retry[1]]]);
  });

  test('a job cancelled mid-run is not doubled while it runs, and is resumed by the next run with no item lost or repeated', { skip }, async () => {
    const file = writeSweep('cancel', { benches: ['mmlu-pro', 'tombench'], limit: 6, concurrency: 1, models: [{ model: 'sim/qwen2.5-0.5b-instruct' }] });
    const slow = jobEnv({ FAKE_VLLM_LATENCY_MS: '700' });
    const sub = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json'], slow);
    const [id] = submittedIds(sub);
    const out = join(work, 'cancel-results');
    const answered = (): number => {
      let n = 0;
      for (const d of existsSync(out) ? readdirSync(out) : []) {
        const f = join(out, d, 'samples.jsonl');
        if (existsSync(f)) n += readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('"error":null')).length;
      }
      return n;
    };
    await waitFor('the job to answer some items', () => answered() >= 2, 120_000);
    const during = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json'], slow);
    assert.equal(during.json.rows[0].action, 'skipped');
    assert.match(during.json.rows[0].why, new RegExp(`job ${id} is running`));
    assert.equal(spawnSync('scancel', [id!]).status, 0);
    assert.deepEqual(await waitJobs([id!], 60_000), { [id!]: 'CANCELLED' });
    const st = await masa(['sweep', 'status', '--config', file, '--json']);
    const row = st.json.rows[0];
    assert.equal(row.state, 'cancelled');
    assert.equal(row.records, 'partial');
    assert.ok(row.answered > 0 && row.answered < row.trials, `answered ${row.answered} of ${row.trials}`);
    const pids = jobPids(row.output);
    assert.ok(processGone(pids.server));
    assert.deepEqual(groupMembers(pids.group), []);

    const resumed = await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json']);
    const [id2] = submittedIds(resumed);
    assert.deepEqual(await waitJobs([id2!], 180_000), { [id2!]: 'COMPLETED' });
    const fin = await masa(['sweep', 'status', '--config', file, '--json']);
    assert.equal(fin.json.rows[0].records, 'done');
    assert.equal(fin.json.rows[0].answered, fin.json.rows[0].trials);
    // Each (item, trial) answered exactly once over both jobs; the resumed job asked only for the rest.
    for (const b of fin.json.rows[0].benches) {
      const successes = new Map<string, number>();
      for await (const r of readRecords(join(out, b.run_id))) if (r.error === null) successes.set(`${r.item_id}/${r.trial}`, (successes.get(`${r.item_id}/${r.trial}`) ?? 0) + 1);
      assert.equal(successes.size, b.trials, `${b.bench}: every item answered`);
      assert.ok([...successes.values()].every((n) => n === 1), `${b.bench}: no item answered twice`);
    }
  });

  test('a server slow to leave the job\'s process group: the job waits for it, completes, and stops the server, not itself', { skip }, async () => {
    // A `setsid` that takes a second before it calls the real one: the window in which the
    // server, just forked, is still in the job script's own process group (on a busy node it can
    // last that long). Stopping that group would stop the job and leave the server running.
    const shim = mkdtempSync(join(work, 'slow-setsid-'));
    const real = spawnSync('sh', ['-c', 'command -v setsid'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(shim, 'setsid'), `#!/bin/sh\nsleep 1\nexec ${real} "$@"\n`, { mode: 0o755 });
    const base = jobEnv();
    const env = { ...base, PATH: `${shim}:${base.PATH}` };
    const file = writeSweep('slow-setsid', { benches: ['mmlu-pro'], limit: 2, models: [{ model: 'sim/qwen2.5-0.5b-instruct' }] });
    const ids = submittedIds(await masa(['sweep', '--config', file, '--scheduler', 'slurm', '--json'], env));
    await expectStates(ids, ['COMPLETED'], 180_000);
    const st = await masa(['sweep', 'status', '--config', file, '--json']);
    const row = st.json.rows[0];
    assert.equal(row.records, 'done');
    const pids = jobPids(row.output);
    assert.equal(pids.group, pids.server, 'the server leads its own process group');
    assert.ok(processGone(pids.server), `server ${pids.server} still running`);
    assert.deepEqual(groupMembers(pids.group), []);
  });

  test("a job killed by its time limit leaves no server behind (SLURM's own TIMEOUT, and with the early warning)", { skip }, async () => {
    const model = { model: 'sim/qwen2.5-0.5b-instruct' };
    const hang = jobEnv({ FAKE_VLLM_LATENCY_MS: '600000' });
    // Both run at once (one GPU each); a 1-minute limit is the shortest SLURM has. SLURM checks
    // limits about every 30 s, so the warning comes 0-30 s late: a short grace keeps the warned
    // job's own stop well inside the limit.
    const plain = writeSweep('limit-plain', { benches: ['mmlu-pro'], limit: 2, concurrency: 1, cluster: { time: 1, stop_grace_s: 5, slurm: { signal_s: 0 } }, models: [model] });
    const warned = writeSweep('limit-warned', { benches: ['mmlu-pro'], limit: 2, concurrency: 1, cluster: { time: 1, stop_grace_s: 5, slurm: { signal_s: 30 } }, models: [model] });
    const [a] = submittedIds(await masa(['sweep', '--config', plain, '--scheduler', 'slurm', '--json'], hang));
    const [b] = submittedIds(await masa(['sweep', '--config', warned, '--scheduler', 'slurm', '--json'], hang));
    const states = await waitJobs([a!, b!], 200_000);
    assert.equal(states[a!], 'TIMEOUT');
    assert.equal(states[b!], 'FAILED', 'warned 30 s ahead, the job stops itself before the limit');
    for (const [file, state, reason] of [
      [plain, 'timeout', /stopped by SIGTERM/],
      [warned, 'failed', /stopped by SIGTERM before the evaluation finished/],
    ] as const) {
      const st = await masa(['sweep', 'status', '--config', file, '--json']);
      const row = st.json.rows[0];
      assert.equal(row.state, state);
      assert.match(row.reason ?? '', reason);
      const pids = jobPids(row.output);
      assert.ok(processGone(pids.server), `server ${pids.server} still running after ${state}`);
      assert.deepEqual(groupMembers(pids.group), [], `process group ${pids.group} still has members`);
      if (pids.eval !== null) assert.ok(processGone(pids.eval), `masa eval ${pids.eval} still running`);
    }
  });
});
