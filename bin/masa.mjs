#!/usr/bin/env node
// The masa command. Runs the TypeScript sources compiled once into .tsbuild/ (keyed by a hash of
// the sources, so a stale build never runs; see compile-cache.mjs), else through tsx.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledMain } from './compile-cache.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.env.MASA_ROOT ??= root;
let main = await compiledMain(root).catch(() => null);
if (main) process.env.MASA_COMPILED = '1';
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(resolve(root, 'src/cli/main.ts')).href));
}
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`masa: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 70;
}
