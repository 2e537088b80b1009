/**
 * The lab's shell in Chromium: the tabs open every panel, the language switch is remembered without
 * the URL, the footer says what the worker computes on (WebAssembly threads when cross-origin isolated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, NO_BROWSER, openLab } from './harness.js';

const PANELS = ['paths', 'lr', 'init', 'playground', 'experiments'];

describe.skipIf(NO_BROWSER)('lab: shell (skipped: no Chromium; CI installs it)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await openLab('nowhere');
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('opens the first panel for an unknown route, and every panel from its tab', async () => {
    const { page } = lab;
    await expect.poll(() => page.locator('main.panel').getAttribute('data-panel')).toBe('paths');
    for (const id of PANELS) {
      await page.getByTestId(`tab-${id}`).click();
      await expect.poll(() => page.locator('main.panel').getAttribute('data-panel')).toBe(id);
      expect(page.url()).toContain(`#/${id}`);
      expect(await page.getByTestId(`tab-${id}`).getAttribute('aria-current')).toBe('page');
    }
  }, 60_000);

  it('says the worker computes on WebAssembly with threads, the page being cross-origin isolated', async () => {
    const { page } = lab;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const footer = page.getByTestId('backend-status');
    await expect
      .poll(() => footer.textContent(), { timeout: 30_000 })
      .toMatch(/WebAssembly, (\d+ threads|single thread)/);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (cores > 1) expect(await footer.textContent()).toMatch(/WebAssembly, \d+ threads/);
  }, 60_000);

  it('switches to Chinese and remembers it on a link without the language', async () => {
    const { page } = lab;
    await page.getByTestId('tab-paths').click();
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('tab-paths').textContent()).toBe('优化器路径');
    expect(page.url()).toContain('lang=zh');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // A fresh page load (not a hash change) of a link that does not name the language.
    const bare = lab.url.replace(/#.*$/, '#/lr');
    await page.goto('about:blank');
    await page.goto(bare);
    await expect.poll(() => page.getByTestId('tab-lr').textContent()).toBe('学习率');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('tab-lr').textContent()).toBe('Learning rate');
    await page.goto('about:blank');
    await page.goto(bare);
    await expect.poll(() => page.getByTestId('tab-lr').textContent()).toBe('Learning rate');
    expect(lab.errors).toEqual([]);
  }, 60_000);
});
