// The scheduler side of `masa sweep --scheduler slurm` that needs no SLURM: config, the eval
// arguments a job runs, the job scripts, scontrol parsing, grouping and the submit/resume rules
// against a recorded scontrol. The real-SLURM cases are in test/cluster/slurm.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseArgs } from '../../src/cli/args.js';
import { benchOptionFlags, EVAL_FLAGS, generationOverrides } from '../../src/cli/commands/eval.js';
import { formatSlurmTime, parseSlurmTime, readClusterConfig } from '../../src/eval/scheduler/config.js';
import { jobFailureReason, submitClusterSweep } from '../../src/eval/scheduler/cluster-sweep.js';
import { buildModelJob, evalArgv, modelGeneration } from '../../src/eval/scheduler/model-job.js';
import { shq } from '../../src/eval/scheduler/shell.js';
import { expandTaskIds, groupByShape, parseScontrolJobs, SlurmScheduler, type CommandRunner } from '../../src/eval/scheduler/slurm.js';
import { slurmResources, slurmScript } from '../../src/eval/scheduler/slurm-script.js';
import { optionsByBench } from '../../src/eval/plan.js';
import { readSweepConfig } from '../../src/eval/sweep.js';

const root = mkdtempSync(join(tmpdir(), 'masa-scheduler-'));
after(() => rmSync(root, { recursive: true, force: true }));

function writeConfig(name: string, c: unknown): string {
  const f = join(root, name);
  writeFileSync(f, JSON.stringify(c));
  return f;
}

const NODE = { masa: ['/usr/bin/node', '/opt/masa/bin/masa.mjs'], node: '/usr/bin/node' };

test('SLURM time strings', () => {
  assert.equal(parseSlurmTime('90'), 90);
  assert.equal(parseSlurmTime('1:30'), 2, 'M:S rounds seconds up');
  assert.equal(parseSlurmTime('12:00:00'), 720);
  assert.equal(parseSlurmTime('1-02'), 1560);
  assert.equal(parseSlurmTime('2-00:30:00'), 2910);
  assert.equal(parseSlurmTime('soon'), null);
  assert.equal(formatSlurmTime(2910), '2-00:30:00');
  assert.equal(formatSlurmTime(1), '00:01:00');
});

test('cluster config: defaults, and errors that name the field', () => {
  const d = readClusterConfig('s.json', undefined);
  assert.equal(d.time_min, 720);
  assert.equal(d.slurm.gpu_request, 'gres');
  assert.equal(d.slurm.signal_s, 120);
  assert.throws(() => readClusterConfig('s.json', { slurm: { partiton: 'gpu' } }), /s\.json: cluster\.slurm\.partiton: unknown setting/);
  assert.throws(() => readClusterConfig('s.json', { time: 'tomorrow' }), /cluster\.time: must be whole minutes/);
  assert.throws(() => readClusterConfig('s.json', { slurm: { mem: '64 GB' } }), /cluster\.slurm\.mem/);
  assert.throws(() => readClusterConfig('s.json', { slurm: { sbatch: ['qos=normal'] } }), /cluster\.slurm\.sbatch/);
  assert.throws(() => readClusterConfig('s.json', { api_key_env: 'not a name' }), /cluster\.api_key_env/);
  const file = writeConfig('no-endpoints.json', { benches: ['mmlu-pro'], models: [{ model: 'sim/qwen2.5-0.5b-instruct', time: '2:00:00' }] });
  assert.throws(() => readSweepConfig(file), /models\[0\]\.endpoints/, 'plain masa sweep still needs endpoints');
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  assert.deepEqual(cfg.models[0]!.endpoints, []);
  assert.equal(cfg.models[0]!.time, 120);
});

test("a job's masa eval arguments give the runs masa sweep would make (same generation and options)", () => {
  const file = writeConfig('gen.json', {
    benches: ['mmlu-pro', 'tombench'],
    limit: 5,
    seed: 3,
    options: { 'mmlu-pro.shots': 0, language: 'en' },
    generation: { max_tokens: 512, stop: ['\n\nQuestion:', 'a,b'], extra: { include_stop_str_in_output: false } },
    models: [{ model: 'sim/qwen2.5-0.5b-instruct', greedy: true, generation: { chat_template_kwargs: { x: 'y, z' } } }],
  });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const argv = evalArgv(cfg, cfg.models[0]!, '/results');
  assert.equal(argv[0], 'eval');
  const args = parseArgs(argv.slice(1), EVAL_FLAGS, 'eval');
  assert.deepEqual(generationOverrides(args), modelGeneration(cfg, cfg.models[0]!));
  assert.deepEqual(benchOptionFlags(args, [], () => {}), optionsByBench(cfg.options!));
  assert.equal(args.flags.greedy, true);
  assert.equal(args.flags.seed, 3);
  assert.equal(args.flags.limit, 5);
  assert.deepEqual(args.flags.bench, ['mmlu-pro', 'tombench']);
  const bad = parseArgs(['--generation-json', '{"temprature":1}'], EVAL_FLAGS, 'eval');
  assert.throws(() => generationOverrides(bad), /--generation-json: generation\.temprature: unknown generation setting/);
  assert.throws(() => generationOverrides(parseArgs(['--generation-json', '[1]'], EVAL_FLAGS, 'eval')), /--generation-json: must be a JSON object/);
});

