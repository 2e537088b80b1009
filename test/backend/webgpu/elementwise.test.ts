/**
 * The WebGPU elementwise kernels (unary, binary) against the ReferenceBackend over many float32
 * inputs spread over the whole range, edge values included (±0, ±∞, NaN, subnormals, the largest
 * floats): the exact ops give the reference's bits, the others stay within the ulps that
 * src/backend/webgpu/precision.ts declares.
 */
import { describe, expect, it } from 'vitest';
import type { BinaryOp, UnaryCall } from '../../../src/backend/backend.js';
import { ulpsOf } from '../../../src/backend/precision.js';
import type { TypedArray } from '../../../src/tensor/dtype.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { floatInputs, put, reference, ulpDistance, ulpOf, whole, worstUlps } from './elementwise_helpers.js';

const gpu = await testWebGpuBackend();
const N = 50_000;
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

async function runUnary(call: UnaryCall, x: Float32Array | Int32Array): Promise<[TypedArray, TypedArray]> {
  const dtype = x instanceof Int32Array ? 'int32' : 'float32';
  const gx = put(gpu!, x);
  const rx = put(reference, x);
  const go = gpu!.allocate(dtype, x.length);
  const ro = reference.allocate(dtype, x.length);
  gpu!.unary(call, whole(gx), go);
  reference.unary(call, whole(rx), ro);
  const got = await gpu!.readAsync(go);
  gpu!.release(gx);
  gpu!.release(go);
  return [got, reference.read(ro)];
}

async function runBinary(
  op: BinaryOp,
  a: Float32Array | Int32Array,
  b: Float32Array | Int32Array,
): Promise<[TypedArray, TypedArray]> {
  const dtype = a instanceof Int32Array ? 'int32' : 'float32';
  const [ga, gb] = [put(gpu!, a), put(gpu!, b)];
  const go = gpu!.allocate(dtype, a.length);
  const ro = reference.allocate(dtype, a.length);
  gpu!.binary(op, whole(ga), whole(gb), go);
  reference.binary(op, whole(put(reference, a)), whole(put(reference, b)), ro);
  const got = await gpu!.readAsync(go);
  for (const buffer of [ga, gb, go]) gpu!.release(buffer);
  return [got, reference.read(ro)];
}

const UNARY_CALLS: UnaryCall[] = [
  { op: 'neg' },
  { op: 'abs' },
  { op: 'sign' },
  { op: 'exp' },
  { op: 'log' },
  { op: 'sqrt' },
  { op: 'rsqrt' },
  { op: 'square' },
  { op: 'sigmoid' },
  { op: 'tanh' },
  { op: 'relu' },
  { op: 'erf' },
  { op: 'leakyRelu', negativeSlope: 0.01 },
  { op: 'leakyRelu', negativeSlope: 0.2 },
  { op: 'elu', alpha: 1 },
  { op: 'elu', alpha: 0.3 },
  { op: 'softplus', beta: 1, threshold: 20 },
  { op: 'softplus', beta: 2, threshold: 5 },
  { op: 'clamp', min: -1, max: 0.5 },
  { op: 'clamp', min: 0, max: Number.POSITIVE_INFINITY },
];

const BINARY_OPS: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'gt',
  'ge',
  'lt',
  'le',
  'eq',
  'ne',
];

describe(`WebGPU unary kernels against the reference${skip}`, () => {
  const x = floatInputs(N, 1);
  for (const call of UNARY_CALLS) {
    const allowed = gpu ? ulpsOf(gpu.precision, call.op) : 0;
    it.skipIf(!gpu)(
      `${JSON.stringify(call)} is within the declared ${allowed} ulps (0: the same bits)`,
      async () => {
        const [got, want] = await runUnary(call, x);
        const worst = worstUlps(got, want);
        expect(worst.ulps, `x = ${x[worst.index]}: got ${worst.got}, want ${worst.want}`).toBeLessThanOrEqual(
          allowed,
        );
      },
    );
  }

  for (const approximate of ['none', 'tanh'] as const) {
    it.skipIf(!gpu)(
      `gelu (${approximate}) is within the declared ulps for x ≥ −5.5, and within 16 ulps or a step of the reference's 2⁻⁵³ grid below`,
      async () => {
        const [got, want] = await runUnary({ op: 'gelu', approximate }, x);
        const allowed = ulpsOf(gpu!.precision, 'gelu');
        const above = Float32Array.from(x, (v) => (v >= -5.5 || Number.isNaN(v) ? 1 : 0));
        const pick = (a: TypedArray, keep: boolean) => a.filter((_, i) => (above[i] === 1) === keep);
        const worst = worstUlps(pick(got, true), pick(want, true));
        expect(worst.ulps, `got ${worst.got}, want ${worst.want}`).toBeLessThanOrEqual(allowed);
        const deep = x.filter((v) => v < -5.5);
        const [g, w] = [pick(got, false), pick(want, false)];
        // Below −5.5 (|GELU| < 3·10⁻⁷), as precision.ts declares: within 16 ulps, or one step of the
        // reference's grid (2⁻⁵³ in 1 + erf, so 2⁻⁵³·|x|/2 in the result) and one float32 rounding.
        deep.forEach((v, i) => {
          const within = ulpDistance(g[i]!, w[i]!) <= 16;
          const step = 2 ** -53 * Math.abs(v) * 0.5 + ulpOf(w[i]!);
          expect(within || Math.abs(g[i]! - w[i]!) <= step, `x = ${v}: got ${g[i]}, want ${w[i]}`).toBe(true);
        });
      },
    );
  }

  it.skipIf(!gpu)('int32 neg, abs, sign, square and relu wrap as the reference does', async () => {
    const x = new Int32Array([0, 1, -1, 7, -7, 46341, 65536, 2147483647, -2147483648, 123456789, -98765]);
    for (const op of ['neg', 'abs', 'sign', 'square', 'relu'] as const) {
      const [got, want] = await runUnary({ op }, x);
      expect(got, op).toEqual(want);
    }
  });

  it.skipIf(!gpu)('refuses a float-only op on int32 tensors, naming it', () => {
    const x = gpu!.allocate('int32', 3);
    const out = gpu!.allocate('int32', 3);
    expect(() => gpu!.unary({ op: 'exp' }, whole(x), out)).toThrow(
      /unary exp is not defined on int32 tensors here/,
    );
    gpu!.release(x);
    gpu!.release(out);
  });
});

