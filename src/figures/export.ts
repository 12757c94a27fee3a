import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { MasaError } from '../core/errors.js';
import { projectRoot } from '../core/paths.js';
import { type FigureSpec, withTitle } from './spec.js';

export type FigureFormat = 'html' | 'svg' | 'png';

export interface ExportOptions {
  formats?: FigureFormat[];
  /** PNG pixel ratio. */
  scale?: number;
  /** Chromium binary; default MASA_CHROMIUM or Debian's /usr/bin/chromium. */
  chromium?: string;
}

export interface ExportedFigure {
  name: string;
  files: Partial<Record<FigureFormat, string>>;
}

// Flags that let Debian's Chromium run headless as root on a machine without outside network.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function plotlyBundlePath(): string {
  const req = createRequire(join(projectRoot(), 'package.json'));
  return req.resolve('plotly.js-dist-min/plotly.min.js');
}

export function findChromium(explicit?: string): string {
  const candidates = [explicit, process.env.MASA_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new MasaError("no Chromium found for static figures: install Debian's 'chromium' (npm run setup) or set MASA_CHROMIUM");
}

/** Interactive HTML for one figure; it loads plotly.min.js from the same folder. */
export function figureHtml(spec: FigureSpec): string {
  const s = withTitle(spec);
  const fig = JSON.stringify({ data: s.data, layout: { ...s.layout, width: s.width, height: s.height } });
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(spec.title)}</title>
<script src="plotly.min.js"></script></head>
<body style="margin:0;font-family:sans-serif">
<div id="fig"></div>
<p style="max-width:${s.width}px;margin:8px 16px;color:#333">${escapeHtml(spec.caption)}</p>
<script>const fig = ${fig.replace(/</g, '\\u003c')}; Plotly.newPlot('fig', fig.data, fig.layout, {responsive: true});</script>
</body></html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Writes each figure as HTML, SVG and PNG into `outDir`. The static formats are rendered by
 * plotly.js inside one headless Chromium (launched once for all figures).
 */
export async function exportFigures(specs: readonly FigureSpec[], outDir: string, options: ExportOptions = {}): Promise<ExportedFigure[]> {
  const formats = options.formats ?? ['html', 'svg', 'png'];
  mkdirSync(outDir, { recursive: true });
  const out: ExportedFigure[] = specs.map((s) => ({ name: s.name, files: {} }));
  if (formats.includes('html')) {
    copyFileSync(plotlyBundlePath(), join(outDir, 'plotly.min.js'));
    specs.forEach((s, i) => {
      const file = join(outDir, `${s.name}.html`);
      writeFileAtomic(file, figureHtml(s));
      out[i]!.files.html = file;
    });
  }
  const statics = formats.filter((f): f is 'svg' | 'png' => f === 'svg' || f === 'png');
  if (statics.length === 0 || specs.length === 0) return out;
  const rendered = await renderStatic(specs, statics, options);
  specs.forEach((s, i) => {
    for (const f of statics) {
      const file = join(outDir, `${s.name}.${f}`);
      writeFileAtomic(file, rendered[i]![f]!);
      out[i]!.files[f] = file;
    }
  });
  return out;
}

/** Renders specs to SVG text and PNG bytes in one headless Chromium. */
export async function renderStatic(
  specs: readonly FigureSpec[],
  formats: ReadonlyArray<'svg' | 'png'>,
  options: ExportOptions = {},
): Promise<Array<Partial<Record<'svg' | 'png', Buffer>>>> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(options.chromium), args: CHROMIUM_ARGS });
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: plotlyBundlePath() });
    const results: Array<Partial<Record<'svg' | 'png', Buffer>>> = [];
    for (const spec of specs) {
      const s = withTitle(spec);
      const entry: Partial<Record<'svg' | 'png', Buffer>> = {};
      for (const format of formats) {
        const url = await page.evaluate(
          // Runs in the page, where plotly.js defined window.Plotly.
          async ([fig, fmt, scale]) => {
            const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
            return P.toImage(fig, { format: fmt, width: (fig as { width: number }).width, height: (fig as { height: number }).height, scale });
          },
          [{ data: s.data, layout: s.layout, width: s.width, height: s.height }, format, format === 'png' ? options.scale ?? 2 : 1] as const,
        );
        entry[format] = decodeDataUrl(url);
      }
      results.push(entry);
    }
    if (errors.length > 0) throw new MasaError(`plotly failed in Chromium: ${errors.join('; ')}`);
    return results;
  } finally {
    await browser.close();
  }
}

export function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(',');
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return head.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
}
