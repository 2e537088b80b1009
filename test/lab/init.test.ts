/**
 * The lab's initialization panel in Chromium: the configuration in the URL is run by the library's
 * `init` experiment in the worker, and the exported JSON (the schema of `descent experiment init
 * --json` for that configuration) holds the histograms and fractions Node computes for the same seed
 * on the same (WebAssembly) backend; switching the activation redraws the histograms; bad input in the
 * link or the seed field is explained on the page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../src/backend/registry.js';
import { init } from '../../src/experiments/init.js';
import { runCli } from '../cli/run_cli.js';
import { exportJson, inkFraction, type Lab, NO_BROWSER, openLab } from './harness.js';

type InitResult = ReturnType<typeof init.run>;

const SETTINGS = {
  activation: 'tanh',
  init: 'xavier',
  batchNorm: false,
  layers: 6,
  width: 64,
  batch: 500,
  seed: 7,
} as const;
const HASH = `init?lang=en&activation=tanh&init=xavier&batchNorm=0&layers=6&width=64&batch=500&seed=7`;

/** Waits until the figures show the result of the settings now on screen, then exports it. */
async function exportFresh(page: Page): Promise<InitResult> {
  // Generous: on a loaded 2-core machine the worker's WebAssembly threads can start slowly.
  await page.locator('[data-testid=init-activations][data-fresh=true]').waitFor({ timeout: 90_000 });
  return (await exportJson(page)) as InitResult;
}

/** Every number of the run equal to Node's, up to float32 round-off; histogram counts exactly. */
function expectSameRun(got: InitResult, expected: InitResult): void {
  expect(got.layers.length).toBe(expected.layers.length);
  for (const [i, want] of expected.layers.entries()) {
    const layer = got.layers[i]!;
    expect(layer.layer).toBe(want.layer);
    expect(layer.histogram.counts).toEqual(want.histogram.counts);
    for (const [k, edge] of want.histogram.edges.entries())
      expect(layer.histogram.edges[k]).toBeCloseTo(edge, 5);
    expect(layer.saturatedFraction).toBeCloseTo(want.saturatedFraction, 6);
    expect(layer.deadFraction).toBeCloseTo(want.deadFraction, 6);
    expect(layer.mean).toBeCloseTo(want.mean, 5);
    expect(layer.std).toBeCloseTo(want.std, 5);
    expect(Math.abs(layer.gradStd / want.gradStd - 1)).toBeLessThan(1e-4);
  }
}

