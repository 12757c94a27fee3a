/**
 * The notebook display in a real browser: Debian's Jupyter Notebook on a free loopback port with
 * the project's tslab kernel (JUPYTER_PATH=jupyter, a token, temp runtime/config dirs), a small
 * notebook opened in headless Chromium through playwright-core and run, a point of the SA-vs-MA
 * figure hovered, and the model's name read from plotly's tooltip. Jupyter runs in its own process
 * group and is stopped by its PID (the kernel with it) at the end, also on failure.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { CHROMIUM_ARGS, loadFigureData, saVsMa } from '../../src/figures/index.js';
import { writeFixtureCsv } from '../figures/fixture.js';

const root = resolve('.');
const JUPYTER = '/usr/bin/jupyter-notebook';
const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(JUPYTER) ? 'needs jupyter-notebook (npm run setup)' : !existsSync(CHROMIUM) ? 'needs chromium (npm run setup)' : !existsSync('node_modules/.bin/tslab') ? 'needs tslab (npm run setup)' : false;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, ms: number, died: () => string | null): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const dead = died();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready after ${ms / 1000} s`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return ok();
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      ok();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM'); // the group: the server and the kernel it started
    } catch {
      clearTimeout(t);
      ok();
    }
  });
}

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (masa)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

test('Jupyter Notebook in headless Chromium: the SA-vs-MA figure is live and its tooltip names the model', { skip, timeout: 240_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'masa-browser-'));
  const csv = writeFixtureCsv(join(tmp, 'scores.csv'), { models: 8 });
  // What the tooltip must say: the first model point of the figure, computed here, not in the page.
  const spec = saVsMa(loadFigureData(csv));
  const first = spec.data.find((t) => t.mode === 'markers') as { text: string[]; customdata: string[][] };
  const expected = first.text[0]!;
  writeFileSync(
    join(tmp, 'browser-check.ipynb'),
    notebook([
      `import { showFigure, showTable } from './src/notebook/display.js';\nimport { loadFigureData, saVsMa } from './src/figures/index.js';\nconst data = loadFigureData(${JSON.stringify(csv)});`,
      `await showTable(data.models, { columns: ['model', 'family', 'sa', 'ma_u', 'ma_p'], caption: 'group scores' });`,
      `await showFigure(saVsMa(data));`,
    ]),
  );
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    MASA_ROOT: root,
    JUPYTER_PATH: join(root, 'jupyter'),
    JUPYTER_RUNTIME_DIR: join(tmp, 'runtime'),
    JUPYTER_CONFIG_DIR: join(tmp, 'config'),
    JUPYTER_DATA_DIR: join(tmp, 'data'),
    PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  };
  const args = ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--NotebookApp.token=${token}`, `--notebook-dir=${tmp}`,
    '--NotebookApp.kernel_spec_manager_class=jupyter_client.kernelspec.KernelSpecManager'];
  if (process.getuid?.() === 0) args.push('--allow-root');
  const server = spawn(JUPYTER, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const died = (): string | null => (server.exitCode !== null ? `jupyter exited with ${server.exitCode}:\n${log.slice(-2000)}` : null);
  const base = `http://127.0.0.1:${port}`;
  const { chromium } = await import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    await waitFor('jupyter', async () => (await fetch(`${base}/api/status?token=${token}`)).ok, 60_000, died);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/notebooks/browser-check.ipynb?token=${token}`);
    // Page code is given as text: it runs in the browser, where Jupyter's and plotly's globals live.
    await page.waitForFunction('window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()', undefined, { timeout: 60_000 });
    await page.evaluate('Jupyter.notebook.execute_all_cells()');
    // The table renders as HTML, the figure as a live plotly chart (the HTML part of the bundle).
    const outputs = async (): Promise<string> => String(await page.evaluate("(document.querySelector('#notebook-container') || {}).innerText || ''")).slice(-3000);
    try {
      // Done when the figure is drawn; a cell's error output ends the wait at once.
      await page.waitForFunction("document.querySelector('.masa-figure .scatterlayer .trace .points path') || document.querySelector('.output_stderr, .output_error')", undefined, { timeout: 150_000 });
      assert.equal(await page.$('.output_stderr, .output_error'), null, 'a cell failed');
      assert.ok(await page.$('table.masa-table'), 'the table is not shown as HTML');
    } catch (e) {
      throw new Error(`${(e as Error).message.split('\n')[0]}\nnotebook now shows:\n${await outputs()}\npage errors: ${pageErrors.join('; ')}\njupyter log:\n${log.slice(-1500)}`);
    }
    const box = (await page.evaluate(`(() => {
      for (const tr of document.querySelectorAll('.masa-figure .scatterlayer .trace')) {
        const d = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace;
        if (!d || d.mode !== 'markers' || !d.text || d.text[0] !== ${JSON.stringify(expected)}) continue;
        const r = tr.querySelector('.points path').getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }
      return null;
    })()`)) as { x: number; y: number } | null;
    assert.ok(box, `no plotted point for ${expected}`);
    await page.mouse.move(box.x + 30, box.y + 30);
    await page.mouse.move(box.x, box.y, { steps: 5 });
    await page.waitForSelector('.hoverlayer .hovertext', { timeout: 10_000 });
    const tip = await page.textContent('.hoverlayer .hovertext');
    assert.ok(tip?.includes(expected), `tooltip "${tip}" does not name ${expected}`);
    // The tooltip also carries family, generation, size and the scores with their intervals.
    assert.ok(tip!.includes(first.customdata[0]![0]!), `tooltip "${tip}" lacks the family`);
    assert.match(tip!, /SA \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/);
    assert.deepEqual(pageErrors, []);
    // MASA_BROWSER_SCREENSHOT=<file.png> keeps a picture of the hovered figure, to look at.
    if (process.env.MASA_BROWSER_SCREENSHOT) await (await page.$('.masa-figure'))!.screenshot({ path: process.env.MASA_BROWSER_SCREENSHOT });
  } finally {
    await browser?.close();
    await stop(server);
    rmSync(tmp, { recursive: true, force: true });
  }
  assert.ok(server.exitCode !== null || server.signalCode !== null, 'jupyter still running');
});
