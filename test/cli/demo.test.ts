import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const skip = existsSync('/usr/bin/chromium') && existsSync('/usr/bin/bwrap') ? false : 'needs chromium and bubblewrap (npm run setup)';
const dir = mkdtempSync(join(tmpdir(), 'masa-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('masa demo runs the whole pipeline on the simulator: logs, scores, every figure in three formats, the report', { skip, timeout: 300_000 }, () => {
  const out = join(dir, 'out');
  const figures = join(dir, 'figures');
  // The bundled samples keep this quick; --models narrows the sweep to one family's generations.
  const r = spawnSync(
    process.execPath,
    ['bin/masa.mjs', 'demo', '--out', out, '--figures', figures, '--models', 'Llama', '--resamples', '200', '--quiet', '--data', join('data', 'samples')],
    { encoding: 'utf8', timeout: 280_000, env: { ...process.env, MASA_DATA_DIR: join(dir, 'no-fetched-data') } },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /SYNTHETIC DATA/);
  const scores = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n');
  assert.match(scores[0]!, /^model,family,generation,/);
  assert.ok(scores.length > 1 + 7 * 5, `one row per model and benchmark (${scores.length - 1})`);
  assert.ok(scores.slice(1).every((l) => l.startsWith('sim/')));
  const files = readdirSync(figures);
  for (const stem of ['fig1-benchmark-groups', 'fig3-sa-vs-ma', 'fig5-accuracy-heatmap', 'fig11-four-pillars', 'fig12-pillar-heatmap', 'fig13-crossplay-heatmap']) {
    for (const ext of ['html', 'svg', 'png']) assert.ok(files.includes(`${stem}.${ext}`), `${stem}.${ext}`);
  }
  assert.match(readFileSync(join(figures, 'fig3-sa-vs-ma.svg'), 'utf8'), /SYNTHETIC DATA/);
  const report = readFileSync(join(figures, 'report.html'), 'utf8');
  assert.match(report, /SYNTHETIC/);
  assert.doesNotMatch(report, /<script/i);
  // The correlations the demo printed are the ones `masa analyze` computes from the scores it wrote.
  const printed = [...r.stdout.matchAll(/(\w+) -> (\w+) \(n=\d+\): Pearson r (-?\d\.\d\d)/g)];
  // The paper's three pairs, then SA against the pillars the games measure.
  assert.deepEqual(printed.map((p) => `${p[1]}->${p[2]}`), ['sa->ma_u', 'sa->ma_p', 'ma_u->ma_p', 'sa->ma_c', 'sa->ma_a', 'sa->ma_p_play']);
  for (const g of ['refgame', 'repeated-games', 'hanabi']) assert.ok(scores.some((l) => l.includes(`,${g},`)), `${g} rows in scores.csv`);
  for (const [, x, y, rText] of printed) {
    const a = spawnSync(process.execPath, ['bin/masa.mjs', 'analyze', '--scores', join(out, 'scores.csv'), '--x', x!, '--y', y!, '--json'], { encoding: 'utf8' });
    assert.equal(a.status, 0, a.stderr);
    const json = JSON.parse(a.stdout.trim().split('\n').pop()!) as { pearson: { r: number } };
    assert.equal(json.pearson.r.toFixed(2), rText);
  }
});
