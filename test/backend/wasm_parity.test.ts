/**
 * Kernel by kernel, the WebAssembly backend (every build this runtime runs: scalar, SIMD, relaxed SIMD)
 * against the reference backend on random inputs, at sizes that hit the SIMD bodies and their scalar
 * tails (0, 1, 3, 4, 5, 17, 33, 100, 257), with contiguous, broadcast, transposed and offset views.
 *
 * Tolerances are what the backend declares (its `precision`, src/backend/wasm/precision.ts): bit-identical results for the correctly rounded operations
 * (+ − × ÷ √, min/max, comparisons, moves, fills, conversions, im2col/col2im, scatter-add); one ulp for
 * the functions computed in float64 and rounded once (pow, erf, elu, softplus, GELU, rsqrt); the
 * documented ulps of its float32 exp, log, tanh and sigmoid; and for sums and products, the error bound
 * of float32 accumulation (sums accumulate in float64 and agree closely; products accumulate in float32).
 */
import { describe, expect, it } from 'vitest';
import type {
  BinaryOp,
  BufferHandle,
  MatmulSpec,
  ReduceOp,
  UnaryCall,
  View,
  WindowSpec,
} from '../../src/backend/backend.js';
import { ulpsOf } from '../../src/backend/precision.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { type Backend, ReferenceBackend } from '../../src/index.js';
import type { DType } from '../../src/tensor/dtype.js';
import { contiguousStrides } from '../../src/tensor/shape.js';
import { rng, ulps, wasmBackends } from './wasm_helpers.js';

const reference = new ReferenceBackend();
const SIZES = [0, 1, 3, 4, 5, 17, 33, 100, 257];

function buffer(backend: Backend, dtype: DType, data: ArrayLike<number>): BufferHandle {
  const b = backend.allocate(dtype, data.length);
  backend.write(b, dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data));
  return b;
}

function view(
  b: BufferHandle,
  shape: readonly number[],
  strides = contiguousStrides(shape),
  offset = 0,
): View {
  return { buffer: b, shape, strides, offset };
}

const SPECIALS = [0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-40, 3e38];

/** n random float32 values in ±scale, with special values sprinkled in when `specials`. */
function floats(n: number, seed: number, scale = 4, specials = false): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) =>
    specials && i % 7 === 3 ? SPECIALS[(i >> 3) % SPECIALS.length]! : Math.fround((r() * 2 - 1) * scale),
  );
}

function ints(n: number, seed: number, lo = -50, hi = 50): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

/** Runs the same kernel call on both backends with the same input data and returns both outputs. */
function both(
  wasm: Backend,
  inputs: { dtype: DType; data: ArrayLike<number> }[],
  out: { dtype: DType; length: number; init?: ArrayLike<number> },
  call: (backend: Backend, ins: BufferHandle[], out: BufferHandle) => void,
): [number[], number[]] {
  const results = [reference, wasm].map((backend) => {
    const ins = inputs.map((x) => buffer(backend, x.dtype, x.data));
    const o = out.init ? buffer(backend, out.dtype, out.init) : backend.allocate(out.dtype, out.length);
    call(backend, ins, o);
    const values = Array.from(backend.read!(o));
    for (const b of [...ins, o]) backend.release(b);
    return values;
  });
  return results as [number[], number[]];
}

/** Every element within `maxUlps` (0: identical, including the sign of zero). */
function expectUlps(actual: number[], expected: number[], maxUlps: number, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok =
      maxUlps === 0 ? Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) : ulps(a, e) <= maxUlps;
    if (!ok) expect.fail(`${label}: element ${i} is ${a}, the reference gives ${e} (allowed ${maxUlps} ulp)`);
  }
}

