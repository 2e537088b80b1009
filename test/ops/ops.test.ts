/**
 * Forward behaviour of the ops against expectations computed in plain JavaScript in this file:
 * scalar loops for elementwise ops (at sizes that hit SIMD tails), naive loops for matmul, conv2d
 * and pooling, and hand-worked values elsewhere. PyTorch goldens live in golden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  argmax,
  argmin,
  avgPool2d,
  type Conv2dOptions,
  clamp,
  concat,
  conv2d,
  crossEntropy,
  div,
  elu,
  eq,
  erf,
  exp,
  Generator,
  gather,
  ge,
  gelu,
  gt,
  indexSelect,
  le,
  leakyRelu,
  log,
  logSoftmax,
  lt,
  matmul,
  max,
  maximum,
  maxPool2d,
  mean,
  min,
  minimum,
  mul,
  ne,
  neg,
  pad,
  pow,
  randn,
  relu,
  rsqrt,
  sigmoid,
  sign,
  softmax,
  softplus,
  split,
  sqrt,
  square,
  stack,
  std,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  variance,
  where,
  withBackend,
  zeros,
} from '../../src/index.js';
import { backends } from '../backends.js';

// ------------------------------------------------------------------ helpers

const SIZES = [0, 1, 3, 4, 5, 17, 33, 100, 257];

/** |got − want| ≤ atol + rtol·|want| elementwise; NaN matches NaN, infinities match exactly. */
function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  atol: number,
  label = '',
): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : Number.isFinite(w)
        ? Math.abs(g - w) <= atol + rtol * Math.abs(w)
        : g === w;
    if (!ok) expect.fail(`${label}: element ${i} is ${g}, expected ${w} (of ${want.length})`);
  }
}

/** Deterministic float32 inputs in about [−3, 3], with every fourth b equal to a (ties for comparisons). */
function inputs(n: number): { a: Float32Array; b: Float32Array; pos: Float32Array } {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const pos = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = 3 * Math.sin(1.3 * i + 0.7);
    b[i] = i % 4 === 0 ? a[i]! : 2 * Math.cos(0.9 * i + 0.1);
    pos[i] = Math.abs(a[i]!) + 0.125;
  }
  return { a, b, pos };
}

/** erf by its Maclaurin series in float64: ample accuracy for |x| ≤ 4 at float32 tolerances. */
function erfRef(x: number): number {
  let term = x;
  let s = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const t = term / (2 * n + 1);
    s += t;
    if (Math.abs(t) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

function normalCdf(x: number): number {
  return 0.5 * (1 + erfRef(x / Math.SQRT2));
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  return shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));
}

/** Reference reduction of flat row-major data over `axes` (normalized), with keepDim. */
function reduceRef(
  data: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  keepDim: boolean,
  combine: (values: number[]) => number,
): { shape: number[]; data: number[] } {
  const outShapeKeep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = outShapeKeep.reduce((p, q) => p * q, 1);
  const groups: number[][] = Array.from({ length: outSize }, () => []);
  const st = stridesOf(shape);
  const ost = stridesOf(outShapeKeep);
  for (let f = 0; f < data.length; f++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(f / st[d]!) % shape[d]!;
      if (!axes.includes(d)) o += idx * ost[d]!;
    }
    groups[o]!.push(data[f]!);
  }
  return {
    shape: keepDim ? outShapeKeep : shape.filter((_, i) => !axes.includes(i)),
    data: groups.map(combine),
  };
}

/** torch.matmul semantics on flat row-major data, accumulating in float64 in index order. */
function matmulRef(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): { shape: number[]; data: number[]; scale: number[] } {
  const as = aShape.length === 1 ? [1, aShape[0]!] : aShape.slice();
  const bs = bShape.length === 1 ? [bShape[0]!, 1] : bShape.slice();
  const m = as[as.length - 2]!;
  const k = as[as.length - 1]!;
  const n = bs[bs.length - 1]!;
  const aBatch = as.slice(0, -2);
  const bBatch = bs.slice(0, -2);
  const nb = Math.max(aBatch.length, bBatch.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const da = aBatch[aBatch.length - nb + i] ?? 1;
    const db = bBatch[bBatch.length - nb + i] ?? 1;
    batch.push(da === 1 ? db : da);
  }
  const batchSize = batch.reduce((p, q) => p * q, 1);
  const bst = stridesOf(batch);
  const offsetOf = (own: number[], f: number, matrixSize: number): number => {
    let off = 0;
    const ost = stridesOf(own);
    for (let i = 0; i < own.length; i++) {
      const idx = Math.floor(f / bst[nb - own.length + i]!) % batch[nb - own.length + i]!;
      off += (own[i] === 1 ? 0 : idx) * ost[i]!;
    }
    return off * matrixSize;
  };
  const data: number[] = [];
  const scale: number[] = [];
  for (let t = 0; t < batchSize; t++) {
    const ao = offsetOf(aBatch, t, m * k);
    const bo = offsetOf(bBatch, t, k * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let sa = 0;
        for (let p = 0; p < k; p++) {
          const prod = a[ao + i * k + p]! * b[bo + p * n + j]!;
          s += prod;
          sa += Math.abs(prod);
        }
        data.push(s);
        scale.push(sa);
      }
    }
  }
  let shape = [...batch, m, n];
  if (bShape.length === 1) shape = shape.slice(0, -1);
  if (aShape.length === 1)
    shape = shape.length === 1 ? [] : [...shape.slice(0, -2), shape[shape.length - 1]!];
  return { shape, data, scale };
}

function expectMatmul(a: Tensor, b: Tensor, label: string): void {
  const got = matmul(a, b);
  const ref = matmulRef(a.data(), a.shape, b.data(), b.shape);
  expect(got.shape, label).toEqual(ref.shape);
  const g = got.data();
  expect(g.length, label).toBe(ref.data.length);
  for (let i = 0; i < ref.data.length; i++) {
    const tol = 1e-6 * ref.scale[i]! + 1e-30;
    if (!(Math.abs(g[i]! - ref.data[i]!) <= tol))
      expect.fail(`${label}: element ${i} is ${g[i]}, expected ${ref.data[i]}`);
  }
}

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  bias?: boolean;
  options: Conv2dOptions;
}

