/**
 * Every curve in the lab can be saved as a PNG: the chart's title, its plot and axes, and a legend,
 * composed into one picture (uPlot draws only the plot on its canvas).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, NO_BROWSER, openLab } from './harness.js';

describe.skipIf(NO_BROWSER)('lab: chart PNG export (skipped: no Chromium; CI installs it)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await openLab('paths?lang=en');
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('saves a drawn chart, with its title band and legend, as a PNG named after the title', async () => {
    const { page } = lab;
    const button = page.getByTestId('chart-export-png').first();
    await button.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500); // the paths are computed and drawn
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^descent-[\p{L}\p{N}-]+\.png$/u);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const shown = await page.locator('.chart canvas').first().boundingBox();
    const picture = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      const inkIn = (y0: number, y1: number) => {
        let ink = 0;
        for (let y = y0; y < y1; y++)
          for (let x = 0; x < img.width; x++) if (data[(y * img.width + x) * 4]! < 200) ink++;
        return ink;
      };
      const ratio = devicePixelRatio;
      return {
        width: img.width,
        height: img.height,
        title: inkIn(0, 28 * ratio),
        all: inkIn(0, img.height),
        ratio,
      };
    }, bytes.toString('base64'));
    expect(picture.width).toBe(Math.round(shown!.width * picture.ratio));
    expect(picture.height).toBeGreaterThan(shown!.height * picture.ratio);
    expect(picture.title).toBeGreaterThan(50);
    expect(picture.all / (picture.width * picture.height)).toBeGreaterThan(0.01);
    expect(lab.errors).toEqual([]);
  }, 60_000);
});
