// masa's compiled start-up (bin/compile-cache.mjs): the bundle is keyed by a hash of the sources,
// so an edit builds a new one and a stale one never runs; when the cache cannot be written it
// falls back (null) to running the sources through tsx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';

interface CompileCache {
  sourcesHash(root: string): string;
  compiledMain(root: string): Promise<((argv: string[]) => Promise<number>) | null>;
}
const load = async (): Promise<CompileCache> => (await import(pathToFileURL(resolve('bin/compile-cache.mjs')).href)) as CompileCache;

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function fakeProject(answer: number): string {
  const root = mkdtempSync(join(tmpdir(), 'masa-compile-'));
  roots.push(root);
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"name":"masa","type":"module"}\n');
  writeFileSync(join(root, 'src', 'cli', 'value.ts'), `export const value: number = ${answer};\n`);
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), "import { value } from './value.js';\nexport async function main(argv: readonly string[]): Promise<number> {\n  return value + argv.length;\n}\n");
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  return root;
}

test('builds once per source hash; an edited source is rebuilt, never served stale', async () => {
  const cc = await load();
  const root = fakeProject(40);
  const h1 = cc.sourcesHash(root);
  const main1 = await cc.compiledMain(root);
  assert.ok(main1, 'built');
  assert.equal(await main1(['a', 'b']), 42);
  assert.ok(existsSync(join(root, '.tsbuild', h1, 'main.js')));
  writeFileSync(join(root, 'src', 'cli', 'value.ts'), 'export const value: number = 7;\n');
  const h2 = cc.sourcesHash(root);
  assert.notEqual(h2, h1);
  const main2 = await cc.compiledMain(root);
  assert.equal(await main2!([]), 7, 'the edit is what runs');
  assert.deepEqual(readdirSync(join(root, '.tsbuild')).sort(), [h1, h2].sort());
});

test('a cache that cannot be written gives null (the caller runs the sources through tsx)', async () => {
  const cc = await load();
  const root = fakeProject(1);
  writeFileSync(join(root, '.tsbuild'), 'not a folder');
  assert.equal(await cc.compiledMain(root), null);
  const off = fakeProject(2);
  process.env.MASA_NO_BUILD_CACHE = '1';
  try {
    assert.equal(await cc.compiledMain(off), null);
  } finally {
    delete process.env.MASA_NO_BUILD_CACHE;
  }
});

test('masa runs from the bundle of the current sources, and from tsx without it, with the same output', async () => {
  const cc = await load();
  const hash = cc.sourcesHash(resolve('.'));
  const bundled = spawnSync(process.execPath, ['bin/masa.mjs', 'plan', '--help'], { encoding: 'utf8' });
  assert.equal(bundled.status, 0, bundled.stderr);
  assert.ok(existsSync(join('.tsbuild', hash, 'main.js')), 'the bundle for these sources');
  const viaTsx = spawnSync(process.execPath, ['bin/masa.mjs', 'plan', '--help'], { encoding: 'utf8', env: { ...process.env, MASA_NO_BUILD_CACHE: '1' } });
  assert.equal(viaTsx.status, 0, viaTsx.stderr);
  assert.equal(bundled.stdout, viaTsx.stdout);
});
