/**
 * Inputs and comparisons for the WebGPU elementwise tests: float32 edge values and wide-ranging
 * random values, a ReferenceBackend run of the same kernel, and the distance in ulps between results.
 */
import type { Backend, BufferHandle, View } from '../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference_backend.js';
import type { TypedArray } from '../../../src/tensor/dtype.js';

export const reference = new ReferenceBackend();

/** ±0, ±∞, NaN, the smallest and largest subnormals and normals, around 1, and the largest float32. */
export const EDGE_VALUES = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  1e-45,
  -1e-45,
  1.1754942e-38,
  -1.1754942e-38,
  1.17549435e-38,
  3.4028235e38,
  -3.4028235e38,
  1,
  -1,
  0.5,
  -0.5,
  2,
  1.0000001,
  0.99999994,
  0.4,
  -0.4,
  0.39999998,
  88.7,
  88.8,
  -87.3,
  -103.9,
  -104,
  1e-10,
  -1e-10,
  1e10,
  3,
  -3,
  10.1,
  -10.1,
  20,
  15,
  -15,
  8,
  -8,
  4,
  -4,
  1e30,
  -1e30,
  1e-30,
];

/** A deterministic pseudo-random stream (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` float32 values: the edge values, then half in [−8, 8], half log-uniform over the float32 range. */
export function floatInputs(count: number, seed: number): Float32Array {
  const next = random(seed);
  const out = new Float32Array(count);
  out.set(EDGE_VALUES.slice(0, count));
  for (let i = EDGE_VALUES.length; i < count; i++) {
    const sign = next() < 0.5 ? -1 : 1;
    out[i] = i % 2 === 0 ? (next() - 0.5) * 16 : sign * 2 ** (next() * 250 - 125);
  }
  return out;
}

/** The float32 bits as integers ordered like the values (−0 and +0 one apart). */
function ordered(x: number): number {
  const bits = new Int32Array(new Float32Array([x]).buffer)[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) - 1 : bits;
}

/** Ulps between two float32 values; 0 for two NaNs, Infinity for a NaN and a number. */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b))
    return Number.isNaN(a) && Number.isNaN(b) ? 0 : Number.POSITIVE_INFINITY;
  if (a === b && Object.is(a, b)) return 0;
  return Math.abs(ordered(a) - ordered(b));
}

/** The spacing of float32 values at x (one ulp). */
export function ulpOf(x: number): number {
  const a = Math.abs(Math.fround(x));
  const next = new Float32Array(
    new Int32Array([new Int32Array(new Float32Array([a]).buffer)[0]! + 1]).buffer,
  )[0]!;
  return next - a;
}

export interface Worst {
  readonly ulps: number;
  readonly index: number;
  readonly got: number;
  readonly want: number;
}

/** The largest ulp distance between two result arrays, and where. */
export function worstUlps(got: TypedArray, want: TypedArray): Worst {
  let worst: Worst = { ulps: 0, index: -1, got: 0, want: 0 };
  for (let i = 0; i < want.length; i++) {
    const d = ulpDistance(got[i]!, want[i]!);
    if (d > worst.ulps) worst = { ulps: d, index: i, got: got[i]!, want: want[i]! };
  }
  return worst;
}

/** A contiguous view of a whole buffer. */
export function whole(buffer: BufferHandle, shape: readonly number[] = [buffer.length]): View {
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return { buffer, shape, strides, offset: 0 };
}

/** A buffer on `backend` holding `data`. */
export function put(backend: Backend, data: Float32Array | Int32Array): BufferHandle {
  const b = backend.allocate(data instanceof Int32Array ? 'int32' : 'float32', data.length);
  backend.write(b, data);
  return b;
}
