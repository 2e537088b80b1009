/**
 * The op table of the backend differential test: one entry per differentiable primitive of the
 * gradient table (typed over `Primitive`, so a new primitive does not compile until it is either
 * given a case here or excluded with the reason), plus the ops that are no primitive of their own
 * (comparisons, mean, max/min along one axis, argmax/argmin). `KERNEL_COVERAGE` maps every backend
 * elementwise and reduction kernel to the case that drives it, for the same reason.
 *
 * A case says how to draw its operands and parameters, how to run it, and what each output is
 * allowed to differ by: nothing (the same bits) unless the kernel is an approximation, with the
 * bounds of differential_bounds.ts.
 */
import fc from 'fast-check';
import type { Primitive } from '../../src/autograd/primitives.js';
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/backend/backend.js';
import type { Tensor } from '../../src/index.js';
import * as D from '../../src/index.js';
import * as B from './differential_bounds.js';
import { ulp32 } from './differential_compare.js';
import { broadcastable, type InputCase, type Layout, materialize } from './differential_inputs.js';

export interface OpCase {
  /** The operands' view shapes for a drawn shape (the output's for elementwise ops, the input's for reductions). */
  readonly operands: (shape: number[]) => fc.Arbitrary<number[][]>;
  /** Which operands are leaves that require a gradient. */
  readonly differentiable: readonly boolean[];
  // biome-ignore lint/suspicious/noExplicitAny: each case draws and reads its own parameters.
  readonly params: (shapes: number[][]) => fc.Arbitrary<any>;
  // biome-ignore lint/suspicious/noExplicitAny: see params.
  readonly run: (xs: Tensor[], p: any) => Tensor;
  /** The operands' dtype; float32 unless given. */
  readonly dtype?: 'float32' | 'int32';
  /** Draws the shape the operands derive from; the default has no dimension above 7. */
  readonly shape?: fc.Arbitrary<number[]>;
  /**
   * Forward: ulps allowed, or a bound per element from the reference's output and the drawn case;
   * 0 means the same bits.
   */
  readonly forward:
    | number
    | ((y: ArrayLike<number>, c: { inputs: InputCase[]; params: unknown }) => Float64Array);
  /** Backward: a bound per operand and output element; absent means the same bits. */
  readonly backward?: B.GradBound;
  /** The layouts operands are drawn in; all of them unless given. */
  readonly layouts?: readonly Layout[];
}

/** An entry that is not a case here, and where it is held to the reference instead. */
export interface Excluded {
  readonly excluded: string;
}

const none = () => fc.constant({});

function unaryCase(
  run: (x: Tensor, p: Record<string, unknown>) => Tensor,
  more: Partial<OpCase> = {},
): OpCase {
  return {
    operands: (s) => fc.constant([s]),
    differentiable: [true],
    params: none,
    run: ([x], p) => run(x!, p),
    forward: 0,
    ...more,
  };
}

function binaryCase(run: (a: Tensor, b: Tensor) => Tensor, more: Partial<OpCase> = {}): OpCase {
  return {
    operands: (s) => fc.tuple(broadcastable(s), broadcastable(s)),
    differentiable: [true, true],
    params: none,
    run: ([a, b]) => run(a!, b!),
    forward: 0,
    ...more,
  };
}

/** undefined (all axes), one axis (negative too), or a list of distinct axes. */
function axisSpec(
  ndim: number,
  forms: { one: boolean; list: boolean },
): fc.Arbitrary<number | number[] | undefined> {
  const options: fc.Arbitrary<number | number[] | undefined>[] = [fc.constant(undefined)];
  const n = Math.max(ndim, 1);
  if (forms.one) options.push(fc.integer({ min: -n, max: n - 1 }));
  if (forms.list && ndim > 0) {
    const all = Array.from({ length: ndim }, (_, i) => i);
    options.push(fc.shuffledSubarray(all, { minLength: 1 }));
  }
  return fc.oneof(...options);
}