test('the serve command: the plan\'s flags, served under the sweep\'s name, site and model extras, no port', () => {
  const file = writeConfig('serve.json', {
    benches: ['mmlu-pro'],
    cluster: { vllm: '/opt/vllm/bin/vllm', vllm_args: ['--enforce-eager'], gpus_per_node: 4 },
    models: [{ model: 'qwen2.5-72b-instruct', vllm_args: ['--max-num-seqs', '64'] }, { model: 'llama-3.1-405b-instruct' }, { model: 'no-such-model' }],
  });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const job = buildModelJob(cfg, 0, '/r', file);
  assert.equal(job.serve[0], '/opt/vllm/bin/vllm');
  assert.deepEqual(job.serve.slice(1, 3), ['serve', 'Qwen/Qwen2.5-72B-Instruct']);
  assert.equal(job.serve[job.serve.indexOf('--served-model-name') + 1], 'qwen2.5-72b-instruct');
  assert.ok(!job.serve.includes('--port'));
  assert.deepEqual(job.serve.slice(-3), ['--enforce-eager', '--max-num-seqs', '64']);
  assert.equal(job.gpus_per_node, 4);
  assert.equal(job.serve[job.serve.indexOf('--tensor-parallel-size') + 1], '4');
  assert.throws(() => buildModelJob(cfg, 1, '/r', file), /models\[1\] \(llama-3\.1-405b-instruct\) needs \d+ nodes/);
  assert.throws(() => buildModelJob(cfg, 2, '/r', file), /models\[2\]\.model: 'no-such-model' is not in the model catalog/);
});

function scriptFor(c: Record<string, unknown>, models: string[]): string {
  const file = writeConfig('script.json', { benches: ['mmlu-pro'], ...c, models: models.map((model) => ({ model })) });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const jobs = cfg.models.map((_, i) => buildModelJob(cfg, i, '/r', file));
  return slurmScript({ sweep: 's', config: file, jobs, resources: slurmResources(jobs[0]!, cfg.cluster!.slurm), site: cfg.cluster!.slurm, logDir: '/r/slurm/s/logs', outputName: '001-x', node: NODE, generator: 'masa test' });
}

test('job scripts: valid bash, the #SBATCH lines from the plan and the site, no secret', () => {
  const text = scriptFor(
    {
      cluster: {
        time: '1-00:00:00',
        api_key_env: 'SITE_KEY',
        slurm: { partition: 'gpu', account: 'proj', modules: ['cuda/12.4'], setup: ['source /opt/venv/bin/activate'], container: 'apptainer exec --nv /img/vllm.sif', sbatch: ['--qos=high'], mem: '0' },
      },
    },
    ['qwen2.5-7b-instruct', "qwen2.5-14b-instruct"],
  );
  const r = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const line of ['#SBATCH --gres=gpu:1', '#SBATCH --cpus-per-task=8', '#SBATCH --mem=0', '#SBATCH --time=1-00:00:00', '#SBATCH --partition=gpu', '#SBATCH --account=proj', '#SBATCH --array=0-1', '#SBATCH --export=ALL', '#SBATCH --signal=B:TERM@120', '#SBATCH --qos=high', '#SBATCH --output=/r/slurm/s/logs/001-x-%A_%a.out']) {
    assert.ok(text.split('\n').includes(line), `missing: ${line}`);
  }
  assert.match(text, /^set -euo pipefail$/m);
  assert.match(text, /^module load cuda\/12\.4$/m);
  assert.match(text, /^setsid apptainer exec --nv \/img\/vllm\.sif "\$\{SERVE\[@\]\}" --host 127\.0\.0\.1 --port "\$PORT"/m);
  assert.match(text, /^trap 'on_signal TERM' TERM$/m);
  assert.match(text, /^\s*API_KEY_ENV=SITE_KEY$/m);
  assert.match(text, /kill -TERM -- "-\$SERVER_PGID"/);
  // One task's block per model, in order.
  assert.ok(text.indexOf('MODEL=qwen2.5-7b-instruct') < text.indexOf('MODEL=qwen2.5-14b-instruct'));
  const single = scriptFor({ cluster: { slurm: { gpu_request: 'gpus-per-node', signal_s: 0 } } }, ['qwen2.5-7b-instruct']);
  assert.ok(single.includes('#SBATCH --gpus-per-node=1') && !single.includes('--array') && !single.includes('--signal'));
  assert.ok(single.includes('#SBATCH --output=/r/slurm/s/logs/001-x-%j.out'));
});

