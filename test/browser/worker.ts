/**
 * Runs the scenario inside a dedicated worker (test/browser/page.ts starts it): there the calling
 * thread may block in Atomics.wait, and its helper workers are nested workers.
 */
import { detectVariant } from '../../src/backend/wasm/features.js';
import { closeWebWorkerThreads, createWebWorkerWasmBackend } from '../../src/backend/wasm/threads_browser.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { runScenario } from './scenario.js';

runScenario(
  new WasmBackend({ variant: 'simd' }),
  (threads) => createWebWorkerWasmBackend({ threads, variant: 'simd' }),
  closeWebWorkerThreads,
).then(
  (result) => postMessage({ ...result, detected: detectVariant() }),
  (error: unknown) =>
    postMessage({ fatal: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
);
