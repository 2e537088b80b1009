/**
 * The gradient table: for each primitive, its vector-Jacobian product. Given the upstream gradient
 * g = ∂L/∂output, a rule returns ∂L/∂input for every input (null where an input is not
 * differentiable). Rules are written with the same ops as forward code, so every backend gets them.
 *
 * Conventions at non-differentiable points follow PyTorch: relu'(0) = 0; |x|' = sign(x) (0 at 0);
 * clamp passes the gradient where min ≤ x ≤ max; maximum/minimum split it equally on ties;
 * max-reductions and max-pooling send it to the first maximal element.
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
import { gather, scatterAdd } from '../ops/indexing.js';
import { matmulNd, matrixLayout } from '../ops/linalg.js';
import { sum } from '../ops/reduce.js';
import { cast, embed, expand, permute, reshape, sliceView, split, transpose } from '../ops/shape_ops.js';
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

/** ∂max(a, b)/∂a: 1 where a wins, ½ on ties, 0 where b wins (`wins` = gt for maximum, lt for minimum). */
function winnerMask(wins: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor): Tensor {
  return E.add(wins(a, b), E.mul(E.eq(a, b), 0.5));
}

export const gradRules: { [P in Primitive]: Vjp<P> } = {
  add: (g, { inputs: [a, b] }) => [sumTo(g, a!.shape), sumTo(g, b!.shape)],
  sub: (g, { inputs: [a, b] }) => [sumTo(g, a!.shape), sumTo(E.neg(g), b!.shape)],
  mul: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(E.mul(g, b!), a!.shape) : null,
    needs[1] ? sumTo(E.mul(g, a!), b!.shape) : null,
  ],
  div: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(E.div(g, b!), a!.shape) : null,
    needs[1] ? sumTo(E.neg(E.div(E.mul(g, a!), E.mul(b!, b!))), b!.shape) : null,
  ],
  pow: (g, { inputs: [a, b], output: y, needs }) => [
    // d/da a^b = b·a^(b−1), taken as 0 where b = 0 (PyTorch).
    needs[0] ? sumTo(E.where(E.eq(b!, 0), 0, E.mul(g, E.mul(b!, E.pow(a!, E.sub(b!, 1))))), a!.shape) : null,
    // d/db a^b = a^b·log a, taken as 0 where a = 0 and b ≥ 0 (PyTorch).
    needs[1]
      ? sumTo(E.where(E.mul(E.eq(a!, 0), E.ge(b!, 0)), 0, E.mul(g, E.mul(y, E.log(a!)))), b!.shape)
      : null,
  ],
  maximum: (g, { inputs: [a, b] }) => [
    sumTo(E.mul(g, winnerMask(E.gt, a!, b!)), a!.shape),
    sumTo(E.mul(g, winnerMask(E.gt, b!, a!)), b!.shape),
  ],
  minimum: (g, { inputs: [a, b] }) => [
    sumTo(E.mul(g, winnerMask(E.lt, a!, b!)), a!.shape),
    sumTo(E.mul(g, winnerMask(E.lt, b!, a!)), b!.shape),
  ],
  where: (g, { inputs: [c, a, b] }) => [
    null,
    sumTo(E.where(c!, g, 0), a!.shape),
    sumTo(E.where(c!, 0, g), b!.shape),
  ],

  neg: (g) => [E.neg(g)],
  abs: (g, { inputs: [x] }) => [E.mul(g, E.sign(x!))],
  sign: (g) => [E.mul(g, 0)],
  exp: (g, { output: y }) => [E.mul(g, y)],
  log: (g, { inputs: [x] }) => [E.div(g, x!)],
  sqrt: (g, { output: y }) => [E.div(g, E.mul(y, 2))],
  rsqrt: (g, { output: y }) => [E.mul(g, E.mul(E.mul(E.mul(y, y), y), -0.5))],
  square: (g, { inputs: [x] }) => [E.mul(g, E.mul(x!, 2))],
  // g·y(1 − y), g·(1 − y²) and g·[y > 0] in one kernel (the same float32 operations as the
  // composed form), from the output: relu's output is positive exactly where its input is.
  sigmoid: (g, { output: y }) => [activationGrad(g, y, 'sigmoid')],
  tanh: (g, { output: y }) => [activationGrad(g, y, 'tanh')],
  relu: (g, { output: y }) => [activationGrad(g, y, 'relu')],
  erf: (g, { inputs: [x] }) => [E.mul(g, E.mul(E.exp(E.neg(E.mul(x!, x!))), 2 / Math.sqrt(Math.PI)))],
  leakyRelu: (g, { inputs: [x], params }) => [E.where(E.gt(x!, 0), g, E.mul(g, params.negativeSlope))],
  elu: (g, { inputs: [x], output: y, params }) => [E.where(E.gt(x!, 0), g, E.mul(g, E.add(y, params.alpha)))],
  softplus: (g, { inputs: [x], params }) => {
    const z = E.mul(x!, params.beta);
    return [E.where(E.gt(z, params.threshold), g, E.mul(g, sigmoid(z)))];
  },
  clamp: (g, { inputs: [x], params }) => [E.mul(g, E.mul(E.ge(x!, params.min), E.le(x!, params.max)))],
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

  gather: (g, { inputs: [x, index], params }) => [scatterAdd(g, params.axis, index!, x!.shape), null],
  scatterAdd: (g, { inputs: [, index], params }) => [gather(g, params.axis, index!), null],

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
