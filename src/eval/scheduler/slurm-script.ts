/**
 * The SLURM batch script of one job, or of a job array whose tasks share one shape. Pure: the
 * text is a function of its input, so it can be reviewed, diffed and tested without SLURM.
 * Written for a cluster admin to read: the #SBATCH lines, then per task what it serves and how
 * it evaluates, then one commented body shared by every task.
 */
import { formatSlurmTime, type SlurmSiteConfig } from './config.js';
import { shq, shWords } from './shell.js';
import type { ModelJob, NodeCommands } from './types.js';

export interface SlurmResources {
  gpus_per_node: number;
  cpus_per_task: number;
  mem: string;
  time_min: number;
}

export interface SlurmScriptInput {
  sweep: string;
  config: string;
  /** One job, or the tasks of an array in order. */
  jobs: ModelJob[];
  resources: SlurmResources;
  site: SlurmSiteConfig;
  partition?: string;
  account?: string;
  /** Absolute folder of the job outputs and server logs. */
  logDir: string;
  /** Base name of the output files (the array's, or the model's slug). */
  outputName: string;
  node: NodeCommands;
  /** Who wrote it, for the header. */
  generator: string;
}

/** The resources SLURM is asked for, from a job and the site config. */
export function slurmResources(job: ModelJob, site: SlurmSiteConfig): SlurmResources {
  return {
    gpus_per_node: job.gpus_per_node,
    cpus_per_task: site.cpus_per_task ?? Math.max(1, site.cpus_per_gpu * job.gpus_per_node),
    mem: site.mem ?? `${job.host_mem_gb}G`,
    time_min: job.time_min,
  };
}

/** The output file SLURM writes for a job ("%j") or array task ("%A_%a"). */
export function outputPattern(logDir: string, outputName: string, array: boolean): string {
  return `${logDir}/${outputName}-${array ? '%A_%a' : '%j'}.out`;
}

