/**
 * The gradient table: for each primitive, its vector-Jacobian product. Given the upstream gradient
 * g = ∂L/∂output, a rule returns ∂L/∂input for every input (null where an input is not
 * differentiable). Rules are written with the same ops as forward code, so every backend gets them.
 *
 * Conventions at non-differentiable points follow PyTorch: relu'(0) = 0; |x|' = sign(x) (0 at 0);
 * clamp passes the gradient where min ≤ x ≤ max; maximum/minimum split it equally on ties; max over
 * all axes or an axis list splits it equally between tied maxima, while max along one axis and
 * max-pooling send it to the first maximal element (max-pooling: to the last NaN of a window that
 * holds any, as PyTorch's CPU kernel; max along an axis: to the first NaN).
 *
 * NaN and infinity follow PyTorch's formulas too: where PyTorch masks (where, masked_fill) a rule
 * masks, so an infinite or NaN upstream gradient stays out of the masked elements instead of
 * turning into ∞·0 = NaN; where PyTorch multiplies, a rule multiplies. Comparisons are written the
 * way PyTorch writes them, because NaN fails every one: relu and elu pass the gradient of a NaN
 * input (PyTorch tests x ≤ 0), maximum/minimum give it to both operands when either is NaN.
 */
import { sigmoid, tanh } from '../ops/activation.js';
import { col2im, im2col } from '../ops/conv.js';
import * as E from '../ops/elementwise.js';
import {
  activationGrad,
  batchNormGrad,
  conv2dInputGrad,
  conv2dWeightGrad,
  maxPool2dGrad,
  softmaxCrossEntropyGrad,
} from '../ops/fused_grads.js';
import { gatherInRange, scatterAddInRange } from '../ops/indexing.js';
import { matmulNd, matrixLayout } from '../ops/linalg.js';
import { mean, sum } from '../ops/reduce.js';
import { cast, embed, expand, permute, reshape, sliceView, split, transpose } from '../ops/shape_ops.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Primitive, PrimitiveParams } from './primitives.js';

export interface VjpContext<P extends Primitive> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly params: PrimitiveParams[P];
  /** needs[i]: whether input i requires a gradient (rules may skip the others). */
  readonly needs: readonly boolean[];
}

export type Vjp<P extends Primitive> = (g: Tensor, ctx: VjpContext<P>) => (Tensor | null)[];

/** Sums a broadcast gradient back down to `shape`. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reduced = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(reduced, shape);
}

/**
 * left·right summed down to x's shape, laid out in memory like x: when x is a transposed view (the
 * Wᵀ of y = xWᵀ), the product is computed as (rightᵀ·leftᵀ)ᵀ, so that the gradient reaching W through
 * the transpose is contiguous and accumulates into W.grad in one streaming pass.
 */
