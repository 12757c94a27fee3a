/** What a run records about where it came from: masa version, git commit, dataset file hashes. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256File } from '../core/hash.js';
import { projectRoot } from '../core/paths.js';

export function masaVersion(): string {
  try {
    return String(JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** The checked-out commit, read from .git directly (no git binary, no state change); null if none. */
export function gitCommit(root = projectRoot()): string | null {
  try {
    const gitDir = join(root, '.git');
    if (!existsSync(gitDir)) return null;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(head) ? head : null;
    const ref = head.slice(5);
    const loose = join(gitDir, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = join(gitDir, 'packed-refs');
    if (existsSync(packed)) {
      for (const line of readFileSync(packed, 'utf8').split('\n')) {
        const [sha, name] = line.split(' ');
        if (name === ref && sha) return sha;
      }
    }
    return null;
  } catch {
    return null;
  }
}

/** sha256 of every file under a dataset folder (at most `max`), by path relative to it. */
export async function hashDataset(dir: string, max = 500): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const stack = [dir];
  const files: string[] = [];
  while (stack.length > 0 && files.length < max) {
    const d = stack.pop()!;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) stack.push(p);
      else if (st.isFile()) files.push(p);
    }
  }
  for (const f of files.sort().slice(0, max)) out[relative(dir, f)] = await sha256File(f);
  return out;
}
