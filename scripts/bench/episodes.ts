// Interactive episodes through the evaluation core, against masa's simulator in its own process
// (its CPU is not the client's): game turns per second (the reference game in self-play, 10
// episodes per slot, so the tail of the last sequential episodes is a small part of the run)
// against single-turn requests per second at the same latency and concurrency; 100 Hanabi games
// of self-play (time and requests); and the peak memory of a 10,000-episode game run. About 3
// minutes on a 2-core machine.
// Environment:
//   MASA_BENCH_EPISODES_MEMORY=10000   episodes of the memory run (default 10000)
//   MASA_BENCH_EPISODES_PARTS=throughput,memory   run only some parts (default both)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSection } from '../bench.js';
import { runMeasured } from './lib/child-memory.js';
import type { GameRunSummary } from '../../src/eval/game-summary.js';
import { runEval } from '../../src/eval/runner.js';
import { benchmark as arith } from '../../test/eval/arith-bench.js';

const MEMORY_EPISODES = Number(process.env.MASA_BENCH_EPISODES_MEMORY ?? 10_000);
const PARTS = new Set((process.env.MASA_BENCH_EPISODES_PARTS ?? 'throughput,memory').split(','));
const CONCURRENCY = 32;
const MODEL = 'sim/qwen2.5-72b-instruct';

async function startSim(latencyMs: number): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/masa.mjs', 'sim', '--port', '0', '--latency-ms', String(latencyMs), '--bench', 'math500'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`masa sim exited (${code})`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const section: BenchSection = {
  name: 'episodes',
  title: 'interactive episodes: game turns vs single-turn requests (simulator at 50 ms), 100 Hanabi games, memory of 10,000 episodes',
  async run() {
    const say = (s: string): void => {
      process.stdout.write(s + '\n');
    };
    if (PARTS.has('throughput')) {
      const sim = await startSim(50);
      const out = mkdtempSync(join(tmpdir(), 'masa-bench-episodes-'));
      try {
        const base = { endpoints: [sim.url], model: MODEL, out, concurrency: CONCURRENCY, progress: 'none' as const, log: () => {} };
        await runEval({ ...base, benches: [arith], options: { arith: { n: 200 } }, seed: 99 }); // warm up
        let t0 = performance.now();
        const single = await runEval({ ...base, benches: [arith], options: { arith: { n: 3000 } } });
        const singleMs = performance.now() - t0;
        const singleRate = (1000 * single.runs[0]!.answered) / singleMs;
        say(`single-turn: ${single.runs[0]!.answered} requests in ${(singleMs / 1000).toFixed(1)} s = ${singleRate.toFixed(0)} req/s (concurrency ${CONCURRENCY}, 50 ms latency)`);
        t0 = performance.now();
        const ref = (await runEval({ ...base, benches: ['refgame'], options: { refgame: { partner: 'self', episodes: 10 * CONCURRENCY } } })).runs[0] as GameRunSummary;
        const refMs = performance.now() - t0;
        const refTurns = ref.all_requests;
        const turnRate = (1000 * refTurns) / refMs;
        say(`refgame self-play: ${ref.n} episodes, ${refTurns} model turns in ${(refMs / 1000).toFixed(1)} s = ${turnRate.toFixed(0)} turns/s`);
        say(`game turns / single-turn throughput: ${(turnRate / singleRate).toFixed(3)} (target >= 0.8)`);
        t0 = performance.now();
        const g = (await runEval({ ...base, benches: ['hanabi'], options: { hanabi: { partner: 'self', episodes: 100 } } })).runs[0] as GameRunSummary;
        const gameMs = performance.now() - t0;
        say(`hanabi self-play, 100 games at 50 ms: ${(gameMs / 1000).toFixed(1)} s, ${g.all_requests} requests (${(g.all_requests / Math.max(1, g.n)).toFixed(1)} a game, both seats); mean HLE score ${(25 * g.accuracy).toFixed(2)} (synthetic)`);
      } finally {
        await sim.stop();
        rmSync(out, { recursive: true, force: true });
      }
    }
    if (PARTS.has('memory')) {
      const sim = await startSim(0);
      const out = mkdtempSync(join(tmpdir(), 'masa-bench-episodes-mem-'));
      try {
        // The random bot loses its lives within a few moves: many short real episodes, long prompts kept by hash.
        const run = await runMeasured(['eval', '--endpoint', sim.url, '--model', MODEL, '--bench', 'hanabi', '--option', `episodes=${MEMORY_EPISODES}`, '--option', 'partner=bot:random', '--concurrency', '64', '--out', out, '--quiet', '--json']);
        const s = JSON.parse(run.lastLine) as { n: number; all_requests: number };
        say(`peak memory (VmHWM) of a ${MEMORY_EPISODES}-episode hanabi run (partner bot:random, latency 0, concurrency 64): ${run.peakMb.toFixed(0)} MB (target < 300 MB); ${s.n} episodes, ${s.all_requests} requests in ${(run.ms / 1000).toFixed(0)} s`);
      } finally {
        await sim.stop();
        rmSync(out, { recursive: true, force: true });
      }
    }
  },
};
