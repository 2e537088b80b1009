/**
 * Instantiating the kernel module (assembly/, embedded by scripts/build_wasm.mjs) over a memory owned
 * by the host, synchronously (Node; browsers allow it for small modules or in workers) or not.
 */
import type { WasmVariant } from './features.js';
import type { Kernels } from './kernel_exports.js';
import {
  relaxedSimdSharedWasm,
  relaxedSimdWasm,
  scalarWasm,
  simdSharedWasm,
  simdWasm,
} from './kernels_wasm.js';

/**
 * The module's exports: generated from assembly/'s export signatures by scripts/gen_wasm_bindings.mjs
 * (`npm run asbuild`), so a changed kernel signature changes this type with no hand edit.
 */
export type { Kernels };

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const cache = new Map<string, Uint8Array>();

function encoded(variant: WasmVariant, shared: boolean): string {
  if (shared) {
    if (variant === 'scalar') throw new Error('the wasm backend has no scalar build over shared memory');
    return variant === 'relaxed-simd' ? relaxedSimdSharedWasm : simdSharedWasm;
  }
  return variant === 'relaxed-simd' ? relaxedSimdWasm : variant === 'simd' ? simdWasm : scalarWasm;
}

/** The compiled binary of a variant; `shared`: the build that imports a shared memory (threads). */
export function kernelBytes(variant: WasmVariant, shared = false): Uint8Array {
  const key = `${variant}${shared ? '-shared' : ''}`;
  let bytes = cache.get(key);
  if (bytes === undefined) {
    bytes = decodeBase64(encoded(variant, shared));
    cache.set(key, bytes);
  }
  return bytes;
}

/** Compiles a variant synchronously; throws where the runtime forbids it (a browser's main thread). */
export function compileSync(variant: WasmVariant, shared = false): WebAssembly.Module {
  return new WebAssembly.Module(kernelBytes(variant, shared) as BufferSource);
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as Kernels;
}

/** Compiles and instantiates a variant without blocking (the path every browser thread allows). */
export async function instantiateAsync(variant: WasmVariant, memory: WebAssembly.Memory): Promise<Kernels> {
  const { instance } = await WebAssembly.instantiate(kernelBytes(variant) as BufferSource, {
    env: { memory },
  });
  return instance.exports as unknown as Kernels;
}
