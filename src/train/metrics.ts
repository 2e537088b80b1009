/**
 * Metrics accumulated over the batches of an epoch (or of an evaluation) and the losses known by name.
 *
 * A metric is a small accumulator: `update(output, target)` per batch (called inside the step's scope
 * under `noGrad`), `compute()` for the value over the batches since `reset()`. Its `name` gives the
 * log keys: `accuracy` → `trainAccuracy`, `valAccuracy`.
 *
 * `update` should not read the device: the trainer reads only at epoch ends and every `logEvery`
 * steps, so that a GPU runs ahead and a captured step replays without stalls. Keep the running totals
 * in tensors (as `accuracy` does: its count of hits is an int32 tensor that each batch adds to) and
 * read them in `compute()`; `computeAsync()`, when present, is what `fitAsync` and `evaluateAsync`
 * call (a metric without it must then compute without a synchronous read).
 *
 * @example
 * const m = accuracy();
 * m.update(tensor([[2, 1], [0, 3]]), tensor([0, 0], { dtype: 'int32' }));
 * m.compute(); // 0.5
 */
import { binaryCrossEntropyWithLogits, crossEntropy, l1Loss, mseLoss } from '../ops/loss.js';
import { argmax } from '../ops/reduce.js';
import { empty } from '../ops/util.js';
import { keepStorage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from './batches.js';
import type { Read } from './reads.js';
import type { LossFn, LossName, LossSpec } from './types.js';

export interface Metric {
  /** camelCase name; the logs hold `train` + Name and `val` + Name. */
  readonly name: string;
  update(output: Tensor, target: Tensor): void;
  /** The value over the batches since `reset()`, read synchronously. */
  compute(): number;
  /** `compute()` through async reads (used by `fitAsync` and `evaluateAsync` when present). */
  computeAsync?(): Promise<number>;
  reset(): void;
}

/** A metric's value as a trainer read: `compute()` for `fit`, `computeAsync()` (if any) for `fitAsync`. */
export function metricValue(m: Metric): Read<number> {
  return {
    sync: () => m.compute(),
    async: () => (m.computeAsync ? m.computeAsync() : Promise.resolve(m.compute())),
  };
}

/**
 * Classification accuracy, the fraction of samples whose predicted class is the target:
 * - logits [N, C] (or [N, C, d…]) and int32 class indices [N] (or [N, d…]): argmax over axis 1;
 * - logits [N, C] and class probabilities / one-hot [N, C]: argmax of both;
 * - one logit per sample ([N] or [N, 1]) and 0/1 targets: the prediction is logit > 0.
 */
export function accuracy(): Metric {
  const rate = new DeviceHitRate();
  return {
    name: 'accuracy',
    update(output: Tensor, target: Tensor): void {
      const hits = hitsOf(output, target);
      rate.add(countOf(hits), hits.size);
    },
    compute: () => rate.value(),
    computeAsync: () => rate.valueAsync(),
    reset: () => rate.reset(),
  };
}

/**
 * @internal A fraction of hits counted on the device, for the metrics that count (accuracy, top-k):
 * the count so far is an int32 scalar (exact however many samples) added to per batch without a
 * read, released by `reset()`; the total needs no read (it is a count of elements). NaN before any
 * sample, as an empty mean.
 */
export class DeviceHitRate {
  private hits: Tensor | null = null;
  private total = 0;

  /** Adds a batch: `count` (an int32 scalar on the device) hits out of `samples`. */
  add(count: Tensor, samples: number): void {
    if (this.hits === null || this.hits.backend !== count.backend) {
      this.hits?.dispose();
      this.hits = count.clone();
      keepStorage(this.hits.storage);
    } else {
      this.hits.assign(this.hits.add(count));
    }
    this.total += samples;
  }

  value(): number {
    return this.hits === null || this.total === 0 ? Number.NaN : this.hits.item() / this.total;
  }

  async valueAsync(): Promise<number> {
    return this.hits === null || this.total === 0 ? Number.NaN : (await this.hits.itemAsync()) / this.total;
  }

  reset(): void {
    this.hits?.dispose();
    this.hits = null;
    this.total = 0;
  }
}

/**
 * @internal The number of ones in a tensor of 0/1 as an int32 scalar, on the device. Converted by
 * the backend's copy, not `cast`: `cast` to int32 checks the values on the host (a read), and a sum of
 * 0/1 is an exact small integer, nothing to check (float32 holds every count up to 2²⁴ exactly, far
 * above a batch).
 */
export function countOf(ones: Tensor): Tensor {
  const sum = ones.sum();
  if (sum.dtype === 'int32') return sum;
  const out = empty([], 'int32', sum.backend);
  sum.backend.copy(sum.strided(), out.strided());
  return out;
}

/** 1 per correct prediction (see `accuracy`), checking that predictions and targets match in shape. */
function hitsOf(output: Tensor, target: Tensor): Tensor {
  if (output.ndim >= 2 && output.shape[1]! > 1) {
    const predicted = argmax(output, 1);
    const expected = target.dtype === 'int32' ? target : argmax(target, 1);
    if (predicted.shape.join() !== expected.shape.join()) {
      throw new RangeError(
        `accuracy: predictions of shape [${predicted.shape.join(', ')}] do not match targets of shape [${target.shape.join(', ')}]`,
      );
    }
    return predicted.eq(expected);
  }
  const predicted = output.gt(0).reshape([-1]);
  const expected = target.reshape([-1]).cast(predicted.dtype);
  if (predicted.size !== expected.size) {
    throw new RangeError(
      `accuracy: ${predicted.size} binary predictions but ${expected.size} targets (output [${output.shape.join(', ')}], target [${target.shape.join(', ')}])`,
    );
  }
  return predicted.eq(expected);
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