/** Direct convolution (cross-correlation), float64 accumulation; returns values and Σ|terms| per output. */
function conv2dRef(
  x: ArrayLike<number>,
  xs: readonly number[],
  w: ArrayLike<number>,
  ws: readonly number[],
  bias: ArrayLike<number> | null,
  stride: [number, number],
  padding: [number, number],
  dilation: [number, number],
  groups: number,
): { shape: number[]; data: number[]; scale: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, Cg, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + 2 * padding[0] - dilation[0] * (KH - 1) - 1) / stride[0]) + 1;
  const OW = Math.floor((W + 2 * padding[1] - dilation[1] * (KW - 1) - 1) / stride[1]) + 1;
  const og = O / groups;
  const data: number[] = [];
  const scale: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / og);
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let s = bias ? bias[o]! : 0;
          let sa = Math.abs(s);
          for (let c = 0; c < Cg; c++) {
            const ci = g * Cg + c;
            for (let i = 0; i < KH; i++) {
              for (let j = 0; j < KW; j++) {
                const y = oy * stride[0] - padding[0] + i * dilation[0];
                const xx = ox * stride[1] - padding[1] + j * dilation[1];
                if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                const prod = w[((o * Cg + c) * KH + i) * KW + j]! * x[((n * C + ci) * H + y) * W + xx]!;
                s += prod;
                sa += Math.abs(prod);
              }
            }
          }
          data.push(s);
          scale.push(sa);
        }
      }
    }
  }
  return { shape: [N, O, OH, OW], data, scale };
}

/** Sliding-window pooling by direct loops; `reduce` gets the in-bounds values and the window's padded size. */
function poolRef(
  x: ArrayLike<number>,
  xs: readonly number[],
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
  dilation: [number, number],
  reduce: (values: number[], windowSize: number) => number,
): { shape: number[]; data: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const OH = Math.floor((H + 2 * padding[0] - dilation[0] * (kernel[0] - 1) - 1) / stride[0]) + 1;
  const OW = Math.floor((W + 2 * padding[1] - dilation[1] * (kernel[1] - 1) - 1) / stride[1]) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const values: number[] = [];
          for (let i = 0; i < kernel[0]; i++) {
            for (let j = 0; j < kernel[1]; j++) {
              const y = oy * stride[0] - padding[0] + i * dilation[0];
              const xx = ox * stride[1] - padding[1] + j * dilation[1];
              if (y >= 0 && y < H && xx >= 0 && xx < W) values.push(x[((n * C + c) * H + y) * W + xx]!);
            }
          }
          data.push(reduce(values, kernel[0] * kernel[1]));
        }
      }
    }
  }
  return { shape: [N, C, OH, OW], data };
}