function reduceCase(
  run: (
    x: Tensor,
    p: { axis: number | number[] | undefined; keepDim: boolean; correction: number },
  ) => Tensor,
  forms: { one: boolean; list: boolean; all?: boolean },
  differentiable = true,
): OpCase {
  return {
    operands: (s) => fc.constant([s]),
    differentiable: [differentiable],
    params: ([s]) =>
      fc.record({
        axis:
          forms.all === false
            ? axisSpec(s!.length, forms).filter((a) => a !== undefined)
            : axisSpec(s!.length, forms),
        keepDim: fc.boolean(),
        correction: fc.constantFrom(0, 1, 2),
      }),
    run: ([x], p) => run(x!, p),
    forward: 0,
  };
}

function softmaxCase(log: boolean): OpCase {
  return {
    operands: (s) => fc.constant([s]),
    differentiable: [true],
    params: ([s]) =>
      fc.record({ axis: fc.integer({ min: -Math.max(s!.length, 1), max: Math.max(s!.length, 1) - 1 }) }),
    run: ([x], p) => (log ? D.logSoftmax(x!, p.axis) : D.softmax(x!, p.axis)),
    forward: (y) => B.softmaxForward(y, log),
    backward: B.softmaxGrad(log),
  };
}

const VIEWS =
  'a view: every case reaches its op through transposed (permute), sliced with a step (slice) and expanded inputs, ' +
  'reductions and softmax through reshape and contiguous, and the gradients through their adjoints (permute, embed, sum)';
const ELSEWHERE = (file: string) => ({
  excluded: `not elementwise, a reduction or an activation: held to the reference in ${file}`,
});

/** Where the lower bound of clamp is drawn from; pairs are sorted so that min ≤ max. */
const BOUNDS = [Number.NEGATIVE_INFINITY, -1, -0, 0, 0.5, 1, 2, Number.POSITIVE_INFINITY];

export const PRIMITIVE_CASES: { [P in Primitive]: OpCase | Excluded } = {
  add: binaryCase(D.add),
  sub: binaryCase(D.sub),
  mul: binaryCase(D.mul),
  div: binaryCase(D.div),
  pow: binaryCase(D.pow, { forward: 1, backward: B.powGrad }),
  maximum: binaryCase(D.maximum),
  minimum: binaryCase(D.minimum),
  where: {
    operands: (s) => fc.tuple(broadcastable(s), broadcastable(s), broadcastable(s)),
    differentiable: [false, true, true],
    params: none,
    run: ([c, a, b]) => D.where(c!, a!, b!),
    forward: 0,
  },
  neg: unaryCase(D.neg),
  abs: unaryCase(D.abs),
  sign: unaryCase(D.sign),
  exp: unaryCase(D.exp, { forward: 1, backward: B.expGrad }),
  // The gradient g/x uses no approximation: the same bits.
  log: unaryCase(D.log, { forward: 2 }),
  sqrt: unaryCase(D.sqrt),
  rsqrt: unaryCase(D.rsqrt),
  square: unaryCase(D.square),
  sigmoid: unaryCase(D.sigmoid, { forward: 2, backward: B.sigmoidTanhGrad }),
  tanh: unaryCase(D.tanh, { forward: 2, backward: B.sigmoidTanhGrad }),
  relu: unaryCase(D.relu),
  erf: unaryCase(D.erf, { forward: 1, backward: B.erfGrad }),
  leakyRelu: unaryCase((x, p) => D.leakyRelu(x, p.negativeSlope as number), {
    params: () => fc.record({ negativeSlope: fc.constantFrom(0.01, 0, -0, 0.5, 2, -1) }),
  }),
  elu: unaryCase((x, p) => D.elu(x, p.alpha as number), {
    params: () => fc.record({ alpha: fc.constantFrom(1, 0.5, 1.3) }),
    forward: 1,
    backward: B.eluGrad,
  }),
  softplus: unaryCase((x, p) => D.softplus(x, p), {
    params: () => fc.record({ beta: fc.constantFrom(1, 2.5, 0.5), threshold: fc.constantFrom(20, 3, 0) }),
    forward: 1,
    backward: B.softplusGrad,
  }),
  clamp: unaryCase((x, p) => D.clamp(x, p.min as number | null, p.max as number | null), {
    params: () =>
      fc
        .tuple(fc.constantFrom(...BOUNDS, null), fc.constantFrom(...BOUNDS, null))
        .filter(([a, b]) => a !== null || b !== null)
        .map(([a, b]) => (a !== null && b !== null && a > b ? { min: b, max: a } : { min: a, max: b })),
  }),
  gelu: unaryCase((x, p) => D.gelu(x, p), {
    params: () => fc.record({ approximate: fc.constantFrom('none', 'tanh') }),
    forward: 1,
    backward: B.geluGrad,
  }),
  sum: reduceCase((x, p) => D.sum(x, p.axis, p.keepDim), { one: true, list: true }),
  amax: reduceCase((x, p) => D.max(x, p.axis, p.keepDim), { one: false, list: true }),
  amin: reduceCase((x, p) => D.min(x, p.axis, p.keepDim), { one: false, list: true }),
  variance: reduceCase((x, p) => D.variance(x, p.axis, { correction: p.correction, keepDim: p.keepDim }), {
    one: true,
    list: true,
  }),
  std: reduceCase((x, p) => D.std(x, p.axis, { correction: p.correction, keepDim: p.keepDim }), {
    one: true,
    list: true,
  }),
  softmax: softmaxCase(false),
  logSoftmax: softmaxCase(true),
  reshape: { excluded: VIEWS },
  permute: { excluded: VIEWS },
  expand: { excluded: VIEWS },
  slice: { excluded: VIEWS },
  embed: { excluded: VIEWS },
  contiguous: { excluded: VIEWS },
  cast: ELSEWHERE('wasm_parity.test.ts (copy with conversion)'),
  concat: ELSEWHERE('wasm_parity.test.ts (copy into strided views)'),
  gather: ELSEWHERE('wasm_parity.test.ts; here too through max(x, axis)'),
  scatterAdd: ELSEWHERE('wasm_parity.test.ts; here too through the gradient of max(x, axis)'),
  matmul: ELSEWHERE('wasm_parity.test.ts and wasm_threads.test.ts'),
  im2col: ELSEWHERE('wasm_parity.test.ts'),
  col2im: ELSEWHERE('wasm_parity.test.ts'),
  conv2d: ELSEWHERE('conv_parity.test.ts and wasm_threads.test.ts'),
  linear: ELSEWHERE('fused_parity.test.ts'),
  batchNorm: ELSEWHERE('fused_parity.test.ts'),
  maxPool2d: ELSEWHERE('fused_parity.test.ts and empty_windows.test.ts'),
  softmaxCrossEntropy: ELSEWHERE('fused_parity.test.ts'),
};

