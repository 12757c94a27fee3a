import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, samplesDir } from '../core/paths.js';
import type { AnyBenchmark, Benchmark, Item } from './types.js';

export type DataOrigin = 'explicit' | 'fetched' | 'samples';

export interface DatasetLocation {
  /** Folder laid out like ../shared/datasets/<dataset>. */
  dir: string;
  origin: DataOrigin;
}

/**
 * Where a benchmark's files are: an explicit folder (a dataset root holding <dataset>/),
 * else what `masa data fetch` put in the data directory, else the bundled hand-written samples.
 */
export function locateDataset(bench: AnyBenchmark, root?: string): DatasetLocation {
  if (root) return { dir: join(root, bench.dataset), origin: 'explicit' };
  const fetched = join(dataDir(), bench.dataset);
  if (existsSync(fetched)) return { dir: fetched, origin: 'fetched' };
  return { dir: join(samplesDir(), bench.dataset), origin: 'samples' };
}

export interface LoadedItems<I extends Item = Item> {
  items: I[];
  location: DatasetLocation;
}

export async function loadItems<I extends Item, O extends object>(
  bench: Benchmark<I, O>,
  options: Partial<O> = {},
  root?: string,
): Promise<LoadedItems<I>> {
  const location = locateDataset(bench, root);
  const items = await bench.load(location.dir, { ...bench.defaultOptions, ...options });
  return { items, location };
}

/** One line per item whose upstream data has a known problem (kept and scored, never dropped), or none. */
export function issueLines(benchId: string, items: readonly Item[]): string[] {
  return items.filter((i) => i.issue).map((i) => `${benchId} ${i.id}: ${i.issue}`);
}

/** The same, folded into one line naming the items (for logs that repeat per model). */
export function issueSummary(benchId: string, items: readonly Item[]): string | null {
  const ids = items.filter((i) => i.issue).map((i) => i.id);
  if (ids.length === 0) return null;
  return `${benchId}: ${ids.length} item(s) with upstream data issues, kept and scored as upstream (${ids.join(', ')}); 'masa score' lists them`;
}
