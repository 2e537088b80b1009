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
 * In Node, DESCENT_BACKEND=reference (or wasm) in the environment picks the default explicitly.
 */
import type { Backend } from './backend.js';
import { missingCoreMembers } from './capabilities.js';
import { ReferenceBackend } from './reference/reference_backend.js';
import { WasmBackend } from './wasm/wasm_backend.js';

/** DESCENT_BACKEND from the environment, where there is one (Node); undefined in browsers. */
function requestedBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.DESCENT_BACKEND;
  if (value === undefined || value === '') return undefined;
  if (value !== 'reference' && value !== 'wasm') {
    throw new Error(`DESCENT_BACKEND=${value} is not a backend; use reference or wasm`);
  }
  return value;
}

function initialBackend(): Backend {
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
