/**
 * The gradients of the fused primitives (linear and the activations, batchNorm, maxPool2d,
 * softmaxCrossEntropy, the direct conv2d), each one backend kernel call. Used by the gradient table only, so not part of
 * the public API.
 */
import type { BatchNormSpec, FusedActivation, WindowSpec } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { contiguous } from './shape_ops.js';
import { empty } from './util.js';

/** g · act′ from the activation's output y (sigmoid, tanh, relu, and the first step of linear's gradient). */
export function activationGrad(g: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  if (activation === 'none') return g;
  const gc = contiguous(g);
  const out = empty(y.shape, y.dtype, y.backend);
  y.backend.activationBackward(activation, gc.strided(), contiguous(y).strided(), out.storage.buffer);
  return out;
}

/** The gradients of batchNormTrain for upstream g: dx, and dγ, dβ where wanted (else null). */
export function batchNormGrad(
  g: Tensor,
  x: Tensor,
  weight: Tensor | null,
  mean: Tensor,
  variance: Tensor,
  spec: BatchNormSpec,
  wantWeight: boolean,
  wantBias: boolean,
): [Tensor, Tensor | null, Tensor | null] {
  const dx = empty(x.shape, x.dtype, x.backend);
  const dGamma = wantWeight ? empty([spec.channels], x.dtype, x.backend) : null;
  const dBeta = wantBias ? empty([spec.channels], x.dtype, x.backend) : null;
  x.backend.batchNormBackward(
    contiguous(g).strided(),
    x.strided(),
    mean.strided(),
    variance.strided(),
    weight?.strided() ?? null,
    spec,
    dx.storage.buffer,
    dGamma?.storage.buffer ?? null,
    dBeta?.storage.buffer ?? null,
  );
  return [dx, dGamma, dBeta];
}

/** The softmax-cross-entropy rows' gradient: g[r]·(p[r] − onehot(target[r])). */
export function softmaxCrossEntropyGrad(
  probs: Tensor,
  target: Tensor,
  g: Tensor,
  shape: readonly number[],
): Tensor {
  const [rows, classes] = shape as [number, number];
  const out = empty([rows, classes], probs.dtype, probs.backend);
  probs.backend.softmaxCrossEntropyBackward(
    probs.strided(),
    target.strided(),
    contiguous(g).strided(),
    rows,
    classes,
    out.storage.buffer,
  );
  return out;
}

/** Max pooling's gradient: g added where each maximum came from. */
export function maxPool2dGrad(g: Tensor, indices: Tensor, spec: WindowSpec): Tensor {
  const out = empty([spec.batch, spec.channels, spec.height, spec.width], g.dtype, g.backend);
  g.backend.maxPool2dBackward(contiguous(g).strided(), indices.strided(), spec, out.storage.buffer);
  return out;
}

/** The direct convolution's input gradient: dx [N, C, H, W] from g [N, O, outH, outW]. */
export function conv2dInputGrad(g: Tensor, weight: Tensor, spec: WindowSpec): Tensor {
  const out = empty([spec.batch, spec.channels, spec.height, spec.width], g.dtype, g.backend);
  if (out.size > 0) {
    g.backend.conv2dInputGrad(
      contiguous(g).strided(),
      weight.strided(),
      spec,
      weight.shape[0]!,
      out.storage.buffer,
    );
  }
  return out;
}

/** The direct convolution's weight gradient, shaped like the weight [O, C, kh, kw]. */
export function conv2dWeightGrad(
  g: Tensor,
  x: Tensor,
  weightShape: readonly number[],
  spec: WindowSpec,
): Tensor {
  const out = empty(weightShape, g.dtype, g.backend);
  if (out.size > 0) {
    g.backend.conv2dWeightGrad(
      contiguous(g).strided(),
      x.strided(),
      spec,
      weightShape[0]!,
      out.storage.buffer,
    );
  }
  return out;
}
