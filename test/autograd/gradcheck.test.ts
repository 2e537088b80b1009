/**
 * Gradient checks for every rule in the gradient table (src/autograd/grad_rules.ts), by central finite
 * differences in float64 on the reference backend (test/helpers/gradcheck.ts: h = 1e-6, element passes
 * when |analytic − numeric| ≤ 1e-6 + 1e-5·|numeric| unless a case says otherwise).
 *
 * `registry` maps each primitive to the cases that exercise it; every case is also checked to really
 * record that primitive on the tape, and a test fails if any key of `gradRules` has no case. Each
 * primitive is covered at odd sizes (5, 17, [3, 5]), size 1, size 0 (an empty dimension: backward must
 * run and leave an empty gradient of the input's shape), broadcasting where the op broadcasts, and with
 * non-contiguous inputs (strided and transposed views, see the helper). Inputs stay away from kinks
 * (relu/abs at 0, clamp bounds, max ties, the softplus threshold) where the derivative is undefined.
 * Composite ops (losses) follow in their own block.
 */
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  avgPool2d,
  batchNormTrain,
  binaryCrossEntropyWithLogits,
  cast,
  clamp,
  clone,
  col2im,
  concat,
  contiguous,
  conv2d,
  crossEntropy,
  div,
  elu,
  erf,
  exp,
  expand,
  Generator,
  gather,
  gelu,
  gradRules,
  im2col,
  indexSelect,
  l1Loss,
  leakyRelu,
  linear,
  log,
  logSoftmax,
  matmul,
  max,
  maximum,
  maxPool2d,
  mean,
  min,
  minimum,
  mseLoss,
  mul,
  neg,
  nllLoss,
  pad,
  permute,
  pow,
  relu,
  reshape,
  rsqrt,
  scatterAdd,
  sigmoid,
  sign,
  slice,
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
  transpose,
  variance,
  where,
  zeros,
} from '../../src/index.js';
import { windowSpec } from '../../src/ops/conv.js';
import { DEFAULTS, fixed, gradcheck, type InputArg, type Layout } from '../helpers/gradcheck.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only (gradient checks are central differences in float64).
useReferenceBackend();

// ---------------------------------------------------------------- data

type Draw = (g: Generator) => number;

const normal: Draw = (g) => g.normal();
/** In [0.5, ∞): bases of log, sqrt, rsqrt, pow. */
const positive: Draw = (g) => 0.5 + Math.abs(g.normal());
/** |x| ≥ 0.2: away from the kinks of relu, abs, leakyRelu, elu and from division by ~0. */
const nonzero: Draw = (g) => {
  const z = g.normal();
  return z + (z < 0 ? -0.2 : 0.2);
};
/** Normal draws at least `margin` away from each of `points`. */
const avoiding =
  (points: readonly number[], margin = 0.05): Draw =>
  (g) => {
    for (;;) {
      const z = g.normal();
      if (points.every((p) => Math.abs(z - p) >= margin)) return z;
    }
  };
/** Multiples of 0.1 plus `shift`: two grids with shifts 0.025 apart never tie (for maximum/minimum). */
const grid =
  (shift: number): Draw =>
  (g) =>
    Math.round(g.normal() * 10) / 10 + shift;
const uniform: Draw = (g) => g.uniform53();

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** A float64 tensor of `shape` with elements from `draw`. */
function f64(g: Generator, shape: readonly number[], draw: Draw = normal): Tensor {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return tensor(data, { dtype: 'float64', shape });
}

function int32(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return tensor(Int32Array.from(values), { dtype: 'int32', shape });
}

/** Random int32 indices in [0, high). */
function randIndex(g: Generator, shape: readonly number[], high: number): Tensor {
  return int32(
    Array.from({ length: sizeOf(shape) }, () => g.below(high)),
    shape,
  );
}

/** Rows of a probability distribution along the last axis. */
function probabilities(g: Generator, shape: readonly number[]): Tensor {
  const n = shape[shape.length - 1]!;
  const data = new Float64Array(sizeOf(shape));
  for (let r = 0; r < data.length / n; r++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += data[r * n + j] = 0.1 + g.uniform53();
    for (let j = 0; j < n; j++) data[r * n + j]! /= total;
  }
  return tensor(data, { dtype: 'float64', shape });
}

// ---------------------------------------------------------------- cases

interface Case {
  name: string;
  inputs: (g: Generator) => InputArg[];
  f: (...xs: Tensor[]) => Tensor;
  layout?: Layout;
  eps?: number;
  atol?: number;
  rtol?: number;
}

function c(
  name: string,
  inputs: (g: Generator) => InputArg[],
  f: (...xs: Tensor[]) => Tensor,
  extra: Omit<Case, 'name' | 'inputs' | 'f'> = {},
): Case {
  return { name, inputs, f, ...extra };
}

/** Sizes 1, 0-d, odd, empty and non-contiguous for a one-input elementwise op. */
function unaryCases(fn: (x: Tensor) => Tensor, draw: Draw, tag = ''): Case[] {
  const one = (shape: number[]) => (g: Generator) => [f64(g, shape, draw)];
  const t = tag ? `${tag}: ` : '';
  return [
    c(`${t}[5]`, one([5]), fn),
    c(`${t}[17]`, one([17]), fn),
    c(`${t}[3, 5]`, one([3, 5]), fn),
    c(`${t}size 1 [1]`, one([1]), fn),
    c(`${t}0-d []`, one([]), fn),
    c(`${t}size 0 [0]`, one([0]), fn),
    c(`${t}size 0 [2, 0, 3]`, one([2, 0, 3]), fn),
    c(`${t}strided [3, 5]`, one([3, 5]), fn, { layout: 'strided' }),
    c(`${t}transposed [2, 3, 4]`, one([2, 3, 4]), fn, { layout: 'transposed' }),
    c(`${t}strided 0-d []`, one([]), fn, { layout: 'strided' }),
  ];
}

/** Same-shape, broadcast, size 1, 0-d, empty and non-contiguous operands for a two-input op. */
function binaryCases(fn: (a: Tensor, b: Tensor) => Tensor, drawA: Draw, drawB: Draw): Case[] {
  const two = (sa: number[], sb: number[]) => (g: Generator) => [f64(g, sa, drawA), f64(g, sb, drawB)];
  return [
    c('[5] ⊕ [5]', two([5], [5]), fn),
    c('[17] ⊕ [17]', two([17], [17]), fn),
    c('[3, 5] ⊕ [3, 5]', two([3, 5], [3, 5]), fn),
    c('broadcast [3, 1] ⊕ [4]', two([3, 1], [4]), fn),
    c('broadcast [2, 3, 1] ⊕ [1, 5]', two([2, 3, 1], [1, 5]), fn),
    c('broadcast [] ⊕ [2, 3]', two([], [2, 3]), fn),
    c('broadcast [2, 3] ⊕ []', two([2, 3], []), fn),
    c('broadcast [1] ⊕ [3, 5]', two([1], [3, 5]), fn),
    c('size 1 [1] ⊕ [1]', two([1], [1]), fn),
    c('0-d [] ⊕ []', two([], []), fn),
    c('size 0 [0, 3] ⊕ [3]', two([0, 3], [3]), fn),
    c('size 0 [0] ⊕ []', two([0], []), fn),
    c('size 0 broadcast [2, 0] ⊕ [1, 1]', two([2, 0], [1, 1]), fn),
    c('strided [3, 5] ⊕ [3, 5]', two([3, 5], [3, 5]), fn, { layout: 'strided' }),
    c('strided broadcast [3, 1] ⊕ [4]', two([3, 1], [4]), fn, { layout: 'strided' }),
    c('transposed [3, 5] ⊕ [5]', two([3, 5], [5]), fn, { layout: 'transposed' }),
    c('transposed [4, 3, 5] ⊕ [3, 5]', two([4, 3, 5], [3, 5]), fn, { layout: 'transposed' }),
  ];
}

