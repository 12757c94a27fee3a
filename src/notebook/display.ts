/**
 * Figures and tables in notebooks. A masa figure (a plotly spec from src/figures/) is sent as ONE
 * display_data bundle that each front end renders its own way:
 *  - application/vnd.plotly.v1+json: the live chart in JupyterLab and VS Code (their own plotly);
 *  - text/html: the live chart in Jupyter Notebook (classic), drawn by the bundled plotly.js
 *    (node_modules/plotly.js-dist-min, put into the page once per kernel session, never from a
 *    CDN), over a PNG that stays in place where scripts do not run;
 *  - image/png: the static picture (headless Chromium, src/figures/export.ts) for viewers that
 *    run no scripts (GitHub, nbviewer);
 *  - text/plain: the title and caption.
 * tslab 1.0.22's public `display` sends one MIME type per output (display.raw(type, data)), which
 * cannot carry fallbacks, so the bundle goes through the kernel's display writer that tslab keeps
 * for exactly that (`lastWriteDisplayData` in tslab/dist/jupyter, typed there, set per cell).
 *
 * Tables (arquero tables, arrays of row objects) are sent as text/html + text/markdown +
 * text/plain with numbers rounded, so cells stop assembling markdown strings.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { escapeHtml, plotlyBundlePath, renderStatic } from '../figures/export.js';
import { withTitle, type FigureSpec } from '../figures/spec.js';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export type MimeBundle = Record<string, unknown>;

export interface FigureOptions {
  /** Include the static PNG (default true; it needs Chromium). */
  png?: boolean;
  /** PNG pixel ratio (default 1: notebooks stay small). */
  scale?: number;
  /** Put plotly.js into this output's HTML (default: only the first figure of the kernel session). */
  inject?: boolean;
}

let injected = false;
let bundleText: string | null = null;

/** The plotly.js bundle as a script that defines window.Plotly whatever loader the page has. */
export function plotlyScript(): string {
  bundleText ??= readFileSync(plotlyBundlePath(), 'utf8');
  // Classic Notebook loads require.js: a UMD bundle that sees `define.amd` registers itself as an
  // AMD module and leaves window.Plotly unset. Shadowing define/module/exports makes every
  // plotly.js build take its global branch. `</script` cannot appear inside a script element.
  const body = bundleText.replace(/<\/script/gi, '<\\/script');
  return `<script type="text/javascript">(function (define, module, exports) {\n${body}\n}).call(window);</script>`;
}

/**
 * The figure as plotly.js draws it: data, layout (title, height) and config. The width follows
 * the output area (a notebook column is narrower than the exported figures), so the legend stays
 * in view; the PNG keeps the figure's own size.
 */
export function plotlyFigure(spec: FigureSpec): { data: unknown[]; layout: Record<string, unknown>; config: Record<string, unknown> } {
  const s = withTitle(spec);
  return {
    data: s.data,
    layout: { ...s.layout, height: s.height, autosize: true },
    config: { responsive: true, displaylogo: false, scrollZoom: true },
  };
}

/** The text/html part: a PNG in place, replaced by the live chart where scripts run. */
export function figureHtml(spec: FigureSpec, png: string | null, inject: boolean): string {
  const id = `masa-fig-${randomBytes(6).toString('hex')}`;
  const fig = JSON.stringify(plotlyFigure(spec)).replace(/</g, '\\u003c');
  const img = png ? `<img src="data:image/png;base64,${png}" alt="${escapeHtml(spec.title)}" style="max-width:100%">` : `<p>${escapeHtml(spec.title)} (interactive: needs a front end that runs scripts)</p>`;
  return [
    inject ? plotlyScript() : '',
    `<div id="${id}" class="masa-figure" style="width:100%;max-width:${spec.width}px">${img}</div>`,
    `<script type="text/javascript">(function () {`,
    `  var el = document.getElementById(${JSON.stringify(id)}); var fig = ${fig};`,
    `  if (!el || !window.Plotly) return; // the static picture stays`,
    `  el.innerHTML = ''; window.Plotly.newPlot(el, fig.data, fig.layout, fig.config);`,
    `})();</script>`,
  ].join('\n');
}

function plainText(spec: FigureSpec): string {
  return `${spec.title}${spec.synthetic ? ' [SYNTHETIC DATA]' : ''}\n${spec.caption}`;
}