test('shell quoting survives bash', () => {
  for (const s of ['plain', "it's", '{"stop":["\\n\\nQ:","a b"]}', '$HOME `x` "y"', '']) {
    const r = spawnSync('bash', ['-c', `printf %s ${shq(s)}`], { encoding: 'utf8' });
    assert.equal(r.stdout, s);
  }
});

// Recorded from `scontrol show job -o 11` on slurm-wlm 22.05.8 (array 11, task 0 running, 1-2 pending), trimmed.
const ARRAY_PENDING = [
  'JobId=11 ArrayJobId=11 ArrayTaskId=1-2 JobName=wrap UserId=root(0) JobState=PENDING Reason=Resources Dependency=(null) ExitCode=0:0 StdOut=/dev/null TresPerNode=gres:gpu:2 ',
  'JobId=12 ArrayJobId=11 ArrayTaskId=0 JobName=wrap UserId=root(0) JobState=RUNNING Reason=None Dependency=(null) ExitCode=0:0 NodeList=vm',
].join('\n');

test('scontrol parsing: plain jobs, array tasks (pending ranges expanded), states mapped', () => {
  const m = parseScontrolJobs(ARRAY_PENDING);
  assert.deepEqual([...m.keys()].sort(), ['11_0', '11_1', '11_2']);
  assert.equal(m.get('11_1')!.state, 'pending');
  assert.equal(m.get('11_1')!.reason, 'Resources');
  assert.equal(m.get('11_0')!.state, 'running');
  assert.equal(m.get('11_0')!.reason, null);
  const plain = parseScontrolJobs('JobId=8 JobName=masa sweep x UserId=root(0) JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15');
  assert.deepEqual(plain.get('8'), { id: '8', state: 'timeout', native: 'TIMEOUT', exit_code: '0:15', reason: 'TimeLimit' });
  assert.equal(parseScontrolJobs('JobId=9 JobState=OUT_OF_MEMORY Reason=OutOfMemory ExitCode=0:125').get('9')!.state, 'failed');
  assert.deepEqual(expandTaskIds('0-2,5,7-9:2%2'), [0, 1, 2, 5, 7, 9]);
});

test('jobs with the same resources share an array; others get their own', () => {
  const file = writeConfig('shapes.json', { benches: ['mmlu-pro'], models: ['qwen2.5-0.5b-instruct', 'qwen2.5-72b-instruct', 'qwen2.5-1.5b-instruct'].map((model) => ({ model })) });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const jobs = cfg.models.map((_, i) => buildModelJob(cfg, i, '/r', file));
  const groups = groupByShape(jobs, { ...cfg.cluster!.slurm, mem: '64G' });
  assert.deepEqual(groups.map((g) => g.map((j) => j.model)), [['qwen2.5-0.5b-instruct', 'qwen2.5-1.5b-instruct'], ['qwen2.5-72b-instruct']]);
});

