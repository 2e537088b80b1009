/**
 * The backends every spec runs against. A new backend joins the whole suite by being added here;
 * gradient checks run on the reference backend only (float64 is required there, not elsewhere).
 *
 * The third entry is the reference backend reduced to the required core (src/backend/core_only.ts):
 * no fused kernel, so every op, layer and optimizer spec also runs its composed form, which is what a
 * new backend implementing only the core gets.
 *
 * The WebAssembly backend runs the fastest build this runtime supports; DESCENT_TEST_WASM_VARIANT
 * (scalar, simd or relaxed-simd) picks another, to run the whole suite on, say, the scalar build.
 *
 * The last entry, 'webgpu', is the WebGPU backend behind its blocking bridge (a worker thread with a
 * synchronous read, src/backend/webgpu/node/blocking_backend.ts), on SwiftShader where there is no
 * GPU; it is present when an adapter is (always under CI=true: see test/helpers/webgpu_blocking.ts).
 * It stores no float64: specs that need float64 ask `backend.supports('float64')`.
 */
import { coreOnly } from '../src/backend/core_only.js';
import type { WasmVariant } from '../src/backend/wasm/features.js';
import { WasmBackend } from '../src/backend/wasm/wasm_backend.js';
import { type Backend, ReferenceBackend } from '../src/index.js';
import { blockingWebGpuForTests } from './helpers/webgpu_blocking.js';

export interface NamedBackend {
  name: string;
  backend: Backend;
}

const variant = process.env.DESCENT_TEST_WASM_VARIANT as WasmVariant | undefined;

export const backends: NamedBackend[] = [
  { name: 'reference', backend: new ReferenceBackend() },
  { name: 'wasm', backend: new WasmBackend(variant ? { variant } : {}) },
  { name: 'core-only reference', backend: coreOnly(new ReferenceBackend()) },
];

const webgpu = await blockingWebGpuForTests();
if (webgpu) backends.push({ name: 'webgpu', backend: webgpu });