const oneInput =
  (shape: number[], draw: Draw = normal) =>
  (g: Generator) => [f64(g, shape, draw)];

const CLAMP_LO = -0.5;
const CLAMP_HI = 0.8;
const awayFromClamp = avoiding([CLAMP_LO, CLAMP_HI]);
/** softplus with beta 2, threshold 1 switches to the identity at x = 0.5, where it jumps. */
const awayFromSoftplusSwitch = avoiding([0.5]);

function convInputs(x: number[], w: number[], bias: boolean) {
  return (g: Generator) => [f64(g, x), f64(g, w), ...(bias ? [f64(g, [w[0]!])] : [])];
}

/** The window geometry of an [N, C, H, W] input, from its shape alone. */
function specFor(
  shape: number[],
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
  dilation: [number, number],
) {
  return windowSpec('test', zeros(shape), { kernel, stride, padding, dilation });
}

const registry: Record<string, Case[]> = {
  add: [...binaryCases(add, normal, normal), c('x + number', oneInput([3, 5]), (x) => add(x, 2.5))],
  sub: [...binaryCases(sub, normal, normal), c('number − x', oneInput([3, 5]), (x) => sub(2.5, x))],
  mul: [
    ...binaryCases(mul, normal, normal),
    c('x · number', oneInput([3, 5]), (x) => mul(x, -1.5)),
    c('same tensor as both operands', oneInput([5]), (x) => mul(x, x)),
    c(
      'stride-0 operand: expand([3, 1] → [3, 4]) · [3, 4]',
      (g) => [f64(g, [3, 1]), f64(g, [3, 4])],
      (a, b) => mul(expand(a, [3, 4]), b),
    ),
  ],
  div: [...binaryCases(div, normal, nonzero), c('number / x', oneInput([3, 5], nonzero), (x) => div(1, x))],
  pow: [
    ...binaryCases(pow, positive, normal),
    c('x ** 3 (number exponent, negative bases)', oneInput([17]), (x) => pow(x, 3)),
    c('x ** 0 (gradient 0)', oneInput([5]), (x) => pow(x, 0)),
    c('x ** 0.5', oneInput([3, 5], positive), (x) => pow(x, 0.5)),
  ],
  maximum: [
    ...binaryCases(maximum, grid(0.025), grid(0)),
    c('ties split equally: maximum(x, x)', oneInput([5]), (x) => maximum(x, x)),
  ],
  minimum: [
    ...binaryCases(minimum, grid(0.025), grid(0)),
    c('ties split equally: minimum(x, x)', oneInput([5]), (x) => minimum(x, x)),
  ],
  where: [
    c('[5] int32 condition', (g) => [fixed(randIndex(g, [5], 2)), f64(g, [5]), f64(g, [5])], where),
    c('[17]', (g) => [fixed(randIndex(g, [17], 2)), f64(g, [17]), f64(g, [17])], where),
    c(
      'broadcast cond [3, 1], a [1, 4], b []',
      (g) => [fixed(int32([1, 0, 1], [3, 1])), f64(g, [1, 4]), f64(g, [])],
      where,
    ),
    c('broadcast a [], b [3, 5]', (g) => [fixed(randIndex(g, [3, 5], 2)), f64(g, []), f64(g, [3, 5])], where),
    c(
      'float64 condition (not differentiated)',
      (g) => [fixed(tensor([1, 0, 0, 1, 1], { dtype: 'float64' })), f64(g, [5]), f64(g, [5])],
      where,
    ),
    c('size 1', (g) => [fixed(int32([1])), f64(g, [1]), f64(g, [1])], where),
    c('0-d', (g) => [fixed(int32([0], [])), f64(g, []), f64(g, [])], where),
    c('size 0 [0, 3]', (g) => [fixed(int32([], [0, 3])), f64(g, [0, 3]), f64(g, [3])], where),
    c(
      'a number for b',
      (g) => [fixed(randIndex(g, [3, 5], 2)), f64(g, [3, 5])],
      (cond, a) => where(cond, a, 0.5),
    ),
    c('strided [3, 5]', (g) => [fixed(randIndex(g, [3, 5], 2)), f64(g, [3, 5]), f64(g, [3, 5])], where, {
      layout: 'strided',
    }),
    c('transposed [3, 5]', (g) => [fixed(randIndex(g, [3, 5], 2)), f64(g, [3, 5]), f64(g, [1, 5])], where, {
      layout: 'transposed',
    }),
  ],

  neg: unaryCases(neg, normal),
  abs: unaryCases(abs, nonzero),
  sign: unaryCases(sign, nonzero),
  exp: unaryCases(exp, normal),
  log: unaryCases(log, positive),
  sqrt: unaryCases(sqrt, positive),
  rsqrt: unaryCases(rsqrt, positive),
  square: unaryCases(square, normal),
  sigmoid: [
    ...unaryCases(sigmoid, normal),
    c('large |x| (saturated)', oneInput([5]), (x) => sigmoid(mul(x, 8))),
  ],
  tanh: unaryCases(tanh, normal),
  relu: unaryCases(relu, nonzero),
  erf: unaryCases(erf, normal),
  leakyRelu: [
    ...unaryCases((x) => leakyRelu(x), nonzero),
    ...unaryCases((x) => leakyRelu(x, 0.2), nonzero, 'slope 0.2').slice(0, 2),
  ],
  elu: [
    ...unaryCases((x) => elu(x), nonzero),
    ...unaryCases((x) => elu(x, 0.5), nonzero, 'alpha 0.5').slice(0, 2),
  ],
  softplus: [
    ...unaryCases((x) => softplus(x), normal),
    ...unaryCases(
      (x) => softplus(x, { beta: 2, threshold: 1 }),
      awayFromSoftplusSwitch,
      'beta 2, threshold 1 (both branches)',
    ).slice(0, 3),
  ],
  clamp: [
    ...unaryCases((x) => clamp(x, CLAMP_LO, CLAMP_HI), awayFromClamp),
    c('min only', oneInput([17], avoiding([0])), (x) => clamp(x, 0)),
    c('max only', oneInput([17], avoiding([0.3])), (x) => clamp(x, null, 0.3)),
  ],
  gelu: [
    ...unaryCases((x) => gelu(x), normal, "approximate 'none'"),
    ...unaryCases((x) => gelu(x, { approximate: 'tanh' }), normal, "approximate 'tanh'"),
    c("'none', wide range", oneInput([17]), (x) => gelu(mul(x, 3))),
    c("'tanh', wide range", oneInput([17]), (x) => gelu(mul(x, 3), { approximate: 'tanh' })),
  ],

  sum: [
    c('[3, 5] all', oneInput([3, 5]), (x) => sum(x)),
    c('[3, 5] axis 0', oneInput([3, 5]), (x) => sum(x, 0)),
    c('[3, 5] axis 1 keepDim', oneInput([3, 5]), (x) => sum(x, 1, true)),
    c('[3, 5] axis -1', oneInput([3, 5]), (x) => sum(x, -1)),
    c('[2, 3, 4] axes [0, 2]', oneInput([2, 3, 4]), (x) => sum(x, [0, 2])),
    c('[2, 3, 4] axes [0, 2] keepDim', oneInput([2, 3, 4]), (x) => sum(x, [0, 2], true)),
    c('[17]', oneInput([17]), (x) => sum(x, 0)),
    c('size 1 [1]', oneInput([1]), (x) => sum(x)),
    c('0-d []', oneInput([]), (x) => sum(x)),
    c('0-d [] axis 0 (as softmax/logSoftmax backward calls it)', oneInput([]), (x) => sum(x, 0)),
    c('size 0 [0, 3] axis 0 (zeros out)', oneInput([0, 3]), (x) => sum(x, 0)),
    c('size 0 [0, 3] axis 1 (empty out)', oneInput([0, 3]), (x) => sum(x, 1)),
    c('size 0 [0] all', oneInput([0]), (x) => sum(x)),
    c('strided [3, 5] axis 1', oneInput([3, 5]), (x) => sum(x, 1), { layout: 'strided' }),
    c('transposed [2, 3, 4] axes [0, 2]', oneInput([2, 3, 4]), (x) => sum(x, [0, 2]), {
      layout: 'transposed',
    }),
    c('mean [3, 5] axis 1', oneInput([3, 5]), (x) => mean(x, 1)),
    c('mean [17]', oneInput([17]), (x) => mean(x)),
    c('mean strided [2, 3, 4] axes [1, 2] keepDim', oneInput([2, 3, 4]), (x) => mean(x, [1, 2], true), {
      layout: 'strided',
    }),
  ],
  variance: [
    c('[3, 5] axis 0', oneInput([3, 5]), (x) => variance(x, 0)),
    c('[3, 5] axis 1, correction 0, keepDim', oneInput([3, 5]), (x) =>
      variance(x, 1, { correction: 0, keepDim: true }),
    ),
    c('[17]', oneInput([17]), (x) => variance(x)),
    c('[2, 3, 4] axes [0, 2], correction 2', oneInput([2, 3, 4]), (x) =>
      variance(x, [0, 2], { correction: 2 }),
    ),
    c('over a size-1 axis, correction 0 (gradient 0)', oneInput([2, 1]), (x) =>
      variance(x, 1, { correction: 0 }),
    ),
  ],
  std: [
    c('[17]', oneInput([17]), (x) => std(x)),
    c('[3, 5] axis 1, correction 0, keepDim', oneInput([3, 5]), (x) =>
      std(x, 1, { correction: 0, keepDim: true }),
    ),
    c('transposed [2, 3, 4] axes [0, 2]', oneInput([2, 3, 4]), (x) => std(x, [0, 2]), {
      layout: 'transposed',
    }),
  ],
  softmax: [
    c('[3, 5] axis -1', oneInput([3, 5]), (x) => softmax(x, -1)),
    c('[3, 5] axis 0', oneInput([3, 5]), (x) => softmax(x, 0)),
    c('[17]', oneInput([17]), (x) => softmax(x, 0)),
    c('[2, 3, 4] axis 1 (inner > 1)', oneInput([2, 3, 4]), (x) => softmax(x, 1)),
    c('large logits ×30', oneInput([3, 5]), (x) => softmax(mul(x, 30), 1)),
    c('size 1 [1] (gradient 0)', oneInput([1]), (x) => softmax(x, 0)),
    c('size 1 axis [4, 1]', oneInput([4, 1]), (x) => softmax(x, 1)),
    c('0-d []', oneInput([]), (x) => softmax(x, 0)),
    c('size 0 [0, 4] axis 1', oneInput([0, 4]), (x) => softmax(x, 1)),
    c('size 0 [3, 0] axis 1', oneInput([3, 0]), (x) => softmax(x, 1)),
    c('strided [3, 5] axis 1', oneInput([3, 5]), (x) => softmax(x, 1), { layout: 'strided' }),
    c('transposed [2, 3, 4] axis 1', oneInput([2, 3, 4]), (x) => softmax(x, 1), { layout: 'transposed' }),
  ],
  logSoftmax: [
    c('[3, 5] axis -1', oneInput([3, 5]), (x) => logSoftmax(x, -1)),
    c('[3, 5] axis 0', oneInput([3, 5]), (x) => logSoftmax(x, 0)),
    c('[17]', oneInput([17]), (x) => logSoftmax(x, 0)),
    c('[2, 3, 4] axis 1 (inner > 1)', oneInput([2, 3, 4]), (x) => logSoftmax(x, 1)),
    c('large logits ×30', oneInput([3, 5]), (x) => logSoftmax(mul(x, 30), 1)),
    c('size 1 [1]', oneInput([1]), (x) => logSoftmax(x, 0)),
    c('0-d []', oneInput([]), (x) => logSoftmax(x, 0)),
    c('size 0 [0, 4] axis 1', oneInput([0, 4]), (x) => logSoftmax(x, 1)),
    c('size 0 [3, 0] axis 1', oneInput([3, 0]), (x) => logSoftmax(x, 1)),
    c('strided [3, 5] axis 1', oneInput([3, 5]), (x) => logSoftmax(x, 1), { layout: 'strided' }),
    c('transposed [2, 3, 4] axis 1', oneInput([2, 3, 4]), (x) => logSoftmax(x, 1), { layout: 'transposed' }),
  ],

  reshape: [
    c('[3, 5] → [5, 3]', oneInput([3, 5]), (x) => reshape(x, [5, 3])),
    c('[15] → [3, -1]', oneInput([15]), (x) => reshape(x, [3, -1])),
    c('[2, 3, 4] → [4, 6]', oneInput([2, 3, 4]), (x) => reshape(x, [4, 6])),
    c('flatten, unsqueeze', oneInput([2, 3, 4]), (x) => x.flatten(1).unsqueeze(0)),
    c('0-d [] → [1, 1]', oneInput([]), (x) => reshape(x, [1, 1])),
    c('size 1 [1] → []', oneInput([1]), (x) => reshape(x, [])),
    c('size 0 [0, 3] → [3, 0]', oneInput([0, 3]), (x) => reshape(x, [3, 0])),
    c('strided [3, 4] → [12] (copies)', oneInput([3, 4]), (x) => reshape(x, [12]), { layout: 'strided' }),
    c('transposed [3, 5] → [15]', oneInput([3, 5]), (x) => reshape(x, [15]), { layout: 'transposed' }),
  ],
  permute: [
    c('[2, 3, 4] dims [2, 0, 1]', oneInput([2, 3, 4]), (x) => permute(x, [2, 0, 1])),
    c('[2, 3, 4] dims [1, 2, 0]', oneInput([2, 3, 4]), (x) => permute(x, [1, 2, 0])),
    c('transpose [3, 5]', oneInput([3, 5]), (x) => transpose(x, 0, 1)),
    c('.t() [1, 5]', oneInput([1, 5]), (x) => x.t()),
    c('size 1 [1, 1]', oneInput([1, 1]), (x) => x.t()),
    c('size 0 [0, 3]', oneInput([0, 3]), (x) => x.t()),
    c('strided [2, 3, 4] dims [1, 2, 0]', oneInput([2, 3, 4]), (x) => permute(x, [1, 2, 0]), {
      layout: 'strided',
    }),
    c('transposed [3, 5] transposed back', oneInput([3, 5]), (x) => x.t(), { layout: 'transposed' }),
  ],
  expand: [
    c('[3, 1] → [3, 4]', oneInput([3, 1]), (x) => expand(x, [3, 4])),
    c('0-d [] → [2, 3]', oneInput([]), (x) => expand(x, [2, 3])),
    c('[1] → [5]', oneInput([1]), (x) => expand(x, [5])),
    c('[3] → [2, 3] (new axis)', oneInput([3]), (x) => expand(x, [2, 3])),
    c('[2, 1, 3] → [-1, 5, -1]', oneInput([2, 1, 3]), (x) => expand(x, [-1, 5, -1])),
    c('exp of the stride-0 view', oneInput([3, 1]), (x) => exp(expand(x, [3, 4]))),
    c(
      'stride-0 matrix operand: expand([3, 1] → [3, 4]) @ [4, 2]',
      (g) => [f64(g, [3, 1]), f64(g, [4, 2])],
      (a, b) => matmul(expand(a, [3, 4]), b),
    ),
    c('size 0 [1, 3] → [0, 3] (gradient zeros)', oneInput([1, 3]), (x) => expand(x, [0, 3])),
    c('size 0 [0, 1] → [0, 4]', oneInput([0, 1]), (x) => expand(x, [0, 4])),
    c('strided [3, 1] → [2, 3, 5]', oneInput([3, 1]), (x) => expand(x, [2, 3, 5]), { layout: 'strided' }),
    c(
      'transposed [2, 3, 1] → [4, 2, 3, 3], summed over 0',
      oneInput([2, 3, 1]),
      (x) => expand(x, [4, 2, 3, 3]).sum(0),
      { layout: 'transposed' },
    ),
  ],
  slice: [
    c('slice [3, 5] axis 1, 1:4:2', oneInput([3, 5]), (x) => slice(x, 1, 1, 4, 2)),
    c("index [17] '::2'", oneInput([17]), (x) => x.index('::2')),
    c("index [17] '3::5'", oneInput([17]), (x) => x.index('3::5')),
    c("index [4, 7] '1:3', '::3'", oneInput([4, 7]), (x) => x.index('1:3', '::3')),
    c('index [5] 2 → 0-d', oneInput([5]), (x) => x.index(2)),
    c("index [2, 3, 4] '...', -1, null", oneInput([2, 3, 4]), (x) => x.index('...', -1, null)),
    c('slice negative start', oneInput([3, 5]), (x) => slice(x, 0, -2)),
    c('size 1 [1]', oneInput([1]), (x) => slice(x, 0, 0, 1)),
    c('size 0 result slice(x, 0, 2, 2)', oneInput([3, 5]), (x) => slice(x, 0, 2, 2)),
    c('size 0 input [0, 5]', oneInput([0, 5]), (x) => slice(x, 1, 1, 4)),
    c('split [3, 5] into [2, 3] along 1, rejoined swapped', oneInput([3, 5]), (x) =>
      concat(split(x, [2, 3], 1).reverse(), 1),
    ),
    c('split [7] in chunks of 3, scaled', oneInput([7]), (x) =>
      concat(split(x, 3).map((p, i) => mul(p, i + 1))),
    ),
    c('strided [3, 5] slice 1:4:2', oneInput([3, 5]), (x) => slice(x, 1, 1, 4, 2), { layout: 'strided' }),
    c("transposed [4, 7] index '1:3', '::3'", oneInput([4, 7]), (x) => x.index('1:3', '::3'), {
      layout: 'transposed',
    }),
  ],
  embed: [
    c('pad [3, 5] [1, 2]', oneInput([3, 5]), (x) => pad(x, [1, 2])),
    c('pad [3, 5] [1, 1, 2, 0] value 0.5', oneInput([3, 5]), (x) => pad(x, [1, 1, 2, 0], 0.5)),
    c('pad [17] [0, 3]', oneInput([17]), (x) => pad(x, [0, 3])),
    c('pad size 1 [1]', oneInput([1]), (x) => pad(x, [1, 1])),
    c('pad 0-d []', oneInput([]), (x) => pad(x, [])),
    c('pad size 0 [0, 3] → [0, 5]', oneInput([0, 3]), (x) => pad(x, [1, 1])),
    c('pad size 0 [2, 0] → [2, 2] (padding only)', oneInput([2, 0]), (x) => pad(x, [1, 1], -1)),
    c('strided [3, 5] pad [2, 1, 0, 1]', oneInput([3, 5]), (x) => pad(x, [2, 1, 0, 1]), {
      layout: 'strided',
    }),
    c('transposed [2, 3, 4] pad [1, 0, 0, 2]', oneInput([2, 3, 4]), (x) => pad(x, [1, 0, 0, 2]), {
      layout: 'transposed',
    }),
  ],
  contiguous: [
    c('clone [3, 5]', oneInput([3, 5]), (x) => clone(x)),
    c('contiguous of x.t() [3, 5]', oneInput([3, 5]), (x) => contiguous(x.t())),
    c('clone [17]', oneInput([17]), (x) => x.clone()),
    c('clone size 1 [1]', oneInput([1]), (x) => clone(x)),
    c('clone 0-d []', oneInput([]), (x) => clone(x)),
    c('clone size 0 [0, 3]', oneInput([0, 3]), (x) => clone(x)),
    c('contiguous of strided [3, 5]', oneInput([3, 5]), (x) => contiguous(x), { layout: 'strided' }),
    c('contiguous of transposed [2, 3, 4]', oneInput([2, 3, 4]), (x) => contiguous(x), {
      layout: 'transposed',
    }),
    c('contiguous of strided 0-d (offset 1)', oneInput([]), (x) => clone(x), { layout: 'strided' }),
  ],
  // float64 → float32 → float64 rounds to float32 (relative 6e-8): h = 1e-2 keeps the rounding of the
  // difference quotient near 1e-5, and x² makes the central difference exact otherwise.
  cast: [
    ...unaryCases((x) => cast(square(cast(x, 'float32')), 'float64'), normal).map((k) => ({
      ...k,
      eps: 1e-2,
      atol: 1e-4,
      rtol: 1e-3,
    })),
    c('.float().double()', oneInput([3, 5]), (x) => x.float().exp().double(), {
      eps: 1e-2,
      atol: 1e-3,
      rtol: 1e-3,
    }),
  ],
  concat: [
    c(
      '[2, 3] + [4, 3] axis 0',
      (g) => [f64(g, [2, 3]), f64(g, [4, 3])],
      (a, b) => concat([a, b], 0),
    ),
    c(
      '[3, 2] + [3, 0] + [3, 5] axis 1 (empty piece)',
      (g) => [f64(g, [3, 2]), f64(g, [3, 0]), f64(g, [3, 5])],
      (a, b, d) => concat([a, b, d], 1),
    ),
    c(
      '[17] + [5]',
      (g) => [f64(g, [17]), f64(g, [5])],
      (a, b) => concat([a, b]),
    ),
    c(
      'one tensor [1]',
      (g) => [f64(g, [1])],
      (a) => concat([a]),
    ),
    c(
      'size 0 [0, 3] + [0, 3]',
      (g) => [f64(g, [0, 3]), f64(g, [0, 3])],
      (a, b) => concat([a, b]),
    ),
    c(
      'axis -1 with the same tensor twice',
      (g) => [f64(g, [2, 3])],
      (a) => concat([a, mul(a, 2)], -1),
    ),
    c(
      'stack 3 × [2, 3] axis 1',
      (g) => [f64(g, [2, 3]), f64(g, [2, 3]), f64(g, [2, 3])],
      (a, b, d) => stack([a, b, d], 1),
    ),
    c(
      'stack 0-d → [2]',
      (g) => [f64(g, []), f64(g, [])],
      (a, b) => stack([a, b]),
    ),
    c(
      'strided [3, 2] + [3, 5] axis 1',
      (g) => [f64(g, [3, 2]), f64(g, [3, 5])],
      (a, b) => concat([a, b], 1),
      { layout: 'strided' },
    ),
    c(
      'transposed [2, 3] + [4, 3] axis 0',
      (g) => [f64(g, [2, 3]), f64(g, [4, 3])],
      (a, b) => concat([a, b], 0),
      { layout: 'transposed' },
    ),
  ],

  gather: [
    c(
      '[3, 5] axis 1, index [3, 4] with repeats',
      (g) => [f64(g, [3, 5]), fixed(int32([0, 4, 4, 2, 1, 1, 1, 3, 2, 0, 2, 0], [3, 4]))],
      (x, i) => gather(x, 1, i),
    ),
    c(
      '[3, 5] axis 0, index [4, 5]',
      (g) => [f64(g, [3, 5]), fixed(randIndex(g, [4, 5], 3))],
      (x, i) => gather(x, 0, i),
    ),
    c(
      '[4, 5] axis 1, index [2, 3] smaller outside the axis',
      (g) => [f64(g, [4, 5]), fixed(randIndex(g, [2, 3], 5))],
      (x, i) => gather(x, 1, i),
    ),
    c(
      '[17] axis 0',
      (g) => [f64(g, [17]), fixed(randIndex(g, [9], 17))],
      (x, i) => gather(x, 0, i),
    ),
    c(
      'size 1 [1]',
      (g) => [f64(g, [1]), fixed(int32([0]))],
      (x, i) => gather(x, 0, i),
    ),
    c(
      'size 0 index [3, 0] (gradient zeros)',
      (g) => [f64(g, [3, 5]), fixed(int32([], [3, 0]))],
      (x, i) => gather(x, 1, i),
    ),
    c(
      'size 0 input [0, 5]',
      (g) => [f64(g, [0, 5]), fixed(int32([], [0, 2]))],
      (x, i) => gather(x, 1, i),
    ),
    c('indexSelect [3, 4] axis 0 [2, 0, 2]', oneInput([3, 4]), (x) => indexSelect(x, 0, [2, 0, 2])),
    c("index ':', [4, 0, 4]", oneInput([3, 5]), (x) => x.index(':', [4, 0, 4])),
    c('max [3, 5] axis 1', oneInput([3, 5]), (x) => max(x, 1)),
    c('min [3, 5] axis 0 keepDim', oneInput([3, 5]), (x) => min(x, 0, true)),
    c('max size 0 [0, 3] axis 1', oneInput([0, 3]), (x) => max(x, 1)),
    c(
      'strided [3, 5] axis 1',
      (g) => [f64(g, [3, 5]), fixed(randIndex(g, [3, 4], 5))],
      (x, i) => gather(x, 1, i),
      { layout: 'strided' },
    ),
    c('max of transposed [2, 3, 4] axis 1', oneInput([2, 3, 4]), (x) => max(x, 1), { layout: 'transposed' }),
  ],
  amax: [
    c('max [17] all', oneInput([17]), (x) => max(x)),
    c('max [2, 3, 4] axes [0, 2]', oneInput([2, 3, 4]), (x) => max(x, [0, 2])),
    c('max [2, 3, 4] axes [1] keepDim', oneInput([2, 3, 4]), (x) => max(x, [1], true)),
    c('max size 1 [1]', oneInput([1]), (x) => max(x)),
    c('max 0-d []', oneInput([]), (x) => max(x)),
    c('max transposed [2, 3, 4] axes [0, 1]', oneInput([2, 3, 4]), (x) => max(x, [0, 1]), {
      layout: 'transposed',
    }),
  ],
  amin: [
    c('min [17] all', oneInput([17]), (x) => min(x)),
    c('min [2, 3, 4] axes [0, 2] keepDim', oneInput([2, 3, 4]), (x) => min(x, [0, 2], true)),
  ],
  scatterAdd: [
    c(
      '[3, 4] → [3, 5] axis 1 with repeats',
      (g) => [f64(g, [3, 4]), fixed(int32([0, 4, 4, 2, 1, 1, 1, 3, 2, 0, 2, 0], [3, 4]))],
      (s, i) => scatterAdd(s, 1, i, [3, 5]),
    ),
    c(
      '[4, 3] → [2, 3] axis 0',
      (g) => [f64(g, [4, 3]), fixed(randIndex(g, [4, 3], 2))],
      (s, i) => scatterAdd(s, 0, i, [2, 3]),
    ),
    c(
      '[17] → [5]',
      (g) => [f64(g, [17]), fixed(randIndex(g, [17], 5))],
      (s, i) => scatterAdd(s, 0, i, [5]),
    ),
    c(
      'size 1 [1] → [1]',
      (g) => [f64(g, [1]), fixed(int32([0]))],
      (s, i) => scatterAdd(s, 0, i, [1]),
    ),
    c(
      'size 0 src [3, 0] → [3, 5]',
      (g) => [f64(g, [3, 0]), fixed(int32([], [3, 0]))],
      (s, i) => scatterAdd(s, 1, i, [3, 5]),
    ),
    c(
      'size 0 output [3, 0]',
      (g) => [f64(g, [3, 0]), fixed(int32([], [3, 0]))],
      (s, i) => scatterAdd(s, 1, i, [3, 0]),
    ),
    c(
      'strided [3, 4] → [3, 5]',
      (g) => [f64(g, [3, 4]), fixed(randIndex(g, [3, 4], 5))],
      (s, i) => scatterAdd(s, 1, i, [3, 5]),
      { layout: 'strided' },
    ),
    c(
      'transposed [4, 3] → [2, 3] axis 0',
      (g) => [f64(g, [4, 3]), fixed(randIndex(g, [4, 3], 2))],
      (s, i) => scatterAdd(s, 0, i, [2, 3]),
      { layout: 'transposed' },
    ),
  ],

  matmul: [
    c('[3, 4] @ [4, 5]', (g) => [f64(g, [3, 4]), f64(g, [4, 5])], matmul),
    c('[5, 17] @ [17, 3]', (g) => [f64(g, [5, 17]), f64(g, [17, 3])], matmul),
    c('batched broadcast [2, 1, 3, 4] @ [3, 4, 2]', (g) => [f64(g, [2, 1, 3, 4]), f64(g, [3, 4, 2])], matmul),
    c('batched broadcast [1, 3, 4] @ [5, 4, 2]', (g) => [f64(g, [1, 3, 4]), f64(g, [5, 4, 2])], matmul),
    c('1-D [4] @ [4] → 0-d', (g) => [f64(g, [4]), f64(g, [4])], matmul),
    c('1-D [4] @ [4, 3]', (g) => [f64(g, [4]), f64(g, [4, 3])], matmul),
    c('[2, 3, 4] @ 1-D [4]', (g) => [f64(g, [2, 3, 4]), f64(g, [4])], matmul),
    c('size 1 [1, 1] @ [1, 1]', (g) => [f64(g, [1, 1]), f64(g, [1, 1])], matmul),
    c('size 0 [0, 3] @ [3, 2]', (g) => [f64(g, [0, 3]), f64(g, [3, 2])], matmul),
    c('size 0 inner [3, 0] @ [0, 2]', (g) => [f64(g, [3, 0]), f64(g, [0, 2])], matmul),
    c(
      'a.t() @ b, a [4, 3]',
      (g) => [f64(g, [4, 3]), f64(g, [4, 5])],
      (a, b) => matmul(a.t(), b),
    ),
    c(
      'a @ b.t(), b [5, 4]',
      (g) => [f64(g, [3, 4]), f64(g, [5, 4])],
      (a, b) => matmul(a, b.t()),
    ),
    c('transposed operands [3, 4] @ [4, 5]', (g) => [f64(g, [3, 4]), f64(g, [4, 5])], matmul, {
      layout: 'transposed',
    }),
    c('strided operands [3, 4] @ [4, 5]', (g) => [f64(g, [3, 4]), f64(g, [4, 5])], matmul, {
      layout: 'strided',
    }),
    c('transposed batched [2, 3, 4] @ [4, 2]', (g) => [f64(g, [2, 3, 4]), f64(g, [4, 2])], matmul, {
      layout: 'transposed',
    }),
  ],
  linear: [
    c(
      '[4, 5] · [3, 5]ᵀ + b',
      (g) => [f64(g, [4, 5]), f64(g, [3, 5]), f64(g, [3])],
      (x, w, b) => linear(x, w, b),
    ),
    c(
      'no bias, odd sizes [17, 5] · [3, 5]ᵀ',
      (g) => [f64(g, [17, 5]), f64(g, [3, 5])],
      (x, w) => linear(x, w),
    ),
    c(
      'relu',
      (g) => [f64(g, [5, 4]), f64(g, [3, 4]), f64(g, [3])],
      (x, w, b) => linear(x, w, b, 'relu'),
    ),
    c(
      'sigmoid',
      (g) => [f64(g, [5, 4]), f64(g, [3, 4]), f64(g, [3])],
      (x, w, b) => linear(x, w, b, 'sigmoid'),
    ),
    c(
      'tanh',
      (g) => [f64(g, [5, 4]), f64(g, [3, 4]), f64(g, [3])],
      (x, w, b) => linear(x, w, b, 'tanh'),
    ),
    c(
      'leading dimensions [2, 3, 4]',
      (g) => [f64(g, [2, 3, 4]), f64(g, [5, 4]), f64(g, [5])],
      (x, w, b) => linear(x, w, b, 'tanh'),
    ),
    c(
      'size 1 [1, 1]',
      (g) => [f64(g, [1, 1]), f64(g, [1, 1]), f64(g, [1])],
      (x, w, b) => linear(x, w, b),
    ),
    c(
      'size 0 batch [0, 3]',
      (g) => [f64(g, [0, 3]), f64(g, [2, 3]), f64(g, [2])],
      (x, w, b) => linear(x, w, b),
    ),
    c(
      'transposed input and weight',
      (g) => [f64(g, [4, 5]), f64(g, [3, 5]), f64(g, [3])],
      (x, w, b) => linear(x, w, b, 'sigmoid'),
      {
        layout: 'transposed',
      },
    ),
    c(
      'strided input and weight',
      (g) => [f64(g, [4, 5]), f64(g, [3, 5]), f64(g, [3])],
      (x, w, b) => linear(x, w, b),
      {
        layout: 'strided',
      },
    ),
  ],
  batchNorm: [
    c(
      '[5, 3] with γ and β',
      (g) => [f64(g, [5, 3]), f64(g, [3]), f64(g, [3])],
      (x, w, b) => batchNormTrain(x, w, b).output,
    ),
    c('[4, 3, 5] (N, C, L) without affine', oneInput([4, 3, 5]), (x) => batchNormTrain(x, null, null).output),
    c(
      '[2, 3, 2, 2] (N, C, H, W), γ only',
      (g) => [f64(g, [2, 3, 2, 2]), f64(g, [3])],
      (x, w) => batchNormTrain(x, w, null).output,
    ),
    c(
      '[17, 5] weighted sum downstream',
      (g) => [f64(g, [17, 5]), f64(g, [5]), f64(g, [5])],
      (x, w, b) =>
        mul(
          batchNormTrain(x, w, b).output,
          tensor(
            Float64Array.from({ length: 85 }, (_, i) => Math.sin(i)),
            { dtype: 'float64', shape: [17, 5] },
          ),
        ),
    ),
    c(
      'size 1 channel [3, 1]',
      (g) => [f64(g, [3, 1]), f64(g, [1]), f64(g, [1])],
      (x, w, b) => batchNormTrain(x, w, b).output,
    ),
    c(
      'transposed input [5, 3]',
      (g) => [f64(g, [5, 3]), f64(g, [3]), f64(g, [3])],
      (x, w, b) => batchNormTrain(x, w, b).output,
      { layout: 'transposed' },
    ),
  ],
  softmaxCrossEntropy: [
    c(
      '[5, 3]',
      (g) => [f64(g, [5, 3]), fixed(randIndex(g, [5], 3))],
      (x, t) => crossEntropy(x, t),
    ),
    c(
      '[17, 4] sum',
      (g) => [f64(g, [17, 4]), fixed(randIndex(g, [17], 4))],
      (x, t) => crossEntropy(x, t, { reduction: 'sum' }),
    ),
    c(
      'none, weighted downstream',
      (g) => [f64(g, [4, 5]), fixed(randIndex(g, [4], 5))],
      (x, t) => mul(crossEntropy(x, t, { reduction: 'none' }), tensor([1, -2, 3, 0.5], { dtype: 'float64' })),
    ),
    c(
      'size 1 class [3, 1]',
      (g) => [f64(g, [3, 1]), fixed(randIndex(g, [3], 1))],
      (x, t) => crossEntropy(x, t),
    ),
    c(
      'size 0 batch',
      (g) => [f64(g, [0, 3]), fixed(randIndex(g, [0], 3))],
      (x, t) => crossEntropy(x, t, { reduction: 'sum' }),
    ),
    c(
      'large logits ×30',
      (g) => [f64(g, [4, 5]), fixed(randIndex(g, [4], 5))],
      (x, t) => crossEntropy(mul(x, 30), t),
    ),
    c(
      'transposed logits',
      (g) => [f64(g, [4, 5]), fixed(randIndex(g, [4], 5))],
      (x, t) => crossEntropy(x, t),
      {
        layout: 'transposed',
      },
    ),
  ],
  maxPool2d: [
    c('maxPool2d 2', oneInput([2, 3, 4, 4]), (x) => maxPool2d(x, 2)),
    c('maxPool2d 3, stride 2, padding 1', oneInput([1, 2, 5, 5]), (x) =>
      maxPool2d(x, 3, { stride: 2, padding: 1 }),
    ),
    c('maxPool2d 2, stride 1, dilation 2', oneInput([1, 2, 5, 5]), (x) =>
      maxPool2d(x, 2, { stride: 1, dilation: 2 }),
    ),
    c('maxPool2d strided', oneInput([1, 2, 4, 4]), (x) => maxPool2d(x, 2), { layout: 'strided' }),
    c('maxPool2d overlapping windows 3, stride 1 (gradients add up)', oneInput([1, 2, 5, 5]), (x) =>
      maxPool2d(x, 3, { stride: 1 }),
    ),
    c('maxPool2d size 0 batch', oneInput([0, 2, 4, 4]), (x) => maxPool2d(x, 2)),
  ],
  conv2d: [
    // The direct kernels: stride 1, dilation 1, one group, padding below the kernel size.
    c('conv2d LeNet-like 5×5, padding 2, bias', convInputs([2, 1, 6, 7], [3, 1, 5, 5], true), (x, w, b) =>
      conv2d(x, w, b, { padding: 2 }),
    ),
    c('conv2d 3 → 5 channels 3×3, no padding', convInputs([2, 3, 5, 6], [5, 3, 3, 3], false), (x, w) =>
      conv2d(x, w),
    ),
    c(
      'conv2d rectangular kernel [2, 3], padding [1, 0]',
      convInputs([1, 2, 4, 5], [3, 2, 2, 3], true),
      (x, w, b) => conv2d(x, w, b, { padding: [1, 0] }),
    ),
    c(
      "conv2d padding 'same', kernel 3×1, stride (1, 1)",
      convInputs([1, 2, 5, 4], [2, 2, 3, 1], true),
      (x, w, b) => conv2d(x, w, b, { padding: 'same' }),
    ),
    c('conv2d size 1 [1, 1, 1, 1]', convInputs([1, 1, 1, 1], [1, 1, 1, 1], true), (x, w, b) =>
      conv2d(x, w, b),
    ),
    c(
      'conv2d size 0 batch [0, 2, 4, 4] (weight gradient zeros)',
      convInputs([0, 2, 4, 4], [3, 2, 3, 3], true),
      (x, w, b) => conv2d(x, w, b),
    ),
    c(
      'conv2d strided input and weight (direct)',
      convInputs([2, 2, 4, 4], [3, 2, 3, 3], true),
      (x, w, b) => conv2d(x, w, b, { padding: 1 }),
      { layout: 'strided' },
    ),
    c(
      'conv2d transposed input and weight (direct)',
      convInputs([2, 2, 4, 5], [3, 2, 2, 2], false),
      (x, w) => conv2d(x, w, null, { padding: 1 }),
      { layout: 'transposed' },
    ),
  ],
  im2col: [
    c('conv2d groups 2, bias', convInputs([1, 4, 5, 5], [6, 2, 3, 3], true), (x, w, b) =>
      conv2d(x, w, b, { groups: 2 }),
    ),
    c('conv2d stride 2, padding 1', convInputs([2, 3, 6, 6], [4, 3, 3, 3], true), (x, w, b) =>
      conv2d(x, w, b, { stride: 2, padding: 1 }),
    ),
    c('conv2d dilation 2, padding 2, odd 7×7', convInputs([1, 2, 7, 7], [3, 2, 3, 3], false), (x, w) =>
      conv2d(x, w, null, { dilation: 2, padding: 2 }),
    ),
    c(
      'conv2d rectangular stride [2, 1], padding [0, 1]',
      convInputs([1, 2, 5, 5], [3, 2, 2, 3], false),
      (x, w) => conv2d(x, w, null, { stride: [2, 1], padding: [0, 1] }),
    ),
    c(
      'conv2d strided input and weight',
      convInputs([1, 4, 5, 5], [2, 2, 3, 3], true),
      (x, w, b) => conv2d(x, w, b, { groups: 2, padding: 1 }),
      { layout: 'strided' },
    ),
    c(
      'conv2d transposed input and weight',
      convInputs([2, 2, 4, 5], [3, 2, 2, 2], false),
      (x, w) => conv2d(x, w, null, { stride: 2 }),
      { layout: 'transposed' },
    ),
    c('avgPool2d 2', oneInput([2, 3, 4, 4]), (x) => avgPool2d(x, 2)),
    c('avgPool2d 3, stride 2, padding 1, countIncludePad false', oneInput([1, 2, 5, 5]), (x) =>
      avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
    ),
    c('avgPool2d 3, stride 2, padding 1, countIncludePad true', oneInput([1, 2, 5, 5]), (x) =>
      avgPool2d(x, 3, { stride: 2, padding: 1 }),
    ),
    c('im2col kernel [2, 3], stride [1, 2], padding [1, 0], padValue 0.5', oneInput([2, 2, 4, 5]), (x) =>
      im2col(
        x,
        windowSpec('test', x, { kernel: [2, 3], stride: [1, 2], padding: [1, 0], dilation: [1, 1] }),
        0.5,
      ),
    ),
    c('im2col KNL layout, kernel 2, stride [2, 1], padding 1', oneInput([2, 2, 4, 5]), (x) =>
      im2col(x, {
        ...windowSpec('test', x, { kernel: [2, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 1] }),
        columnLayout: 'KNL',
      }),
    ),
    c('im2col size 0 channels [1, 0, 3, 3]', oneInput([1, 0, 3, 3]), (x) =>
      im2col(x, windowSpec('test', x, { kernel: 2, stride: 1, padding: 0, dilation: 1 })),
    ),
    c(
      'im2col transposed',
      oneInput([1, 2, 3, 4]),
      (x) => im2col(x, windowSpec('test', x, { kernel: 2, stride: 1, padding: 1, dilation: 1 })),
      {
        layout: 'transposed',
      },
    ),
  ],
  col2im: [
    c('overlapping windows 3×3 stride 1 on [1, 2, 4, 5]', oneInput([1, 18, 6]), (cols) =>
      col2im(cols, specFor([1, 2, 4, 5], [3, 3], [1, 1], [0, 0], [1, 1])),
    ),
    c(
      'stride 2, padding 1, dilation [1, 2] on [2, 1, 5, 6]',
      (g) => {
        const spec = specFor([2, 1, 5, 6], [2, 2], [2, 2], [1, 1], [1, 2]);
        return [f64(g, [2, 4, spec.outHeight * spec.outWidth])];
      },
      (cols) => col2im(cols, specFor([2, 1, 5, 6], [2, 2], [2, 2], [1, 1], [1, 2])),
    ),
    c('size 1 [1, 1, 1, 1]', oneInput([1, 1, 1]), (cols) =>
      col2im(cols, specFor([1, 1, 1, 1], [1, 1], [1, 1], [0, 0], [1, 1])),
    ),
    c('size 0 batch', oneInput([0, 4, 4]), (cols) =>
      col2im(cols, specFor([0, 1, 3, 3], [2, 2], [1, 1], [0, 0], [1, 1])),
    ),
    c(
      'strided columns',
      oneInput([1, 18, 6]),
      (cols) => col2im(cols, specFor([1, 2, 4, 5], [3, 3], [1, 1], [0, 0], [1, 1])),
      { layout: 'strided' },
    ),
    c(
      'transposed columns',
      oneInput([1, 18, 6]),
      (cols) => col2im(cols, specFor([1, 2, 4, 5], [3, 3], [1, 1], [0, 0], [1, 1])),
      { layout: 'transposed' },
    ),
  ],
};

