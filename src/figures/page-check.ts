/**
 * Opens an HTML file in headless Chromium (no network: every request other than file: is
 * aborted and counted) and reports console errors, page errors and blocked requests; optionally
 * saves a full-page screenshot. Used to check the report renders cleanly.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from './export.js';

export interface PageCheck {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests that would leave the machine (anything but file:), aborted; a self-contained page makes none. */
  externalRequests: string[];
  /** Document size in CSS pixels. */
  width: number;
  height: number;
}

export async function checkPage(file: string, opts: { screenshot?: string; width?: number; chromium?: string } = {}): Promise<PageCheck> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(opts.chromium), args: CHROMIUM_ARGS });
  const url = pathToFileURL(resolve(file)).href;
  const out: PageCheck = { consoleErrors: [], pageErrors: [], externalRequests: [], width: 0, height: 0 };
  try {
    const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') out.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => out.pageErrors.push(e.message));
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith('file:')) return route.continue();
      out.externalRequests.push(u);
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    const size = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; scrollHeight: number } } }).document.documentElement;
      return { width: d.scrollWidth, height: d.scrollHeight };
    });
    out.width = size.width;
    out.height = size.height;
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true });
  } finally {
    await browser.close();
  }
  return out;
}
