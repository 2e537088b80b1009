/**
 * fast-check arbitraries for the backend differential test (test/backend/differential.test.ts):
 * float32 values that favour the edges (NaN, ±inf, ±0, denormals, ties, huge and tiny magnitudes),
 * shapes with size-0 and size-1 dimensions, broadcastable operand shapes, and the non-contiguous
 * layouts an input is viewed through (a transpose, a slice with step 2, an expansion).
 */
import fc from 'fast-check';
import { expand, slice, type Tensor, tensor, transpose } from '../../src/index.js';
import { sizeOf } from '../../src/tensor/shape.js';

/** Values that hit the rules at the edges: signed zeros, infinities, NaN, denormals, overflow. */
export const EDGE_VALUES = [
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e-40,
  -1e-45,
  1.1754942e-38,
  3e38,
  -3e38,
  1e-30,
  88.7,
  -104,
].map(Math.fround);

/**
 * One float32 value: any float32 (fast-check's `float` includes NaN, ±inf, −0 and denormals), an
 * edge value, a small integer (ties between elements and operands), or a moderate value.
 */
export const value: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.float(), weight: 2 },
  { arbitrary: fc.constantFrom(...EDGE_VALUES), weight: 2 },
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 2 },
  { arbitrary: fc.float({ min: -4, max: 4, noNaN: true }), weight: 3 },
);

/**
 * One int32 value: small (ties), the extremes and products that overflow 32 bits (where the kernels
 * must wrap as two's complement, as PyTorch's int32 arithmetic does), or any int32.
 */
export const intValue: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 3 },
  { arbitrary: fc.constantFrom(-(2 ** 31), 2 ** 31 - 1, 46341, -46341, 65536, 2 ** 30), weight: 2 },
  { arbitrary: fc.integer(), weight: 2 },
);

/** An upstream gradient element: mostly moderate and finite, sometimes an edge value. */
export const upstream: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.float({ min: -8, max: 8, noNaN: true }), weight: 6 },
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 2 },
  { arbitrary: fc.constantFrom(...EDGE_VALUES), weight: 1 },
);

/**
 * Dimensions up to 7: every reduced axis is then shorter than the 8 float64 lanes the wasm sum uses
 * along a contiguous axis, so sums (forward, mean, variance, and the sums that fold a broadcast
 * gradient) add in the reference's order and give its bits. Contiguous runs still reach the SIMD
 * bodies and tails of the elementwise kernels (dimensions merge: [5, 7] is one run of 35).
 */
export const dim = fc.oneof(
  { arbitrary: fc.constant(1), weight: 2 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 2, max: 7 }), weight: 5 },
);

/** 0-d to 4-d: enough axes for the strided kernels to merge some dimensions and not others. */
export const shape: fc.Arbitrary<number[]> = fc.array(dim, { minLength: 0, maxLength: 4 });

export type Layout = 'contiguous' | 'transposed' | 'stepped' | 'expanded';
export const layout: fc.Arbitrary<Layout> = fc.constantFrom(
  'contiguous',
  'transposed',
  'stepped',
  'expanded',
);

/** How one operand is stored: the view's shape and layout, and the base tensor's data. */
export interface InputCase {
  readonly shape: readonly number[];
  readonly layout: Layout;
  /** For 'expanded': which dimensions the base holds as size 1. */
  readonly expandMask: readonly boolean[];
  readonly data: readonly number[];
  readonly dtype: 'float32' | 'int32';
}

/** The base tensor's shape for a view of `shape` in `layout`. */
export function baseShape(c: Omit<InputCase, 'data' | 'dtype'>): number[] {
  const s = [...c.shape];
  const n = s.length;
  if (c.layout === 'transposed' && n >= 2) [s[n - 2], s[n - 1]] = [s[n - 1]!, s[n - 2]!];
  if (c.layout === 'stepped' && n >= 1) s[0] = 2 * s[0]! + 1;
  if (c.layout === 'expanded') return s.map((d, i) => (c.expandMask[i] ? 1 : d));
  return s;
}

/** An operand of the given view shape, with a random layout and base data. */
export function inputCase(
  viewShape: readonly number[],
  dtype: 'float32' | 'int32' = 'float32',
  layouts?: readonly Layout[],
): fc.Arbitrary<InputCase> {
  return fc
    .record({
      layout: layouts ? fc.constantFrom(...layouts) : layout,
      expandMask: fc.array(fc.boolean(), { minLength: viewShape.length, maxLength: viewShape.length }),
    })
    .chain(({ layout: l, expandMask }) => {
      const n = sizeOf(baseShape({ shape: viewShape, layout: l, expandMask }));
      return fc
        .array(dtype === 'int32' ? intValue : value, { minLength: n, maxLength: n })
        .map((data) => ({ shape: viewShape, layout: l, expandMask, data, dtype }));
    });
}

/**
 * A shape that broadcasts to `out`: some leading dimensions dropped and some set to 1, as NumPy
 * broadcasting allows.
 */
export function broadcastable(out: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .record({
      drop: fc.integer({ min: 0, max: out.length }),
      ones: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    })
    .map(({ drop, ones }) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}

/**
 * The base tensor (a leaf requiring a gradient when `grad`) on the current backend, and the view of
 * it the op receives.
 */
export function materialize(c: InputCase, grad: boolean): { leaf: Tensor; view: Tensor } {
  const base = baseShape(c);
  const data = c.dtype === 'int32' ? Int32Array.from(c.data) : Float32Array.from(c.data);
  const leaf = tensor(data, { shape: base, requiresGrad: grad });
  const n = c.shape.length;
  let view = leaf;
  if (c.layout === 'transposed' && n >= 2) view = transpose(leaf, -1, -2);
  if (c.layout === 'stepped' && n >= 1) view = slice(leaf, 0, 1, base[0], 2);
  if (c.layout === 'expanded') view = expand(leaf, c.shape);
  return { leaf, view };
}
