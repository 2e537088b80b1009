/**
 * Worker threads for the WebAssembly backend (Node only; exported from descent/node).
 *
 * The backend's tensors live in a shared WebAssembly.Memory; each worker instantiates the same kernel
 * module over it and takes chunks of every large matrix product and direct convolution along with the
 * calling thread (threads_protocol.ts: the control block, the helpers' program, the chunks). The
 * caller waits for the chunks still in progress with Atomics.wait, which Node allows on every thread.
 * Every output element is the same sequential sum whoever computes it, so the result is bit-identical
 * for any number of threads. The browser's counterpart, over Web Workers, is threads_browser.ts.
 *
 * Workers start asynchronously and take part once they run. They are unref'd, so they never keep a
 * process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { setBackend } from '../registry.js';
import {
  closeHelpers,
  HelperPool,
  helperSource,
  threadCount,
  type WasmThreadsOptions,
} from './threads_protocol.js';
import { WasmBackend } from './wasm_backend.js';

export type { WasmThreadsOptions } from './threads_protocol.js';

// The worker's program (CommonJS, evaluated).
const workerSource = `
const { workerData } = require('node:worker_threads');
${helperSource}
serve(workerData.module, workerData.memory, workerData.control, workerData.slot, () => {});
`;

/**
 * A WebAssembly backend whose matrix products run on `threads` threads (worker_threads over a shared
 * memory). Results are bit-identical to the single-threaded backend's for any thread count.
 */
export function createThreadedWasmBackend(options: WasmThreadsOptions = {}): WasmBackend {
  const threads = threadCount('useWasmThreads', options, availableParallelism());
  const backend = new WasmBackend({
    sharedMemory: true,
    ...(options.variant && { variant: options.variant }),
  });
  if (threads > 1) {
    const module = backend.module;
    if (module === null) throw new Error('useWasmThreads: the backend has no compiled module to share');
    const pool = new HelperPool(backend, threads - 1, (slot, control) => {
      const worker = new Worker(workerSource, {
        eval: true,
        workerData: { module, memory: backend.memory, control, slot },
      });
      worker.unref();
      return worker;
    });
    backend.setParallelKernels(pool);
  }
  return backend;
}

/**
 * Makes a threaded WebAssembly backend the default (see createThreadedWasmBackend) and returns it.
 *
 * ```ts
 * import { useWasmThreads } from 'descent/node';
 * useWasmThreads(); // one thread per core for matrix products
 * ```
 */
export function useWasmThreads(options: WasmThreadsOptions = {}): WasmBackend {
  const backend = createThreadedWasmBackend(options);
  setBackend(backend);
  return backend;
}

/** Stops a threaded backend's workers (they never keep the process alive, so this is optional). */
export function closeWasmThreads(backend: WasmBackend): void {
  closeHelpers(backend);
}
