import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// No import.meta here: tslab compiles local modules to CommonJS, where it is a syntax error.
// The project root is found from MASA_ROOT (set by bin/masa.mjs) or by walking up from the cwd.
let cachedRoot: string | undefined;

function isMasaRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return JSON.parse(readFileSync(pkg, 'utf8')).name === 'masa';
  } catch {
    return false;
  }
}

function walkUp(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (isMasaRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The masa checkout this code runs from. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  const fromEnv = process.env.MASA_ROOT;
  const found =
    (fromEnv && isMasaRoot(fromEnv) ? resolve(fromEnv) : undefined) ??
    walkUp(process.cwd()) ??
    (process.argv[1] ? walkUp(dirname(process.argv[1])) : undefined);
  if (!found) throw new Error('cannot find the masa project root (set MASA_ROOT to the checkout)');
  cachedRoot = found;
  return found;
}

/** Where `masa data fetch` puts the upstream benchmark files (git-ignored). */
export function dataDir(): string {
  return process.env.MASA_DATA_DIR ? resolve(process.env.MASA_DATA_DIR) : join(projectRoot(), 'data', 'benchmarks');
}

/** Hand-written sample items in the upstream layouts, committed with the project. */
export function samplesDir(): string {
  return join(projectRoot(), 'data', 'samples');
}

/** Default output folder of `masa eval`. */
export function runsDir(): string {
  return join(projectRoot(), 'data', 'runs');
}

/**
 * The steering side's copy of the upstream benchmark files, when present:
 * MASA_SHARED_DATASETS, else ../shared/datasets beside the checkout. Undefined when absent.
 */
export function sharedDatasetsDir(): string | undefined {
  const candidates = [process.env.MASA_SHARED_DATASETS, join(projectRoot(), '..', 'shared', 'datasets')];
  for (const c of candidates) if (c && existsSync(c)) return resolve(c);
  return undefined;
}

/** ../shared/replay (recorded model outputs with published scores), when present. */
export function sharedReplayDir(): string | undefined {
  const candidates = [
    process.env.MASA_SHARED_REPLAY,
    process.env.MASA_SHARED_DATASETS ? join(process.env.MASA_SHARED_DATASETS, '..', 'replay') : undefined,
    join(projectRoot(), '..', 'shared', 'replay'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return resolve(c);
  return undefined;
}
