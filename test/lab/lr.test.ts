/**
 * The lab's learning-rate panel in Chromium. Each part exports what the matching CLI command prints
 * for the settings in the URL: the surface run equals `surfaceRecord` (what `descent surface --json`
 * prints) to 1e-6, the network run equals the lines of the `descent train … --json` command the page
 * shows (run in-process), the range test equals `descent lr-find … --json`. A very high rate shows the
 * trainer's "too high" diagnostic in words; 0 or a non-number shows a visible notice; figures have ink.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../src/backend/registry.js';
import { getSurface } from '../../src/surfaces/functions.js';
import { surfaceRecord } from '../../src/surfaces/record.js';
import { runCli } from '../cli/run_cli.js';
import { inkFraction, type Lab, NO_BROWSER, openLab } from './harness.js';

const SETTINGS =
  'lr=0.03&fn=quadratic&condition=25&optimizer=sgd&netOptimizer=adam&steps=40&epochs=3&seed=1&sweepSteps=30';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-lab-lr-'));

/** The part's export once it shows the result of the settings on screen (parts share testids). */
async function exportPart(page: Page, part: string): Promise<string> {
  const section = page.getByTestId(part);
  await section.and(page.locator('[data-fresh=true]')).waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByTestId('export-json').click(),
  ]);
  return fs.readFileSync(await download.path(), 'utf8');
}

/** The command line a part shows, as arguments for `runCli`, writing any run directory under tmp. */
async function shownCommand(section: Locator, out: string): Promise<string[]> {
  const text = (await section.locator('.lr-command').textContent()) ?? '';
  const args = text.trim().split(/\s+/).slice(1); // drop "descent"
  return args[0] === 'train' ? [...args, '--out', path.join(tmp, out)] : args;
}

function closeTo(got: number | null, want: number | null, digits: number): void {
  if (want === null || got === null) expect(got).toBe(want);
  else expect(got).toBeCloseTo(want, digits);
}

describe.skipIf(NO_BROWSER)('lab: learning-rate panel (skipped: no Chromium; CI installs it)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await openLab(`lr?lang=en&${SETTINGS}`);
    await initWasmBackend();
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('exports the surface run as descent surface --json, equal to surfaceRecord in Node to 1e-6', async () => {
    const got = JSON.parse(await exportPart(lab.page, 'lr-surface')) as ReturnType<typeof surfaceRecord>;
    const want = surfaceRecord({
      fn: 'quadratic',
      optimizer: 'sgd',
      options: { lr: 0.03 },
      start: getSurface('quadratic').start,
      steps: 40,
      condition: 25,
    });
    expect(Object.keys(got)).toEqual(Object.keys(want));
    expect({ ...got, trajectory: [], loss: [] }).toEqual({ ...want, trajectory: [], loss: [] });
    for (const [k, [x, y]] of want.trajectory.entries()) {
      expect(got.trajectory[k]![0]).toBeCloseTo(x, 6);
      expect(got.trajectory[k]![1]).toBeCloseTo(y, 6);
      expect(got.loss[k]).toBeCloseTo(want.loss[k]!, 6);
    }
    expect(await inkFraction(lab.page, '[data-testid=lr-path]')).toBeGreaterThan(0.02);
  }, 60_000);

  it('exports the network run as the lines of the descent train --json command it shows', async () => {
    const text = await exportPart(lab.page, 'lr-network');
    const args = await shownCommand(lab.page.getByTestId('lr-network'), 'train');
    expect(args.join(' ')).toContain('--lr 0.03 --epochs 3 --seed 1');
    const cli = await runCli(args);
    expect(cli.code, cli.stderr).toBe(0);
    const got = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number | null>);
    const want = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number | null>);
    expect(got.length).toBe(4);
    expect(got.map((l) => Object.keys(l))).toEqual(want.map((l) => Object.keys(l)));
    for (const [i, line] of want.entries()) {
      for (const key of [
        'trainLoss',
        'trainAccuracy',
        'valLoss',
        'valAccuracy',
        'lr',
        'testLoss',
        'testAccuracy',
      ])
        if (key in line) closeTo(got[i]![key]!, line[key]!, 5);
      expect(got[i]!.epoch ?? got[i]!.epochs).toBe(line.epoch ?? line.epochs);
    }
    expect(await inkFraction(lab.page, '[data-testid=lr-network-loss]')).toBeGreaterThan(0.02);
  }, 120_000);

  it('exports the range test as descent lr-find --json and marks its suggestion', async () => {
    const got = JSON.parse(await exportPart(lab.page, 'lr-range')) as Record<string, unknown>;
    const cli = await runCli(await shownCommand(lab.page.getByTestId('lr-range'), 'find'));
    expect(cli.code, cli.stderr).toBe(0);
    const want = JSON.parse(cli.stdout) as { suggestion: number; lrs: number[]; losses: number[] };
    expect(Object.keys(got)).toEqual(Object.keys(want));
    expect(got.diverged).toBe((want as Record<string, unknown>).diverged);
    expect(got.suggestion).toBeCloseTo(want.suggestion, 9);
    expect((got.lrs as number[]).length).toBe(30);
    for (const [k, loss] of want.losses.entries()) closeTo((got.losses as number[])[k]!, loss, 5);
    await expect
      .poll(() => lab.page.getByTestId('lr-suggestion').textContent())
      .toContain(want.suggestion.toPrecision(3));
    expect(await inkFraction(lab.page, '[data-testid=lr-range-chart]')).toBeGreaterThan(0.02);
  }, 60_000);

  it('draws the four schedules from the library with their parameters', async () => {
    const { page } = lab;
    await page.locator('[data-testid=lr-schedules][data-fresh=true]').waitFor({ timeout: 30_000 });
    const specs = await page.getByTestId('lr-schedule-specs').textContent();
    for (const name of ['StepLR', 'CosineAnnealingLR', 'OneCycleLR', 'warmupSteps: 10'])
      expect(specs).toContain(name);
    expect(await inkFraction(page, '[data-testid=lr-schedules-chart]')).toBeGreaterThan(0.02);
  }, 30_000);

  it('a very high learning rate shows the trainer’s "too high" diagnostic in words', async () => {
    const { page } = lab;
    const field = page.getByTestId('lr-input');
    await field.fill('10'); // the slider's top, five decades above 1e-4
    await field.press('Tab');
    await page.locator('[data-testid=lr-network][data-fresh=true]').waitFor({ timeout: 60_000 });
    const diagnostic = page.getByTestId('lr-network-diagnostics').getByTestId('diagnostic-divergence');
    await expect.poll(() => diagnostic.textContent()).toMatch(/very likely too high/);
    const onSurface = page.getByTestId('lr-surface-diagnostics').getByTestId('diagnostic-divergence');
    expect(await onSurface.textContent()).toMatch(/very likely too high/);
  }, 90_000);

  it('a learning rate of 0 or a non-number shows a visible notice', async () => {
    const { page } = lab;
    const field = page.getByTestId('lr-input');
    await field.fill('abc');
    await field.press('Tab');
    await expect.poll(() => page.locator('.field-error').first().textContent()).toMatch(/Not a number/);
    await page.goto(`${lab.url.split('#')[0]}#/lr?lang=en&lr=0`);
    await page.reload();
    const notice = page.getByTestId('lr-notice');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(/must be a positive number/);
    expect(lab.errors).toEqual([]);
  }, 30_000);
});