/** Losses and other compositions; not tied to one primitive. */
const composites: Case[] = [
  c(
    'crossEntropy int32 targets',
    (g) => [f64(g, [4, 5]), fixed(int32([0, 4, 2, 2]))],
    (x, t) => crossEntropy(x, t),
  ),
  c(
    'crossEntropy labelSmoothing 0.1',
    (g) => [f64(g, [4, 5]), fixed(int32([1, 3, 0, 4]))],
    (x, t) => crossEntropy(x, t, { labelSmoothing: 0.1 }),
  ),
  c(
    'crossEntropy probability targets (both differentiated)',
    (g) => [f64(g, [3, 5]), probabilities(g, [3, 5])],
    (x, q) => crossEntropy(x, q),
  ),
  c(
    'crossEntropy probability targets, labelSmoothing 0.1',
    (g) => [f64(g, [3, 5]), probabilities(g, [3, 5])],
    (x, q) => crossEntropy(x, q, { labelSmoothing: 0.1 }),
  ),
  c(
    'crossEntropy [N, C, d] logits, reduction sum',
    (g) => [f64(g, [2, 3, 4]), fixed(randIndex(g, [2, 4], 3))],
    (x, t) => crossEntropy(x, t, { reduction: 'sum' }),
  ),
  c(
    'crossEntropy reduction none',
    (g) => [f64(g, [4, 5]), fixed(int32([0, 4, 2, 2]))],
    (x, t) => crossEntropy(x, t, { reduction: 'none' }),
  ),
  c(
    'crossEntropy one class',
    (g) => [f64(g, [3, 1]), fixed(int32([0, 0, 0]))],
    (x, t) => crossEntropy(x, t),
  ),
  c(
    'crossEntropy size 0 batch, reduction sum',
    (g) => [f64(g, [0, 5]), fixed(int32([]))],
    (x, t) => crossEntropy(x, t, { reduction: 'sum' }),
  ),
  c(
    'crossEntropy strided logits',
    (g) => [f64(g, [4, 5]), fixed(int32([0, 4, 2, 2]))],
    (x, t) => crossEntropy(x, t, { labelSmoothing: 0.1 }),
    { layout: 'strided' },
  ),
  c(
    'nllLoss of logSoftmax',
    (g) => [f64(g, [4, 5]), fixed(int32([3, 0, 0, 1]))],
    (x, t) => nllLoss(logSoftmax(x, 1), t),
  ),
  c(
    'nllLoss raw input, reduction sum',
    (g) => [f64(g, [4, 5]), fixed(int32([3, 0, 0, 1]))],
    (x, t) => nllLoss(x, t, { reduction: 'sum' }),
  ),
  c(
    'nllLoss [N, C, d]',
    (g) => [f64(g, [2, 3, 4]), fixed(randIndex(g, [2, 4], 3))],
    (x, t) => nllLoss(x, t),
  ),
  c(
    'mseLoss',
    (g) => [f64(g, [3, 5]), f64(g, [3, 5])],
    (x, y) => mseLoss(x, y),
  ),
  c(
    'mseLoss reduction sum, [17]',
    (g) => [f64(g, [17]), f64(g, [17])],
    (x, y) => mseLoss(x, y, { reduction: 'sum' }),
  ),
  c(
    'mseLoss transposed',
    (g) => [f64(g, [3, 5]), f64(g, [3, 5])],
    (x, y) => mseLoss(x, y),
    { layout: 'transposed' },
  ),
  c(
    'l1Loss (input − target away from 0)',
    (g) => {
      const x = f64(g, [3, 5]);
      const y = tensor(
        Float64Array.from(x.data(), (v) => v + nonzero(g)),
        { dtype: 'float64', shape: [3, 5] },
      );
      return [x, y];
    },
    (x, y) => l1Loss(x, y),
  ),
  c(
    'l1Loss reduction none',
    (g) => {
      const x = f64(g, [17]);
      const y = tensor(
        Float64Array.from(x.data(), (v) => v + nonzero(g)),
        { dtype: 'float64', shape: [17] },
      );
      return [x, y];
    },
    (x, y) => l1Loss(x, y, { reduction: 'none' }),
  ),
  c(
    'binaryCrossEntropyWithLogits (target differentiated)',
    (g) => [f64(g, [3, 5]), f64(g, [3, 5], uniform)],
    (x, y) => binaryCrossEntropyWithLogits(x, y),
  ),
  c(
    'binaryCrossEntropyWithLogits large logits ×20',
    (g) => [f64(g, [17]), f64(g, [17], uniform)],
    (x, y) => binaryCrossEntropyWithLogits(mul(x, 20), y, { reduction: 'sum' }),
  ),
  c(
    'binaryCrossEntropyWithLogits strided',
    (g) => [f64(g, [3, 5]), f64(g, [3, 5], uniform)],
    (x, y) => binaryCrossEntropyWithLogits(x, y),
    { layout: 'strided' },
  ),
  c('fan-out: x·x + x', oneInput([5]), (x) => add(mul(x, x), x)),
  c(
    'two-layer network',
    (g) => [f64(g, [4, 3]), f64(g, [3, 5]), f64(g, [5]), f64(g, [5, 2])],
    (x, w1, b1, w2) => matmul(tanh(add(matmul(x, w1), b1)), w2),
  ),
];