/**
 * Shapes with at least one axis of 8 to 40, where the wasm sum along a contiguous axis adds in eight
 * float64 lanes instead of in order.
 */
const longShape = fc
  .tuple(
    fc.integer({ min: 8, max: 40 }),
    fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    fc.nat(),
  )
  .map(([long, rest, at]) => {
    const s = [...rest];
    s.splice(at % (rest.length + 1), 0, long);
    return s;
  });

/**
 * A float64 sum in another order differs by at most (n − 1)·2⁻⁵³·Σ|xᵢ| (Higham, Accuracy and
 * Stability of Numerical Algorithms, §4.2) before its rounding to float32, which adds one ulp;
 * n·2⁻⁵²·Σ|xᵢ| covers both orders. Over several axes the sum is taken one axis at a time, each
 * partial sum rounded to float32, so each further axis adds up to 2⁻²³·Σ|xᵢ|. Σ|xᵢ| is taken by the
 * reference backend.
 */
function longSumBound(y: ArrayLike<number>, c: { inputs: InputCase[]; params: unknown }): Float64Array {
  const p = c.params as { axis: number | number[] | undefined; keepDim: boolean };
  const x = c.inputs[0]!;
  const n = x.shape.reduce((a, d) => a * d, 1) / Math.max(y.length, 1);
  const levels = p.axis === undefined ? x.shape.length : typeof p.axis === 'number' ? 1 : p.axis.length;
  const magnitude = D.withBackend(new D.ReferenceBackend(), () =>
    D.scope(() => D.sum(D.abs(materialize(x, false).view), p.axis, p.keepDim).data()),
  );
  const perMagnitude = (n * 2 ** -52 + Math.max(levels - 1, 0) * 2 ** -23) * 1.01;
  return Float64Array.from(y, (v, i) => ulp32(v) + perMagnitude * magnitude[i]!);
}

