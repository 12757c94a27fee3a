#!/usr/bin/env node
// The masa command. Runs the TypeScript sources through tsx, so there is no build step to forget.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.env.MASA_ROOT ??= root;
register();
const { main } = await import(pathToFileURL(resolve(root, 'src/cli/main.ts')).href);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`masa: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 70;
}