/** A stable seed per case, so that adding or reordering cases leaves the others' data alone. */
function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function run(label: string, k: Case) {
  const g = new Generator(seedOf(label));
  return gradcheck(k.f, k.inputs(g), {
    name: label,
    layout: k.layout ?? 'contiguous',
    seed: seedOf(`${label}/w`),
    ...(k.eps !== undefined && { eps: k.eps }),
    ...(k.atol !== undefined && { atol: k.atol }),
    ...(k.rtol !== undefined && { rtol: k.rtol }),
  });
}

describe(`gradient rules: central differences in float64 (h ${DEFAULTS.eps}, atol ${DEFAULTS.atol}, rtol ${DEFAULTS.rtol})`, () => {
  it('registers at least one case for every primitive in gradRules, and nothing else', () => {
    const missing = Object.keys(gradRules).filter((p) => (registry[p]?.length ?? 0) === 0);
    const unknown = Object.keys(registry).filter((p) => !(p in gradRules));
    expect(missing, `primitives without a gradient check: ${missing.join(', ')}`).toEqual([]);
    expect(unknown, `registry keys that are not primitives: ${unknown.join(', ')}`).toEqual([]);
  });

  for (const [primitive, cases] of Object.entries(registry)) {
    describe(primitive, () => {
      for (const k of cases) {
        it(k.name, () => {
          const report = run(`${primitive}: ${k.name}`, k);
          expect([...report.primitives], `the case must record ${primitive} on the tape`).toContain(
            primitive,
          );
        });
      }
    });
  }
});

