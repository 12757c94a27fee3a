// The compiled form of masa's sources: src/cli/main.ts bundled once with esbuild (which tsx
// already brings) into .tsbuild/<hash>/, where <hash> covers every source file, package.json and
// this file, so an edited source gives a new hash and a stale build is never run. Nothing to
// remember: the first command after a change builds it (~1 s), later ones start from it. When the
// cache cannot be used (no esbuild, read-only checkout, another process building), null is
// returned and bin/masa.mjs runs the sources through tsx as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const KEEP_BUILDS = 4;
const STALE_LOCK_MS = 120_000;

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** sha256 over the sources (paths and contents), package.json and this file. */
export function sourcesHash(root) {
  const h = createHash('sha256');
  for (const f of [...walk(join(root, 'src'), []), join(root, 'package.json'), fileURLToPath(import.meta.url)]) {
    h.update(f.slice(root.length));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 20);
}

function esbuildFrom(root) {
  // esbuild is tsx's dependency: resolve it from there, so it is found however npm laid node_modules out.
  const req = createRequire(join(root, 'package.json'));
  const tsx = req.resolve('tsx/package.json');
  return createRequire(tsx)('esbuild');
}

function prune(cache, keep) {
  try {
    const builds = readdirSync(cache)
      .filter((n) => /^[0-9a-f]{20}$/.test(n) && n !== keep)
      .map((n) => ({ n, t: statSync(join(cache, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    // Older builds may still serve a running command (its lazily loaded chunks): keep a few.
    for (const b of builds.slice(KEEP_BUILDS - 1)) rmSync(join(cache, b.n), { recursive: true, force: true });
  } catch {
    // best effort
  }
}

/** The bundle's `main`, built if needed; null when the cache cannot be used. */
export async function compiledMain(root) {
  if (process.env.MASA_NO_BUILD_CACHE === '1') return null;
  const cache = join(root, '.tsbuild');
  let hash;
  try {
    hash = sourcesHash(root);
  } catch {
    return null;
  }
  const dir = join(cache, hash);
  const entry = join(dir, 'main.js');
  if (!existsSync(entry)) {
    const lock = join(cache, `${hash}.lock`);
    try {
      mkdirSync(cache, { recursive: true });
      try {
        mkdirSync(lock);
      } catch {
        // Another process is building it: run from the sources this once, unless its lock is stale.
        if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return null;
        rmSync(lock, { recursive: true, force: true });
        mkdirSync(lock);
      }
      const tmp = join(cache, `tmp-${process.pid}-${Date.now()}`);
      try {
        await esbuildFrom(root).build({
          entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
          outdir: tmp,
          bundle: true,
          splitting: true,
          format: 'esm',
          platform: 'node',
          target: 'node20',
          packages: 'external',
          sourcemap: 'linked',
          outExtension: { '.js': '.js' },
          logLevel: 'silent',
        });
        try {
          renameSync(tmp, dir);
        } catch {
          rmSync(tmp, { recursive: true, force: true }); // built at the same time by another process
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      prune(cache, hash);
    } catch {
      return null;
    }
    if (!existsSync(entry)) return null;
  }
  // The bundle's imports of packages resolve from the checkout's node_modules, above .tsbuild/.
  const mod = await import(pathToFileURL(entry).href);
  return typeof mod.main === 'function' ? mod.main : null;
}