/** The display bundles of several figures, their PNGs rendered in one Chromium. */
export async function figureBundles(specs: readonly FigureSpec[], opts: FigureOptions = {}): Promise<MimeBundle[]> {
  const wantPng = opts.png !== false;
  const pngs: Array<{ png?: Buffer }> = wantPng && specs.length > 0 ? await renderStatic(specs, ['png'], { scale: opts.scale ?? 1 }) : specs.map(() => ({}));
  return specs.map((spec, i) => {
    const png = pngs[i]?.png ? pngs[i]!.png!.toString('base64') : null;
    const inject = opts.inject ?? !injected;
    if (inject) injected = true;
    const bundle: MimeBundle = {
      [PLOTLY_MIME]: plotlyFigure(spec),
      'text/html': figureHtml(spec, png, inject),
      'text/plain': plainText(spec),
    };
    if (png) bundle['image/png'] = png;
    return bundle;
  });
}

export async function figureBundle(spec: FigureSpec, opts: FigureOptions = {}): Promise<MimeBundle> {
  return (await figureBundles([spec], opts))[0]!;
}

type Writer = (data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

/** Sends a bundle as one display_data message of the running cell. */
export async function displayBundle(bundle: MimeBundle): Promise<void> {
  const jupyter = (await import('tslab/dist/jupyter.js')) as unknown as { lastWriteDisplayData: Writer | null };
  const write = jupyter.lastWriteDisplayData;
  if (!write) throw new Error('displayBundle: not inside a running tslab notebook cell (use figureBundle / tableBundle to get the MIME bundle)');
  write({ data: bundle, metadata: {}, transient: {} }, false);
}

/** Shows figures inline as live charts (with the HTML and PNG fallbacks). */
export async function showFigure(spec: FigureSpec | readonly FigureSpec[], opts: FigureOptions = {}): Promise<void> {
  const specs = Array.isArray(spec) ? (spec as readonly FigureSpec[]) : [spec as FigureSpec];
  for (const b of await figureBundles(specs, opts)) await displayBundle(b);
}

// ---- tables ----

export interface TableOptions {
  /** Columns to show, in order (default: all). */
  columns?: string[];
  /** Significant decimals for numbers that are not integers (default 3). */
  digits?: number;
  /** A caption above the table. */
  caption?: string;
  /** At most this many rows (default 200); the rest are counted. */
  limit?: number;
}

/** Anything with rows: an arquero table (objects()) or an array of plain objects. */
export type TableLike = { objects(): object[] } | ReadonlyArray<object>;

function rowsOf(t: TableLike): Array<Record<string, unknown>> {
  return (Array.isArray(t) ? [...t] : (t as { objects(): object[] }).objects()) as Array<Record<string, unknown>>;
}

export function formatCell(v: unknown, digits = 3): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return !Number.isFinite(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits);
  if (Array.isArray(v)) return v.map((x) => formatCell(x, digits)).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** text/html, text/markdown and text/plain of a table. */
export function tableBundle(table: TableLike, opts: TableOptions = {}): MimeBundle {
  const all = rowsOf(table);
  const limit = opts.limit ?? 200;
  const rows = all.slice(0, limit);
  const cols = opts.columns ?? [...new Set(all.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c], opts.digits ?? 3)));
  const numeric = cols.map((c) => rows.some((r) => typeof r[c] === 'number'));
  const more = all.length > rows.length ? `${all.length - rows.length} more rows not shown` : '';
  const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const markdown = [
    ...(opts.caption ? [`**${md(opts.caption)}**`, ''] : []),
    `| ${cols.map(md).join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...cells.map((r) => `| ${r.map(md).join(' | ')} |`),
    ...(more ? ['', `_${more}_`] : []),
  ].join('\n');
  const html = [
    '<table class="masa-table">',
    ...(opts.caption ? [`<caption style="text-align:left;font-weight:bold">${escapeHtml(opts.caption)}</caption>`] : []),
    `<thead><tr>${cols.map((c, i) => `<th style="text-align:${numeric[i] ? 'right' : 'left'}">${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...cells.map((r) => `<tr>${r.map((v, i) => `<td style="text-align:${numeric[i] ? 'right' : 'left'}">${escapeHtml(v)}</td>`).join('')}</tr>`),
    '</tbody></table>',
    ...(more ? [`<p><i>${escapeHtml(more)}</i></p>`] : []),
  ].join('\n');
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const plain = [cols.map((c, i) => c.padEnd(widths[i]!)).join('  '), ...cells.map((r) => r.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ')), ...(more ? [more] : [])].join('\n');
  return { 'text/html': html, 'text/markdown': markdown, 'text/plain': (opts.caption ? `${opts.caption}\n` : '') + plain };
}

/** Shows a table inline (HTML, with markdown and plain-text fallbacks). */
export async function showTable(table: TableLike, opts: TableOptions = {}): Promise<void> {
  await displayBundle(tableBundle(table, opts));
}
