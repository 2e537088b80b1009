/**
 * Web Workers for the WebAssembly backend in browsers (browser-safe; exported from descent).
 *
 * The browser's counterpart of threads_node.ts, with the same protocol (threads_protocol.ts): the
 * backend's tensors live in a shared WebAssembly.Memory, each worker instantiates the same kernel
 * module over it, and every large matrix product is split into chunks of rows that the calling thread
 * and the workers take from an atomic counter. Results are bit-identical to the single-threaded
 * backend's for any thread count, and to Node's for the same build.
 *
 * Three things differ from Node:
 * - A shared memory needs SharedArrayBuffer, which browsers give only to cross-origin isolated pages:
 *   the page must be served with `Cross-Origin-Opener-Policy: same-origin` and
 *   `Cross-Origin-Embedder-Policy: require-corp` (docs/THREADS.md).
 * - The workers' code is inlined: a Blob URL made from a source string, so no extra file has to be
 *   served; the compiled WebAssembly.Module and the shared Memory are posted to each worker. Setting
 *   up is asynchronous (the main thread compiles asynchronously, and workers start only once it
 *   yields), so `useWebWorkerThreads` returns a promise that resolves when every worker is ready.
 * - A browser's main thread may not block in Atomics.wait. There the caller, after taking every
 *   remaining chunk itself, spins on Atomics.load until the chunks that workers are computing at that
 *   moment are done (one chunk's time at most); inside a worker it blocks like Node.
 */
import { setBackend } from '../registry.js';
import { detectVariant } from './features.js';
import { type Kernels, kernelBytes } from './kernels.js';
import {
  closeHelpers,
  HelperPool,
  helperSource,
  threadCount,
  type WasmThreadsOptions,
} from './threads_protocol.js';
import { WasmBackend } from './wasm_backend.js';

export type { WasmThreadsOptions } from './threads_protocol.js';

const CALLER = 'useWebWorkerThreads';

// The worker's program: it serves chunks from its first message on; `serve` never returns before the
// pool is closed, so the worker handles no other message.
const workerSource = `
${helperSource}
onmessage = (event) => {
  const { module, memory, control, slot } = event.data;
  try {
    serve(module, memory, control, slot, () => postMessage({ ready: true }));
  } catch (error) {
    postMessage({ error: String((error && error.message) || error) });
  }
};
`;

interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: unknown;
}

/** Throws, naming what is missing, where this context cannot run threads. */
function checkContext(): void {
  const g = globalThis as BrowserGlobals;
  if (typeof g.Worker !== 'function') {
    throw new Error(`${CALLER}: this context has no Web Workers (Worker is not defined)`);
  }
  if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
    throw new Error(
      `${CALLER}: threads share a WebAssembly.Memory, which needs SharedArrayBuffer, and browsers give it ` +
        `only to cross-origin isolated pages (crossOriginIsolated is ${String(g.crossOriginIsolated)} here). ` +
        'Serve the page, and the script of any worker it runs in, with the headers ' +
        "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp' " +
        '(see docs/THREADS.md).',
    );
  }
}

/** Resolves when the worker reports ready; rejects with the reason it did not start. */
function started(worker: Worker, slot: number): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ ready?: boolean; error?: string }>) => {
      if (event.data.ready === true) resolve();
      else reject(new Error(`${CALLER}: worker ${slot + 1} failed: ${event.data.error}`));
    };
    worker.onmessageerror = () => {
      reject(new Error(`${CALLER}: worker ${slot + 1} could not receive the kernel module and memory`));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      reject(
        new Error(
          `${CALLER}: worker ${slot + 1} did not start (${event.message || 'no message'}); ` +
            "a Content-Security-Policy must allow 'worker-src blob:'",
        ),
      );
    };
  });
}

/**
 * A WebAssembly backend whose matrix products run on `threads` threads: this one and `threads − 1`
 * Web Workers over a shared memory. Resolves once every worker is ready. Results are bit-identical
 * to the single-threaded backend's for any thread count.
 */
export async function createWebWorkerWasmBackend(options: WasmThreadsOptions = {}): Promise<WasmBackend> {
  checkContext();
  const threads = threadCount(
    CALLER,
    options,
    (globalThis as BrowserGlobals).navigator?.hardwareConcurrency ?? 1,
  );
  const variant = options.variant ?? detectVariant();
  if (variant === 'scalar') {
    throw new Error(`${CALLER}: threads need a SIMD build; this browser has no WebAssembly SIMD`);
  }
  // As WasmBackend's constructor makes it for sharedMemory, but compiled and instantiated without
  // blocking: engines cap synchronous compilation on a browser's main thread, and it would freeze the page.
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const module = await WebAssembly.compile(kernelBytes(variant, true) as BufferSource);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const backend = new WasmBackend({ variant, memory, kernels: instance.exports as unknown as Kernels });
  if (threads === 1) return backend;

  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  try {
    const pool = new HelperPool(backend, threads - 1, (slot, control) => {
      const worker = new Worker(url, { name: `descent-wasm-${slot + 1}` });
      workers.push(worker);
      ready.push(started(worker, slot));
      worker.postMessage({ module, memory, control, slot });
      return worker;
    });
    backend.setParallelKernels(pool);
    await Promise.all(ready);
  } catch (error) {
    closeHelpers(backend);
    for (const worker of workers) worker.terminate();
    throw error;
  } finally {
    URL.revokeObjectURL(url);
  }
  return backend;
}

/**
 * Makes a WebAssembly backend with Web Worker threads the default (see createWebWorkerWasmBackend)
 * and returns it. The page must be cross-origin isolated (docs/THREADS.md).
 *
 * ```ts
 * import { useWebWorkerThreads } from 'descent';
 * await useWebWorkerThreads(); // one thread per core for matrix products
 * ```
 */
export async function useWebWorkerThreads(options: WasmThreadsOptions = {}): Promise<WasmBackend> {
  const backend = await createWebWorkerWasmBackend(options);
  setBackend(backend);
  return backend;
}

/** Stops a threaded backend's workers; its products then run on the calling thread. */
export function closeWebWorkerThreads(backend: WasmBackend): void {
  closeHelpers(backend);
}
