/**
 * The page of test/browser/run.mjs (bundled for the browser). Under /iso/ it is served cross-origin
 * isolated and runs the scenario on Web Worker threads, on the main thread and inside a worker
 * (worker.ts); under /plain/ it is not, and reports the error useWebWorkerThreads gives. Either way
 * it POSTs its findings to /result.
 */
import { detectVariant } from '../../src/backend/wasm/features.js';
import {
  closeWebWorkerThreads,
  createWebWorkerWasmBackend,
  useWebWorkerThreads,
} from '../../src/backend/wasm/threads_browser.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { getBackend } from '../../src/index.js';
import { runScenario } from './scenario.js';

async function post(path: string, body: unknown): Promise<void> {
  await fetch(path, { method: 'POST', body: JSON.stringify(body) });
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

/** The scenario inside a dedicated worker, whose threads block in Atomics.wait instead of spinning. */
function inWorker(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker('worker.js', { type: 'module' });
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(`the test worker failed: ${event.message}`));
  });
}

async function main(): Promise<unknown> {
  const base = {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    detected: detectVariant(),
  };
  if (location.pathname.startsWith('/plain/')) {
    try {
      await useWebWorkerThreads({ threads: 2 });
      return { ...base, error: null };
    } catch (error) {
      return { ...base, error: message(error) };
    }
  }
  const start = performance.now();
  const onBuild = async (variant: 'simd' | 'relaxed-simd') =>
    runScenario(
      await WasmBackend.load({ variant }),
      (threads) => createWebWorkerWasmBackend({ threads, variant }),
      closeWebWorkerThreads,
    );
  const main = await onBuild('simd');
  const relaxed = base.detected === 'relaxed-simd' ? await onBuild('relaxed-simd') : null;
  // useWebWorkerThreads makes the threaded backend the default.
  const used = await useWebWorkerThreads({ variant: 'simd' });
  const madeDefault = getBackend() === used;
  const defaultThreads = used.threads;
  closeWebWorkerThreads(used);
  const worker = await inWorker();
  return {
    ...base,
    main,
    relaxed,
    madeDefault,
    defaultThreads,
    worker,
    seconds: (performance.now() - start) / 1000,
  };
}

main().then(
  (result) => post('/result', result),
  (error) => post('/result', { fatal: message(error) }),
);
