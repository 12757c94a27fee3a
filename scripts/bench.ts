// `npm run bench`: runs every section in scripts/bench/ (or those named on the command line)
// and prints its figures. Speed and memory targets are checked here, not in unit tests.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchSection {
  /** Short name used to select it: `npm run bench -- math`. */
  name: string;
  title: string;
  run(): Promise<void>;
}

const dir = resolve('scripts/bench');
// Words are section names; --flags are the sections' own (e.g. `npm run bench -- cost --quick`).
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();
let failures = 0;
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { section: BenchSection };
  const s = mod.section;
  if (wanted.length > 0 && !wanted.includes(s.name)) continue;
  process.stdout.write(`\n### ${s.title} (${s.name})\n`);
  try {
    await s.run();
  } catch (e) {
    failures++;
    process.stdout.write(`FAILED: ${(e as Error).stack ?? e}\n`);
  }
}
process.exit(failures > 0 ? 1 : 0);