function sbatchLines(i: SlurmScriptInput): string[] {
  const r = i.resources;
  const array = i.jobs.length > 1;
  const lines = [
    `--job-name=${`masa-${i.sweep}${array ? '' : `-${i.jobs[0]!.slug}`}`.slice(0, 120)}`,
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${r.cpus_per_task}`,
  ];
  if (i.site.gpu_request === 'gres') lines.push(`--gres=gpu:${r.gpus_per_node}`);
  else if (i.site.gpu_request === 'gpus-per-node') lines.push(`--gpus-per-node=${r.gpus_per_node}`);
  lines.push(`--mem=${r.mem}`, `--time=${formatSlurmTime(r.time_min)}`);
  const partition = i.partition ?? i.site.partition;
  const account = i.account ?? i.site.account;
  if (partition) lines.push(`--partition=${partition}`);
  if (account) lines.push(`--account=${account}`);
  if (array) lines.push(`--array=0-${i.jobs.length - 1}`);
  lines.push(`--output=${outputPattern(i.logDir, i.outputName, array)}`, '--export=ALL');
  if (i.site.signal_s > 0) lines.push(`--signal=B:TERM@${i.site.signal_s}`);
  return [...lines, ...i.site.sbatch].map((l) => `#SBATCH ${l}`);
}

function planComment(j: ModelJob): string {
  const p = j.plan;
  return `#   ${j.model}: ${p.id} (${p.hf_id}), tp ${p.tensor_parallel} = ${p.gpus} GPU${p.gpus > 1 ? 's' : ''}; weights ${p.weights_gb} GB + KV ${p.kv_cache_gb} GB; max_model_len ${p.max_model_len}`;
}

function taskBlock(j: ModelJob, indent: string): string[] {
  return [
    `${indent}MODEL=${shq(j.model)}`,
    `${indent}SLUG=${shq(j.slug)}`,
    `${indent}SERVE=(${shWords(j.serve)})`,
    `${indent}EVAL=(${shWords(j.eval)})`,
    `${indent}API_KEY_ENV=${shq(j.api_key_env ?? '')}`,
  ];
}

function whatToRun(i: SlurmScriptInput): string[] {
  if (i.jobs.length === 1) return taskBlock(i.jobs[0]!, '');
  const out = ['case "${SLURM_ARRAY_TASK_ID:-}" in'];
  i.jobs.forEach((j, k) => out.push(`  ${k})`, ...taskBlock(j, '    '), '    ;;'));
  out.push('  *) echo "masa-job: FAILED: no model for array task \'${SLURM_ARRAY_TASK_ID:-}\'" >&2; exit 2 ;;', 'esac');
  return out;
}

function siteSetup(site: SlurmSiteConfig): string[] {
  if (site.modules.length === 0 && site.setup.length === 0) return ['# (no modules or setup lines in the sweep config)'];
  // Site scripts often read unset variables: nounset is off while they run.
  return ['set +u', ...site.modules.map((m) => `module load ${m}`), ...site.setup, 'set -u'];
}

export function slurmScript(i: SlurmScriptInput): string {
  const array = i.jobs.length > 1;
  const j0 = i.jobs[0]!;
  const container = i.site.container ? `${i.site.container} ` : '';
  const head = [
    '#!/bin/bash',
    `# masa sweep '${i.sweep}' on SLURM: ${array ? `${i.jobs.length} models, one array task each (same resources)` : `model ${j0.model}`}.`,
    `# Written by ${i.generator} from ${i.config}.`,
    '# Edit the sweep config and rerun `masa sweep --scheduler slurm` rather than this file.',
    '#',
    '# Each task starts `vllm serve` on this node on a free port (its log beside the job output),',
    '# waits until it answers /health and lists the model at /v1/models, runs `masa eval` against',
    "# it (records go to the sweep's results folder; a rerun resumes them), then stops the server.",
    '# The server is stopped on every exit path: success, failure, scancel, and the time limit',
    `# (${i.site.signal_s > 0 ? `SLURM warns the batch shell with SIGTERM ${i.site.signal_s} s before it` : 'SLURM sends SIGTERM at the limit'}).`,
    '# No secret is written here or logged: keys reach the job only through its environment',
    '# (sbatch --export=ALL), e.g. HF_TOKEN for gated weights.',
    '#',
    '# Serve plan (masa serve-plan sizing):',
    ...i.jobs.map(planComment),
    ...sbatchLines(i),
    'set -euo pipefail',
  ];
  const body = `
# --- what this ${array ? 'task' : 'job'} runs ------------------------------------------------------
${whatToRun(i).join('\n')}
MASA=(${shWords(i.node.masa)})
NODE=${shq(i.node.node)}
LOG_DIR=${shq(i.logDir)}
HEALTH_TIMEOUT_S=${j0.health_timeout_s}
STOP_GRACE_S=${j0.stop_grace_s}
TAG="\${SLURM_ARRAY_JOB_ID:-\${SLURM_JOB_ID:-local}}\${SLURM_ARRAY_TASK_ID:+_\${SLURM_ARRAY_TASK_ID}}"
SERVER_LOG="$LOG_DIR/$SLUG-$TAG.vllm.log"

# Lines starting "masa-job:" are for people and for \`masa sweep status\`, which shows the last
# "masa-job: FAILED: ..." line as the job's reason.
say() { echo "masa-job: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# --- site setup (cluster.slurm.modules and .setup in the sweep config) ------------------------
${siteSetup(i.site).join('\n')}

# --- secrets: from the environment only ----------------------------------------------------
# The server requires the key named by api_key_env (if set there) and masa eval sends it; both
# read it from the environment, so it is never on a command line or in a file.
if [ -n "$API_KEY_ENV" ] && [ -n "\${!API_KEY_ENV:-}" ]; then
  export VLLM_API_KEY="\${!API_KEY_ENV}" OPENAI_API_KEY="\${!API_KEY_ENV}"
else
  unset VLLM_API_KEY
fi

# --- stopping: on every exit path ------------------------------------------------------------
SERVER_PID=""
SERVER_PGID=""
EVAL_PID=""
# masa eval on SIGTERM records the answers in flight and exits; after STOP_GRACE_S it is killed.
stop_eval() {
  [ -n "$EVAL_PID" ] || return 0
  if kill -TERM "$EVAL_PID" 2>/dev/null; then
    for _ in $(seq "$STOP_GRACE_S"); do kill -0 "$EVAL_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$EVAL_PID" 2>/dev/null || true
  fi
  wait "$EVAL_PID" 2>/dev/null || true
  EVAL_PID=""
}
# The server runs in a process group of its own (setsid), so this stops it and every process it
# started (engine workers), then waits for them: no GPU is left held after the job.
stop_server() {
  [ -n "$SERVER_PGID" ] || return 0
  if kill -TERM -- "-$SERVER_PGID" 2>/dev/null; then
    for _ in $(seq 30); do kill -0 -- "-$SERVER_PGID" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$SERVER_PGID" 2>/dev/null || true
    say "server stopped (process group $SERVER_PGID)"
  elif kill -KILL "$SERVER_PID" 2>/dev/null; then
    say "server stopped (pid $SERVER_PID; it never led a process group of its own)"
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  SERVER_PGID=""
}
on_signal() {
  trap '' TERM INT
  say "SIG$1 (time limit near, scancel or Ctrl-C): stopping masa eval, then the server"
  # The reason first: at the time limit SLURM's SIGKILL (KillWait later) may come before the stops end.
  say "FAILED: stopped by SIG$1 before the evaluation finished; rerun the sweep to resume it"
  stop_eval
  stop_server
  exit 1
}
trap 'rc=$?; trap - EXIT; stop_eval; stop_server; exit $rc' EXIT
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

# --- start the server ----------------------------------------------------------------------
say "job $TAG on $(hostname): $MODEL"
# A free port on this node (the kernel picks one; the server binds it a moment later).
PORT=$("$NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
say "starting: ${container}\${SERVE[*]} --host 127.0.0.1 --port $PORT  (log: $SERVER_LOG)"
setsid ${container}"\${SERVE[@]}" --host 127.0.0.1 --port "$PORT" >"$SERVER_LOG" 2>&1 </dev/null &
SERVER_PID=$!
# setsid makes the server the leader of a new process group (its pgid becomes its pid; it does not
# fork, as a background child of this script is no group leader). Until the child has called it,
# it is still in this script's group: wait for that, so that stop_server can neither signal the
# job itself nor miss a server that had not yet left.
for _ in $(seq 100); do
  [ "$(ps -o pgid= -p "$SERVER_PID" 2>/dev/null | tr -d ' ')" = "$SERVER_PID" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
SERVER_PGID=$SERVER_PID
say "server pid $SERVER_PID, process group $SERVER_PGID"

# GET a URL of the server; the key (if any) reaches curl on stdin, never on its command line.
get() {
  if [ -n "\${VLLM_API_KEY:-}" ]; then
    printf 'header = "Authorization: Bearer %s"\\n' "$VLLM_API_KEY" | curl -fsS --max-time 10 -K - "$1"
  else
    curl -fsS --max-time 10 "$1"
  fi
}
# Why the server is gone ($1: when): its exit code, the tail of its log, and what that log says.
server_exited() {
  local rc=0 why="" last
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  if grep -qiE 'out of memory|OutOfMemoryError' "$SERVER_LOG"; then why=" (out of memory)"
  elif grep -qiE 'unrecognized arguments|invalid choice|error: argument' "$SERVER_LOG"; then why=" (bad flags)"; fi
  last=$(grep -iE 'error|memory' "$SERVER_LOG" | tail -n 1 | cut -c1-300 || true)
  tail -n 30 "$SERVER_LOG" | sed 's/^/  vllm| /' >&2 || true
  fail "vllm serve exited with code $rc $1$why\${last:+: $last}"
}

# --- wait until it serves the model (bounded) -------------------------------------------------
deadline=$((SECONDS + HEALTH_TIMEOUT_S))
until get "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
  kill -0 "$SERVER_PID" 2>/dev/null || server_exited "before it was ready"
  if [ "$SECONDS" -ge "$deadline" ]; then
    tail -n 30 "$SERVER_LOG" | sed 's/^/  vllm| /' >&2 || true
    fail "vllm serve did not answer /health within $HEALTH_TIMEOUT_S s (cluster.health_timeout_s); see $SERVER_LOG"
  fi
  sleep 2
done
models=$(get "http://127.0.0.1:$PORT/v1/models" 2>&1) || fail "GET /v1/models failed: \${models:0:300}"
case "$models" in
  *"\\"$MODEL\\""*) ;;
  *) fail "the server is up but does not serve '$MODEL' (GET /v1/models: \${models:0:300})" ;;
esac
say "server ready at http://127.0.0.1:$PORT/v1"

# --- evaluate ---------------------------------------------------------------------------------
# In the background, so a signal reaches the trap at once instead of after masa eval ends.
say "running: masa \${EVAL[*]} --endpoint http://127.0.0.1:$PORT/v1"
"\${MASA[@]}" "\${EVAL[@]}" --endpoint "http://127.0.0.1:$PORT/v1" &
EVAL_PID=$!
say "masa eval pid $EVAL_PID"
rc=0
wait "$EVAL_PID" || rc=$?
EVAL_PID=""
kill -0 "$SERVER_PID" 2>/dev/null || server_exited "during the evaluation"
stop_server
case $rc in
  0) say "done: every item answered" ;;
  3) fail "masa eval finished with items still failed or missing (exit 3); rerun the sweep to retry them" ;;
  *) fail "masa eval exited with code $rc" ;;
esac
`;
  return `${head.join('\n')}\n${body}`;
}
