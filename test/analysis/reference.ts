/**
 * Calls test/analysis/reference.py (Debian's /usr/bin/python3 with scipy and statsmodels)
 * for reference values. `referenceSkip` is a skip reason when that Python is missing, so
 * the tests show as skipped, not passed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PYTHON = process.env.MASA_REFERENCE_PYTHON ?? '/usr/bin/python3';

function probe(): string | false {
  if (!existsSync(PYTHON)) return `needs ${PYTHON} with scipy and statsmodels`;
  const r = spawnSync(PYTHON, ['-c', 'import scipy, statsmodels, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? false : `needs scipy, statsmodels and numpy for ${PYTHON} (apt: python3-scipy python3-statsmodels)`;
}

export const referenceSkip: string | false = probe();

/** Runs several requests in one Python process; answers come back in order. */
export function reference<T = any>(requests: object[]): T[] {
  const input = requests.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))).join('\n') + '\n';
  const r = spawnSync(PYTHON, [join(process.cwd(), 'test', 'analysis', 'reference.py')], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`reference.py failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as T);
}

/** Deterministic normal draws (Box-Muller over mulberry32) for test data. */
export function normals(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

export function assertClose(actual: number, expected: number, tol: number, what: string): void {
  const ok = (Number.isNaN(actual) && (expected === null || Number.isNaN(expected))) || Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  if (!ok) throw new Error(`${what}: got ${actual}, expected ${expected} (tol ${tol})`);
}
