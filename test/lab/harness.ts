/**
 * The lab's end-to-end harness: serves the built lab (dist/lab, built by `npm run build`) with the
 * same server as `descent lab`, and drives it in Debian's Chromium through playwright-core.
 *
 * No Chromium: the specs are skipped locally (with the reason), but under CI=true they fail, since
 * .ci/run installs Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startLabServer } from '../../src/cli/lab_server.js';
import { findChromium } from '../helpers/find_chromium.mjs';

export const LAB_ROOT = fileURLToPath(new URL('../../dist/lab', import.meta.url));

export const CHROMIUM = findChromium();
const IN_CI = process.env.CI === 'true';
if (CHROMIUM === null && IN_CI)
  throw new Error('CI=true but no Chromium was found: .ci/run installs it with apt-get install -y chromium');
/** Use as `describe.skipIf(NO_BROWSER)(…)`: true only outside CI with no Chromium installed. */
export const NO_BROWSER = CHROMIUM === null;

export interface Lab {
  browser: Browser;
  page: Page;
  url: string;
  /** Messages the page logged as errors, and uncaught exceptions: a spec expects none. */
  errors: string[];
  close(): Promise<void>;
}

/** Serves dist/lab and opens `#/<hash>` in a fresh headless Chromium page. */
export async function openLab(hash = ''): Promise<Lab> {
  if (!existsSync(join(LAB_ROOT, 'index.html')))
    throw new Error(`the lab is not built (${LAB_ROOT}/index.html is missing): run npm run build`);
  const server = await startLabServer({ root: LAB_ROOT, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const url = `${server.url}#/${hash}`;
  await page.goto(url);
  return {
    browser,
    page,
    url,
    errors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Clicks the element with `data-testid=exportTestId` and returns the downloaded file's text. */
export async function downloadText(page: Page, testId = 'export-json'): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).first().click(),
  ]);
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

/** The panel's "Export JSON" as parsed JSON (one object), or as objects per line with `lines`. */
export async function exportJson(
  page: Page,
  options: { lines?: boolean; testId?: string } = {},
): Promise<unknown> {
  const text = await downloadText(page, options.testId ?? 'export-json');
  if (!options.lines) return JSON.parse(text);
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/**
 * Fraction of non-background pixels of a screenshot of the element (a figure is "non-blank" when
 * enough of it is drawn). Decodes the PNG in the page itself, so no image library is needed.
 */
export async function inkFraction(page: Page, selector: string): Promise<number> {
  const png = await page.locator(selector).first().screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) ink++;
    return ink / (data.length / 4);
  }, png.toString('base64'));
}