describe('composite ops and losses: central differences in float64', () => {
  for (const k of composites) {
    it(k.name, () => {
      run(`composite: ${k.name}`, k);
    });
  }
});

describe('gradcheck helper', () => {
  it('reports the case, input, element and both values at the first mismatch', () => {
    // x³ with a gradient rule that is off: the projection is linear in the gradient, so a wrong
    // derivative shows at every element; this one uses detach to drop the x² factor's dependence.
    const wrong = (x: Tensor) => mul(mul(x, x.detach()), x.detach());
    const x = tensor([0.5, -1.25, 2], { dtype: 'float64' });
    expect(() => gradcheck(wrong, [x], { name: 'deliberately wrong' })).toThrow(
      /"deliberately wrong": input 0 \[3\] \(contiguous\): 3 of 3 elements differ; first at \[0\] \(flat 0\): analytic -?[\d.e-]+, numeric -?[\d.e-]+/,
    );
  });

  it('passes a correct gradient, and builds non-contiguous views of the requested layout', () => {
    const g = new Generator(1);
    const x = f64(g, [3, 5]);
    for (const layout of ['contiguous', 'transposed', 'strided'] as const) {
      let seen: Tensor | null = null;
      const report = gradcheck(
        (v) => {
          seen ??= v;
          return mul(v, v);
        },
        [x],
        { layout },
      );
      expect(report.checked).toBe(15);
      expect(seen!.shape).toEqual([3, 5]);
      expect(seen!.isContiguous()).toBe(layout === 'contiguous');
      if (layout === 'strided') expect(seen!.offset).toBe(1);
      expect(report.analytic[0]!.length).toBe(15);
      const views = { contiguous: [], transposed: ['permute'], strided: ['slice', 'permute'] }[layout];
      expect(report.primitives).toEqual(new Set(['mul', ...views]));
    }
  });

  it('rejects float32 inputs that are meant to be differentiated', () => {
    const x = tensor([1, 2], { dtype: 'float32' });
    expect(() => gradcheck((v) => mul(v, v), [x])).toThrow(/must be float64/);
  });
});
