/**
 * Choosing a backend asynchronously: `initWebGpuBackend()` makes a WebGPU backend the default, and
 * `initBackend(name)` picks one by name (reference, wasm, webgpu, or auto: WebGPU where an adapter is
 * found, else wasm). A GPU device can only be acquired asynchronously, which is why these are not part
 * of the synchronous default that registry.ts sets up on import.
 *
 * The WebGPU backend reads only asynchronously: code that runs on it uses `fitAsync`,
 * `dataAsync`/`itemAsync` and `evaluateAsync`, never the synchronous reads.
 */

import { checkOptions } from '../../util/options.js';
import type { Backend } from '../backend.js';
import { ReferenceBackend } from '../reference/reference_backend.js';
import {
  BACKEND_NAMES,
  type BackendName,
  getBackend,
  initWasmBackend,
  isBackendName,
  requestedBackend,
  setBackend,
} from '../registry.js';
import { DEVICE_OPTION_KEYS, requestWebGpuDevice, type WebGpuDeviceOptions } from './adapter.js';
import { WebGpuBackend } from './webgpu_backend.js';

/**
 * Acquires a WebGPU device (adapter.ts: `navigator.gpu` in browsers, the `webgpu` package in Node),
 * makes a WebGpuBackend on it the default for tensors created from now on, and returns it. Throws
 * WebGpuUnavailableError, naming what was tried and what to do, when there is no adapter.
 *
 * ```ts
 * import { initWebGpuBackend } from 'descent';
 * const gpu = await initWebGpuBackend();
 * console.log(gpu.adapterName); // 'SwiftShader driver 5.0.0', say
 * ```
 */
export async function initWebGpuBackend(options: WebGpuDeviceOptions = {}): Promise<WebGpuBackend> {
  checkOptions('initWebGpuBackend', options, DEVICE_OPTION_KEYS);
  const { device, adapterName } = await requestWebGpuDevice(options);
  const backend = new WebGpuBackend({ device, adapterName });
  setBackend(backend);
  return backend;
}

/** Options of `initBackend`: the device options for webgpu and auto, and where auto's fallback note goes. */
export interface InitBackendOptions extends WebGpuDeviceOptions {
  /**
   * Receives auto's one-line note when it falls back to wasm (no WebGPU adapter, and why). Default:
   * `console.warn`, so that a page or a script learns it runs on the CPU; pass `() => {}` to silence it.
   */
  readonly onFallback?: (line: string) => void;
}

/**
 * Makes the named backend the default and returns it. `name` omitted: DESCENT_BACKEND where it is
 * set (Node), else wasm, today's default. 'auto' tries WebGPU and falls back to wasm, reporting the
 * fallback in one line (`onFallback`); it never fails for want of a GPU. 'webgpu' fails when there is
 * no adapter. The backend that was the default before is left as it was (not destroyed).
 *
 * ```ts
 * import { initBackend } from 'descent';
 * const backend = await initBackend('auto'); // webgpu where a GPU is reachable, else wasm
 * ```
 */
export async function initBackend(name?: BackendName, options: InitBackendOptions = {}): Promise<Backend> {
  if (name !== undefined && !isBackendName(name)) {
    throw new Error(`initBackend: '${String(name)}' is not a backend; accepted: ${BACKEND_NAMES.join(', ')}`);
  }
  checkOptions('initBackend', options, { ...DEVICE_OPTION_KEYS, onFallback: true });
  const chosen = name ?? requestedBackend() ?? 'wasm';
  const { onFallback, ...deviceOptions } = options;
  switch (chosen) {
    case 'reference':
      return useReference();
    case 'wasm':
      return initWasmBackend();
    case 'webgpu':
      return initWebGpuBackend(deviceOptions);
    case 'auto':
      return initAuto(deviceOptions, onFallback ?? ((line) => console.warn(line)));
  }
}

function useReference(): Backend {
  const current = getBackend();
  if (current instanceof ReferenceBackend) return current;
  const backend = new ReferenceBackend();
  setBackend(backend);
  return backend;
}

/**
 * WebGPU, or wasm when no device can be had. Any failure to acquire the device counts as "no GPU"
 * (no adapter, a device request the driver refuses); the backend's own errors still propagate.
 */
async function initAuto(options: WebGpuDeviceOptions, onFallback: (line: string) => void): Promise<Backend> {
  let acquired: Awaited<ReturnType<typeof requestWebGpuDevice>>;
  try {
    acquired = await requestWebGpuDevice(options);
  } catch (error) {
    onFallback(autoFallbackLine(error));
    return initWasmBackend();
  }
  const backend = new WebGpuBackend(acquired);
  setBackend(backend);
  return backend;
}

/** auto's note: one line saying it fell back and why (the first line of the error). */
export function autoFallbackLine(error: unknown): string {
  const reason = (error instanceof Error ? error.message : String(error)).trim().split('\n')[0];
  return `backend auto: using wasm, no WebGPU device (${reason})`;
}
