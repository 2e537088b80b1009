/**
 * The lab offline: the build's service worker (lab/src/sw/) precaches every file of the build, so
 * that once the page has loaded, it reloads with no network, still cross-origin isolated, draws
 * Chinese with the bundled font and computes in its worker; online, a new index.html is picked up.
 *
 * Served from a private copy of dist/lab (the spec edits its index.html, and other specs rebuild
 * dist/lab while this one runs).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRECACHE_MAX_BYTES } from '../../lab/src/sw/precache_plugin.js';
import { FASHION_LAB_PATH } from '../../src/cli/lab_data.js';
import { CHROMIUM, NO_BROWSER } from './harness.js';
import { type LabCopy, serveLabCopy } from './lab_copy.js';

const OPTIONS = { surfaces: ['rosenbrock'], optimizers: ['sgd', 'adam'], steps: { rosenbrock: 40 } };
const HASH = `#/experiments?lang=en&name=optimizers-2d&options=${encodeURIComponent(JSON.stringify(OPTIONS))}`;

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

describe.skipIf(NO_BROWSER)('lab: offline (skipped: no Chromium; CI installs it)', () => {
  let server: LabCopy;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await serveLabCopy();
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // Offline, Chromium logs each refused network request of the test's own as an error.
      if (m.type() === 'error' && !m.text().includes('ERR_INTERNET_DISCONNECTED')) errors.push(m.text());
    });
    await page.goto(`${server.url}${HASH}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the service worker's precache list is every file of the build up to PRECACHE_MAX_BYTES (none kept by hand)", async () => {
    const source = await (await fetch(`${server.url}sw.js`)).text();
    const match = /\{"version":"[0-9a-f]+","files":\[[^\]]*\]\}/.exec(source);
    expect(match, 'sw.js holds no precache manifest').not.toBeNull();
    const { files } = JSON.parse(match![0]) as { files: string[] };
    const small = (f: string) => statSync(join(server.root, f)).size <= PRECACHE_MAX_BYTES;
    expect(files).toEqual(filesUnder(server.root).filter((f) => f !== 'sw.js' && small(f)));
    expect(files).toContain('index.html');
    expect(files.some((f) => f.endsWith('.woff2'))).toBe(true);
    expect(files.some((f) => /lab_worker-.*\.js$/.test(f))).toBe(true);
    expect(files.some((f) => /mnist_subset.*\.gz$/.test(f))).toBe(true);
  });

  // fashion-mnist is a devDependency, so descent lab serves it here (src/cli/lab_data.ts): 55 MB,
  // not part of the build, so not precached; the service worker keeps it once fetched.
  it('caches Fashion-MNIST from descent lab (not in the build, over PRECACHE_MAX_BYTES) when it is first fetched', async () => {
    expect(filesUnder(server.root).some((f) => f.includes('fashion'))).toBe(false);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const cached = await page.evaluate(async (file) => {
      const url = new URL(file, location.href).href;
      const before = (await caches.match(url)) !== undefined;
      const size = (await (await fetch(url)).arrayBuffer()).byteLength;
      return { before, after: (await caches.match(url)) !== undefined, size };
    }, FASHION_LAB_PATH.slice(1));
    expect(cached.size).toBeGreaterThan(PRECACHE_MAX_BYTES);
    expect(cached).toMatchObject({ before: false, after: true });
  }, 60_000);

  it('reloads with no network: renders, stays cross-origin isolated, loads the font, computes', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await page.context().setOffline(true);
    try {
      await page.reload();
      await page.getByTestId('tab-paths').waitFor();
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await page.getByTestId('lang-switch').click();
      await expect
        .poll(() =>
          page.evaluate(async () => {
            await document.fonts.ready;
            return Array.from(document.fonts as unknown as Iterable<FontFace>).some(
              (f) => f.family.includes('Descent Noto Sans SC') && f.status === 'loaded',
            );
          }),
        )
        .toBe(true);
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('experiment-run').click();
      await page.getByTestId('experiment-figure').first().locator('svg').waitFor({ timeout: 30_000 });
      const ticks = await page.getByTestId('experiment-figure').first().locator('svg text').allTextContents();
      expect(ticks.filter((s) => /\d/.test(s)).length).toBeGreaterThan(3);
      await expect.poll(() => page.getByTestId('backend-status').textContent()).toMatch(/WebAssembly/);
    } finally {
      await page.context().setOffline(false);
    }
  }, 90_000);

  it('picks up a new index.html when online (network first for the page)', async () => {
    const index = join(server.root, 'index.html');
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace('<title>descent lab</title>', '<title>rebuilt</title>'),
    );
    await page.reload();
    expect(await page.title()).toBe('rebuilt');
    expect(errors).toEqual([]);
  }, 30_000);
});
