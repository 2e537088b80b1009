/**
 * Shared by the WebAssembly backend specs: every build this runtime can run, a seeded source of test
 * values, float32 comparisons in units in the last place and bit for bit, and whole-buffer views.
 */
import { expect } from 'vitest';
import type { Backend, BufferHandle, View } from '../../src/backend/backend.js';
import { ReferenceBackend } from '../../src/backend/reference/reference_backend.js';
import { relaxedSimdProbe, simdProbe, type WasmVariant } from '../../src/backend/wasm/features.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';

/** scalar always; simd and relaxed-simd where this runtime validates them. */
export function runnableVariants(): WasmVariant[] {
  const out: WasmVariant[] = ['scalar'];
  if (WebAssembly.validate(simdProbe)) out.push('simd');
  if (WebAssembly.validate(relaxedSimdProbe)) out.push('relaxed-simd');
  return out;
}

export const wasmBackends = runnableVariants().map((variant) => ({
  variant,
  backend: new WasmBackend({ variant }),
}));

/** The reference backend and every WebAssembly build, for specs of edge rules that each must keep. */
export const everyBuild: { name: string; backend: Backend }[] = [
  { name: 'reference', backend: new ReferenceBackend() },
  ...wasmBackends.map(({ variant, backend }) => ({ name: `wasm ${variant}`, backend })),
];

/** A small seeded generator (mulberry32), independent of the library's own random numbers. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const i32 = new Int32Array(1);
const f32 = new Float32Array(i32.buffer);

/** Float32 values mapped to integers whose order and differences count representable values. */
function ordinal(x: number): number {
  f32[0] = x;
  const i = i32[0]!;
  return i < 0 ? -2147483648 - i : i;
}

/** Distance in float32 ulps; 0 for two NaNs, Infinity for NaN against a number. */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  return Math.abs(ordinal(a) - ordinal(b));
}

/** A whole buffer as a one-dimensional contiguous view. */
export function flat(b: BufferHandle): View {
  return { buffer: b, shape: [b.length], strides: [1], offset: 0 };
}

/** Every element the same bits (Object.is: NaN equals NaN, −0 differs from +0). */
export function expectBits(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** A buffer's byte address in linear memory (the kernels take raw pointers). */
export function ptrOf(buffer: unknown): number {
  return (buffer as { ptr: number }).ptr;
}

/**
 * Runs the wasm max-pool backward kernel (one window per plane) into an output that sits inside a
 * larger block filled with 7s, and returns the words before it, the output and the words after it:
 * a kernel that writes outside its output changes a guard word.
 */
export function maxPoolBackwardGuarded(
  backend: WasmBackend,
  spec: { upstream: Float32Array; indices: Int32Array; planeSize: number },
): { before: number[]; output: number[]; after: number[] } {
  const planes = spec.upstream.length;
  const guard = 4;
  const g = backend.allocate('float32', planes);
  backend.write(g, spec.upstream);
  const indices = backend.allocate('int32', planes);
  backend.write(indices, spec.indices);
  const arena = backend.allocate('float32', guard + planes * spec.planeSize + guard);
  backend.write(arena, new Float32Array(arena.length).fill(7));
  backend.kernels.maxPool2dBackward(
    ptrOf(g),
    ptrOf(indices),
    planes,
    spec.planeSize,
    1,
    ptrOf(arena) + guard * 4,
  );
  const words = Array.from(backend.read!(arena));
  for (const b of [g, indices, arena]) backend.release(b);
  const end = guard + planes * spec.planeSize;
  return { before: words.slice(0, guard), output: words.slice(guard, end), after: words.slice(end) };
}
