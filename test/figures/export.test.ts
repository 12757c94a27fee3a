import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportFigures } from '../../src/figures/export.js';
import type { FigureSpec } from '../../src/figures/spec.js';

const skip = existsSync('/usr/bin/chromium') || process.env.MASA_CHROMIUM ? false : 'needs chromium (npm run setup)';

const spec: FigureSpec = {
  name: 'tiny',
  title: 'Tiny test figure',
  data: [{ type: 'scatter', mode: 'markers', x: [1, 2, 3], y: [0.2, 0.4, 0.3], name: 'points' }],
  layout: { xaxis: { title: { text: 'x axis' } } },
  width: 400,
  height: 300,
  synthetic: true,
  caption: 'Three points.',
};

test('exports HTML, SVG and PNG with the synthetic mark in the title', { skip }, async () => {
  const out = join('test-output', 'export-test');
  rmSync(out, { recursive: true, force: true });
  const [fig] = await exportFigures([spec], out, { scale: 1 });
  const svg = readFileSync(fig!.files.svg!, 'utf8');
  assert.match(svg, /^<svg/);
  assert.match(svg, /Tiny test figure/);
  assert.match(svg, /SYNTHETIC DATA/);
  const png = readFileSync(fig!.files.png!);
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal(png.readUInt32BE(16), 400);
  assert.equal(png.readUInt32BE(20), 300);
  const html = readFileSync(fig!.files.html!, 'utf8');
  assert.match(html, /Plotly\.newPlot/);
  assert.ok(existsSync(join(out, 'plotly.min.js')));
});
