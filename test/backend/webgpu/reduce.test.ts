/**
 * The WebGPU reduce kernel against the reference backend: float sums in df64 give the reference's
 * bits (float64 summed, rounded once) on these inputs, across the serial (length ≤ 64) and workgroup
 * tree launches; max/min/arg-reductions keep the first NaN and the first of equal extrema; int32 sums
 * wrap like the reference's.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, ReduceOp } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectBits, floats, type Input, reference, rng, runOn } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

interface Shape {
  outer: number;
  length: number;
  inner: number;
}

function reduceOn(backend: Backend, op: ReduceOp, x: Input, shape: Shape) {
  const outType = op === 'argmax' || op === 'argmin' || x.data instanceof Int32Array ? 'int32' : 'float32';
  return runOn(backend, [x], ([xv], alloc) => {
    const out = alloc(outType, shape.outer * shape.inner);
    backend.reduce({ op, x: xv!, ...shape, out });
    return [out];
  });
}

async function expectSameAsReference(op: ReduceOp, x: Input, shape: Shape): Promise<void> {
  const [actual] = await reduceOn(gpu!, op, x, shape);
  const [expected] = await reduceOn(reference, op, x, shape);
  expectBits(actual!, expected!, `${op} over ${JSON.stringify(shape)}`);
}

const SHAPES: Shape[] = [
  { outer: 1, length: 1, inner: 1 },
  { outer: 3, length: 3, inner: 1 },
  { outer: 2, length: 17, inner: 3 },
  { outer: 1, length: 64, inner: 2 },
  { outer: 2, length: 65, inner: 1 },
  { outer: 1, length: 257, inner: 3 },
  { outer: 2, length: 1000, inner: 1 },
  { outer: 1, length: 1537, inner: 2 },
  // Long strided rows, many of them: the serial launch.
  { outer: 1, length: 100, inner: 1030 },
];

describe('webgpu reduce', () => {
  it.skipIf(!gpu)(
    `sums give the reference's float64-rounded bits, serial and tree launches, inner 1 and > 1${skip}`,
    async () => {
      for (const [k, shape] of SHAPES.entries()) {
        const n = shape.outer * shape.length * shape.inner;
        // Mixed magnitudes, so a float32 accumulator would differ from the float64 one.
        const r = rng(100 + k);
        const data = Float32Array.from({ length: n }, () => (r() - 0.5) * 10 ** Math.floor(r() * 6 - 2));
        await expectSameAsReference('sum', { data, offset: 5 }, shape);
      }
    },
  );

  it.skipIf(!gpu)(
    `a sum of one large and many tiny terms keeps the tiny ones, as float64 does${skip}`,
    async () => {
      for (const length of [40, 3000]) {
        const data = new Float32Array(length).fill(1e-8);
        data[0] = 1;
        const shape = { outer: 1, length, inner: 1 };
        const [actual] = await reduceOn(gpu!, 'sum', { data }, shape);
        // float32 accumulation would stay at exactly 1; float64 reaches 1 + (length − 1)·1e-8.
        expect(actual![0]).toBe(Math.fround(1 + (length - 1) * Math.fround(1e-8)));
        await expectSameAsReference('sum', { data }, shape);
      }
    },
  );

  it.skipIf(!gpu)(`sums propagate ±∞ and NaN as float64 does${skip}`, async () => {
    const shape = { outer: 4, length: 100, inner: 1 };
    const data = floats(400, 7);
    data[3] = Number.POSITIVE_INFINITY;
    data[150] = Number.NEGATIVE_INFINITY;
    data[210] = Number.POSITIVE_INFINITY;
    data[260] = Number.NEGATIVE_INFINITY;
    data[350] = Number.NaN;
    const [actual] = await reduceOn(gpu!, 'sum', { data }, shape);
    expect(Array.from(actual!)).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      Number.NaN,
    ]);
  });

  it.skipIf(!gpu)(
    `max, min, argmax, argmin: the first NaN wins, then the first of equal extrema${skip}`,
    async () => {
      const ops: ReduceOp[] = ['max', 'min', 'argmax', 'argmin'];
      for (const [k, shape] of SHAPES.entries()) {
        const n = shape.outer * shape.length * shape.inner;
        const r = rng(300 + k);
        // Few distinct values: many ties; some NaN, ±∞ and ±0.
        const pool = [0, -0, 1, -1, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
        const data = Float32Array.from({ length: n }, () => {
          const u = r();
          return u < 0.02 ? pool[7]! : u < 0.1 ? pool[Math.floor(r() * 7)]! : Math.round(r() * 6 - 3);
        });
        for (const op of ops) await expectSameAsReference(op, { data, offset: 2 }, shape);
      }
    },
  );

  it.skipIf(!gpu)(
    `subnormals count in sums and extrema as in the reference (SwiftShader flushes them)${skip}`,
    async () => {
      const r = rng(21);
      const tiny = [1e-45, -3e-45, 1e-40, -2.5e-39, 5e-39, 1.2e-38, -1e-30, 2 ** -60, -(2 ** -61)];
      for (const shape of [
        { outer: 6, length: 5, inner: 1 },
        { outer: 2, length: 300, inner: 1 },
        { outer: 1, length: 70, inner: 3 },
      ]) {
        const n = shape.outer * shape.length * shape.inner;
        // The first row tiny values only (a subnormal sum), the others mixed with normal ones.
        const data = Float32Array.from({ length: n }, (_, i) =>
          i >= shape.length * shape.inner && r() < 0.3
            ? (r() - 0.5) * 4
            : tiny[Math.floor(r() * tiny.length)]!,
        );
        for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
          await expectSameAsReference(op, { data }, shape);
        }
      }
    },
  );

  it.skipIf(!gpu)(
    `int32 sums wrap as the reference's Int32Array does; int32 extrema and arg-reductions${skip}`,
    async () => {
      const shape = { outer: 2, length: 300, inner: 3 };
      const r = rng(9);
      const data = Int32Array.from({ length: 1800 }, () => Math.floor((r() - 0.5) * 2 ** 31));
      for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
        await expectSameAsReference(op, { data }, shape);
      }
    },
  );

  it.skipIf(!gpu)(`a sum over an empty axis is 0${skip}`, async () => {
    const [actual] = await reduceOn(
      gpu!,
      'sum',
      { data: new Float32Array(0) },
      { outer: 3, length: 0, inner: 1 },
    );
    expect(Array.from(actual!)).toEqual([0, 0, 0]);
  });
});
