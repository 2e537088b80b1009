// The browser test of the WebAssembly backend's Web Worker threads (`npm run test:browser`; not part
// of vitest). It bundles test/browser/page.ts with esbuild, serves it from a local HTTP server with the
// cross-origin isolation headers, opens it in headless Chromium and checks what the page POSTs back:
//   (a) matrix products on 1, 2 and 4 Web Worker threads give the single-threaded backend's bits;
//   (b) training steps of a small MLP give the same weights on 1, 2 and 4 threads;
//   (c) the hashes of those float32 bytes equal the ones Node computes with its worker_threads pool;
// and, inside a dedicated worker (where the caller blocks instead of spinning), the same hashes again;
// a page served without the headers gets an error that names them. The build is pinned to plain SIMD
// on both sides for that comparison (whether relaxed SIMD fuses is up to the engine and processor);
// where both run relaxed SIMD, its thread counts are checked too and its hashes compared for information.
//
// Chromium: $CHROMIUM, else chromium, chromium-browser, google-chrome on the PATH; none found: skipped
// (exit 0). Exit 1 on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { findChromium } from '../helpers/find_chromium.mjs';

const TIMEOUT_MS = 240_000;

const chromium = findChromium();
if (chromium === null) {
  console.log('test:browser skipped: no Chromium found (install chromium or set CHROMIUM=/path/to/chrome)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'descent-browser-'));
// Removed however the script ends (a failed bundle or Node run throws before the checks).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function bundle(entry, platform) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

const [pageJs, workerJs, nodeJs] = await Promise.all([
  bundle('test/browser/page.ts', 'browser'),
  bundle('test/browser/worker.ts', 'browser'),
  bundle('test/browser/node_entry.ts', 'node'),
]);

// Node's numbers first.
const nodeFile = join(dir, 'node_entry.mjs');
writeFileSync(nodeFile, nodeJs);
const { runNode } = await import(pathToFileURL(nodeFile).href);
const node = await runNode();

const html =
  '<!doctype html><meta charset="utf-8"><title>descent threads</title><script type="module" src="page.js"></script>';
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
let deliver = null;
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/result') {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(204).end();
      deliver?.(JSON.parse(body));
    });
    return;
  }
  const [, mode, file] = url.pathname.split('/');
  const content = { '': html, 'index.html': html, 'page.js': pageJs, 'worker.js': workerJs }[file];
  if ((mode !== 'iso' && mode !== 'plain') || content === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html',
    'Cache-Control': 'no-store',
    ...(mode === 'iso' ? isolation : {}),
  });
  res.end(content);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

/** Opens `path` in a fresh headless Chromium and resolves with what the page POSTs to /result. */
function openPage(path) {
  const profile = mkdtempSync(join(dir, 'profile-'));
  const browser = spawn(
    chromium,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      `${origin}${path}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  browser.stderr.on('data', (c) => {
    log = (log + c).slice(-4000);
  });
  // Settles once Chromium has exited, so that no browser process outlives its page.
  return new Promise((resolve, reject) => {
    let outcome = null;
    const finish = (o) => {
      if (outcome !== null) return;
      outcome = o;
      clearTimeout(timer);
      deliver = null;
      browser.kill();
    };
    const timer = setTimeout(
      () =>
        finish({
          error: new Error(`no result from ${path} within ${TIMEOUT_MS / 1000} s; Chromium's log:\n${log}`),
        }),
      TIMEOUT_MS,
    );
    deliver = (result) => finish({ result });
    browser.on('exit', (code) => {
      finish({ error: new Error(`Chromium exited (${code}) before ${path} reported; its log:\n${log}`) });
      if (outcome.error !== undefined) reject(outcome.error);
      else resolve(outcome.result);
    });
  });
}

/** The first few differences, for a failing check's line. */
function first(mismatches) {
  return mismatches.length === 0 ? '' : `: ${mismatches.slice(0, 3).join('; ')}`;
}

