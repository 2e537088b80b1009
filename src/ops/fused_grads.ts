/**
 * The gradients of the fused primitives (linear and the activations, batchNorm, maxPool2d,
 * softmaxCrossEntropy, the direct conv2d), each one backend kernel call. Used by the gradient table
 * only, so not part of the public API.
 *
 * A fused primitive is recorded only on a backend with its whole capability (capabilities.ts), so its
 * backward kernels are there when its rule runs; the activations are core primitives, so their
 * gradient is composed from core ops where the backend has no activationBackward.
 */
import type { Backend, BatchNormSpec, FusedActivation, WindowSpec } from '../backend/backend.js';
import { type FusedCapability, hasFused, type WithFused } from '../backend/capabilities.js';
import type { Tensor } from '../tensor/tensor.js';
import { le, mul, sub, where } from './elementwise.js';
import { contiguous } from './shape_ops.js';
import { empty } from './util.js';

/** The backend narrowed to `capability`; a fused primitive recorded without it is a bug. */
function fused<C extends FusedCapability>(backend: Backend, capability: C): WithFused<C> {
  if (!hasFused(backend, capability)) {
    throw new Error(
      `internal error: a ${capability} primitive reached backward on the ${backend.name} backend, which lacks its fused kernels`,
    );
  }
  return backend;
}

/**
 * g · act′ from the activation's output y (sigmoid, tanh, relu, and the first step of linear's
 * gradient). Composed, with the kernel's float32 operations in its order (the same bits on the
 * reference backend): relu 0 where y ≤ 0 (a NaN passes, as in PyTorch), sigmoid g·(y·(1 − y)), tanh
 * g·(1 − y·y).
 */
export function activationGrad(g: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  if (activation === 'none') return g;
  const backend = y.backend;
  if (!hasFused(backend, 'activationBackward')) {
    if (activation === 'relu') return where(le(y, 0), 0, g);
    if (activation === 'sigmoid') return mul(g, mul(y, sub(1, y)));
    return mul(g, sub(1, mul(y, y)));
  }
  const out = empty(y.shape, y.dtype, backend);
  backend.activationBackward({
    activation,
    g: contiguous(g).strided(),
    y: contiguous(y).strided(),
    out: out.storage.buffer,
  });
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
  fused(x.backend, 'batchNorm').batchNormBackward({
    g: contiguous(g).strided(),
    x: x.strided(),
    mean: mean.strided(),
    variance: variance.strided(),
    gamma: weight?.strided() ?? null,
    spec,
    dx: dx.storage.buffer,
    dGamma: dGamma?.storage.buffer ?? null,
    dBeta: dBeta?.storage.buffer ?? null,
  });
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
  fused(probs.backend, 'softmaxCrossEntropy').softmaxCrossEntropyBackward({
    probs: probs.strided(),
    target: target.strided(),
    g: contiguous(g).strided(),
    rows,
    classes,
    out: out.storage.buffer,
  });
  return out;
}

/** Max pooling's gradient: g added where each maximum came from. */
export function maxPool2dGrad(g: Tensor, indices: Tensor, spec: WindowSpec): Tensor {
  const out = empty([spec.batch, spec.channels, spec.height, spec.width], g.dtype, g.backend);
  fused(g.backend, 'maxPool2d').maxPool2dBackward({
    g: contiguous(g).strided(),
    indices: indices.strided(),
    spec,
    out: out.storage.buffer,
  });
  return out;
}

/** The direct convolution's input gradient: dx [N, C, H, W] from g [N, O, outH, outW]. */
export function conv2dInputGrad(g: Tensor, weight: Tensor, spec: WindowSpec): Tensor {
  const out = empty([spec.batch, spec.channels, spec.height, spec.width], g.dtype, g.backend);
  if (out.size > 0) {
    fused(g.backend, 'conv2d').conv2dInputGrad({
      g: contiguous(g).strided(),
      weight: weight.strided(),
      spec,
      outChannels: weight.shape[0]!,
      out: out.storage.buffer,
    });
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
    fused(g.backend, 'conv2d').conv2dWeightGrad({
      g: contiguous(g).strided(),
      x: x.strided(),
      spec,
      outChannels: weightShape[0]!,
      out: out.storage.buffer,
    });
  }
  return out;
}
