#!/usr/bin/env node
/**
 * `npm run lab:screenshots`: the README's pictures of the lab, docs/lab/<panel>.png (1280×800), each
 * panel opened in Chromium with a representative state in its URL (the same links a reader can
 * open), plus one in Chinese. Run `npm run lab:build` first; it serves dist/lab with the server
 * `descent lab` uses (src/cli/lab_server.ts, compiled here by esbuild so that no full build is
 * needed) and drives Chromium through playwright-core (CHROMIUM=/path overrides /usr/bin/chromium).
 * Names given as arguments (`npm run lab:screenshots -- playground`) retake only those pictures.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAB = join(ROOT, 'dist/lab');
const OUT = join(ROOT, 'docs/lab');
const VIEWPORT = { width: 1280, height: 800 };

const json = (value) => encodeURIComponent(JSON.stringify(value));

/** Each picture: its file, the URL state, and what to do before the shot (wait for the drawing). */
const SHOTS = [
  {
    file: 'paths.png',
    hash: `paths?lang=en&fn=rosenbrock&steps=400&runs=${json([
      { optimizer: 'sgd', options: { lr: 0.001, momentum: 0.9 } },
      { optimizer: 'adam', options: { lr: 0.05 } },
      { optimizer: 'rmsprop', options: { lr: 0.01 } },
      { optimizer: 'sgd', options: { lr: 0.001 } },
    ])}`,
    prepare: (page) => settle(page, '.figure canvas'),
  },
  {
    file: 'lr.png',
    hash: 'lr?lang=en&lr=0.5',
    prepare: (page) => settle(page, '.figure canvas'),
  },
  {
    file: 'init.png',
    hash: 'init?lang=en&activation=tanh&init=random',
    prepare: (page) => settle(page, '.figure canvas'),
  },
  {
    file: 'playground.png',
    hash: 'playground?lang=en&data=spirals&epochs=30',
    prepare: async (page) => {
      await page.getByTestId('pg-play').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid=pg-status]')?.getAttribute('data-status') === 'finished',
        null,
        { timeout: 120_000 },
      );
      await settle(page, '[data-testid=boundary-canvas]');
    },
  },
  {
    file: 'experiments.png',
    hash: `experiments?lang=en&name=optimizers-2d&options=${json({
      surfaces: ['quadratic', 'saddle'],
      optimizers: ['sgd', 'momentum', 'nesterov', 'adam'],
    })}`,
    prepare: async (page) => {
      await page.getByTestId('experiment-run').click();
      const figure = page.getByTestId('experiment-figure').first();
      await figure.locator('svg').waitFor({ timeout: 120_000 });
      await figure.scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
    },
  },
  {
    file: 'init-zh.png',
    hash: 'init?lang=zh&activation=tanh&init=xavier',
    prepare: async (page) => {
      await page.evaluate(() => document.fonts.ready);
      await settle(page, '.figure canvas');
    },
  },
];

/** Waits for the selector, for the worker's jobs to draw, and for the fonts. */
async function settle(page, selector) {
  await page.locator(selector).first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(2500);
  await page.evaluate(() => document.fonts.ready);
}

/** The lab server, compiled from the TypeScript source next to node_modules' other caches. */
async function loadLabServer() {
  const outfile = join(ROOT, 'node_modules/.cache/descent-lab-screenshots/lab_server.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src/cli/lab_server.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

async function main() {
  if (!existsSync(join(LAB, 'index.html'))) {
    console.error(`lab:screenshots: ${LAB}/index.html is missing; run npm run lab:build first`);
    process.exit(2);
  }
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(
      `lab:screenshots: no Chromium at ${executablePath}; install it or set CHROMIUM=/path/to/chromium`,
    );
    process.exit(2);
  }
  mkdirSync(OUT, { recursive: true });
  const { startLabServer } = await loadLabServer();
  const server = await startLabServer({ root: LAB, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  let failed = false;
  try {
    const only = process.argv.slice(2);
    const unknown = only.filter((name) => !SHOTS.some((s) => s.file === `${name}.png`));
    if (unknown.length)
      throw new Error(`no such picture: ${unknown.join(', ')} (${SHOTS.map((s) => s.file).join(', ')})`);
    for (const shot of SHOTS.filter((s) => only.length === 0 || only.includes(s.file.slice(0, -4)))) {
      const page = await browser.newPage({
        viewport: VIEWPORT,
        deviceScaleFactor: 1,
        serviceWorkers: 'block',
      });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(`${server.url}#/${shot.hash}`);
        await shot.prepare(page);
        const file = join(OUT, shot.file);
        await page.screenshot({ path: file });
        const kib = (statSync(file).size / 1024).toFixed(0);
        console.log(`${shot.file}: ${kib} KiB  #/${decodeURIComponent(shot.hash)}`);
        if (errors.length) throw new Error(errors.join('; '));
      } catch (error) {
        failed = true;
        console.error(`lab:screenshots: ${shot.file}: ${error.message}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  process.exit(failed ? 1 : 0);
}

await main();
