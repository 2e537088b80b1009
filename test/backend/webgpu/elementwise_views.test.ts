/**
 * The WebGPU copy and where kernels, and strided views (transposes, slices with offsets, broadcasts,
 * ranks above four) in copy, unary, binary and where, against the ReferenceBackend bit for bit.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BufferHandle, View } from '../../../src/backend/backend.js';
import type { TypedArray } from '../../../src/tensor/dtype.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { EDGE_VALUES, floatInputs, put, reference, whole, worstUlps } from './elementwise_helpers.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

function view(buffer: BufferHandle, shape: number[], strides: number[], offset = 0): View {
  return { buffer, shape, strides, offset };
}

/** Runs `body` on both backends with the same inputs and returns both outputs' contents. */
async function both(
  inputs: (Float32Array | Int32Array)[],
  outDtype: 'float32' | 'int32',
  outLength: number,
  body: (backend: Backend, buffers: BufferHandle[], out: BufferHandle) => void,
): Promise<[TypedArray, TypedArray]> {
  const results: TypedArray[] = [];
  for (const backend of [gpu!, reference] as Backend[]) {
    const buffers = inputs.map((data) => put(backend, data));
    const out = backend.allocate(outDtype, outLength);
    backend.fill(out, -12345);
    body(backend, buffers, out);
    results.push(await backend.readAsync(out));
    for (const b of [...buffers, out]) backend.release(b);
  }
  return [results[0]!, results[1]!];
}

function sameBits(got: TypedArray, want: TypedArray): void {
  expect(got.length).toBe(want.length);
  const worst = worstUlps(got, want);
  expect(worst.ulps, `at ${worst.index}: got ${worst.got}, want ${worst.want}`).toBe(0);
}

describe(`WebGPU copy${skip}`, () => {
  it.skipIf(!gpu)(
    'converts float32 to int32 as an Int32Array store: truncation, wrapping, 0 for NaN and ±∞',
    async () => {
      const x = new Float32Array([
        ...EDGE_VALUES,
        2.9,
        -2.9,
        2147483520,
        -2147483648,
        3e9,
        -3e9,
        2 ** 40 + 2 ** 17,
        1e20,
        4294967296 * 3 + 256,
      ]);
      const [got, want] = await both([x], 'int32', x.length, (b, [src], out) =>
        b.copy(whole(src!), whole(out)),
      );
      expect(Array.from(got)).toEqual(Array.from(want));
    },
  );

  it.skipIf(!gpu)('converts int32 to float32 rounding to nearest-even', async () => {
    const x = new Int32Array([
      0, 1, -1, 16777216, 16777217, 16777219, -16777217, 2147483647, -2147483648, 123456789, -987654321,
      33554435,
    ]);
    const [got, want] = await both([x], 'float32', x.length, (b, [src], out) =>
      b.copy(whole(src!), whole(out)),
    );
    sameBits(got, want);
  });

  it.skipIf(!gpu)('moves float32 bits unchanged (NaN, −0, subnormals) through strided views', async () => {
    const x = floatInputs(6 * 5 * 4, 7);
    // The transpose of a [6, 5, 4] tensor into a strided destination slice of a larger buffer.
    const [got, want] = await both([x], 'float32', 200, (b, [src], out) =>
      b.copy(view(src!, [4, 5, 6], [1, 4, 20]), view(out, [4, 5, 6], [40, 6, 1], 7)),
    );
    sameBits(got, want);
  });

  it.skipIf(!gpu)(
    'copies rank-6 views with broadcast dimensions, and nothing for an empty shape',
    async () => {
      const x = floatInputs(2 * 3 * 5, 8);
      const shape = [2, 1, 3, 2, 5, 2];
      const [got, want] = await both([x], 'float32', 240, (b, [src], out) =>
        b.copy(view(src!, shape, [15, 0, 5, 0, 1, 0]), view(out, shape, [120, 120, 40, 20, 4, 2], 1)),
      );
      sameBits(got, want);
      const [g, w] = await both([x], 'float32', 3, (b, [src], out) =>
        b.copy(view(src!, [0, 3], [3, 1]), view(out, [0, 3], [3, 1])),
      );
      sameBits(g, w);
    },
  );

  it.skipIf(!gpu)(
    'copies within one buffer (source and destination alias) as from its prior contents',
    async () => {
      const x = Float32Array.from({ length: 8 }, (_, i) => i);
      for (const backend of [gpu!]) {
        const b = put(backend, x);
        backend.copy(view(b, [4], [1], 0), view(b, [4], [1], 4));
        expect(Array.from(await backend.readAsync(b))).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
        backend.release(b);
      }
    },
  );
});

describe(`WebGPU where${skip}`, () => {
  it.skipIf(!gpu)(
    'picks a where cond ≠ 0 (NaN counts, ±0 does not), broadcasting cond, for float32 and int32',
    async () => {
      const cond = new Float32Array([0, -0, Number.NaN, 1, -1e-45, 2]);
      const a = floatInputs(6 * 4, 9);
      const b = floatInputs(6 * 4, 10);
      const [got, want] = await both([cond, a, b], 'float32', 24, (be, [c, x, y], out) =>
        be.where(view(c!, [6, 4], [1, 0]), whole(x!, [6, 4]), whole(y!, [6, 4]), out),
      );
      sameBits(got, want);
      const ci = new Int32Array([0, 5, -1, 0]);
      const ai = new Int32Array([1, 2, 3, 4]);
      const bi = new Int32Array([-1, -2, -3, -4]);
      const [gi, wi] = await both([ci, ai, bi], 'int32', 4, (be, [c, x, y], out) =>
        be.where(whole(c!), whole(x!), whole(y!), out),
      );
      expect(Array.from(gi)).toEqual(Array.from(wi));
    },
  );
});

describe(`WebGPU unary and binary on strided views${skip}`, () => {
  it.skipIf(!gpu)('applies binary ops to a transposed operand and a broadcast row with offsets', async () => {
    const a = floatInputs(7 * 9 + 3, 11);
    const b = floatInputs(9 + 2, 12);
    for (const op of ['add', 'mul', 'div', 'maximum', 'lt'] as const) {
      const [got, want] = await both([a, b], 'float32', 63, (be, [x, y], out) =>
        be.binary(op, view(x!, [9, 7], [1, 9], 3), view(y!, [9, 7], [1, 0], 2), out),
      );
      sameBits(got, want);
    }
  });

  it.skipIf(!gpu)('applies unary ops to a strided slice and a broadcast scalar', async () => {
    const x = floatInputs(100, 13);
    for (const call of [{ op: 'neg' }, { op: 'sqrt' }, { op: 'relu' }] as const) {
      const [got, want] = await both([x], 'float32', 12, (be, [src], out) =>
        be.unary(call, view(src!, [3, 4], [20, 3], 5), out),
      );
      sameBits(got, want);
      const [g, w] = await both([x], 'float32', 5, (be, [src], out) =>
        be.unary(call, view(src!, [5], [0], 17), out),
      );
      sameBits(g, w);
    }
  });
});
