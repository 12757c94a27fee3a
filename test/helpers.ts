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
