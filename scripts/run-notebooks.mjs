#!/usr/bin/env node
// `npm run notebooks [-- <notebook.ipynb> ...]`: executes notebooks headless with the project's
// tslab kernel (scripts/run_notebooks.py does the work on Debian's nbclient).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(process.cwd());
const python = '/usr/bin/python3';
const args = process.argv.slice(2);
const files = args.length > 0 ? args : readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join('notebooks', f));

const probe = spawnSync(python, ['-c', 'import nbclient, nbformat'], { encoding: 'utf8' });
if (probe.status !== 0) {
  process.stderr.write(
    "npm run notebooks: Debian's Jupyter packages are missing (python3-nbclient, jupyter-nbformat); run 'npm run setup'\n",
  );
  process.exit(1);
}
if (!existsSync(join(root, 'node_modules', '.bin', 'tslab'))) {
  process.stderr.write("npm run notebooks: tslab is not installed; run 'npm run setup'\n");
  process.exit(1);
}
const env = {
  ...process.env,
  MASA_ROOT: root,
  JUPYTER_PATH: [join(root, 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  // Keep Jupyter's runtime files (connection files) out of the user's home.
  JUPYTER_RUNTIME_DIR: join(root, '.jupyter-runtime'),
};
const r = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
