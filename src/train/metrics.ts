/**
 * Metrics accumulated over the batches of an epoch (or of an evaluation) and the losses known by name.
 *
 * A metric is a small accumulator: `update(output, target)` per batch (called inside the step's scope
 * under `noGrad`, so it may use tensor ops freely but must keep only numbers), `compute()` for the value
 * over the batches since `reset()`. Its `name` gives the log keys: `accuracy` → `trainAccuracy`,
 * `valAccuracy`.
 *
 * @example
 * const m = accuracy();
 * m.update(tensor([[2, 1], [0, 3]]), tensor([0, 0], { dtype: 'int32' }));
 * m.compute(); // 0.5
 */
import { binaryCrossEntropyWithLogits, crossEntropy, l1Loss, mseLoss } from '../ops/loss.js';
import { argmax } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from './batches.js';
import type { LossFn, LossName, LossSpec } from './types.js';

export interface Metric {
  /** camelCase name; the logs hold `train` + Name and `val` + Name. */
  readonly name: string;
  update(output: Tensor, target: Tensor): void;
  compute(): number;
  reset(): void;
}

/**
 * Classification accuracy, the fraction of samples whose predicted class is the target:
 * - logits [N, C] (or [N, C, d…]) and int32 class indices [N] (or [N, d…]): argmax over axis 1;
 * - logits [N, C] and class probabilities / one-hot [N, C]: argmax of both;
 * - one logit per sample ([N] or [N, 1]) and 0/1 targets: the prediction is logit > 0.
 */
export function accuracy(): Metric {
  let correct = 0;
  let total = 0;
  return {
    name: 'accuracy',
    update(output: Tensor, target: Tensor): void {
      let hits: Tensor;
      if (output.ndim >= 2 && output.shape[1]! > 1) {
        const predicted = argmax(output, 1);
        const expected = target.dtype === 'int32' ? target : argmax(target, 1);
        if (predicted.shape.join() !== expected.shape.join()) {
          throw new RangeError(
            `accuracy: predictions of shape [${predicted.shape.join(', ')}] do not match targets of shape [${target.shape.join(', ')}]`,
          );
        }
        hits = predicted.eq(expected);
      } else {
        const predicted = output.gt(0).reshape([-1]);
        const expected = target.reshape([-1]).cast(predicted.dtype);
        if (predicted.size !== expected.size) {
          throw new RangeError(
            `accuracy: ${predicted.size} binary predictions but ${expected.size} targets (output [${output.shape.join(', ')}], target [${target.shape.join(', ')}])`,
          );
        }
        hits = predicted.eq(expected);
      }
      correct += hits.sum().item();
      total += hits.size;
    },
    compute(): number {
      return total === 0 ? Number.NaN : correct / total;
    },
    reset(): void {
      correct = 0;
      total = 0;
    },
  };
}

/** A metric by name ('accuracy') or the metric itself. */
export type MetricSpec = 'accuracy' | Metric;

export function resolveMetrics(who: string, specs: readonly MetricSpec[]): Metric[] {
  if (!Array.isArray(specs)) {
    throw new TypeError(
      `${who}: metrics must be an array (e.g. ['accuracy'] or []), got ${describeValue(specs)}`,
    );
  }
  const metrics = specs.map((s, i) => {
    if (s === 'accuracy') return accuracy();
    const m = s as Partial<Metric> | null;
    if (
      m !== null &&
      typeof m === 'object' &&
      typeof m.name === 'string' &&
      typeof m.update === 'function' &&
      typeof m.compute === 'function' &&
      typeof m.reset === 'function'
    ) {
      return s as Metric;
    }
    throw new TypeError(
      `${who}: metrics[${i}] must be 'accuracy' or a Metric { name, update, compute, reset }, got ${describeValue(s)}`,
    );
  });
  const names = metrics.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new RangeError(`${who}: two metrics are named '${dup}'`);
  if (names.includes('loss'))
    throw new RangeError(`${who}: a metric cannot be named 'loss' (the loss is always logged)`);
  return metrics;
}

/** `accuracy` → `trainAccuracy` / `valAccuracy`. */
export function metricKey(prefix: 'train' | 'val', name: string): string {
  return prefix + name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The regression losses broadcast their target as PyTorch's do (with a warning there), which turns
 * predictions [N, 1] against targets [N] into an [N, N] loss; by name in `fit`, the shapes must match.
 */
function sameShape(loss: string, output: Tensor, target: Tensor): void {
  if (output.shape.join() !== target.shape.join()) {
    throw new RangeError(
      `loss '${loss}': the model's output has shape [${output.shape.join(', ')}] but the targets have shape [${target.shape.join(', ')}]; reshape one to match (mseLoss and l1Loss called directly broadcast them, as PyTorch does)`,
    );
  }
}

const LOSSES: Record<LossName, LossFn> = {
  crossEntropy: (o, t) => crossEntropy(o, t),
  mse: (o, t) => {
    sameShape('mse', o, t);
    return mseLoss(o, t);
  },
  l1: (o, t) => {
    sameShape('l1', o, t);
    return l1Loss(o, t);
  },
  bceWithLogits: (o, t) => binaryCrossEntropyWithLogits(o, t),
};

export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** The loss function for a spec; `who` names the caller in the error. */
export function resolveLoss(who: string, loss: LossSpec | undefined): LossFn {
  if (typeof loss === 'function') return loss;
  if (typeof loss === 'string' && loss in LOSSES) return LOSSES[loss as LossName];
  if (loss === undefined) {
    throw new TypeError(
      `${who}: options.loss is required: a function (output, target) => scalar Tensor such as crossEntropy, or one of ${LOSS_NAMES.join(', ')}`,
    );
  }
  throw new RangeError(
    `${who}: loss must be a function (output, target) => scalar Tensor or one of ${LOSS_NAMES.join(', ')}, got ${describeValue(loss)}`,
  );
}
