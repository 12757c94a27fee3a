import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as aq from 'arquero';
import { CHROMIUM_ARGS, figureData, findChromium, saVsMa } from '../../src/figures/index.js';
import { figureBundle, PLOTLY_MIME, plotlyScript, tableBundle } from '../../src/notebook/display.js';
import { fixtureRecords } from '../figures/fixture.js';

const data = figureData(fixtureRecords({ models: 6 }));

test('a figure bundle: plotly JSON, HTML that draws it over the PNG, the PNG, and plain text', async () => {
  const spec = saVsMa(data);
  const b = await figureBundle(spec, { inject: true });
  assert.deepEqual(Object.keys(b).sort(), [PLOTLY_MIME, 'image/png', 'text/html', 'text/plain'].sort());
  const fig = b[PLOTLY_MIME] as { data: Array<Record<string, unknown>>; layout: Record<string, unknown> };
  assert.equal(fig.data.length, spec.data.length);
  assert.equal(fig.layout.height, spec.height);
  assert.equal(fig.layout.autosize, true);
  // PNG: base64 of a real PNG file.
  assert.equal(Buffer.from(b['image/png'] as string, 'base64').subarray(1, 4).toString(), 'PNG');
  const html = b['text/html'] as string;
  assert.ok(html.includes('data:image/png;base64,'), 'the static picture sits in the HTML');
  assert.ok(html.includes('window.Plotly.newPlot'));
  assert.ok(!/<script[^>]+src=/.test(html), 'no script is loaded from anywhere: the bundle is inline');
  assert.ok(html.includes('plotly.js v'), 'the first figure carries plotly.js');
  assert.match(b['text/plain'] as string, /SYNTHETIC/);
  // Later figures of the session do not carry the bundle again.
  const next = await figureBundle(spec, { png: false });
  assert.ok(!(next['text/html'] as string).includes('plotly.js v'));
  assert.ok(!('image/png' in next));
});

test('the plotly.js script defines window.Plotly in a page that has require.js-style AMD define', async () => {
  const s = plotlyScript();
  assert.ok(!/<\/script/i.test(s.slice(0, -'</script>'.length)), 'no closing tag inside the script');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // An AMD loader as classic Notebook's require.js installs it: a UMD bundle would register with it.
    await page.setContent(`<!doctype html><html><body><script>window.amdCalls = 0; window.define = function () { window.amdCalls++; }; window.define.amd = {};</script>${s}</body></html>`);
    assert.equal(await page.evaluate('typeof window.Plotly.newPlot'), 'function');
    assert.equal(await page.evaluate('window.amdCalls'), 0);
  } finally {
    await browser.close();
  }
});

test('hover labels name the model, its family, generation and size, and each group score with its interval', () => {
  const spec = saVsMa(data);
  const pts = spec.data.filter((t) => t.mode === 'markers') as Array<{ text: string[]; customdata: string[][]; hovertemplate: string }>;
  const m = data.models.find((x) => x.model.endsWith(pts[0]!.text[0]!))!;
  const cd = pts[0]!.customdata[0]!;
  assert.equal(cd[0], m.family);
  assert.equal(cd[1], m.generation);
  assert.match(cd[2]!, new RegExp(`^${m.params_b}B params`));
  assert.equal(cd[3], `${m.sa!.toFixed(3)} [${Math.max(0, m.sa! - 1.96 * m.sa_stderr!).toFixed(3)}, ${Math.min(1, m.sa! + 1.96 * m.sa_stderr!).toFixed(3)}]`);
  assert.match(pts[0]!.hovertemplate, /%\{text\}.*%\{customdata\[3\]\}/s);
});

test('a table bundle from an arquero table or rows: HTML, markdown and plain text, numbers rounded', () => {
  const t = aq.from([{ model: 'a|b', n: 3, acc: 0.123456, ci: null }, { model: 'c', n: 10, acc: 1, ci: 0.5 }]);
  const b = tableBundle(t, { caption: 'Scores', digits: 2 });
  assert.deepEqual(Object.keys(b).sort(), ['text/html', 'text/markdown', 'text/plain']);
  const md = b['text/markdown'] as string;
  assert.match(md, /^\*\*Scores\*\*\n\n\| model \| n \| acc \| ci \|\n\|---\|---:\|---:\|---:\|/);
  assert.ok(md.includes('| a\\|b | 3 | 0.12 | – |'));
  assert.ok((b['text/html'] as string).includes('<td style="text-align:right">0.12</td>'));
  const rows = tableBundle([{ x: 1 }, { x: 2 }, { x: 3 }], { limit: 2 });
  assert.match(rows['text/plain'] as string, /1 more rows not shown/);
});