const comparison = (run: (a: Tensor, b: Tensor) => Tensor) =>
  binaryCase(run, { differentiable: [false, false] });

/** Ops that record no primitive of their own (or none at all). */
export const COMPOSED_CASES: Record<string, OpCase> = {
  gt: comparison(D.gt),
  ge: comparison(D.ge),
  lt: comparison(D.lt),
  le: comparison(D.le),
  eq: comparison(D.eq),
  ne: comparison(D.ne),
  'sum over long axes': {
    ...reduceCase((x, p) => D.sum(x, p.axis, p.keepDim), { one: true, list: true }),
    shape: longShape,
    forward: longSumBound,
    // Not expanded: the gradient of an expanded operand sums g's copies over the long axis again, a
    // float64 sum whose order the wasm lanes choose, so cancelling terms (−1, −1.9e-34, +1) leave
    // −1.9e-34 where the reference's order gives 0 (seed 286811243), and the backward allowances here
    // are per element, not the reordering bound of a reduction.
    layouts: ['contiguous', 'transposed', 'stepped'],
  },
  'softmax over long axes': { ...softmaxCase(false), shape: longShape },
  'logSoftmax over long axes': { ...softmaxCase(true), shape: longShape },
  mean: reduceCase((x, p) => D.mean(x, p.axis, p.keepDim), { one: true, list: true }),
  'max(x, axis)': reduceCase((x, p) => D.max(x, p.axis as number, p.keepDim), {
    one: true,
    list: false,
    all: false,
  }),
  'min(x, axis)': reduceCase((x, p) => D.min(x, p.axis as number, p.keepDim), {
    one: true,
    list: false,
    all: false,
  }),
  argmax: reduceCase(
    (x, p) => D.argmax(x, p.axis as number | undefined, p.keepDim),
    { one: true, list: false },
    false,
  ),
  argmin: reduceCase(
    (x, p) => D.argmin(x, p.axis as number | undefined, p.keepDim),
    { one: true, list: false },
    false,
  ),
};

/**
 * The ops that take int32 tensors, on int32 operands (no gradients: integer tensors have none). The
 * arithmetic wraps around on overflow in both backends, as PyTorch's int32 arithmetic does.
 */
const INT32_OPS = [
  'add',
  'sub',
  'mul',
  'maximum',
  'minimum',
  'neg',
  'abs',
  'sign',
  'square',
  'sum',
  'amax',
  'amin',
] as const;
const INT32_COMPOSED = [
  'gt',
  'ge',
  'lt',
  'le',
  'eq',
  'ne',
  'max(x, axis)',
  'min(x, axis)',
  'argmax',
  'argmin',
] as const;

function int32Case(c: OpCase): OpCase {
  return {
    ...c,
    dtype: 'int32',
    differentiable: c.differentiable.map(() => false),
    forward: 0,
    backward: undefined,
  };
}

export const INT32_CASES: Record<string, OpCase> = Object.fromEntries([
  ...INT32_OPS.map((name) => [`${name} int32`, int32Case(PRIMITIVE_CASES[name] as OpCase)]),
  ...INT32_COMPOSED.map((name) => [`${name} int32`, int32Case(COMPOSED_CASES[name]!)]),
]);

/** Every elementwise and reduction kernel of the Backend interface, and the case that drives it. */
export const KERNEL_COVERAGE: { [K in BinaryOp | UnaryOp | ReduceOp]: string } = {
  add: 'add',
  sub: 'sub',
  mul: 'mul',
  div: 'div',
  pow: 'pow',
  maximum: 'maximum',
  minimum: 'minimum',
  gt: 'gt',
  ge: 'ge',
  lt: 'lt',
  le: 'le',
  eq: 'eq',
  ne: 'ne',
  neg: 'neg',
  abs: 'abs',
  sign: 'sign',
  exp: 'exp',
  log: 'log',
  sqrt: 'sqrt',
  rsqrt: 'rsqrt',
  square: 'square',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  erf: 'erf',
  leakyRelu: 'leakyRelu',
  elu: 'elu',
  softplus: 'softplus',
  clamp: 'clamp',
  gelu: 'gelu',
  sum: 'sum',
  max: 'amax',
  min: 'amin',
  argmax: 'argmax',
  argmin: 'argmin',
};
