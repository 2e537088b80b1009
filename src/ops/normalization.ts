/**
 * Batch normalization with batch statistics (training mode) as one op, run by the backend's fused
 * kernels: statistics and normalization in one call forward, and all three gradients in one call
 * backward, where the composed form takes about fifteen elementwise ops and reductions each way.
 */
import { record } from '../autograd/tape.js';
import type { BatchNormSpec } from '../backend/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { contiguous } from './shape_ops.js';
import { empty, requireFloat } from './util.js';

export interface BatchNormResult {
  /** The normalized, scaled and shifted input, shaped like it. */
  output: Tensor;
  /** The batch mean per channel, [C] (no gradient). */
  mean: Tensor;
  /** The biased batch variance per channel, [C] (no gradient); PyTorch's running_var uses n/(n − 1) times it. */
  variance: Tensor;
}

/**
 * y = (x − μ)/√(σ² + ε)·γ + β over x [N, C, ...], with μ and σ² (biased) per channel over every other
 * axis, as torch.nn.functional.batch_norm with training=True. γ (weight) and β (bias) are [C] or
 * null. Returns the output and the batch statistics (for running averages).
 *
 * @example
 * const { output, mean, variance } = batchNormTrain(x, bn.weight, bn.bias, 1e-5);
 */
export function batchNormTrain(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps = 1e-5,
): BatchNormResult {
  requireFloat('batchNorm', x);
  if (x.ndim < 2) {
    throw new RangeError(`batchNorm: input must be at least 2-D (N, C, ...), got ${formatShape(x.shape)}`);
  }
  const channels = x.shape[1]!;
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t !== null && (t.ndim !== 1 || t.shape[0] !== channels)) {
      throw new RangeError(`batchNorm: ${name} must have shape [${channels}], got ${formatShape(t.shape)}`);
    }
  }
  const outer = x.shape[0]!;
  const inner = x.size / Math.max(1, outer * channels);
  const spec: BatchNormSpec = { outer, channels, inner, eps };
  const xc = contiguous(x);
  const output = empty(x.shape, x.dtype, x.backend);
  const mean = empty([channels], x.dtype, x.backend);
  const variance = empty([channels], x.dtype, x.backend);
  const gamma = weight === null ? null : contiguous(weight);
  const beta = bias === null ? null : contiguous(bias);
  x.backend.batchNormForward(
    xc.strided(),
    gamma?.strided() ?? null,
    beta?.strided() ?? null,
    spec,
    output.storage.buffer,
    mean.storage.buffer,
    variance.storage.buffer,
  );
  const inputs = [xc, ...(gamma === null ? [] : [gamma]), ...(beta === null ? [] : [beta])];
  record('batchNorm', inputs, output, {
    spec,
    mean,
    variance,
    hasWeight: gamma !== null,
    hasBias: beta !== null,
  });
  return { output, mean, variance };
}
