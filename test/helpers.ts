import { sharedDatasetsDir, sharedReplayDir } from '../src/core/paths.js';

/**
 * Tests that need ../shared call this: it returns the folder, or undefined together with a
 * skip reason that Node's runner prints, so an absent ../shared shows as skipped, not passed.
 */
export function sharedDatasets(): { dir?: string; skip: string | false } {
  const dir = sharedDatasetsDir();
  return dir ? { dir, skip: false } : { skip: 'needs ../shared/datasets (or MASA_SHARED_DATASETS)' };
}

export function sharedReplay(): { dir?: string; skip: string | false } {
  const dir = sharedReplayDir();
  return dir ? { dir, skip: false } : { skip: 'needs ../shared/replay' };
}

/** What a child process printed and how it ended (for tests that kill and rerun the CLI). */
export function exitOf(child: import('node:child_process').ChildProcess): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/**
 * Runs `start()` for each of `rounds` rounds and kills it with SIGKILL once `requests()` has grown
 * by `min` plus up to `spread` more (seeded): at a point of progress, not of time, so every round
 * dies mid-run however busy the machine is. Returns how many rounds were killed.
 */
export async function killAtProgress(
  start: () => import('node:child_process').ChildProcess,
  requests: () => number,
  o: { rounds: number; min: number; spread: number; rng: { int(n: number): number } },
): Promise<number> {
  let kills = 0;
  for (let round = 0; round < o.rounds; round++) {
    const child = start();
    const done = exitOf(child);
    const target = requests() + o.min + o.rng.int(o.spread);
    const timer = setInterval(() => {
      if (requests() >= target) child.kill('SIGKILL');
    }, 2);
    const r = await done;
    clearInterval(timer);
    if (r.signal === 'SIGKILL') kills++;
  }
  return kills;
}
