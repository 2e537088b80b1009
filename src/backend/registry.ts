/**
 * Which backend new tensors are created on.
 *
 * The default is the WebAssembly backend wherever it loads, set up synchronously when this module is
 * imported: Node compiles the kernels synchronously without limit. Browsers may refuse synchronous
 * compilation of large modules on the main thread (the web platform allows engines to; Chromium 156
 * accepts ours); there the default stays the reference backend until the page calls
 * `await initWasmBackend()`, which compiles asynchronously and makes the WebAssembly backend the
 * default. Web workers compile synchronously like Node.
 *
 * In Node, DESCENT_BACKEND in the environment picks the default explicitly: reference or wasm take
 * effect here, synchronously. webgpu and auto cannot: a GPU device is only ever acquired
 * asynchronously, so the synchronous default stays wasm and `await initBackend()` (webgpu/init.ts)
 * honours them; the CLI honours them directly.
 */
import type { Backend } from './backend.js';
import { missingCoreMembers } from './capabilities.js';
import { ReferenceBackend } from './reference/reference_backend.js';
import { WasmBackend } from './wasm/wasm_backend.js';

/** The names a backend can be chosen by: DESCENT_BACKEND, `initBackend`, the CLI's `--backend`. */
export const BACKEND_NAMES = ['reference', 'wasm', 'webgpu', 'auto'] as const;
/** `auto`: WebGPU where an adapter is found, else wasm (webgpu/init.ts). */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Whether `value` is one of BACKEND_NAMES. */
export function isBackendName(value: unknown): value is BackendName {
  return (BACKEND_NAMES as readonly unknown[]).includes(value);
}

/**
 * DESCENT_BACKEND from the environment, where there is one (Node); undefined in browsers or when it
 * is unset or empty. Any other value is refused with the accepted names.
 */
export function requestedBackend(): BackendName | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.DESCENT_BACKEND;
  if (value === undefined || value === '') return undefined;
  if (!isBackendName(value)) {
    throw new Error(`DESCENT_BACKEND=${value} is not a backend; accepted: ${BACKEND_NAMES.join(', ')}`);
  }
  return value;
}

function initialBackend(): Backend {
  // webgpu and auto start on wasm too: their device comes later, from `await initBackend()`.
  const requested = requestedBackend();
  if (requested === 'reference') return new ReferenceBackend();
  try {
    return new WasmBackend();
  } catch (error) {
    if (requested === 'wasm') throw error;
    // No WebAssembly, or no synchronous compilation here: initWasmBackend() can still switch later.
    return new ReferenceBackend();
  }
}

let current: Backend = initialBackend();

export function getBackend(): Backend {
  return current;
}

/** Makes `backend` the default for tensors created from now on; returns the previous one. */
export function setBackend(backend: Backend): Backend {
  if (backend === null || typeof backend !== 'object' || typeof backend.allocate !== 'function') {
    throw new TypeError('setBackend: expected a Backend object (for example new ReferenceBackend())');
  }
  const missing = missingCoreMembers(backend);
  if (missing.length > 0) {
    throw new TypeError(
      `setBackend: the backend lacks required members ${missing.join(', ')} (see CoreBackend in src/backend/backend.ts)`,
    );
  }
  const previous = current;
  current = backend;
  return previous;
}

/** Runs fn with `backend` as the default, restoring the previous default afterwards. */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const previous = setBackend(backend);
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/**
 * Compiles the WebAssembly kernels asynchronously (allowed everywhere, including a browser's main
 * thread) and makes the WebAssembly backend the default, unless it already is. Returns it.
 *
 * ```ts
 * import { initWasmBackend } from 'descent';
 * await initWasmBackend(); // once, before creating tensors
 * ```
 */
export async function initWasmBackend(): Promise<WasmBackend> {
  if (current instanceof WasmBackend) return current;
  const backend = await WasmBackend.load();
  current = backend;
  return backend;
}