describe.skipIf(NO_BROWSER)('lab: initialization panel (skipped: no Chromium; CI installs it)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await openLab(HASH);
    await initWasmBackend();
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('exports the init experiment of the URL’s configuration, equal to init.run in Node', async () => {
    const exported = await exportFresh(lab.page);
    expectSameRun(exported, init.run(SETTINGS));
  }, 120_000);

  it('exports the very object descent experiment init --json prints for that configuration', async () => {
    const exported = await exportFresh(lab.page);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-lab-init-'));
    try {
      const cli = await runCli([
        'experiment',
        'init',
        ...['--activation', 'tanh', '--init', 'xavier', '--layers', '6', '--width', '64'],
        ...['--batch', '500', '--seed', '7', '--out', out, '--no-report', '--json'],
      ]);
      expect(cli.code, cli.stderr).toBe(0);
      const printed = JSON.parse(cli.stdout) as InitResult;
      expect(Object.keys(exported)).toEqual(Object.keys(printed));
      expect(Object.keys(exported.layers[0]!)).toEqual(Object.keys(printed.layers[0]!));
      expectSameRun(exported, printed);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('draws one non-blank activation histogram per layer and the fractions table', async () => {
    const { page } = lab;
    await expect.poll(() => page.locator('[data-testid^=init-activation-histogram-]').count()).toBe(6);
    expect(await inkFraction(page, '[data-testid=init-activation-histograms]')).toBeGreaterThan(0.02);
    expect(await inkFraction(page, '[data-testid=init-gradients]')).toBeGreaterThan(0.02);
    const row = await page.getByTestId('init-row-6').textContent();
    const expected = init.run(SETTINGS).layers[5]!;
    expect(row).toContain(expected.std.toPrecision(3));
    expect(row).toContain(`${(100 * expected.saturatedFraction).toFixed(1)}%`);
  }, 30_000);

  it('saves the histogram grid as one PNG holding every layer', async () => {
    const { page } = lab;
    await expect.poll(() => page.locator('[data-testid^=init-activation-histogram-] canvas').count()).toBe(6);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('init-activation-export-png').click(),
    ]);
    expect(download.suggestedFilename()).toBe('descent-init-activation-histograms.png');
    const png = fs.readFileSync(await download.path());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const cell = await page
      .locator('[data-testid=init-activation-histograms] .uplot canvas')
      .first()
      .evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    // Six layers in at least two columns or rows of cells, each under a title band.
    expect(width * height).toBeGreaterThanOrEqual(6 * cell[0]! * cell[1]!);
    expect(width).toBeGreaterThanOrEqual(cell[0]!);
    // Every histogram is drawn in it: about as much ink as the grid on the page, not one cell's worth.
    const ink = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) n++;
      return n / (ratio() * ratio());
      function ratio() {
        return devicePixelRatio;
      }
    }, png.toString('base64'));
    const grid = await page.getByTestId('init-activation-histograms').boundingBox();
    const onPage =
      (await inkFraction(page, '[data-testid=init-activation-histograms]')) * grid!.width * grid!.height;
    expect(ink).toBeGreaterThan(0.5 * onPage);
  }, 30_000);

  it('switching the activation to ReLU redraws the histograms with dead units, as Node computes', async () => {
    const { page } = lab;
    const before = await exportFresh(page);
    await page.getByTestId('init-activation').selectOption('relu');
    await expect.poll(() => page.url()).toContain('activation=relu');
    const after = await exportFresh(page);
    expect(after.layers[0]!.histogram.counts).not.toEqual(before.layers[0]!.histogram.counts);
    expect(after.layers[0]!.deadFraction).toBeGreaterThan(0.3);
    expect(before.layers[0]!.deadFraction).toBeLessThan(0.01);
    expectSameRun(after, init.run({ ...SETTINGS, activation: 'relu' }));
  }, 60_000);

  it('batch norm keeps the last layer’s spread near the first’s where N(0, 0.01²) collapses it', async () => {
    const { page } = lab;
    await page.getByTestId('init-activation').selectOption('tanh');
    await page.getByTestId('init-scheme').selectOption('little-random');
    const small = await exportFresh(page);
    await page.getByTestId('init-batch-norm').check();
    const withBn = await exportFresh(page);
    expect(small.layers[5]!.std).toBeLessThan(1e-3);
    expect(withBn.layers[5]!.std).toBeGreaterThan(0.3);
    expectSameRun(withBn, init.run({ ...SETTINGS, init: 'little-random', batchNorm: true }));
  }, 60_000);

  it('a seed that is not a whole number gets a visible message and is not used', async () => {
    const { page } = lab;
    const seed = page.getByTestId('init-seed');
    await seed.fill('1.5');
    await seed.press('Tab');
    await expect.poll(() => page.locator('.field-error').first().textContent()).toMatch(/Not a whole number/);
    expect(page.url()).toContain('seed=7');
  });

  it('explains link settings it could not read and the run it could not do', async () => {
    const { page } = lab;
    await page.goto(`${lab.url.split('#')[0]}#/init?lang=en&layers=ten&seed=0.5`);
    await page.reload();
    await expect.poll(() => page.getByTestId('init-ignored').textContent()).toMatch(/layers/);
    await expect.poll(() => page.getByTestId('init-error').textContent()).toMatch(/seed must be an integer/);
    expect(lab.errors).toEqual([]);
  }, 30_000);
});
