/**
 * Batch normalization with batch statistics (training mode) as one op, run by the backend's fused
 * kernels where it has them: statistics and normalization in one call forward, and all three
 * gradients in one call backward, where the composed form (used on a backend without them) takes
 * about fifteen elementwise ops and reductions each way.
 */
import { noGrad, record } from '../autograd/tape.js';
import type { BatchNormSpec } from '../backend/backend.js';
import { hasFused, type WithFused } from '../backend/capabilities.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, rsqrt, sub } from './elementwise.js';
import { mean as meanOf, variance as varianceOf } from './reduce.js';
import { contiguous, reshape } from './shape_ops.js';
import { empty, requireFloat } from './util.js';

export interface BatchNormResult {
  /** The normalized, scaled and shifted input, shaped like it. */
  output: Tensor;
  /** The batch mean per channel, [C] (no gradient). */
  mean: Tensor;
  /** The biased batch variance per channel, [C] (no gradient); PyTorch's running_var uses n/(n − 1) times it. */
  variance: Tensor;
}

/** Running averages that batchNormTrain updates in place, as torch.nn.functional.batch_norm does. */
export interface RunningStats {
  /** [C], updated to momentum·μ + (1 − momentum)·runningMean. */
  mean: Tensor;
  /** [C], updated to momentum·σ²_unbiased + (1 − momentum)·runningVar (σ² with N − 1 in the divisor). */
  variance: Tensor;
  momentum: number;
}

/**
 * y = (x − μ)/√(σ² + ε)·γ + β over x [N, C, ...], with μ and σ² (biased) per channel over every other
 * axis, as torch.nn.functional.batch_norm with training=True. γ (weight) and β (bias) are [C] or
 * null. Returns the output and the batch statistics. With `running`, the same kernel call also
 * updates the running averages in place, from the statistics before rounding (PyTorch's CPU kernel
 * does the same, in double).
 *
 * @example
 * const { output, mean, variance } = batchNormTrain(x, bn.weight, bn.bias, 1e-5);
 */
export function batchNormTrain(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps = 1e-5,
  running: RunningStats | null = null,
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
  if (running !== null) {
    for (const [name, t] of [
      ['running mean', running.mean],
      ['running variance', running.variance],
    ] as const) {
      if (t.ndim !== 1 || t.shape[0] !== channels || !t.isContiguous() || t.dtype !== x.dtype) {
        throw new RangeError(
          `batchNorm: the ${name} must be a contiguous ${x.dtype} tensor of shape [${channels}], got ${t.dtype} ${formatShape(t.shape)}`,
        );
      }
    }
    if (!(running.momentum >= 0 && running.momentum <= 1)) {
      throw new RangeError(`batchNorm: momentum must be in [0, 1], got ${running.momentum}`);
    }
  }
  const outer = x.shape[0]!;
  const inner = x.size / Math.max(1, outer * channels);
  if (running !== null && outer * inner <= 1) {
    // The unbiased variance would divide by M − 1 = 0.
    throw new RangeError(
      `batchNorm: updating running averages needs more than 1 value per channel, got input of shape ${formatShape(x.shape)}`,
    );
  }
  const spec: BatchNormSpec = { outer, channels, inner, eps };
  const gamma = weight === null ? null : contiguous(weight);
  const beta = bias === null ? null : contiguous(bias);
  return hasFused(x.backend, 'batchNorm')
    ? fusedBatchNorm(contiguous(x), gamma, beta, spec, running)
    : composedBatchNorm(x, gamma, beta, spec, running);
}

/** The fused primitive: statistics, normalization and the running averages in one kernel call. */
function fusedBatchNorm(
  xc: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  spec: BatchNormSpec,
  running: RunningStats | null,
): BatchNormResult {
  const backend = xc.backend as WithFused<'batchNorm'>;
  const output = empty(xc.shape, xc.dtype, backend);
  const mean = empty([spec.channels], xc.dtype, backend);
  const variance = empty([spec.channels], xc.dtype, backend);
  backend.batchNormForward({
    x: xc.strided(),
    gamma: gamma?.strided() ?? null,
    beta: beta?.strided() ?? null,
    spec,
    out: output.storage.buffer,
    mean: mean.storage.buffer,
    variance: variance.storage.buffer,
    running:
      running === null
        ? null
        : { mean: running.mean.strided(), variance: running.variance.strided(), momentum: running.momentum },
  });
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

/**
 * Batch norm composed from the core ops, for a backend without the fused kernels: (x − μ)·rsqrt(σ² +
 * ε)·γ + β with autograd differentiating through μ and σ². Each op rounds its own result, so the
 * output agrees with the fused kernel's (statistics rounded once from float64) to rounding only; the
 * running averages are updated in place from the rounded statistics.
 */
function composedBatchNorm(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  spec: BatchNormSpec,
  running: RunningStats | null,
): BatchNormResult {
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  const mu = meanOf(x, axes, true);
  const sigma2 = varianceOf(x, axes, { correction: 0, keepDim: true });
  let output = mul(sub(x, mu), rsqrt(add(sigma2, spec.eps)));
  if (gamma !== null) output = mul(output, reshape(gamma, perChannel));
  if (beta !== null) output = add(output, reshape(beta, perChannel));
  const mean = reshape(mu, [spec.channels]).detach();
  const variance = reshape(sigma2, [spec.channels]).detach();
  if (running !== null) {
    const m = running.momentum;
    const count = spec.outer * spec.inner;
    noGrad(() => {
      running.mean.assign(add(mul(mean, m), mul(running.mean, 1 - m)));
      const unbiased = mul(variance, count / (count - 1));
      running.variance.assign(add(mul(unbiased, m), mul(running.variance, 1 - m)));
    });
  }
  return { output, mean, variance };
}