/** A fake SLURM: sbatch hands out ids, scontrol answers from a table the test sets. */
function fakeSlurm(): { run: CommandRunner; calls: string[][]; states: Map<string, string> } {
  let next = 100;
  const calls: string[][] = [];
  const states = new Map<string, string>();
  const run: CommandRunner = (cmd, args) => {
    calls.push([cmd, ...args]);
    if (cmd === 'sbatch') return { status: 0, stdout: `${next++}\n`, stderr: '' };
    if (cmd === 'scontrol') {
      const id = args[args.length - 1]!;
      const st = states.get(id);
      return st ? { status: 0, stdout: `JobId=${id} JobState=${st} Reason=None ExitCode=0:0\n`, stderr: '' } : { status: 1, stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified\n' };
    }
    return { status: 0, stdout: '', stderr: '' };
  };
  return { run, calls, states };
}

test('resubmission is resume: no second job while one is pending or running; a finished one is resubmitted', async () => {
  const file = writeConfig('resume.json', { benches: ['mmlu-pro'], limit: 2, out: 'resume-runs', cluster: { slurm: { gpu_request: 'none' } }, models: [{ model: 'sim/qwen2.5-0.5b-instruct' }, { model: 'sim/qwen2.5-7b-instruct', time: 30 }] });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const fake = fakeSlurm();
  const scheduler = new SlurmScheduler(cfg.cluster!.slurm, 'masa test', fake.run);
  (scheduler as { checkInstalled: () => void }).checkInstalled = () => {};
  const o = { file, out: cfg.out!, scheduler, node: NODE, log: () => {}, dryRun: false };
  const first = await submitClusterSweep(cfg, o);
  // Different time limits: two scripts, two jobs.
  assert.deepEqual(first.rows.map((r) => [r.action, r.job_id]), [['submitted', '100'], ['submitted', '101']]);
  fake.states.set('100', 'RUNNING');
  fake.states.set('101', 'PENDING');
  const second = await submitClusterSweep(cfg, o);
  assert.deepEqual(second.rows.map((r) => r.action), ['skipped', 'skipped']);
  assert.match(second.rows[1]!.why, /job 101 is pending/);
  fake.states.set('100', 'FAILED');
  fake.states.delete('101'); // forgotten by the controller: not active any more
  const third = await submitClusterSweep(cfg, o);
  assert.deepEqual(third.rows.map((r) => [r.action, r.job_id]), [['submitted', '102'], ['submitted', '103']]);
  const state = JSON.parse(readFileSync(join(first.dir, 'jobs.json'), 'utf8'));
  assert.deepEqual(state.models['sim/qwen2.5-0.5b-instruct'].map((j: { job_id: string }) => j.job_id), ['100', '102']);
  assert.equal(state.submissions, 2);
  assert.equal(fake.calls.filter((c) => c[0] === 'sbatch').length, 4);
  // A controller that does not answer is not "no job": nothing is submitted.
  const down: CommandRunner = (cmd, args) => (cmd === 'scontrol' ? { status: 1, stdout: '', stderr: 'slurm_load_jobs error: Unable to contact slurm controller' } : fake.run(cmd, args));
  const blind = new SlurmScheduler(cfg.cluster!.slurm, 'masa test', down);
  (blind as { checkInstalled: () => void }).checkInstalled = () => {};
  await assert.rejects(submitClusterSweep(cfg, { ...o, scheduler: blind }), /Unable to contact slurm controller/);
  assert.equal(fake.calls.filter((c) => c[0] === 'sbatch').length, 4);
});

test('dry run: scripts written, nothing submitted, no state; without SLURM the command names what is missing', async () => {
  const file = writeConfig('dry.json', { benches: ['mmlu-pro'], limit: 1, out: 'dry-runs', models: [{ model: 'sim/qwen2.5-0.5b-instruct' }] });
  const cfg = readSweepConfig(file, { endpointsOptional: true });
  const fake = fakeSlurm();
  const scheduler = new SlurmScheduler(cfg.cluster!.slurm, 'masa test', fake.run);
  (scheduler as { checkInstalled: () => void }).checkInstalled = () => {
    throw new Error('sbatch not found');
  };
  const rep = await submitClusterSweep(cfg, { file, out: cfg.out!, scheduler, node: NODE, log: () => {}, dryRun: true });
  assert.equal(rep.rows[0]!.action, 'would submit');
  assert.deepEqual(rep.units[0]!.command.slice(0, 2), ['sbatch', '--parsable']);
  assert.match(readFileSync(rep.units[0]!.file, 'utf8'), /^#SBATCH --gres=gpu:1$/m);
  assert.equal(fake.calls.length, 0);
  assert.throws(() => readFileSync(join(rep.dir, 'jobs.json')));
  await assert.rejects(submitClusterSweep(cfg, { file, out: cfg.out!, scheduler, node: NODE, log: () => {}, dryRun: false }), /sbatch not found/);
  const r = spawnSync(process.execPath, ['bin/masa.mjs', 'sweep', '--config', file, '--scheduler', 'slurm'], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /sbatch, scontrol, scancel not found on PATH/);
});

test("a job's reason is its last FAILED line", () => {
  const f = join(root, 'job.out');
  writeFileSync(f, 'masa-job: starting\nmasa-job: FAILED: first\nnoise\nmasa-job: FAILED: vllm serve exited with code 1 (out of memory)\n');
  assert.equal(jobFailureReason(f), 'vllm serve exited with code 1 (out of memory)');
  assert.equal(jobFailureReason(join(root, 'none.out')), null);
});