const pairOf = (v: number | readonly [number, number] | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

// ------------------------------------------------------------------ specs

describe.each(backends)('ops on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe('elementwise parity with scalar JavaScript at SIMD-tail sizes', () => {
    type Unary = [
      string,
      (t: Tensor) => Tensor,
      (x: number) => number,
      'exact' | 'approx',
      'any' | 'positive',
    ];
    const unaries: Unary[] = [
      ['neg', (t) => neg(t), (x) => -x, 'exact', 'any'],
      ['abs', (t) => abs(t), Math.abs, 'exact', 'any'],
      ['sign', (t) => sign(t), Math.sign, 'exact', 'any'],
      ['square', (t) => square(t), (x) => x * x, 'exact', 'any'],
      ['sqrt', (t) => sqrt(t), Math.sqrt, 'exact', 'positive'],
      ['relu', (t) => relu(t), (x) => Math.max(x, 0), 'exact', 'any'],
      ['clamp', (t) => clamp(t, -1, 1.5), (x) => Math.min(Math.max(x, -1), 1.5), 'exact', 'any'],
      ['clamp(min only)', (t) => t.clamp(0.5), (x) => Math.max(x, 0.5), 'exact', 'any'],
      ['leakyRelu', (t) => leakyRelu(t, 0.2), (x) => (x > 0 ? x : 0.2 * x), 'approx', 'any'],
      ['exp', (t) => exp(t), Math.exp, 'approx', 'any'],
      ['log', (t) => log(t), Math.log, 'approx', 'positive'],
      ['rsqrt', (t) => rsqrt(t), (x) => 1 / Math.sqrt(x), 'approx', 'positive'],
      ['sigmoid', (t) => sigmoid(t), (x) => 1 / (1 + Math.exp(-x)), 'approx', 'any'],
      ['tanh', (t) => tanh(t), Math.tanh, 'approx', 'any'],
      ['erf', (t) => erf(t), erfRef, 'approx', 'any'],
      ['elu', (t) => elu(t, 0.7), (x) => (x > 0 ? x : 0.7 * (Math.exp(x) - 1)), 'approx', 'any'],
      ['softplus', (t) => softplus(t), (x) => Math.log(1 + Math.exp(x)), 'approx', 'any'],
      [
        'softplus(beta 2, threshold 1)',
        (t) => softplus(t, { beta: 2, threshold: 1 }),
        (x) => (2 * x > 1 ? x : Math.log(1 + Math.exp(2 * x)) / 2),
        'approx',
        'any',
      ],
      ['gelu', (t) => gelu(t), (x) => x * normalCdf(x), 'approx', 'any'],
      [
        'gelu(tanh)',
        (t) => gelu(t, { approximate: 'tanh' }),
        (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
        'approx',
        'any',
      ],
    ];

    it.each(unaries)('%s', (name, op, f, exactness, domain) =>
      on(() => {
        for (const n of SIZES) {
          const { a, pos } = inputs(n);
          const src = domain === 'positive' ? pos : a;
          const out = op(tensor(src));
          expect(out.shape).toEqual([n]);
          expect(out.dtype).toBe('float32');
          const want = Array.from(src, (x) => Math.fround(f(x)));
          if (exactness === 'exact') expect(Array.from(out.data()), `${name} n=${n}`).toEqual(want);
          else expectClose(out.data(), want, 2e-6, 1e-7, `${name} n=${n}`);
        }
      }),
    );

    type Binary = [
      string,
      (a: Tensor, b: Tensor) => Tensor,
      (x: number, y: number) => number,
      'exact' | 'approx',
    ];
    const binaries: Binary[] = [
      ['add', add, (x, y) => x + y, 'exact'],
      ['sub', sub, (x, y) => x - y, 'exact'],
      ['mul', mul, (x, y) => x * y, 'exact'],
      ['div', div, (x, y) => x / y, 'exact'],
      ['maximum', maximum, Math.max, 'exact'],
      ['minimum', minimum, Math.min, 'exact'],
      ['gt', gt, (x, y) => (x > y ? 1 : 0), 'exact'],
      ['ge', ge, (x, y) => (x >= y ? 1 : 0), 'exact'],
      ['lt', lt, (x, y) => (x < y ? 1 : 0), 'exact'],
      ['le', le, (x, y) => (x <= y ? 1 : 0), 'exact'],
      ['eq', eq, (x, y) => (x === y ? 1 : 0), 'exact'],
      ['ne', ne, (x, y) => (x !== y ? 1 : 0), 'exact'],
      ['pow', (x, y) => pow(abs(x).add(0.125), y), (x, y) => (Math.abs(x) + 0.125) ** y, 'approx'],
    ];

    it.each(binaries)('%s', (name, op, f, exactness) =>
      on(() => {
        for (const n of SIZES) {
          const { a, b } = inputs(n);
          const out = op(tensor(a), tensor(b));
          expect(out.shape).toEqual([n]);
          const want = Array.from(a, (x, i) => Math.fround(f(x, b[i]!)));
          if (exactness === 'exact') expect(Array.from(out.data()), `${name} n=${n}`).toEqual(want);
          else expectClose(out.data(), want, 2e-6, 1e-7, `${name} n=${n}`);
          // Scalar operands broadcast, on either side.
          if (n > 0) {
            const s = Math.fround(0.75);
            expect(Array.from(op(tensor(a), tensor(s)).data())).toEqual(
              Array.from(op(tensor(a), tensor(new Float32Array(n).fill(s))).data()),
            );
          }
        }
      }),
    );

    it('comparisons return 0/1 in the operands’ dtype, with numbers on either side', () =>
      on(() => {
        const x = tensor([1, 2, 3]);
        expect(gt(x, 2).toArray()).toEqual([0, 0, 1]);
        expect(ge(x, 2).toArray()).toEqual([0, 1, 1]);
        expect(lt(2, x).toArray()).toEqual([0, 0, 1]);
        expect(x.le(2).toArray()).toEqual([1, 1, 0]);
        expect(x.eq(2).toArray()).toEqual([0, 1, 0]);
        expect(x.ne(2).toArray()).toEqual([1, 0, 1]);
        expect(x.gt(2).dtype).toBe('float32');
        const i = tensor([1, 5], { dtype: 'int32' });
        const r = i.gt(tensor([2, 2], { dtype: 'int32' }));
        expect(r.dtype).toBe('int32');
        expect(Array.from(r.data())).toEqual([0, 1]);
        // NaN compares false, except ne.
        const nan = tensor([Number.NaN]);
        expect([gt(nan, 0), lt(nan, 0), eq(nan, nan), ne(nan, nan)].map((t) => t.item())).toEqual([
          0, 0, 0, 1,
        ]);
        expect(x.gt(2).requiresGrad).toBe(false);
      }));

    it('special values: NaN propagates through maximum/minimum/clamp/relu; exp overflows to inf', () =>
      on(() => {
        const v = tensor([Number.NaN, 1, -Infinity, Infinity]);
        expect(Array.from(maximum(v, 0).data())).toEqual([Number.NaN, 1, 0, Infinity]);
        expect(Array.from(minimum(v, 0).data())).toEqual([Number.NaN, 0, -Infinity, 0]);
        expect(Array.from(clamp(v, -1, 1).data())).toEqual([Number.NaN, 1, -1, 1]);
        expect(Array.from(relu(v).data())).toEqual([Number.NaN, 1, 0, Infinity]);
        expect(Array.from(exp(tensor([100, -200])).data())).toEqual([Infinity, 0]);
        expect(Array.from(sigmoid(tensor([-200, 200])).data())).toEqual([0, 1]);
        expect(Array.from(log(tensor([0, -1])).data())).toEqual([-Infinity, Number.NaN]);
        expect(Array.from(softplus(tensor([-200, 200])).data())).toEqual([0, 200]);
      }));

    it('int32 arithmetic stays int32', () =>
      on(() => {
        const a = tensor([7, -3, 0], { dtype: 'int32' });
        const b = tensor([2, 5, -4], { dtype: 'int32' });
        for (const [op, want] of [
          [add(a, b), [9, 2, -4]],
          [sub(a, b), [5, -8, 4]],
          [mul(a, b), [14, -15, -0]],
          [neg(a), [-7, 3, -0]],
          [abs(a), [7, 3, 0]],
          [square(a), [49, 9, 0]],
          [maximum(a, b), [7, 5, 0]],
          [a.add(1), [8, -2, 1]],
        ] as [Tensor, number[]][]) {
          expect(op.dtype).toBe('int32');
          expect(Array.from(op.data())).toEqual(want.map((x) => x | 0));
        }
      }));

    it('broadcast operands and non-contiguous inputs match the scalar loop', () =>
      on(() => {
        const { a } = inputs(4 * 17);
        const m = tensor(a, { shape: [4, 17] });
        const row = tensor(a.slice(0, 17));
        const col = tensor(a.slice(0, 4), { shape: [4, 1] });
        const got = add(mul(m, row), col).data();
        const want = Array.from(a, (x, f) =>
          Math.fround(Math.fround(x * a[f % 17]!) + a[Math.floor(f / 17)]!),
        );
        expect(Array.from(got)).toEqual(want);
        const t = m.t(); // [17, 4]
        const gotT = exp(t).data();
        const wantT: number[] = [];
        for (let j = 0; j < 17; j++)
          for (let i = 0; i < 4; i++) wantT.push(Math.fround(Math.exp(a[i * 17 + j]!)));
        expectClose(gotT, wantT, 2e-6, 1e-7, 'exp of transpose');
      }));
  });

  describe('where', () => {
    it('picks a where cond ≠ 0, else b, broadcasting all three', () =>
      on(() => {
        const cond = tensor([1, 0, 1, 0]);
        expect(where(cond, tensor([1, 2, 3, 4]), tensor([-1, -2, -3, -4])).toArray()).toEqual([1, -2, 3, -4]);
        expect(where(cond, tensor([10, 20, 30, 40]), 0).toArray()).toEqual([10, 0, 30, 0]);
        expect(where(cond, 5, -5).toArray()).toEqual([5, -5, 5, -5]);
        const c2 = tensor([[1], [0]]);
        expect(where(c2, tensor([1, 2, 3]), tensor([7])).toArray()).toEqual([
          [1, 2, 3],
          [7, 7, 7],
        ]);
        // Any non-zero value counts as true, also NaN; int32 conditions work too.
        expect(where(tensor([2, -0.5, Number.NaN, 0]), 1, 0).toArray()).toEqual([1, 1, 1, 0]);
        expect(where(tensor([0, 3], { dtype: 'int32' }), tensor([1, 1]), tensor([2, 2])).toArray()).toEqual([
          2, 1,
        ]);
        // The condition made by a comparison.
        const x = tensor([-2, -1, 0, 1, 2]);
        expect(where(x.gt(0), x, x.mul(0.5)).toArray()).toEqual([-1, -0.5, 0, 1, 2]);
      }));
  });

  describe('reductions', () => {
    const shape = [2, 3, 4];
    const values = Float32Array.from({ length: 24 }, (_, f) => ((f * 7) % 24) * 0.5 - 5);
    const x = (): Tensor => tensor(values, { shape });

    const cases: [string, number | number[] | undefined, boolean][] = [
      ['all', undefined, false],
      ['all keepDim', undefined, true],
      ['axis 0', 0, false],
      ['axis -1', -1, false],
      ['axis -1 keepDim', -1, true],
      ['axes [0, -1] keepDim', [0, -1], true],
      ['axes [2, 1]', [2, 1], false],
      ['axes [-3, 1, 2]', [-3, 1, 2], false],
    ];
    const norm = (axis: number | number[] | undefined): number[] =>
      axis === undefined
        ? [0, 1, 2]
        : (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + 3 : a));

    it.each(cases)('sum, max, min over %s', (_name, axis, keepDim) =>
      on(() => {
        for (const [op, combine] of [
          [sum, (v: number[]) => v.reduce((p, q) => p + q, 0)],
          [max, (v: number[]) => Math.max(...v)],
          [min, (v: number[]) => Math.min(...v)],
        ] as const) {
          const got = op(x(), axis, keepDim);
          const ref = reduceRef(values, shape, norm(axis), keepDim, combine);
          expect(got.shape).toEqual(ref.shape);
          expect(Array.from(got.data())).toEqual(ref.data.map(Math.fround));
        }
      }),
    );

    it.each(cases)('mean, var, std over %s', (_name, axis, keepDim) =>
      on(() => {
        const meanOf = (v: number[]): number => v.reduce((p, q) => p + q, 0) / v.length;
        const varOf = (correction: number) => (v: number[]) => {
          const mu = meanOf(v);
          return v.reduce((p, q) => p + (q - mu) ** 2, 0) / (v.length - correction);
        };
        const axes = norm(axis);
        const m = mean(x(), axis, keepDim);
        const refM = reduceRef(values, shape, axes, keepDim, meanOf);
        expect(m.shape).toEqual(refM.shape);
        expectClose(m.data(), refM.data, 1e-6, 1e-6, 'mean');
        const v = variance(x(), axis, { keepDim });
        expectClose(v.data(), reduceRef(values, shape, axes, keepDim, varOf(1)).data, 1e-5, 1e-6, 'var');
        expect(v.shape).toEqual(refM.shape);
        const v0 = x().var(axis, { keepDim, correction: 0 });
        expectClose(
          v0.data(),
          reduceRef(values, shape, axes, keepDim, varOf(0)).data,
          1e-5,
          1e-6,
          'var correction 0',
        );
        const s = std(x(), axis, { keepDim });
        expectClose(
          s.data(),
          reduceRef(values, shape, axes, keepDim, (g) => Math.sqrt(varOf(1)(g))).data,
          1e-5,
          1e-6,
          'std',
        );
      }),
    );

    it('hand-worked values', () =>
      on(() => {
        const m = tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expect(m.sum().item()).toBe(21);
        expect(m.sum(0).toArray()).toEqual([5, 7, 9]);
        expect(m.sum(1, true).toArray()).toEqual([[6], [15]]);
        expect(m.mean(-1).toArray()).toEqual([2, 5]);
        expect(m.max(-2).toArray()).toEqual([4, 5, 6]);
        expect(m.min().item()).toBe(1);
        expect(m.var().item()).toBeCloseTo(3.5, 6);
        expect(m.std(1, { correction: 0 }).data()[0]).toBeCloseTo(Math.sqrt(2 / 3), 6);
        expect(m.sum().shape).toEqual([]);
        expect(m.sum(undefined, true).shape).toEqual([1, 1]);
        // Empty sums are 0; int32 sums stay int32.
        expect(zeros([0, 3]).sum(0).toArray()).toEqual([0, 0, 0]);
        expect(zeros([0]).sum().item()).toBe(0);
        const i = tensor([1, 2, 3], { dtype: 'int32' }).sum();
        expect(i.dtype).toBe('int32');
        expect(i.item()).toBe(6);
        // max propagates NaN.
        expect(tensor([1, Number.NaN, 3]).max().item()).toBeNaN();
      }));
  });

  describe('argmax and argmin', () => {
    it('first occurrence wins on ties', () =>
      on(() => {
        expect(argmax(tensor([1, 3, 3, 2])).item()).toBe(1);
        expect(argmin(tensor([2, 1, 1, 5, 1])).item()).toBe(1);
        expect(argmax(tensor([7, 7, 7])).item()).toBe(0);
        const m = tensor([
          [1, 5, 5],
          [7, 7, 0],
        ]);
        expect(Array.from(m.argmax(1).data())).toEqual([1, 0]);
        expect(Array.from(m.argmin(-1).data())).toEqual([0, 2]);
        expect(Array.from(m.argmax(0).data())).toEqual([1, 1, 0]);
        expect(m.argmax().item()).toBe(3); // flat index of the first 7
        expect(m.argmin().item()).toBe(5);
      }));

    it('int32 results, keepDim and negative axes', () =>
      on(() => {
        const x = tensor(
          Float32Array.from({ length: 24 }, (_, f) => (f * 5) % 24),
          { shape: [2, 3, 4] },
        );
        const a = x.argmax(-2, true);
        expect(a.dtype).toBe('int32');
        expect(a.shape).toEqual([2, 1, 4]);
        const ref = reduceRef(x.data(), [2, 3, 4], [1], true, (v) => v.indexOf(Math.max(...v)));
        expect(Array.from(a.data())).toEqual(ref.data);
        expect(x.argmin(0).shape).toEqual([3, 4]);
        expect(x.argmax(undefined, true).shape).toEqual([1, 1, 1]);
        expect(x.argmax().shape).toEqual([]);
        expect(x.argmax().item()).toBe(Array.from(x.data()).indexOf(23));
      }));

    it('NaN counts as the maximum and the minimum, as in PyTorch', () =>
      on(() => {
        expect(argmax(tensor([1, Number.NaN, 5])).item()).toBe(1);
        expect(argmin(tensor([1, Number.NaN, -5])).item()).toBe(1);
      }));
  });

  describe('matmul', () => {
    const g = new Generator(42);
    const r = (shape: number[]): Tensor => randn(shape, { generator: g });

    it('2-D shapes, including empty and odd sizes', () =>
      on(() => {
        for (const [m, k, n] of [
          [3, 4, 5],
          [1, 1, 1],
          [5, 17, 33],
          [4, 1, 3],
          [1, 33, 1],
          [0, 3, 2],
          [2, 3, 0],
        ] as const) {
          expectMatmul(r([m, k]), r([k, n]), `[${m}, ${k}] x [${k}, ${n}]`);
        }
        // k = 0: the sum is empty, so the result is all zeros.
        expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([
          [0, 0, 0],
          [0, 0, 0],
        ]);
      }));

    it('hand-worked product', () =>
      on(() => {
        const a = tensor([
          [1, 2],
          [3, 4],
        ]);
        const b = tensor([
          [5, 6],
          [7, 8],
        ]);
        expect(matmul(a, b).toArray()).toEqual([
          [19, 22],
          [43, 50],
        ]);
        expect(a.matmul(b.t()).toArray()).toEqual([
          [17, 23],
          [39, 53],
        ]);
      }));

    it('transposed views (AᵀB, ABᵀ, AᵀBᵀ) and non-contiguous slices', () =>
      on(() => {
        const at = r([4, 3]).t();
        const bt = r([5, 4]).t();
        const a = r([3, 4]);
        const b = r([4, 5]);
        expectMatmul(at, b, 'AtB');
        expectMatmul(a, bt, 'ABt');
        expectMatmul(at, bt, 'AtBt');
        expectMatmul(r([6, 8]).index('::2', '1:5'), b, 'strided slice x B');
        expectMatmul(a, r([9, 10]).index('2:6', '::2'), 'A x strided slice');
        expectMatmul(r([17, 5]).t(), r([17, 3]), 'odd AtB');
        expectMatmul(r([2, 4, 3]).transpose(1, 2), r([2, 4, 5]), 'batched At');
        expectMatmul(r([3, 4, 2]).permute(2, 0, 1), r([4, 5]), 'permuted batch');
        // Row-major matrices whose batch stride is not m·k (every other matrix of a batch).
        expectMatmul(r([4, 2, 3]).index('::2'), r([2, 3, 5]).index('1:'), 'strided batch');
        expectMatmul(r([2, 3, 4]).index('...', '1:3', ':'), r([4, 2]), 'row slice of each matrix');
      }));

    it('broadcast batch dimensions', () =>
      on(() => {
        expectMatmul(r([2, 1, 3, 4]), r([5, 4, 2]), '[2,1,3,4] x [5,4,2]');
        expectMatmul(r([3, 4]), r([2, 4, 5]), '[3,4] x [2,4,5]');
        expectMatmul(r([2, 3, 4]), r([4, 5]), '[2,3,4] x [4,5]');
        expectMatmul(r([1, 3, 4]).expand(3, 3, 4), r([3, 4, 2]), 'expanded batch');
        expectMatmul(r([2, 1, 3, 4]), r([5, 2, 4]).transpose(-1, -2), 'broadcast with transposed B');
      }));

    it('1-D operands follow torch.matmul', () =>
      on(() => {
        expectMatmul(r([4]), r([4]), 'dot');
        expectMatmul(r([4]), r([4, 3]), 'vector x matrix');
        expectMatmul(r([3, 4]), r([4]), 'matrix x vector');
        expectMatmul(r([4]), r([2, 4, 3]), 'vector x batch');
        expectMatmul(r([2, 3, 4]), r([4]), 'batch x vector');
        expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
        expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).shape).toEqual([]);
      }));
  });

  describe('concat, stack, split', () => {
    const x = (): Tensor =>
      tensor(
        Float32Array.from({ length: 12 }, (_, i) => i),
        { shape: [3, 4] },
      );

    it('split then concat is the identity', () =>
      on(() => {
        const parts = split(x(), [1, 2, 1], 1);
        expect(parts.map((p) => p.shape)).toEqual([
          [3, 1],
          [3, 2],
          [3, 1],
        ]);
        expect(parts[1]!.toArray()).toEqual([
          [1, 2],
          [5, 6],
          [9, 10],
        ]);
        expect(concat(parts, 1).toArray()).toEqual(x().toArray());
        const rows = split(x(), 2);
        expect(rows.map((p) => p.shape)).toEqual([
          [2, 4],
          [1, 4],
        ]);
        expect(concat(rows).toArray()).toEqual(x().toArray());
        expect(split(x(), 4, -1)).toHaveLength(1);
        expect(split(x(), [0, 3], 0)[0]!.shape).toEqual([0, 4]);
        expect(concat(split(x(), [0, 3, 0], 0), 0).toArray()).toEqual(x().toArray());
      }));

    it('concat hand-worked, along any axis, with empty pieces and int32', () =>
      on(() => {
        const a = tensor([
          [1, 2],
          [3, 4],
        ]);
        const b = tensor([[5, 6]]);
        expect(concat([a, b]).toArray()).toEqual([
          [1, 2],
          [3, 4],
          [5, 6],
        ]);
        expect(concat([a, b.t()], -1).toArray()).toEqual([
          [1, 2, 5],
          [3, 4, 6],
        ]);
        expect(concat([a, zeros([0, 2]), a], 0).shape).toEqual([4, 2]);
        expect(concat([a.t(), a], 1).toArray()).toEqual([
          [1, 3, 1, 2],
          [2, 4, 3, 4],
        ]);
        const i = concat([tensor([1], { dtype: 'int32' }), tensor([2, 3], { dtype: 'int32' })]);
        expect(i.dtype).toBe('int32');
        expect(Array.from(i.data())).toEqual([1, 2, 3]);
      }));

    it('stack adds an axis; indexing it recovers the pieces', () =>
      on(() => {
        const a = tensor([1, 2, 3]);
        const b = tensor([4, 5, 6]);
        expect(stack([a, b]).toArray()).toEqual([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expect(stack([a, b], 1).toArray()).toEqual([
          [1, 4],
          [2, 5],
          [3, 6],
        ]);
        expect(stack([a, b], -1).shape).toEqual([3, 2]);
        const s = stack([x(), x().mul(2), x().neg()], 1);
        expect(s.shape).toEqual([3, 3, 4]);
        expect(s.index(':', 1).toArray()).toEqual(x().mul(2).toArray());
        expect(s.index(':', 2).toArray()).toEqual(x().neg().toArray());
        expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
      }));
  });

  describe('gather and indexSelect', () => {
    it('gather, as the torch.gather documentation example', () =>
      on(() => {
        const t = tensor([
          [1, 2],
          [3, 4],
        ]);
        const idx = tensor(
          [
            [0, 0],
            [1, 0],
          ],
          { dtype: 'int32' },
        );
        expect(gather(t, 1, idx).toArray()).toEqual([
          [1, 1],
          [4, 3],
        ]);
        expect(t.gather(0, idx).toArray()).toEqual([
          [1, 2],
          [3, 2],
        ]);
        expect(gather(t, -1, tensor([[1], [0]], { dtype: 'int32' })).toArray()).toEqual([[2], [3]]);
      }));

    it('gather with an index smaller than the input outside the axis, against a loop', () =>
      on(() => {
        const g = new Generator(3);
        const x = randn([3, 5, 4], { generator: g });
        const idx = tensor(
          Int32Array.from({ length: 2 * 6 * 3 }, (_, f) => (f * 7 + 3) % 5),
          { shape: [2, 6, 3] },
        );
        const out = gather(x, 1, idx);
        expect(out.shape).toEqual([2, 6, 3]);
        const xd = x.data();
        const id = idx.data();
        const want: number[] = [];
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 6; j++)
            for (let k = 0; k < 3; k++) {
              want.push(xd[(i * 5 + id[(i * 6 + j) * 3 + k]!) * 4 + k]!);
            }
        expect(Array.from(out.data())).toEqual(want);
      }));

    it('indexSelect with arrays (negatives allowed) and int32 tensors', () =>
      on(() => {
        const x = tensor([
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ]);
        expect(indexSelect(x, 0, [2, 0]).toArray()).toEqual([
          [7, 8, 9],
          [1, 2, 3],
        ]);
        expect(indexSelect(x, -1, [-1, 0, 0]).toArray()).toEqual([
          [3, 1, 1],
          [6, 4, 4],
          [9, 7, 7],
        ]);
        expect(x.indexSelect(1, tensor([1], { dtype: 'int32' })).toArray()).toEqual([[2], [5], [8]]);
        expect(indexSelect(x.t(), 0, [0]).toArray()).toEqual([[1, 4, 7]]);
        expect(indexSelect(x, 0, []).shape).toEqual([0, 3]);
      }));
  });

  describe('pad', () => {
    it('pads the last dimensions first, with zeros or a value', () =>
      on(() => {
        const x = tensor([
          [1, 2],
          [3, 4],
        ]);
        expect(pad(x, [1, 2]).toArray()).toEqual([
          [0, 1, 2, 0, 0],
          [0, 3, 4, 0, 0],
        ]);
        expect(pad(x, [0, 1, 1, 0], -1).toArray()).toEqual([
          [-1, -1, -1],
          [1, 2, -1],
          [3, 4, -1],
        ]);
        expect(pad(x, []).toArray()).toEqual(x.toArray());
        expect(pad(x.t(), [1, 0]).toArray()).toEqual([
          [0, 1, 3],
          [0, 2, 4],
        ]);
        const y = pad(zeros([1, 2, 3]).add(1), [1, 1, 1, 1], 0);
        expect(y.shape).toEqual([1, 4, 5]);
        expect(y.sum().item()).toBe(6);
        expect(pad(zeros([0, 2]), [1, 1]).shape).toEqual([0, 4]);
        expect(pad(zeros([2, 0]), [1, 1], 3).toArray()).toEqual([
          [3, 3],
          [3, 3],
        ]);
      }));
  });

  describe('conv2d against a direct loop', () => {
    const cases: ConvCase[] = [
      { name: 'basic 3x3', x: [2, 3, 7, 7], w: [4, 3, 3, 3], options: {} },
      { name: 'bias', x: [1, 2, 5, 6], w: [3, 2, 3, 3], bias: true, options: {} },
      { name: 'stride 2, padding 1', x: [2, 3, 8, 7], w: [4, 3, 3, 3], options: { stride: 2, padding: 1 } },
      {
        name: 'dilation 2, padding 2',
        x: [1, 2, 9, 9],
        w: [2, 2, 3, 3],
        bias: true,
        options: { dilation: 2, padding: 2 },
      },
      { name: 'groups 3', x: [2, 6, 6, 5], w: [6, 2, 3, 3], bias: true, options: { groups: 3, padding: 1 } },
      { name: 'depthwise', x: [1, 4, 5, 5], w: [8, 1, 3, 3], options: { groups: 4 } },
      {
        name: 'rectangular, pairs',
        x: [2, 3, 7, 9],
        w: [5, 3, 2, 3],
        bias: true,
        options: { stride: [2, 1], padding: [1, 0], dilation: [1, 2] },
      },
      { name: "padding 'same' 5x5", x: [1, 2, 6, 7], w: [3, 2, 5, 5], options: { padding: 'same' } },
      {
        name: "padding 'same' dilated",
        x: [1, 2, 6, 7],
        w: [3, 2, 3, 3],
        options: { padding: 'same', dilation: 2 },
      },
      { name: "padding 'valid'", x: [1, 1, 4, 4], w: [1, 1, 2, 2], options: { padding: 'valid' } },
      { name: '1x1', x: [3, 5, 4, 4], w: [2, 5, 1, 1], bias: true, options: {} },
      { name: 'kernel as large as the input', x: [1, 3, 4, 4], w: [2, 3, 4, 4], options: {} },
      { name: 'stride larger than kernel', x: [1, 1, 10, 10], w: [1, 1, 2, 2], options: { stride: 3 } },
    ];

    it.each(cases)('$name', ({ name, x: xs, w: ws, bias, options }) =>
      on(() => {
        const g = new Generator(xs.reduce((p, q) => p * 31 + q, 7));
        const x = randn(xs, { generator: g });
        const w = randn(ws, { generator: g });
        const b = bias ? randn([ws[0]], { generator: g }) : null;
        const out = conv2d(x, w, b, options);
        const dil = pairOf(options.dilation, 1);
        let padding: [number, number];
        if (options.padding === 'same') padding = [(dil[0] * (ws[2] - 1)) / 2, (dil[1] * (ws[3] - 1)) / 2];
        else if (options.padding === 'valid') padding = [0, 0];
        else padding = pairOf(options.padding, 0);
        const ref = conv2dRef(
          x.data(),
          xs,
          w.data(),
          ws,
          b ? b.data() : null,
          pairOf(options.stride, 1),
          padding,
          dil,
          options.groups ?? 1,
        );
        expect(out.shape).toEqual(ref.shape);
        if (options.padding === 'same') expect(out.shape.slice(2)).toEqual(xs.slice(2));
        const got = out.data();
        for (let i = 0; i < ref.data.length; i++) {
          if (!(Math.abs(got[i]! - ref.data[i]!) <= 1e-6 * ref.scale[i]! + 1e-30)) {
            expect.fail(`${name}: element ${i} is ${got[i]}, expected ${ref.data[i]}`);
          }
        }
      }),
    );

    it('a non-contiguous input gives the same result', () =>
      on(() => {
        const g = new Generator(9);
        const x = randn([5, 5, 3, 2], { generator: g }).permute(3, 2, 0, 1); // [2, 3, 5, 5]
        const w = randn([4, 3, 3, 3], { generator: g });
        expect(Array.from(conv2d(x, w, null, { padding: 1 }).data())).toEqual(
          Array.from(conv2d(x.contiguous(), w, null, { padding: 1 }).data()),
        );
      }));
  });

  describe('pooling against direct loops', () => {
    const g = new Generator(11);
    const poolCases: [
      string,
      number[],
      number | [number, number],
      {
        stride?: number | [number, number];
        padding?: number | [number, number];
        dilation?: number | [number, number];
      },
    ][] = [
      ['2x2 stride 2', [2, 3, 6, 6], 2, {}],
      ['2x2 odd input (floor)', [1, 2, 7, 5], 2, {}],
      ['3x3 stride 1 padding 1', [1, 2, 5, 6], 3, { stride: 1, padding: 1 }],
      ['3x3 stride 2 padding 1', [2, 1, 7, 7], 3, { stride: 2, padding: 1 }],
      ['rectangular', [1, 2, 6, 9], [2, 3], { stride: [1, 2], padding: [1, 1] }],
    ];

    it.each(poolCases)('maxPool2d %s', (_name, shape, kernel, opts) =>
      on(() => {
        const x = randn(shape, { generator: g });
        const out = maxPool2d(x, kernel, opts);
        const k = pairOf(kernel, 1);
        const ref = poolRef(
          x.data(),
          shape,
          k,
          opts.stride === undefined ? k : pairOf(opts.stride, 1),
          pairOf(opts.padding, 0),
          pairOf(opts.dilation, 1),
          (v) => Math.max(...v),
        );
        expect(out.shape).toEqual(ref.shape);
        expect(Array.from(out.data())).toEqual(ref.data.map(Math.fround));
      }),
    );

    it('maxPool2d with dilation', () =>
      on(() => {
        const x = randn([1, 2, 7, 7], { generator: g });
        const out = maxPool2d(x, 2, { stride: 1, dilation: 2 });
        const ref = poolRef(x.data(), [1, 2, 7, 7], [2, 2], [1, 1], [0, 0], [2, 2], (v) => Math.max(...v));
        expect(out.shape).toEqual(ref.shape);
        expect(Array.from(out.data())).toEqual(ref.data);
      }));

    it('maxPool2d of all-negative values with padding ignores the padding', () =>
      on(() => {
        const x = zeros([1, 1, 2, 2]).sub(5);
        expect(maxPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).toEqual([
          [
            [
              [-5, -5, -5],
              [-5, -5, -5],
              [-5, -5, -5],
            ],
          ],
        ]);
      }));

    it.each(poolCases)('avgPool2d %s (countIncludePad true and false)', (_name, shape, kernel, opts) =>
      on(() => {
        const x = randn(shape, { generator: g });
        const k = pairOf(kernel, 1);
        const stride = opts.stride === undefined ? k : pairOf(opts.stride, 1);
        const padding = pairOf(opts.padding, 0);
        const withPad = avgPool2d(x, kernel, { stride: opts.stride, padding: opts.padding });
        const ref = poolRef(
          x.data(),
          shape,
          k,
          stride,
          padding,
          [1, 1],
          (v, size) => v.reduce((p, q) => p + q, 0) / size,
        );
        expect(withPad.shape).toEqual(ref.shape);
        expectClose(withPad.data(), ref.data, 1e-6, 1e-6, 'countIncludePad');
        const noPad = avgPool2d(x, kernel, {
          stride: opts.stride,
          padding: opts.padding,
          countIncludePad: false,
        });
        const refNo = poolRef(
          x.data(),
          shape,
          k,
          stride,
          padding,
          [1, 1],
          (v) => v.reduce((p, q) => p + q, 0) / v.length,
        );
        expectClose(noPad.data(), refNo.data, 1e-6, 1e-6, 'countIncludePad false');
      }),
    );

    it('avgPool2d hand-worked', () =>
      on(() => {
        const x = tensor(
          Float32Array.from({ length: 16 }, (_, i) => i),
          { shape: [1, 1, 4, 4] },
        );
        expect(avgPool2d(x, 2).toArray()).toEqual([
          [
            [
              [2.5, 4.5],
              [10.5, 12.5],
            ],
          ],
        ]);
        expect(maxPool2d(x, 2).toArray()).toEqual([
          [
            [
              [5, 7],
              [13, 15],
            ],
          ],
        ]);
        // 3x3 windows over ones with padding 1: a corner window holds 4 real ones and 5 padded zeros.
        const ones = zeros([1, 1, 3, 3]).add(1);
        expect(avgPool2d(ones, 3, { stride: 1, padding: 1 }).index(0, 0).toArray()).toEqual([
          [4 / 9, 6 / 9, 4 / 9].map(Math.fround),
          [6 / 9, 1, 6 / 9].map(Math.fround),
          [4 / 9, 6 / 9, 4 / 9].map(Math.fround),
        ]);
        expect(
          avgPool2d(ones, 3, { stride: 1, padding: 1, countIncludePad: false }).index(0, 0).toArray(),
        ).toEqual([
          [1, 1, 1],
          [1, 1, 1],
          [1, 1, 1],
        ]);
      }));
  });

  describe('softmax and cross-entropy stability', () => {
    it('softmax rows sum to 1 and are finite for logits of ±1e4', () =>
      on(() => {
        const logits = tensor([
          [1e4, -1e4, 0],
          [-1e4, -1e4, -1e4],
          [1e4, 1e4, 1e4],
          [0, 1, 2],
        ]);
        const p = softmax(logits, -1);
        const d = p.data();
        for (let i = 0; i < d.length; i++) expect(Number.isFinite(d[i]!)).toBe(true);
        const rows = p.sum(1).data();
        for (const s of rows) expect(Math.abs(s - 1)).toBeLessThan(1e-6);
        expectClose(
          d.slice(0, 9),
          [1, 0, 0, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3],
          1e-6,
          1e-7,
          'extremes',
        );
        const e = [1, Math.E, Math.E ** 2];
        const z = e[0]! + e[1]! + e[2]!;
        expectClose(
          d.slice(9),
          e.map((v) => v / z),
          1e-6,
          1e-7,
          'row [0, 1, 2]',
        );
        const lp = logSoftmax(logits, 1).data();
        for (let i = 0; i < lp.length; i++) expect(Number.isFinite(lp[i]!)).toBe(true);
        expectClose(lp.slice(0, 3), [0, -2e4, -1e4], 1e-6, 1e-3, 'logSoftmax extremes');
      }));

    it('softmax along a non-last axis, with sizes hitting SIMD tails', () =>
      on(() => {
        for (const n of [1, 3, 4, 5, 17, 33]) {
          const { a } = inputs(3 * n);
          const x = tensor(a, { shape: [3, n] });
          const p = softmax(x, 0);
          const want: number[] = [];
          for (let i = 0; i < 3; i++) {
            for (let j = 0; j < n; j++) {
              const col = [0, 1, 2].map((r) => a[r * n + j]!);
              const mx = Math.max(...col);
              const s = col.reduce((acc, v) => acc + Math.exp(v - mx), 0);
              want.push(Math.exp(a[i * n + j]! - mx) / s);
            }
          }
          expectClose(p.data(), want, 2e-6, 1e-7, `softmax axis 0, n=${n}`);
          const lsm = logSoftmax(x, -1).data();
          for (let i = 0; i < 3; i++) {
            const row = Array.from(a.slice(i * n, (i + 1) * n));
            const mx = Math.max(...row);
            const lse = mx + Math.log(row.reduce((acc, v) => acc + Math.exp(v - mx), 0));
            expectClose(
              lsm.slice(i * n, (i + 1) * n),
              row.map((v) => v - lse),
              2e-6,
              2e-6,
              `logSoftmax n=${n}`,
            );
          }
        }
      }));

    it('crossEntropy of logits ±1e4 is finite and exact', () =>
      on(() => {
        const logits = tensor([
          [1e4, -1e4, 0],
          [-1e4, 1e4, 0],
        ]);
        const target = tensor([0, 0], { dtype: 'int32' });
        const none = crossEntropy(logits, target, { reduction: 'none' });
        // (−0 from negating a zero log-probability is fine; compare values.)
        expect(Array.from(none.data(), (v) => v + 0)).toEqual([0, 2e4]);
        expect(crossEntropy(logits, target).item()).toBe(1e4);
        expect(crossEntropy(logits, target, { reduction: 'sum' }).item()).toBe(2e4);
        const smoothed = crossEntropy(logits, target, { labelSmoothing: 0.1 }).item();
        expect(Number.isFinite(smoothed)).toBe(true);
        // Row 0: 0.9·0 + 0.1·mean(0, 2e4, 1e4) = 1000; row 1: 0.9·2e4 + 0.1·(2e4 + 0 + 1e4)/3 = 19000.
        expect(smoothed).toBeCloseTo(10_000, 1);
        const probs = tensor([
          [1, 0, 0],
          [0.5, 0, 0.5],
        ]);
        const soft = crossEntropy(logits, probs, { reduction: 'none' }).data();
        expect(Array.from(soft, (v) => v + 0)).toEqual([0, 1.5e4]);
      }));

    it('crossEntropy hand-worked and for [N, C, d] logits', () =>
      on(() => {
        const logits = tensor([[0, Math.log(3)]]); // p = [1/4, 3/4]
        expect(crossEntropy(logits, tensor([1], { dtype: 'int32' })).item()).toBeCloseTo(-Math.log(0.75), 6);
        expect(crossEntropy(logits, tensor([0], { dtype: 'int32' })).item()).toBeCloseTo(-Math.log(0.25), 6);
        // [N=1, C=2, d=2]: position 0 has logits (0, ln 3), position 1 has (ln 3, 0).
        const spatial = tensor([
          [
            [0, Math.log(3)],
            [Math.log(3), 0],
          ],
        ]);
        const t = tensor([[1, 1]], { dtype: 'int32' });
        const l = crossEntropy(spatial, t, { reduction: 'none' });
        expect(l.shape).toEqual([1, 2]);
        expectClose(l.data(), [-Math.log(0.75), -Math.log(0.25)], 1e-6, 1e-6, 'spatial');
      }));
  });
});