const EXACT_UNARY: UnaryCall[] = [
  { op: 'neg' },
  { op: 'abs' },
  { op: 'sign' },
  { op: 'sqrt' },
  { op: 'square' },
  { op: 'relu' },
  { op: 'rsqrt' },
  { op: 'leakyRelu', negativeSlope: 0.01 },
  { op: 'clamp', min: -0.3, max: 1.7 },
  { op: 'clamp', min: Number.NEGATIVE_INFINITY, max: 0.1 },
];
const FLOAT64_UNARY: UnaryCall[] = [
  { op: 'erf' },
  { op: 'elu', alpha: 1.3 },
  { op: 'softplus', beta: 1, threshold: 20 },
  { op: 'softplus', beta: 2.5, threshold: 3 },
  { op: 'gelu', approximate: 'none' },
  { op: 'gelu', approximate: 'tanh' },
];
const FLOAT32_MATH: UnaryCall[] = [{ op: 'exp' }, { op: 'log' }, { op: 'tanh' }, { op: 'sigmoid' }];
const INT_UNARY: UnaryCall[] = [{ op: 'neg' }, { op: 'abs' }, { op: 'sign' }, { op: 'square' }];
const BINARY: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'gt',
  'ge',
  'lt',
  'le',
  'eq',
  'ne',
];
const INT_BINARY: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'maximum',
  'minimum',
  'gt',
  'ge',
  'lt',
  'le',
  'eq',
  'ne',
];

