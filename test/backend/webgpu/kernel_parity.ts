/**
 * Helpers for the WebGPU kernel parity tests (reduce, softmax, batch norm, cross-entropy, max pooling,
 * optimizer updates): run one kernel call on the WebGPU backend and on the ReferenceBackend from the
 * same float32 inputs, and compare the results by bits, by ulps or by a tolerance, naming the element
 * that differs.
 */
import { expect } from 'vitest';
import type { Backend, BufferHandle, View } from '../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference_backend.js';
import type { TypedArray } from '../../../src/tensor/dtype.js';
import { rng } from '../wasm_helpers.js';

export { rng };

export const reference = new ReferenceBackend();

/** Inputs are float32 or int32 arrays; a view may start at an offset inside its buffer. */
export interface Input {
  readonly data: Float32Array | Int32Array;
  /** Elements of padding before the data (the view's offset). */
  readonly offset?: number;
}

export function upload(backend: Backend, input: Input): View {
  const offset = input.offset ?? 0;
  const dtype = input.data instanceof Int32Array ? 'int32' : 'float32';
  const buffer = backend.allocate(dtype, offset + input.data.length);
  const padded = dtype === 'int32' ? new Int32Array(buffer.length) : new Float32Array(buffer.length);
  padded.fill(dtype === 'int32' ? 7 : Number.NaN, 0, offset);
  padded.set(input.data, offset);
  backend.write(buffer, padded);
  return { buffer, shape: [input.data.length], strides: [1], offset };
}

/**
 * Uploads `inputs` to `backend`, runs `call` (which allocates and returns its outputs, filled first
 * with `seed` values when given) and reads the outputs back; releases everything.
 */
export async function runOn(
  backend: Backend,
  inputs: readonly Input[],
  call: (views: View[], alloc: (dtype: 'float32' | 'int32', n: number) => BufferHandle) => BufferHandle[],
): Promise<TypedArray[]> {
  const views = inputs.map((input) => upload(backend, input));
  const owned: BufferHandle[] = [];
  const alloc = (dtype: 'float32' | 'int32', n: number): BufferHandle => {
    const b = backend.allocate(dtype, n);
    owned.push(b);
    return b;
  };
  const outs = call(views, alloc);
  const results: TypedArray[] = [];
  for (const b of outs) results.push(await backend.readAsync(b));
  for (const v of views) backend.release(v.buffer);
  for (const b of owned) backend.release(b);
  return results;
}

const i32 = new Int32Array(1);
const f32 = new Float32Array(i32.buffer);

/** A float32's position on the line of floats (ordered ints; −0 and +0 are both 0). */
function ordinal(x: number): number {
  f32[0] = x;
  const bits = i32[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

const MIN_NORMAL = 2 ** -126;

/**
 * How many float32 steps apart a and b are (0 for the same value, NaN = NaN; Infinity if one is NaN).
 * Subnormals count as 0: WGSL lets a GPU flush them (SwiftShader does), so a subnormal reference
 * value may read back as ±0 and the distance is measured from 0.
 */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const flush = (v: number) => (Math.abs(v) < MIN_NORMAL ? 0 : v);
  return Math.abs(ordinal(flush(a)) - ordinal(flush(b)));
}

/** Every element the same bits (NaN equals NaN, −0 differs from +0). */
export function expectBits(actual: TypedArray, expected: TypedArray, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, the reference has ${expected[i]}`);
    }
  }
}

/**
 * Every element within `ulps` float32 steps, or within `atol` absolutely (NaN only where the reference
 * has NaN).
 */
export function expectUlps(
  actual: TypedArray,
  expected: TypedArray,
  ulps: number,
  what: string,
  atol = 0,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const near = Math.abs(actual[i]! - expected[i]!) <= atol;
    if (!(near || ulpDistance(actual[i]!, expected[i]!) <= ulps)) {
      expect.fail(
        `${what}: element ${i} is ${actual[i]}, the reference has ${expected[i]} (${ulps} ulps allowed)`,
      );
    }
  }
}

/** |actual − expected| ≤ atol + rtol·|expected| everywhere; NaN and ±∞ must match exactly. */
export function expectClose(
  actual: TypedArray,
  expected: TypedArray,
  tol: { atol: number; rtol: number },
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e) : Object.is(a, e);
    if (!ok) expect.fail(`${what}: element ${i} is ${a}, the reference has ${e}`);
  }
}

/** n float32 values uniform in (−scale, scale) from a seeded generator. */
export function floats(n: number, seed: number, scale = 2): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}
