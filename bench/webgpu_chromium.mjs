// WebGPU rows in headless Chromium on SwiftShader (issue 16: "in Chromium on SwiftShader, report the
// numbers for information only"): the browser bundle (scripts/bundle_browser.mjs's options, built in
// memory) and bench/webgpu_chromium_page.mjs served from 127.0.0.1, one page, the measurements of
// bench/webgpu_measure.mjs run one after the other in it. Called by bench/webgpu.mjs with --chromium.
import fs from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { browserBundleOptions } from '../scripts/bundle_browser.mjs';
import { findChromium } from '../test/helpers/find_chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Headless Chromium's WebGPU on SwiftShader. */
const FLAGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

/** The library bundle, the page and the digits (bench/mnist_batches.mjs's files), by URL path. */
async function assets(dataDir, samples) {
  const bundleOf = async (options) =>
    (await build({ ...options, write: false, logLevel: 'warning' })).outputFiles[0].text;
  const library = await bundleOf(browserBundleOptions);
  const page = await bundleOf({
    entryPoints: [path.join(here, 'webgpu_chromium_page.mjs')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    external: ['/descent.js'],
  });
  const x = fs.readFileSync(path.join(dataDir, 'mnist_x.f32')).subarray(0, samples * 784 * 4);
  const y = fs.readFileSync(path.join(dataDir, 'mnist_y.i32')).subarray(0, samples * 4);
  const count = Buffer.alloc(4);
  count.writeInt32LE(samples);
  return new Map([
    [
      '/',
      ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'],
    ],
    ['/descent.js', ['text/javascript', library]],
    ['/page.js', ['text/javascript', page]],
    ['/digits.bin', ['application/octet-stream', Buffer.concat([count, x, y])]],
  ]);
}

/**
 * Runs `tasks` ([{ label, task }]) in one headless Chromium page. Returns { adapter, results } or
 * { unavailable } when there is no Chromium.
 */
export async function runChromiumWebGpuBench({ tasks, dataDir, samples, log = console.log }) {
  const executablePath = findChromium();
  if (executablePath === null)
    return { unavailable: 'no Chromium (set CHROMIUM or install chromium)', results: [] };
  const files = await assets(dataDir, samples);
  const server = createServer((req, res) => {
    const file = files.get(new URL(req.url, 'http://localhost').pathname);
    if (!file) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath, args: FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => 'benchTask' in globalThis, null, { timeout: 30_000 });
    const version = browser.version();
    const results = [];
    for (const { label, task, skip } of tasks) {
      if (skip) continue;
      const t0 = performance.now();
      const r = await page
        .evaluate((t) => globalThis.benchTask(t), task)
        .catch((error) => ({ ...task, failed: error.message.split('\n')[0] }));
      const record = { label, engine: `descent-webgpu in Chromium ${version} (${r.adapter ?? '?'})`, ...r };
      record.wallSeconds = Math.round((performance.now() - t0) / 100) / 10;
      if (record.data !== undefined) record.data = '<data>';
      results.push(record);
      log(
        `  chromium ${label.padEnd(24)} ${format(record).padStart(20)}  ${record.wallSeconds.toFixed(1).padStart(5)} s`,
      );
    }
    return { chromium: version, adapter: results.find((r) => r.adapter)?.adapter ?? null, results };
  } finally {
    await browser.close();
    server.close();
  }
}

function format(r) {
  if (r.gflops !== undefined) return `${r.gflops.toFixed(2)} GFLOP/s`;
  if (r.samplesPerSecond !== undefined)
    return `${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s`;
  return `failed (${r.failed})`;
}
