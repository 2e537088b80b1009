/**
 * Reading PyTorch golden fixtures: tensors stored as { shape, dtype, data } with non-finite values as
 * strings, and an elementwise closeness check that reports the first mismatch.
 */
import { expect } from 'vitest';
import { type Tensor, tensor } from '../../src/index.js';

/** A JSON number, or "NaN" / "Infinity" / "-Infinity". */
export type JsonNum = number | string;

export interface FixtureTensor {
  shape: number[];
  dtype?: 'float32' | 'int32';
  data: JsonNum[];
}

export function decode(values: JsonNum[]): number[] {
  return values.map((v) => {
    if (typeof v === 'number') return v;
    if (v === 'NaN') return Number.NaN;
    if (v === 'Infinity') return Number.POSITIVE_INFINITY;
    if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
    throw new Error(`bad fixture number ${JSON.stringify(v)}`);
  });
}

/** The fixture tensor on the current backend. */
export function build(t: FixtureTensor, requiresGrad = false): Tensor {
  const dtype = t.dtype ?? 'float32';
  const values = decode(t.data);
  const data = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return tensor(data, { dtype, shape: t.shape, requiresGrad });
}

/** |actual − expected| ≤ atol + rtol·|expected| elementwise; fails with the first mismatch and a count. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
  label: string,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let bad = -1;
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : Number.isFinite(e)
        ? Math.abs(a - e) <= atol + rtol * Math.abs(e)
        : a === e;
    if (!ok) {
      if (bad < 0) bad = i;
      count++;
    }
  }
  // Asserted either way (not only through expect.fail), so that a test counts as asserting.
  const first =
    bad < 0 ? '' : `; first at flat index ${bad}: actual ${actual[bad]} expected ${expected[bad]}`;
  expect(
    count,
    `${label}: ${count}/${expected.length} values differ${first} (rtol ${rtol}, atol ${atol})`,
  ).toBe(0);
}

/** Shape, dtype (when the fixture states it) and values within the tolerance. */
export function expectTensor(
  actual: Tensor | null,
  expected: FixtureTensor,
  rtol: number,
  atol: number,
  label: string,
): void {
  expect(actual, `${label}: missing`).not.toBeNull();
  expect(actual!.shape, `${label}: shape`).toEqual(expected.shape);
  if (expected.dtype !== undefined) expect(actual!.dtype, `${label}: dtype`).toBe(expected.dtype);
  const want =
    expected.dtype === 'int32' ? decode(expected.data) : Array.from(Float32Array.from(decode(expected.data)));
  expectClose(Array.from(actual!.data()), want, rtol, atol, label);
}
