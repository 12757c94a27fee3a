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
