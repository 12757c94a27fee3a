// Runs a masa command in a child process and reads its peak resident memory (VmHWM) from /proc
// while it runs: the memory figures of the eval and episodes sections.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildRun {
  peakMb: number;
  ms: number;
  /** The last line the command printed (its --json summary). */
  lastLine: string;
}

export async function runMeasured(args: readonly string[]): Promise<ChildRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/masa.mjs', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // exited between polls
    }
  }, 200);
  await new Promise((r) => child.on('exit', r));
  clearInterval(poll);
  return { peakMb: peakKb / 1024, ms: performance.now() - t0, lastLine: stdout.trim().split('\n').pop() ?? '' };
}