describe.each(wasmBackends)('wasm kernels ($variant) against the reference backend', ({ backend }) => {
  it('fill writes what a typed array would store', () => {
    for (const n of SIZES) {
      for (const value of [0, -0, 1.5, -2.75, Number.NaN, 1e40, 0.1]) {
        const [r, w] = both(backend, [], { dtype: 'float32', length: n }, (b, _, o) => b.fill(o, value));
        expectUlps(w, r, 0, `fill float32 ${value} × ${n}`);
      }
      for (const value of [0, 3.7, -2.5, 2 ** 32 + 5, -(2 ** 31) - 1, Number.NaN]) {
        const [r, w] = both(backend, [], { dtype: 'int32', length: n }, (b, _, o) => b.fill(o, value));
        expectUlps(w, r, 0, `fill int32 ${value} × ${n}`);
      }
    }
  });

  it('copy: contiguous, transposed, broadcast and into strided views, with dtype conversion', () => {
    for (const n of SIZES) {
      const data = floats(n * 3, n, 1e10, true);
      const layouts: [string, readonly number[], number[], number][] = [
        ['contiguous', [n, 3], [3, 1], 0],
        ['transposed', [3, n], [1, 3], 0],
        ['broadcast', [n, 3], [0, 1], 0],
        ['scalar', [n, 3], [0, 0], 2],
        ['every other row', [Math.ceil(n / 2), 3], [6, 1], 0],
      ];
      for (const [name, shape, strides, offset] of layouts) {
        const count = shape.reduce((a, b) => a * b, 1);
        for (const [from, to] of [
          ['float32', 'float32'],
          ['float32', 'int32'],
          ['int32', 'float32'],
          ['int32', 'int32'],
        ] as const) {
          const src = from === 'int32' ? ints(n * 3, n + 1, -(2 ** 31), 2 ** 31 - 1) : data;
          const [r, w] = both(
            backend,
            [{ dtype: from, data: src }],
            { dtype: to, length: count },
            (b, [s], o) => b.copy(view(s!, shape, strides, offset), view(o, shape)),
          );
          expectUlps(w, r, 0, `copy ${from}→${to} ${name} n=${n}`);
        }
      }
      // Into a strided destination (the odd columns of [n, 6]), leaving the rest untouched.
      const init = floats(n * 6, n + 2);
      const [r, w] = both(
        backend,
        [{ dtype: 'float32', data: floats(n * 3, n + 3) }],
        { dtype: 'float32', length: n * 6, init },
        (b, [s], o) => b.copy(view(s!, [n, 3]), view(o, [n, 3], [6, 2], 1)),
      );
      expectUlps(w, r, 0, `copy into a strided view n=${n}`);
    }
  });

  it('unary ops, contiguous and strided, float32 and int32', () => {
    for (const n of SIZES) {
      const data = floats(n * 2, 10 + n, 6, true);
      const layouts: [string, readonly number[], number[]][] = [
        ['contiguous', [n, 2], [2, 1]],
        ['transposed', [2, n], [1, 2]],
        ['broadcast', [n, 2], [0, 1]],
      ];
      // The allowance is what the backend declares (src/backend/wasm/precision.ts), op by op.
      const cases = [...EXACT_UNARY, ...FLOAT64_UNARY, ...FLOAT32_MATH].map(
        (c) => [c, ulpsOf(backend.precision, c.op)] as const,
      );
      for (const [name, shape, strides] of layouts) {
        const count = shape[0]! * shape[1]!;
        for (const [call, tol] of cases) {
          const [r, w] = both(
            backend,
            [{ dtype: 'float32', data }],
            { dtype: 'float32', length: count },
            (b, [x], o) => b.unary(call, view(x!, shape, strides), o),
          );
          expectUlps(w, r, tol, `${call.op} ${JSON.stringify(call)} ${name} n=${n}`);
        }
        for (const call of INT_UNARY) {
          const [r, w] = both(
            backend,
            [{ dtype: 'int32', data: ints(n * 2, n) }],
            { dtype: 'int32', length: count },
            (b, [x], o) => b.unary(call, view(x!, shape, strides), o),
          );
          expectUlps(w, r, 0, `int32 ${call.op} ${name} n=${n}`);
        }
      }
    }
  });

  it('binary ops with every broadcasting pattern, float32 and int32', () => {
    for (const n of SIZES) {
      // a is [n, 5] in various layouts, b is broadcast against it.
      const layouts: [string, number[], number[], number[]][] = [
        ['both contiguous', [5, 1], [5, 1], [n * 5, n * 5]],
        ['b a row', [5, 1], [0, 1], [n * 5, 5]],
        ['b a column', [5, 1], [1, 0], [n * 5, n]],
        ['b a scalar', [5, 1], [0, 0], [n * 5, 1]],
        ['a a scalar', [0, 0], [5, 1], [1, n * 5]],
        ['a transposed', [1, n], [5, 1], [n * 5, n * 5]],
      ];
      for (const [name, sa, sb, [la, lb]] of layouts) {
        const shape = [n, 5];
        const fa = floats(Math.max(la, 1), n + 20, 3, true);
        const fb = floats(Math.max(lb, 1), n + 21, 3, true);
        // Equal values now and then, for the comparisons.
        for (let i = 0; i < Math.min(fa.length, fb.length); i += 5) fb[i] = fa[i]!;
        for (const op of [...BINARY, 'pow'] as BinaryOp[]) {
          const pa = op === 'pow' ? fa.map(Math.abs) : fa;
          const [r, w] = both(
            backend,
            [
              { dtype: 'float32', data: pa },
              { dtype: 'float32', data: fb },
            ],
            { dtype: 'float32', length: n * 5 },
            (b, [x, y], o) => b.binary(op, view(x!, shape, sa), view(y!, shape, sb), o),
          );
          expectUlps(w, r, ulpsOf(backend.precision, op), `${op} ${name} n=${n}`);
        }
        for (const op of INT_BINARY) {
          const ia = ints(Math.max(la, 1), n + 30);
          const ib = ints(Math.max(lb, 1), n + 31);
          const [r, w] = both(
            backend,
            [
              { dtype: 'int32', data: ia },
              { dtype: 'int32', data: ib },
            ],
            { dtype: 'int32', length: n * 5 },
            (b, [x, y], o) => b.binary(op, view(x!, shape, sa), view(y!, shape, sb), o),
          );
          expectUlps(w, r, 0, `int32 ${op} ${name} n=${n}`);
        }
      }
    }
  });

  it('where, with float32 and int32 conditions (NaN and −0 among them)', () => {
    for (const n of SIZES) {
      const shape = [n, 3];
      const cond = floats(n * 3, n + 40, 1, true).map((v, i) => (i % 3 === 0 ? 0 : v));
      for (const [cdtype, cdata] of [
        ['float32', cond],
        ['int32', ints(n * 3, n + 41, -1, 1)],
      ] as const) {
        for (const [name, sc] of [
          ['contiguous', [3, 1]],
          ['row', [0, 1]],
        ] as const) {
          const [r, w] = both(
            backend,
            [
              { dtype: cdtype, data: cdata },
              { dtype: 'float32', data: floats(n * 3, n + 42) },
              { dtype: 'float32', data: floats(3, n + 43) },
            ],
            { dtype: 'float32', length: n * 3 },
            (b, [c, x, y], o) =>
              b.where(view(c!, shape, [...sc]), view(x!, shape), view(y!, shape, [0, 1]), o),
          );
          expectUlps(w, r, 0, `where ${cdtype} ${name} n=${n}`);
        }
      }
    }
  });

  it('reductions along the last, middle and first axes', () => {
    const shapes: [number, number, number][] = [];
    for (const n of SIZES) shapes.push([1, n, 1], [3, n, 1], [2, n, 5], [1, n, 17], [n, 4, 1]);
    for (const [outer, length, inner] of shapes) {
      const count = outer * length * inner;
      for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
        if (length === 0 && op !== 'sum') continue;
        const outDType = op === 'argmax' || op === 'argmin' ? 'int32' : 'float32';
        // Ties and NaNs for the arg-reductions: values from a small set.
        const data = floats(count, count + 50, 3, op !== 'sum').map((v, i) =>
          op.startsWith('arg') && i % 4 === 1 ? 1 : v,
        );
        const [r, w] = both(
          backend,
          [{ dtype: 'float32', data }],
          { dtype: outDType, length: outer * inner },
          (b, [x], o) => b.reduce({ op, x: view(x!, [count]), outer, length, inner, out: o }),
        );
        // Sums accumulate in float64 in another order than the reference: one ulp at most.
        expectUlps(w, r, ulpsOf(backend.precision, op), `${op} [${outer}, ${length}, ${inner}]`);
        const [ri, wi] = both(
          backend,
          [{ dtype: 'int32', data: ints(count, count + 51, -3, 3) }],
          { dtype: op.startsWith('arg') ? 'int32' : 'int32', length: outer * inner },
          (b, [x], o) => b.reduce({ op, x: view(x!, [count]), outer, length, inner, out: o }),
        );
        expectUlps(wi, ri, 0, `int32 ${op} [${outer}, ${length}, ${inner}]`);
      }
    }
  });

  it('softmax and log-softmax along the last and a middle axis', () => {
    const shapes: [number, number, number][] = [];
    for (const n of SIZES) if (n > 0) shapes.push([3, n, 1], [2, n, 4]);
    shapes.push([2, 3, 1]);
    for (const [outer, length, inner] of shapes) {
      const count = outer * length * inner;
      const data = floats(count, count + 60, 20);
      if (count > 4) data[2] = Number.NEGATIVE_INFINITY;
      for (const log of [false, true]) {
        const [r, w] = both(
          backend,
          [{ dtype: 'float32', data }],
          { dtype: 'float32', length: count },
          (b, [x], o) => b.softmax({ x: view(x!, [count]), outer, length, inner, log, out: o }),
        );
        // Exponentials are float32 (≤ 1 ulp) and summed in float64; the division adds one rounding.
        // Softmax rounds z = x − max to float32 before exp (as PyTorch does), which costs up to
        // |z|·2⁻²⁴ relative; log-softmax subtracts in float64.
        const outside = r.findIndex((rv, i) => {
          const z = Math.abs(Math.log(Math.max(rv, 1e-45)));
          const bound = log
            ? 4e-7 * Math.max(1, Math.abs(rv))
            : (4 + z) * 2 ** -23 * Math.abs(rv) + 2 ** -148;
          return !(Math.abs(w[i]! - rv) <= bound) && !Object.is(w[i], rv);
        });
        expect(
          outside,
          `softmax log=${log} [${outer}, ${length}, ${inner}] #${outside}: ${w[outside]} vs ${r[outside]}`,
        ).toBe(-1);
      }
    }
  });

  it('matmul: every transpose combination, odd sizes, batches with broadcasting', () => {
    const dims: [number, number, number][] = [];
    for (const s of SIZES) dims.push([s, 17, 33], [33, s, 5], [5, 3, s], [s, s, Math.min(s, 100)]);
    dims.push([257, 257, 257], [64, 100, 784]);
    const check = (m: number, n: number, k: number, transA: boolean, transB: boolean, batch: number) => {
      const spec: MatmulSpec = {
        m,
        n,
        k,
        transA,
        transB,
        batchShape: batch > 1 ? [batch] : [],
        aBatchStrides: batch > 1 ? [m * k] : [],
        // B is shared by every batch (broadcast).
        bBatchStrides: batch > 1 ? [0] : [],
      };
      const a = floats(batch * m * k, m * 7 + k, 1);
      const bData = floats(k * n, n * 11 + k, 1);
      const [r, w] = both(
        backend,
        [
          { dtype: 'float32', data: a },
          { dtype: 'float32', data: bData },
        ],
        { dtype: 'float32', length: batch * m * n },
        (be, [x, y], o) => be.matmul(view(x!, [batch * m * k], [1], 0), view(y!, [k * n], [1], 0), spec, o),
      );
      // Float32 accumulation of k products of values in [−1, 1]: |error| ≤ k·2⁻²³·Σ|aᵢbᵢ| ≤ k²·2⁻²³.
      // The declared accumulation error per term, times k terms of magnitude ≤ 1.
      const bound = Math.max(1, k) * Math.max(1, k) * backend.precision.accumulation + 1e-30;
      const i = r.findIndex((rv, q) => !(Math.abs(w[q]! - rv) <= bound));
      expect(
        i,
        `matmul ${m}×${n}×${k} transA=${transA} transB=${transB} batch=${batch} #${i}: ${w[i]} vs ${r[i]}`,
      ).toBe(-1);
    };
    for (const [m, n, k] of dims) {
      for (const transA of [false, true])
        for (const transB of [false, true]) check(m, n, k, transA, transB, 1);
    }
    for (const [m, n, k] of [
      [3, 5, 7],
      [17, 4, 33],
    ] as const) {
      for (const transA of [false, true])
        for (const transB of [false, true]) check(m, n, k, transA, transB, 3);
    }
  });

  it('gather and scatterAdd along the middle axis', () => {
    for (const n of SIZES) {
      for (const [outer, inner] of [
        [1, 1],
        [3, 1],
        [2, 5],
      ] as const) {
        const xLength = 6;
        const idx = ints(outer * n * inner, n + 70, 0, xLength - 1);
        const [r, w] = both(
          backend,
          [
            { dtype: 'float32', data: floats(outer * xLength * inner, n + 71, 5, true) },
            { dtype: 'int32', data: idx },
          ],
          { dtype: 'float32', length: outer * n * inner },
          (b, [x, i], o) =>
            b.gather({
              x: view(x!, [outer * xLength * inner]),
              index: view(i!, [idx.length]),
              outer,
              xLength,
              indexLength: n,
              inner,
              out: o,
            }),
        );
        expectUlps(w, r, 0, `gather n=${n} outer=${outer} inner=${inner}`);
        for (const dtype of ['float32', 'int32'] as const) {
          const src = dtype === 'int32' ? ints(idx.length, n + 72) : floats(idx.length, n + 72);
          const init =
            dtype === 'int32'
              ? ints(outer * xLength * inner, n + 73)
              : floats(outer * xLength * inner, n + 73);
          const [rs, ws] = both(
            backend,
            [
              { dtype, data: src },
              { dtype: 'int32', data: idx },
            ],
            { dtype, length: init.length, init },
            (b, [s, i], o) =>
              b.scatterAdd({
                src: view(s!, [src.length]),
                index: view(i!, [idx.length]),
                outer,
                outLength: xLength,
                indexLength: n,
                inner,
                out: o,
              }),
          );
          expectUlps(ws, rs, 0, `scatterAdd ${dtype} n=${n} outer=${outer} inner=${inner}`);
        }
      }
    }
  });

  it('im2col and col2im: strides, padding, dilation, padding values', () => {
    const specs: Omit<WindowSpec, 'outHeight' | 'outWidth'>[] = [
      {
        batch: 2,
        channels: 3,
        height: 5,
        width: 5,
        kernel: [3, 3],
        stride: [1, 1],
        padding: [1, 1],
        dilation: [1, 1],
      },
      {
        batch: 1,
        channels: 2,
        height: 7,
        width: 6,
        kernel: [2, 3],
        stride: [2, 2],
        padding: [0, 1],
        dilation: [1, 1],
      },
      {
        batch: 1,
        channels: 1,
        height: 9,
        width: 8,
        kernel: [3, 2],
        stride: [1, 3],
        padding: [2, 2],
        dilation: [2, 3],
      },
      {
        batch: 3,
        channels: 1,
        height: 1,
        width: 17,
        kernel: [1, 4],
        stride: [1, 1],
        padding: [0, 0],
        dilation: [1, 1],
      },
      {
        batch: 1,
        channels: 1,
        height: 2,
        width: 2,
        kernel: [5, 5],
        stride: [1, 1],
        padding: [2, 2],
        dilation: [1, 1],
      },
    ];
    for (const base of specs) {
      const outHeight =
        Math.floor(
          (base.height + 2 * base.padding[0] - base.dilation[0] * (base.kernel[0] - 1) - 1) / base.stride[0],
        ) + 1;
      const outWidth =
        Math.floor(
          (base.width + 2 * base.padding[1] - base.dilation[1] * (base.kernel[1] - 1) - 1) / base.stride[1],
        ) + 1;
      const spec: WindowSpec = { ...base, outHeight, outWidth };
      const inCount = spec.batch * spec.channels * spec.height * spec.width;
      const colCount = spec.batch * spec.channels * spec.kernel[0] * spec.kernel[1] * outHeight * outWidth;
      for (const pad of [0, Number.NEGATIVE_INFINITY]) {
        const [r, w] = both(
          backend,
          [{ dtype: 'float32', data: floats(inCount, inCount) }],
          { dtype: 'float32', length: colCount },
          (b, [x], o) => b.im2col({ x: view(x!, [inCount]), spec, padValue: pad, out: o }),
        );
        expectUlps(w, r, 0, `im2col ${JSON.stringify(base)} pad ${pad}`);
      }
      const [r, w] = both(
        backend,
        [{ dtype: 'float32', data: floats(colCount, colCount) }],
        { dtype: 'float32', length: inCount },
        (b, [c], o) => b.col2im({ cols: view(c!, [colCount]), spec, out: o }),
      );
      expectUlps(w, r, 0, `col2im ${JSON.stringify(base)}`);
    }
  });

  it('a row of a product has the same bits whether multiplied alone, in a few rows or in many', () => {
    // Products of one to three rows skip packing; the sums must still be the packed path's sums.
    for (const [n, k] of [
      [100, 784],
      [33, 17],
      [5, 3],
      [13, 257],
    ] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const rows = 9;
          const a = floats(rows * k, n + k, 1);
          const bData = floats(k * n, n * k + 1, 1);
          const product = (m: number): number[] => {
            // The first m rows of A, stored as the layout asks.
            const am = transA
              ? Array.from({ length: k * m }, (_, t) => a[Math.floor(t / m) * rows + (t % m)]!)
              : a.slice(0, m * k);
            const x = buffer(backend, 'float32', am);
            const y = buffer(backend, 'float32', bData);
            const o = backend.allocate('float32', m * n);
            const spec: MatmulSpec = {
              m,
              n,
              k,
              transA,
              transB,
              batchShape: [],
              aBatchStrides: [],
              bBatchStrides: [],
            };
            backend.matmul(view(x, [m * k]), view(y, [k * n]), spec, o);
            const out = Array.from(backend.read!(o));
            for (const h of [x, y, o]) backend.release(h);
            return out;
          };
          const all = product(rows);
          for (const m of [1, 2, 3, 5]) {
            expect(product(m), `m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`).toEqual(
              all.slice(0, m * n),
            );
          }
        }
      }
    }
  });

  it('results are identical run to run', () => {
    const a = buffer(backend, 'float32', floats(100 * 257, 1));
    const b = buffer(backend, 'float32', floats(257 * 33, 2));
    const spec: MatmulSpec = {
      m: 100,
      n: 33,
      k: 257,
      transA: false,
      transB: false,
      batchShape: [],
      aBatchStrides: [],
      bBatchStrides: [],
    };
    const runs = [0, 1, 2].map(() => {
      const o = backend.allocate('float32', 100 * 33);
      backend.matmul(view(a, [100, 257]), view(b, [257, 33]), spec, o);
      const s = backend.allocate('float32', 100);
      backend.reduce({ op: 'sum', x: view(o, [100 * 33]), outer: 100, length: 33, inner: 1, out: s });
      const values = [...backend.read!(o), ...backend.read!(s)];
      backend.release(o);
      backend.release(s);
      return values;
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    backend.release(a);
    backend.release(b);
  });
});

