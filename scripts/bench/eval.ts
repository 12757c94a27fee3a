// masa eval's client against a bare loop of the openai SDK, same concurrency, same local server
// (a separate process, so its CPU is not counted as the client's); then the same run with 5% of
// requests answered 500, and with 5% answered 429 + Retry-After; then the peak memory of a
// 100,000-item run. About 3 minutes on a 2-core machine: the memory run (a separate process,
// CPU-bound) overlaps the fault runs (latency-bound: 8 in flight at 50 ms), which is what keeps
// it short.
// Environment:
//   MASA_BENCH_EVAL_SCALE=0.1          shrink (or grow) the comparison and fault runs (default 1)
//   MASA_BENCH_EVAL_MEMORY_ITEMS=20000 items of the memory run (default 100000, not scaled)
//   MASA_BENCH_EVAL_PARTS=compare,faults,memory  run only some parts (default all)
//   MASA_BENCH_EVAL_OVERLAP=0          run the memory part alone, after the others
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { BenchSection } from '../bench.js';
import { runMeasured } from './lib/child-memory.js';
import { runEval } from '../../src/eval/runner.js';
import { benchmark as arith } from '../../test/eval/arith-bench.js';

const SCALE = Number(process.env.MASA_BENCH_EVAL_SCALE ?? 1);
const MEMORY_ITEMS = Number(process.env.MASA_BENCH_EVAL_MEMORY_ITEMS ?? 100_000);
const OVERLAP = process.env.MASA_BENCH_EVAL_OVERLAP !== '0';
const PARTS = new Set((process.env.MASA_BENCH_EVAL_PARTS ?? 'compare,faults,memory').split(','));
const CONCURRENCY = 32;

interface ServerSpec {
  latencyMs?: number;
  p500?: number;
  p429?: number;
  retryAfter?: string;
}

async function startServer(spec: ServerSpec): Promise<{ url: string; child: ChildProcess; stop(): Promise<Record<string, unknown>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/eval/serve-fake.ts', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  const lines: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  const next = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((r) => waiters.push(r)));
  const url = await next();
  return {
    url,
    child,
    async stop() {
      child.kill('SIGTERM');
      return JSON.parse(await next()) as Record<string, unknown>;
    },
  };
}

interface Measure {
  ms: number;
  cpuMs: number;
  n: number;
  errors: number;
}

/** The baseline: N requests with the same prompts, CONCURRENCY workers, nothing else. */
async function bareLoop(url: string, n: number, maxRetries = 0, concurrency = CONCURRENCY): Promise<Measure> {
  const sdk = new OpenAI({ baseURL: url, apiKey: 'EMPTY', maxRetries });
  const items = await arith.load('', { n, trials: 1 });
  let next = 0;
  let errors = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) {
      const item = items[next++]!;
      try {
        await sdk.chat.completions.create({ model: 'm', messages: arith.messages(item, { index: 0, permutation: null }, { n, trials: 1 }), max_tokens: 64 });
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, n, errors };
}

async function masaRun(url: string, n: number, concurrency = CONCURRENCY): Promise<Measure> {
  const out = mkdtempSync(join(tmpdir(), 'masa-bench-eval-'));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await runEval({ model: 'm', endpoints: [url], benches: [arith], options: { '*': { n } }, out, progress: 'none', preset: null, concurrency, log: () => {} });
    const cpu = process.cpuUsage(c0);
    const r = res.runs[0]!;
    return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, n: r.n, errors: r.errors + r.missing };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const rate = (m: Measure): number => (1000 * m.n) / m.ms;
const fmt = (m: Measure): string => `${rate(m).toFixed(0).padStart(5)} req/s  ${(m.ms / 1000).toFixed(1).padStart(5)} s  ${((1000 * m.cpuMs) / Math.max(1, m.n)).toFixed(0).padStart(5)} ms CPU/1000 req`;

async function peakMemory(n: number): Promise<{ peakMb: number; ms: number; n: number }> {
  const server = await startServer({ latencyMs: 0 });
  const out = mkdtempSync(join(tmpdir(), 'masa-bench-mem-'));
  try {
    const run = await runMeasured(['eval', '--endpoint', server.url, '--model', 'm', '--bench-module', 'test/eval/arith-bench.ts', '--option', `n=${n}`, '--concurrency', '64', '--out', out, '--quiet', '--json', '--no-preset']);
    return { peakMb: run.peakMb, ms: run.ms, n: (JSON.parse(run.lastLine) as { n: number }).n };
  } finally {
    await server.stop();
    rmSync(out, { recursive: true, force: true });
  }
}