function sameHashes(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function table(name, result) {
  for (const key of Object.keys(result.products)) {
    console.log(
      `  ${name.padEnd(14)} ${key.padEnd(6)} variant ${result.variants[key].padEnd(5)} threads ${result.threads[key]}` +
        `  products ${result.products[key].slice(0, 16)}  training ${result.training[key].slice(0, 16)}` +
        `  chunks by helpers ${JSON.stringify(result.helperChunks[key] ?? [])}`,
    );
  }
}

try {
  console.log(`Chromium: ${chromium}; ${node.runtime}, which detects ${node.detected}`);

  const plain = await openPage('/plain/index.html');
  console.log(`page without the headers: crossOriginIsolated ${plain.crossOriginIsolated}`);
  check(
    typeof plain.error === 'string' &&
      plain.error.includes('Cross-Origin-Opener-Policy: same-origin') &&
      plain.error.includes('Cross-Origin-Embedder-Policy: require-corp'),
    `without cross-origin isolation, useWebWorkerThreads fails naming both headers: ${String(plain.error).split('\n')[0]}`,
  );

  const page = await openPage('/iso/index.html');
  if (page.fatal !== undefined) throw new Error(`the page failed: ${page.fatal}`);
  console.log(
    `page: ${page.userAgent}\n  crossOriginIsolated ${page.crossOriginIsolated}, hardwareConcurrency ${page.hardwareConcurrency}, detects ${page.detected}, ${page.seconds.toFixed(1)} s`,
  );
  console.log('hashes (SHA-256 of the float32 bytes, first 16 hex digits):');
  table('node', node);
  table('browser main', page.main);
  if (page.worker.fatal === undefined) table('browser worker', page.worker);

  check(
    node.mismatches.length === 0,
    `Node: 1, 2 and 4 threads give the single thread's bits${first(node.mismatches)}`,
  );
  check(
    page.main.mismatches.length === 0,
    `browser main thread: products and training on 1, 2 and 4 Web Worker threads give the single thread's bits${first(page.main.mismatches)}`,
  );
  check(
    Object.entries(page.main.threads).every(([key, t]) => key === 'single' || t === Number(key.slice(1))),
    `browser main thread: the backends ran on the thread counts asked for ${JSON.stringify(page.main.threads)}`,
  );
  const helped = (r) => ['t2', 't4'].every((key) => r.helperChunks[key].reduce((x, y) => x + y, 0) > 0);
  check(helped(page.main), 'browser main thread: the Web Workers computed chunks of the products');
  check(
    Object.values(page.main.variants).every((v) => v === 'simd') &&
      Object.values(node.variants).every((v) => v === 'simd'),
    'both sides ran the simd build',
  );
  check(sameHashes(page.main.products, node.products), "products: the browser's hashes equal Node's");
  check(sameHashes(page.main.training, node.training), "training: the browser's hashes equal Node's");
  check(
    page.madeDefault && page.defaultThreads === page.hardwareConcurrency,
    `useWebWorkerThreads() makes the backend the default, with hardwareConcurrency (${page.defaultThreads}) threads`,
  );
  if (page.relaxed !== null) {
    table('browser relaxed', page.relaxed);
    check(
      page.relaxed.mismatches.length === 0 && helped(page.relaxed),
      `browser, relaxed-simd build: 1, 2 and 4 Web Worker threads give the single thread's bits${first(page.relaxed.mismatches)}`,
    );
    if (node.relaxed !== null) {
      table('node relaxed', node.relaxed);
      // Fused or not is up to the engine and the processor, so this is reported, not required.
      const same =
        sameHashes(page.relaxed.products, node.relaxed.products) &&
        sameHashes(page.relaxed.training, node.relaxed.training);
      console.log(
        `info relaxed-simd build: the browser's hashes ${same ? 'equal' : 'differ from'} Node's on this machine`,
      );
    }
  }
  check(
    page.worker.fatal === undefined,
    `inside a worker: runs${page.worker.fatal === undefined ? '' : `: ${page.worker.fatal}`}`,
  );
  if (page.worker.fatal === undefined) {
    check(
      page.worker.mismatches.length === 0,
      `inside a worker: 1, 2 and 4 threads give the single thread's bits${first(page.worker.mismatches)}`,
    );
    check(
      sameHashes(page.worker.products, node.products) && sameHashes(page.worker.training, node.training),
      "inside a worker: the hashes equal Node's",
    );
    check(helped(page.worker), 'inside a worker: its nested Web Workers computed chunks of the products');
  }
} catch (error) {
  check(false, error instanceof Error ? error.message : String(error));
} finally {
  server.close();
}

if (failures.length > 0) {
  console.log(`test:browser: ${failures.length} failed`);
  process.exit(1);
}
console.log('test:browser: all passed');
process.exit(0);