describe(`WebGPU binary kernels against the reference${skip}`, () => {
  const a = floatInputs(N, 2);
  const b = floatInputs(N, 3).reverse();
  for (const op of BINARY_OPS) {
    const allowed = gpu ? ulpsOf(gpu.precision, op) : 0;
    it.skipIf(!gpu)(`float32 ${op} is within the declared ${allowed} ulps (0: the same bits)`, async () => {
      const [got, want] = await runBinary(op, a, b);
      const worst = worstUlps(got, want);
      expect(
        worst.ulps,
        `a = ${a[worst.index]}, b = ${b[worst.index]}: got ${worst.got}, want ${worst.want}`,
      ).toBeLessThanOrEqual(allowed);
    });
  }

  it.skipIf(!gpu)(
    'float32 pow keeps its ulps for moderate bases and large exponents, and C’s special cases',
    async () => {
      const base = floatInputs(N, 4).map((v) => Math.abs(v) % 10);
      const exponent = floatInputs(N, 5).map((v) => v % 30);
      const special = [1, Number.NaN, 1, -1, -1, 0, -0, 0, -2, -2, -8, Number.NEGATIVE_INFINITY, 0.5, 2];
      const power = [
        Number.NaN,
        0,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        3,
        -1,
        -3,
        0.5,
        0.5,
        3,
        1 / 3,
        3,
        -Number.MAX_VALUE,
        1e-45,
      ];
      base.set(special);
      exponent.set(power);
      const [got, want] = await runBinary('pow', base, exponent);
      const worst = worstUlps(got, want);
      expect(
        worst.ulps,
        `${base[worst.index]} ** ${exponent[worst.index]}: got ${worst.got}, want ${worst.want}`,
      ).toBeLessThanOrEqual(ulpsOf(gpu!.precision, 'pow'));
      expect(Array.from(got.slice(0, special.length))).toEqual(Array.from(want.slice(0, special.length)));
    },
  );

  it.skipIf(!gpu)(
    'keeps subnormal sums, products and comparisons that a flushing device would zero',
    async () => {
      const tiny = 1.401298464324817e-45;
      const a = new Float32Array([
        tiny,
        3 * tiny,
        1.1754942e-38,
        -1.1754942e-38,
        1e-20,
        tiny,
        1.17549435e-38,
      ]);
      const b = new Float32Array([tiny, -tiny, 2 ** -126, 1.17549435e-38, 1e-20, 0, -1.1754942e-38]);
      for (const op of ['add', 'sub', 'mul', 'lt', 'gt', 'eq', 'maximum', 'minimum'] as const) {
        const [got, want] = await runBinary(op, a, b);
        expect(worstUlps(got, want).ulps, op).toBe(0);
      }
      const [got] = await runBinary('add', a, b);
      expect(got[0]).toBe(2 * tiny);
    },
  );

  it.skipIf(!gpu)(
    'int32 arithmetic wraps, divides toward zero (x/0 = 0) and raises to powers as the reference does',
    async () => {
      const a = new Int32Array([
        7, -7, 7, -7, 0, 5, -2147483648, 2147483647, 46341, 3, -3, 2, 1, -1, 0, 10, -5, 123456,
      ]);
      const b = new Int32Array([2, 2, -2, -2, 0, 0, -1, 2, 46341, 13, 5, 30, -5, -3, -1, 0, 4, 7]);
      for (const op of BINARY_OPS.filter((op) => op !== 'pow')) {
        const [got, want] = await runBinary(op, a, b);
        expect(Array.from(got), op).toEqual(Array.from(want));
      }
      // pow where |aᵇ| < 2⁵³ (beyond, the reference rounds the float64 power before wrapping).
      const base = new Int32Array([2, 2, -3, 3, 0, 0, 1, -1, -1, 5, 7, -2, 10]);
      const power = new Int32Array([30, 31, 5, 0, 0, -1, -7, -3, -4, -1, 18, 33, 15]);
      const [got, want] = await runBinary('pow', base, power);
      expect(Array.from(got)).toEqual(Array.from(want));
    },
  );
});