export const section: BenchSection = {
  name: 'eval',
  title: 'masa eval client vs a bare openai SDK loop (local server, concurrency 32)',
  async run() {
    const say = (s: string): void => {
      process.stdout.write(s + '\n');
    };
    const t0 = performance.now();
    const sayMemory = (mem: { peakMb: number; ms: number; n: number }): void =>
      say(`peak memory (VmHWM) of a ${MEMORY_ITEMS}-item masa eval run (latency 0, concurrency 64): ${mem.peakMb.toFixed(0)} MB, ${mem.n} items scored in ${(mem.ms / 1000).toFixed(0)} s (${((1000 * mem.n) / mem.ms).toFixed(0)} items/s${OVERLAP && PARTS.has('faults') ? ', alongside the fault runs' : ''})`);
    for (const latencyMs of PARTS.has('compare') ? [0, 50] : []) {
      const n = Math.round((latencyMs === 0 ? 2000 : 3000) * SCALE);
      const server = await startServer({ latencyMs });
      try {
        await bareLoop(server.url, 200); // warm up connections and JIT for both
        const bare = await bareLoop(server.url, n);
        const masa = await masaRun(server.url, n);
        say(`latency ${latencyMs} ms, ${n} requests:`);
        say(`  bare SDK loop  ${fmt(bare)}`);
        say(`  masa eval      ${fmt(masa)}`);
        say(`  masa / bare throughput: ${(rate(masa) / rate(bare)).toFixed(3)}${latencyMs === 50 ? ' (target >= 0.90)' : ''}`);
      } finally {
        await server.stop();
      }
    }

    // 8 in flight at 50 ms is ~160 req/s: latency-bound even on a busy 2-core machine, so the
    // comparison measures slots idled by retries, not CPU contention. ~20 s a run keeps the
    // unavoidable tail (the last throttled items wait out their Retry-After) to a few percent.
    const FAULT_CONCURRENCY = 8;
    const n = Math.round(3200 * SCALE);
    const runs: Array<[string, ServerSpec]> = [
      ['fault-free', { latencyMs: 50 }],
      ['5% HTTP 500', { latencyMs: 50, p500: 0.05 }],
      ['5% HTTP 429 + Retry-After: 1', { latencyMs: 50, p429: 0.05, retryAfter: '1' }],
    ];
    let clean = 0;
    // Started here, reported at the end: see the header.
    const memory = PARTS.has('memory') && OVERLAP && PARTS.has('faults') ? peakMemory(MEMORY_ITEMS) : null;
    memory?.catch(() => {});
    if (PARTS.has('faults')) say(`faults, latency 50 ms, concurrency ${FAULT_CONCURRENCY}, ${n} items:`);
    for (const [label, spec] of PARTS.has('faults') ? runs : []) {
      const server = await startServer(spec);
      let stats: Record<string, unknown> = {};
      let m: Measure;
      try {
        m = await masaRun(server.url, n, FAULT_CONCURRENCY);
      } finally {
        stats = await server.stop();
      }
      if (clean === 0) clean = rate(m);
      const faults = Object.entries(stats.byStatus as Record<string, number>)
        .filter(([s]) => s !== '200')
        .map(([s, c]) => `${c}x${s}`)
        .join(' ');
      say(`  ${label.padEnd(30)} ${fmt(m)}  completed ${m.n}/${n}, errors ${m.errors}${faults ? `, injected ${faults}` : ''}, throughput vs fault-free ${(rate(m) / clean).toFixed(3)}`);
    }
    if (PARTS.has('faults')) {
      // For scale: the SDK's own retries (maxRetries 2, its default) sleep inside the slot.
      const small = Math.round(n / 4);
      const measure = async (spec: ServerSpec): Promise<Measure> => {
        const server = await startServer(spec);
        try {
          return await bareLoop(server.url, small, 2, FAULT_CONCURRENCY);
        } finally {
          await server.stop();
        }
      };
      const bareClean = await measure({ latencyMs: 50 });
      const bare500 = await measure({ latencyMs: 50, p500: 0.05 });
      say(`  bare SDK loop, its own retries, ${small} items: fault-free ${rate(bareClean).toFixed(0)} req/s, 5% HTTP 500 ${rate(bare500).toFixed(0)} req/s (${(rate(bare500) / rate(bareClean)).toFixed(3)}, ${bare500.errors} failed)`);
    }

    if (PARTS.has('memory')) sayMemory(await (memory ?? peakMemory(MEMORY_ITEMS)));
    say(`(eval bench: ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  },
};