describe('wasm builds agree with each other', () => {
  const builds = wasmBackends.filter((w) => w.variant !== 'relaxed-simd');
  it.skipIf(builds.length < 2)(
    'the scalar and SIMD builds give the same bits (the relaxed build only differs in matmul; skipped where this runtime has no SIMD build)',
    () => {
      const outputs = builds.map(({ backend }) => {
        const x = buffer(backend, 'float32', floats(1000, 5, 30, true));
        const results: number[] = [];
        for (const op of ['exp', 'log', 'tanh', 'sigmoid', 'sqrt', 'erf'] as const) {
          const o = backend.allocate('float32', 1000);
          backend.unary({ op }, view(x, [1000]), o);
          results.push(...backend.read!(o));
          backend.release(o);
        }
        const o = backend.allocate('float32', 10 * 10);
        backend.matmul(
          view(x, [1000]),
          view(x, [1000]),
          {
            m: 10,
            n: 10,
            k: 100,
            transA: false,
            transB: true,
            batchShape: [],
            aBatchStrides: [],
            bBatchStrides: [],
          },
          o,
        );
        results.push(...backend.read!(o));
        const s = backend.allocate('float32', 1);
        backend.reduce({ op: 'sum', x: view(x, [1000]), outer: 1, length: 1000, inner: 1, out: s });
        results.push(...backend.read!(s));
        return results.map((v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v));
      });
      expect(outputs[1]).toEqual(outputs[0]);
    },
  );

  it('float64 is refused with a message that says where it is supported', () => {
    const w = new WasmBackend({ variant: 'scalar' });
    expect(w.supports('float64')).toBe(false);
    expect(() => w.allocate('float64', 3)).toThrow(
      'the wasm backend does not support dtype float64; it stores float32 and int32 (use the reference backend for float64)',
    );
  });
});
