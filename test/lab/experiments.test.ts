/**
 * The lab's experiments panel in Chromium: a live run exports exactly what the library's experiment
 * returns in Node for the same options; the report's figures are drawn with real tick labels, in
 * the page's language; a results.json written by the CLI opens; bad options are explained.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../src/backend/registry.js';
import { loadMnist } from '../../src/data/mnist.js';
import { lrSweep } from '../../src/experiments/lr_sweep.js';
import { optimizers2d } from '../../src/experiments/optimizers_2d.js';
import { exportJson, inkFraction, type Lab, NO_BROWSER, openLab } from './harness.js';

const OPTIONS = { surfaces: ['rosenbrock'], optimizers: ['sgd', 'adam'], steps: { rosenbrock: 60 } };
const HASH = `experiments?lang=en&name=optimizers-2d&options=${encodeURIComponent(JSON.stringify(OPTIONS))}`;

describe.skipIf(NO_BROWSER)('lab: experiments panel (skipped: no Chromium; CI installs it)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await openLab(HASH);
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('runs an experiment in the worker and exports the result Node computes for the same options', async () => {
    const { page } = lab;
    await page.getByTestId('experiment-run').click();
    await page.getByTestId('experiment-figure').first().locator('svg').waitFor({ timeout: 30_000 });
    const exported = (await exportJson(page)) as ReturnType<typeof optimizers2d.run>;
    await initWasmBackend();
    const expected = optimizers2d.run(OPTIONS as never);
    const paths = (r: typeof expected) =>
      r.surfaces.flatMap((s) =>
        s.runs.map((run) => ({ label: `${s.surface} ${run.label}`, path: run.path })),
      );
    const [got, want] = [paths(exported), paths(expected)];
    expect(got.map((p) => p.label)).toEqual(want.map((p) => p.label));
    expect(want.length).toBe(2);
    for (const [i, { path }] of want.entries()) {
      expect(got[i]!.path.length).toBe(path.length);
      for (const [k, [x, y]] of path.entries()) {
        expect(Math.abs(got[i]!.path[k]![0] - x)).toBeLessThan(1e-6);
        expect(Math.abs(got[i]!.path[k]![1] - y)).toBeLessThan(1e-6);
      }
    }
  }, 60_000);

  it("draws the report's figures with real tick labels and ink", async () => {
    const { page } = lab;
    const texts = await page.getByTestId('experiment-figure').first().locator('svg text').allTextContents();
    expect(texts.filter((s) => /\d/.test(s)).length).toBeGreaterThan(3);
    expect(await inkFraction(page, '[data-testid=experiment-figure]')).toBeGreaterThan(0.02);
  });

  it('switches the figures and findings to Chinese', async () => {
    const { page } = lab;
    await page.getByTestId('lang-switch').click();
    await expect
      .poll(() => page.getByTestId('experiment-presentation').locator('h2').textContent())
      .toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('experiment-figure').first().locator('svg').waitFor();
    const texts = await page.getByTestId('experiment-figure').first().locator('svg text').allTextContents();
    expect(texts.some((s) => /[\u4e00-\u9fff]/.test(s))).toBe(true);
    await page.getByTestId('lang-switch').click();
  });

  it('opens a results.json the CLI wrote and shows its figures', async () => {
    const { page } = lab;
    const dir = mkdtempSync(join(tmpdir(), 'descent-lab-results-'));
    const file = join(dir, 'results.json');
    const result = optimizers2d.run({
      surfaces: ['saddle'],
      optimizers: ['sgd'],
      steps: { saddle: 20 },
    } as never);
    writeFileSync(file, JSON.stringify(result));
    await page.getByTestId('results-file').setInputFiles(file);
    await expect.poll(async () => JSON.stringify(await exportJson(page))).toBe(JSON.stringify(result));
    await page.getByTestId('experiment-figure').first().locator('svg').waitFor();
  }, 30_000);

  it('explains options that are not JSON or not accepted, and does not run them', async () => {
    const { page } = lab;
    const field = page.getByTestId('experiment-options');
    await field.fill('{ "steps": ');
    await field.blur();
    await expect.poll(() => page.getByTestId('options-error').textContent()).toMatch(/not valid JSON/);
    expect(await page.getByTestId('experiment-run').isDisabled()).toBe(true);
    await field.fill('{ "stepz": 3 }');
    await field.blur();
    await expect
      .poll(() => page.getByTestId('options-error').textContent())
      .toMatch(/Unknown option.*"stepz".*accepted: surfaces, optimizers, steps/);
    expect(lab.errors).toEqual([]);
  });

  it('trains an MNIST experiment on the bundled subset the worker loads, as Node does on loadMnist()', async () => {
    const { page } = lab;
    const options = { optimizers: ['sgd'], lrs: [0.1], hidden: [16], trainSize: 200, epochs: 1 };
    await page.getByTestId('experiment-select').selectOption('lr-sweep');
    await page.getByTestId('experiment-options').fill(JSON.stringify(options));
    await page.getByTestId('experiment-options').blur();
    await page.getByTestId('experiment-run').click();
    await page.getByTestId('experiment-figure').first().locator('svg').waitFor({ timeout: 45_000 });
    const exported = await exportJson(page);
    await initWasmBackend();
    const expected = lrSweep.run({ ...options, data: () => loadMnist() } as never);
    expect(JSON.stringify(exported)).toBe(JSON.stringify(expected));
  }, 90_000);
});