function productLike(x: Tensor, left: Tensor, right: Tensor): Tensor {
  if (x.ndim === left.ndim && x.ndim === right.ndim && matrixLayout(x) === 'transposed') {
    const t = matmulNd(transpose(right, -1, -2), transpose(left, -1, -2));
    return sumTo(transpose(t, -1, -2), x.shape);
  }
  return sumTo(matmulNd(left, right), x.shape);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * One operand's share of a maximum/minimum gradient, PyTorch's where(a == b, g/2, g) with zeros
 * filled in where it loses (`loses` is a < b for maximum). A NaN on either side loses nothing.
 */
function extremumShare(g: Tensor, loses: Tensor, a: Tensor, b: Tensor): Tensor {
  return E.where(loses, 0, E.where(E.eq(a, b), E.mul(g, 0.5), g));
}

/** g, shaped like a reduction's output, reshaped to broadcast against x (the reduced axes kept as 1). */
function keptGrad(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return reshape(
    g,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

/**
 * ∂amax/∂x and ∂amin/∂x. Along axes (PyTorch's amax): g/count·mask, so that a slice whose maximum is
 * NaN (matched by no element: count 0) gets g/0·0 = NaN throughout. Over everything (PyTorch's
 * evenly_distribute_backward for max()): g/count filled into the mask, where a NaN result is
 * matched by the NaN elements.
 */
const extremeGrad: Vjp<'amax' | 'amin'> = (g, { inputs: [x], output: y, params }) => {
  const yk = keptGrad(y, x!, params.axes);
  const gk = keptGrad(g, x!, params.axes);
  if (!params.full) {
    const mask = E.eq(x!, yk);
    return [E.mul(E.div(gk, sum(mask, params.axes, true)), mask)];
  }
  const mask = E.add(E.eq(x!, yk), E.mul(E.ne(x!, x!), E.ne(yk, yk)));
  return [E.where(mask, E.div(gk, sum(mask)), 0)];
};

/**
 * ∂var/∂x = 2/(N − correction)·g·(x − mean), PyTorch's formula, including N ≤ correction: ±∞ (NaN
 * at the mean) for N = correction, finite values of flipped sign beyond. Over everything with
 * N = correction PyTorch takes g·∞ instead (1.13 returns it only for a 0-d input: the others fail
 * on its shape), and so does this rule.
 */
function varianceGrad(g: Tensor, x: Tensor, params: PrimitiveParams['variance']): Tensor {
  const dof = sizeOf(params.axes.map((a) => x.shape[a]!)) - params.correction;
  const gk = keptGrad(g, x, params.axes);
  if (params.full && dof === 0) return E.mul(expand(gk, x.shape), Number.POSITIVE_INFINITY);
  return E.mul(E.mul(gk, 2 / dof), E.sub(x, mean(x, params.axes, true)));
}

export const gradRules: { [P in Primitive]: Vjp<P> } = {
  add: (g, { inputs: [a, b] }) => [sumTo(g, a!.shape), sumTo(g, b!.shape)],
  sub: (g, { inputs: [a, b] }) => [sumTo(g, a!.shape), sumTo(E.neg(g), b!.shape)],
  mul: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(E.mul(g, b!), a!.shape) : null,
    needs[1] ? sumTo(E.mul(g, a!), b!.shape) : null,
  ],
  div: (g, { inputs: [a, b], output: y, needs }) => [
    needs[0] ? sumTo(E.div(g, b!), a!.shape) : null,
    // PyTorch's −g·((a/b)/b) from the output y = a/b: −g·a/b² overflows where it does not (a = 3e38, b = −1e4).
    needs[1] ? sumTo(E.mul(E.neg(g), E.div(y, b!)), b!.shape) : null,
  ],
  pow: (g, { inputs: [a, b], output: y, needs }) => [
    // d/da a^b = b·a^(b−1), taken as 0 where b = 0 (PyTorch).
    needs[0] ? sumTo(E.where(E.eq(b!, 0), 0, E.mul(g, E.mul(b!, E.pow(a!, E.sub(b!, 1))))), a!.shape) : null,
    // d/db a^b = a^b·log a, taken as 0 where a = 0 and b ≥ 0 (PyTorch, which multiplies g in after).
    needs[1]
      ? sumTo(E.mul(g, E.where(E.mul(E.eq(a!, 0), E.ge(b!, 0)), 0, E.mul(y, E.log(a!)))), b!.shape)
      : null,
  ],
  maximum: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(extremumShare(g, E.lt(a!, b!), a!, b!), a!.shape) : null,
    needs[1] ? sumTo(extremumShare(g, E.gt(a!, b!), a!, b!), b!.shape) : null,
  ],
  minimum: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(extremumShare(g, E.gt(a!, b!), a!, b!), a!.shape) : null,
    needs[1] ? sumTo(extremumShare(g, E.lt(a!, b!), a!, b!), b!.shape) : null,
  ],
  where: (g, { inputs: [c, a, b] }) => [
    null,
    sumTo(E.where(c!, g, 0), a!.shape),
    sumTo(E.where(c!, 0, g), b!.shape),
  ],

  neg: (g) => [E.neg(g)],
  abs: (g, { inputs: [x] }) => [E.mul(g, E.sign(x!))],
  // Zeros, not g·0: PyTorch's zeros_like, whatever g holds.
  sign: (g) => [g.zerosLike()],
  exp: (g, { output: y }) => [E.mul(g, y)],
  log: (g, { inputs: [x] }) => [E.div(g, x!)],
  sqrt: (g, { output: y }) => [E.div(g, E.mul(y, 2))],
  rsqrt: (g, { output: y }) => [E.mul(g, E.mul(E.mul(E.mul(y, y), y), -0.5))],
  square: (g, { inputs: [x] }) => [E.mul(g, E.mul(x!, 2))],
  // g·y(1 − y), g·(1 − y²) and (0 where y ≤ 0, else g) in one kernel (the same float32 operations
  // as the composed form), from the output: relu's output is ≤ 0 exactly where its input is, and NaN
  // where it is NaN (whose gradient passes, as in PyTorch).
  sigmoid: (g, { output: y }) => [activationGrad(g, y, 'sigmoid')],
  tanh: (g, { output: y }) => [activationGrad(g, y, 'tanh')],
  relu: (g, { output: y }) => [activationGrad(g, y, 'relu')],
  erf: (g, { inputs: [x] }) => [E.mul(g, E.mul(E.exp(E.neg(E.mul(x!, x!))), 2 / Math.sqrt(Math.PI)))],
  leakyRelu: (g, { inputs: [x], params }) => [E.where(E.gt(x!, 0), g, E.mul(g, params.negativeSlope))],
  elu: (g, { inputs: [x], output: y, params }) => [E.where(E.le(x!, 0), E.mul(g, E.add(y, params.alpha)), g)],
  softplus: (g, { inputs: [x], params }) => {
    const z = E.mul(x!, params.beta);
    return [E.where(E.gt(z, params.threshold), g, E.mul(g, sigmoid(z)))];
  },
  clamp: (g, { inputs: [x], params }) => [E.where(E.mul(E.ge(x!, params.min), E.le(x!, params.max)), g, 0)],
  gelu: (g, { inputs: [x], params }) => {
    const v = x!;
    if (params.approximate === 'tanh') {
      const x2 = E.mul(v, v);
      const t = tanh(E.mul(E.add(v, E.mul(E.mul(x2, v), 0.044715)), SQRT_2_OVER_PI));
      const left = E.mul(E.add(t, 1), 0.5);
      const right = E.mul(
        E.mul(E.mul(v, 0.5), E.sub(1, E.mul(t, t))),
        E.mul(E.add(E.mul(x2, 3 * 0.044715), 1), SQRT_2_OVER_PI),
      );
      return [E.mul(g, E.add(left, right))];
    }
    const cdf = E.mul(E.add(E.erf(E.mul(v, Math.SQRT1_2)), 1), 0.5);
    const pdf = E.mul(E.exp(E.mul(E.mul(v, v), -0.5)), INV_SQRT_2PI);
    return [E.mul(g, E.add(cdf, E.mul(v, pdf)))];
  },

  sum: (g, { inputs: [x], params }) => {
    const kept = x!.shape.map((d, i) => (params.axes.includes(i) ? 1 : d));
    return [expand(reshape(g, kept), x!.shape)];
  },
  amax: extremeGrad,
  amin: extremeGrad,
  variance: (g, { inputs: [x], params }) => [varianceGrad(g, x!, params)],
  // PyTorch's (g / 2σ) with zeros where σ = 0, then the variance's rule.
  std: (g, { inputs: [x], output: y, params }) => [
    varianceGrad(E.where(E.eq(y, 0), 0, E.div(g, E.mul(y, 2))), x!, params),
  ],
  softmax: (g, { output: y, params }) => [E.mul(y, E.sub(g, sum(E.mul(g, y), params.axis, true)))],
  logSoftmax: (g, { output: y, params }) => [E.sub(g, E.mul(E.exp(y), sum(g, params.axis, true)))],

  reshape: (g, { inputs: [x] }) => [reshape(g, x!.shape)],
  permute: (g, { params }) => {
    const inverse = new Array<number>(params.dims.length);
    params.dims.forEach((d, i) => {
      inverse[d] = i;
    });
    return [permute(g, inverse)];
  },
  expand: (g, { inputs: [x] }) => [sumTo(g, x!.shape)],
  slice: (g, { inputs: [x], params }) => [embed(g, x!.shape, params.begin, params.step, 0)],
  embed: (g, { inputs: [x], params }) => {
    const end = x!.shape.map((d, i) =>
      d === 0 ? params.begin[i]! : params.begin[i]! + (d - 1) * params.step[i]! + 1,
    );
    return [sliceView(g, params.begin, end, params.step)];
  },
  contiguous: (g) => [g],
  cast: (g, { inputs: [x] }) => [cast(g, x!.dtype)],
  concat: (g, { inputs, params }) =>
    split(
      g,
      inputs.map((t) => t.shape[params.axis]!),
      params.axis,
    ),

  // The indices were checked when the forward op ran: backward reads nothing back (capturable).
  gather: (g, { inputs: [x, index], params }) => [scatterAddInRange(g, params.axis, index!, x!.shape), null],
  scatterAdd: (g, { inputs: [, index], params }) => [gatherInRange(g, params.axis, index!), null],

  matmul: (g, { inputs: [a, b], needs }) => [
    needs[0] ? productLike(a!, g, transpose(b!, -1, -2)) : null,
    needs[1] ? productLike(b!, transpose(a!, -1, -2), g) : null,
  ],
  im2col: (g, { params }) => [col2im(g, params.spec)],
  col2im: (g, { params }) => [im2col(g, params.spec, 0)],
  conv2d: (g, { inputs: [x, weight, bias], params: { spec }, needs }) => [
    needs[0] ? conv2dInputGrad(g, weight!, spec) : null,
    needs[1] ? conv2dWeightGrad(g, x!, weight!.shape, spec) : null,
    bias !== undefined && needs[2] ? sum(g, [0, 2, 3]) : null,
  ],

  linear: (g, { inputs: [x, w, b], output: y, params, needs }) => {
    const gz = activationGrad(g, y, params.activation);
    return [
      needs[0] ? matmulNd(gz, w!) : null,
      needs[1] ? matmulNd(transpose(gz, 0, 1), x!) : null,
      b !== undefined && needs[2] ? sum(gz, [0]) : null,
    ];
  },
  batchNorm: (g, { inputs, params, needs }) => {
    const { hasWeight, hasBias, mean, variance, spec } = params;
    const weight = hasWeight ? inputs[1]! : null;
    const [dx, dWeight, dBias] = batchNormGrad(
      g,
      inputs[0]!,
      weight,
      mean,
      variance,
      spec,
      hasWeight && needs[1]!,
      hasBias && needs[hasWeight ? 2 : 1]!,
    );
    return [needs[0] ? dx : null, ...(hasWeight ? [dWeight] : []), ...(hasBias ? [dBias] : [])];
  },
  maxPool2d: (g, { params }) => [maxPool2dGrad(g, params.indices, params.spec)],
  softmaxCrossEntropy: (g, { inputs: [logits, target], params }) => [
    softmaxCrossEntropyGrad(params.probs, target!, g, logits!.shape),
    null,
  ],
};
