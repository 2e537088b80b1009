/**
 * Training on WebGPU in headless Chromium matches the WebAssembly backend in Node: the page
 * (page.ts) loads the browser bundle, built in memory with scripts/bundle_browser.mjs's own options,
 * calls `initWebGpuBackend()` and trains the course's network and LeNet-5 with fitAsync on the digits
 * Node serves; Node trains the same cases on the WebAssembly backend and compares the step losses
 * within the tolerance derived from both backends' declared precision (training_cases.ts).
 *
 * Chromium runs WebGPU on SwiftShader (Vulkan on the CPU) with the flags below, so no GPU is needed.
 * Without Chromium the test is skipped, and without a WebGPU adapter in it too, except under CI=true,
 * where either fails the test (.ci/run installs chromium).
 */
import { createServer, type Server } from 'node:http';
import { build, type Plugin } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserBundleOptions, checkBrowserExports } from '../../scripts/bundle_browser.mjs';
import * as lib from '../../src/index.js';
import { loadMnist, WasmBackend } from '../../src/node.js';
import {
  type Digits,
  lossMismatches,
  maxRelativeDifference,
  TRAINING_CASES,
  type TrainingRun,
  trainCase,
} from '../backend/webgpu/training_cases.js';
import { findChromium } from '../helpers/find_chromium.mjs';
import type { PageReport } from './page.js';

const IN_CI = process.env.CI === 'true';
const CHROMIUM = findChromium();
if (CHROMIUM === null && IN_CI)
  throw new Error('CI=true but no Chromium was found: .ci/run installs it with apt-get install -y chromium');

/** Headless Chromium's WebGPU on SwiftShader (issue 16). */
export const WEBGPU_SWIFTSHADER_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

const SAMPLES = Math.max(...TRAINING_CASES.map((c) => c.samples));

/** The page's import of src/index.ts becomes an import of the separately served bundle. */
const libraryAsBundle: Plugin = {
  name: 'library-as-bundle',
  setup(b) {
    b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: '/descent.js', external: true }));
  },
};

/** The library bundle (the browser bundle's options), the page, and the digits, keyed by URL path. */
async function assets(digits: Digits): Promise<Map<string, { type: string; body: Uint8Array | string }>> {
  const library = await build({ ...browserBundleOptions, write: false, metafile: true, logLevel: 'warning' });
  checkBrowserExports(library.metafile);
  const page = await build({
    entryPoints: [new URL('./page.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    plugins: [libraryAsBundle],
  });
  const bin = new Uint8Array(4 + SAMPLES * 784 * 4 + SAMPLES * 4);
  new Int32Array(bin.buffer, 0, 1)[0] = SAMPLES;
  new Float32Array(bin.buffer, 4, SAMPLES * 784).set(digits.features.subarray(0, SAMPLES * 784));
  new Int32Array(bin.buffer, 4 + SAMPLES * 784 * 4, SAMPLES).set(digits.labels.subarray(0, SAMPLES));
  const js = 'text/javascript';
  return new Map([
    [
      '/',
      {
        type: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>',
      },
    ],
    ['/descent.js', { type: js, body: library.outputFiles[0]!.text }],
    ['/page.js', { type: js, body: page.outputFiles[0]!.text }],
    ['/digits.bin', { type: 'application/octet-stream', body: bin }],
  ]);
}

/** Serves `files` on 127.0.0.1 (a secure context, which WebGPU requires). */
async function serve(files: Awaited<ReturnType<typeof assets>>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (file === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

describe.skipIf(CHROMIUM === null)('training on WebGPU in headless Chromium (SwiftShader)', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let report: PageReport;
  const wasm: Record<string, TrainingRun> = {};

  beforeAll(async () => {
    const { train } = loadMnist();
    const digits = { features: train.features, labels: train.labels };
    for (const c of TRAINING_CASES) wasm[c.name] = await trainCase(lib, new WasmBackend(), c, digits);
    const served = await serve(await assets(digits));
    server = served.server;
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-dev-shm-usage', ...WEBGPU_SWIFTSHADER_FLAGS],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    await page.waitForFunction(() => 'descentWebGpuTraining' in globalThis, null, { timeout: 30_000 });
    report = await page.evaluate(() =>
      (globalThis as unknown as { descentWebGpuTraining: () => Promise<PageReport> }).descentWebGpuTraining(),
    );
    if (errors.length > 0 && !('error' in report)) report = { error: errors.join('\n') };
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  /** Outside CI, a Chromium without a WebGPU adapter skips (with the page's message); under CI=true it fails. */
  function skipWithoutAdapter(ctx: { skip: (note?: string) => void }): void {
    if (!IN_CI && 'error' in report && /WebGpuUnavailableError/.test(report.error))
      ctx.skip(`no WebGPU adapter in this Chromium: ${report.error.split('\n')[0]}`);
  }

  it('acquires a WebGPU adapter through initWebGpuBackend in the browser bundle (fails under CI=true when none)', (ctx) => {
    skipWithoutAdapter(ctx);
    expect('error' in report ? report.error : '').toBe('');
    expect('adapterName' in report && report.adapterName.length > 0).toBe(true);
  });

  for (const c of TRAINING_CASES) {
    it(`trains ${c.title} with fitAsync to the WebAssembly backend's losses, within the declared precision`, (ctx) => {
      skipWithoutAdapter(ctx);
      if ('error' in report) throw new Error(`the page failed: ${report.error}`);
      const gpu = report.runs[c.name]!;
      const cpu = wasm[c.name]!;
      const precisions = [report.precision, new WasmBackend().precision];
      console.log(
        `Chromium ${report.adapterName}, ${c.name}: ${gpu.losses.length} steps in ${gpu.seconds.toFixed(2)} s, max relative loss difference ${maxRelativeDifference(gpu.losses, cpu.losses).toExponential(2)}`,
      );
      expect(cpu.losses.length).toBeGreaterThan(0);
      expect(lossMismatches(c, precisions, gpu.losses, cpu.losses)).toEqual([]);
    });
  }
});
