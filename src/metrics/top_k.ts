/**
 * Top-k accuracy: the fraction of samples whose true class is among the k highest-scoring classes
 * (scikit-learn's `top_k_accuracy_score`, torchmetrics' `Accuracy(top_k=k)`).
 *
 * Ties: a class ranks below every class with a higher score and below every class with an equal score
 * and a lower index, the order `argmax` uses (it returns the first maximum). So the top-1 accuracy is
 * exactly `accuracy()`, and a row of equal scores puts only its first k classes in its top k.
 * scikit-learn breaks ties by a stable sort reversed (the higher index first) and may differ from this
 * on exact ties, which trained networks' float scores almost never have.
 *
 * @example
 * topKAccuracy({ scores: [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]], targets: [0, 1, 2, 2], k: 2 });
 * // 0.75
 */
import { noGrad } from '../autograd/tape.js';
import { withBackend } from '../backend/registry.js';
import { hostCheck } from '../capture/host_effects.js';
import { gatherInRange } from '../ops/indexing.js';
import { argmax } from '../ops/reduce.js';
import { arange } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { countOf, DeviceHitRate, type Metric } from '../train/metrics.js';
import { checkOptions } from '../util/options.js';
import { checkClassIndex } from './confusion_matrix.js';

/** The rank of class `target` in `row` (0 = the predicted class), by the tie rule of the module comment. */
export function classRank(
  row: ArrayLike<number>,
  target: number,
  offset = 0,
  numClasses = row.length,
): number {
  const own = row[offset + target]!;
  let rank = 0;
  for (let j = 0; j < numClasses; j++) {
    const v = row[offset + j]!;
    if (v > own || (v === own && j < target)) rank += 1;
  }
  return rank;
}

/** Checks that k is an integer from 1 to the number of classes. */
export function checkK(who: string, k: unknown, numClasses: number): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > numClasses) {
    throw new RangeError(
      `${who}: k must be an integer from 1 to the number of classes (${numClasses}), got ${String(k)}`,
    );
  }
}

export interface TopKAccuracySpec {
  /** One row of C class scores (logits or probabilities) per sample. */
  scores: readonly (readonly number[])[];
  /** The true class of each sample. */
  targets: ArrayLike<number>;
  /** How many of the highest-scoring classes count as a hit. */
  k: number;
}

/** Top-k accuracy of score rows against class indices (see the module comment). */
export function topKAccuracy(spec: TopKAccuracySpec): number {
  const who = 'topKAccuracy';
  if (spec === null || typeof spec !== 'object')
    throw new TypeError(`${who}: expected { scores, targets, k }, got ${String(spec)}`);
  checkOptions(who, spec, { scores: true, targets: true, k: true });
  const { scores, targets, k } = spec;
  if (scores.length !== targets.length || scores.length === 0) {
    throw new RangeError(
      `${who}: ${scores.length} score rows and ${targets.length} targets; give one row per target, at least one`,
    );
  }
  const c = scores[0]!.length;
  checkK(who, k, c);
  let hits = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]!.length !== c)
      throw new RangeError(`${who}: scores[${i}] has ${scores[i]!.length} classes, scores[0] has ${c}`);
    checkClassIndex(who, 'targets', i, targets[i]!, c);
    if (classRank(scores[i]!, targets[i]!) < k) hits += 1;
  }
  return hits / scores.length;
}

/**
 * Top-k accuracy as a metric for `fit` and `evaluate`, named `top{k}Accuracy` (logged as
 * `trainTop5Accuracy`, `valTop5Accuracy`): logits [N, C] against class indices [N] or one-hot /
 * probability targets [N, C].
 *
 * It counts on the device, without reading a value per batch (`classRank` as tensor ops: the classes
 * scoring above the target's, plus those scoring equal at a lower index), into an int32 count that
 * `compute()` reads (`computeAsync()` on a backend that reads only asynchronously). Class indices are
 * checked through `hostCheck`, as crossEntropy's are.
 *
 * @example
 * fit(model, data, { loss: 'crossEntropy', metrics: ['accuracy', topKAccuracyMetric(5)] });
 */
export function topKAccuracyMetric(k: number): Metric {
  const name = `top${k}Accuracy`;
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`topKAccuracyMetric: k must be a positive integer, got ${k}`);
  const rate = new DeviceHitRate();
  return {
    name,
    update(output: Tensor, target: Tensor): void {
      const classes = targetClasses(name, output, target);
      checkK(name, k, output.shape[1]!);
      rate.add(
        noGrad(() => topKHits(output, classes, k)),
        classes.size,
      );
    },
    compute: () => rate.value(),
    computeAsync: () => rate.valueAsync(),
    reset: () => rate.reset(),
  };
}

/** The targets as class indices [N] (argmax of one-hot / probability rows), shapes checked, values through hostCheck. */
function targetClasses(who: string, output: Tensor, target: Tensor): Tensor {
  const shape = `output [${output.shape.join(', ')}], target [${target.shape.join(', ')}]`;
  if (output.ndim !== 2 || output.shape[1]! < 2) {
    throw new RangeError(`${who}: needs class scores of shape [N, C] with C ≥ 2, got ${shape}`);
  }
  const [n, c] = output.shape as [number, number];
  if (target.dtype === 'int32' && target.ndim === 1 && target.shape[0] === n) {
    hostCheck({
      reads: [target],
      check: ([t]) => {
        for (let i = 0; i < n; i++) checkClassIndex(who, 'target', i, t![i]!, c);
      },
    });
    return target;
  }
  if (target.ndim === 2 && target.shape[0] === n && target.shape[1] === c) return argmax(target, 1);
  throw new RangeError(
    `${who}: targets must be int32 class indices [N] or one-hot / probabilities [N, C], got ${shape} (${target.dtype})`,
  );
}

/** Σ over rows of [classRank(row, target) < k], as an int32 scalar (see `classRank`). */
function topKHits(scores: Tensor, classes: Tensor, k: number): Tensor {
  const [n, c] = scores.shape as [number, number];
  const column = classes.reshape([n, 1]);
  const own = gatherInRange(scores, 1, column); // the indices were checked (targetClasses)
  const index = withBackend(scores.backend, () => arange(0, c, 1, { dtype: 'int32' }));
  const lowerIndex = index.reshape([1, c]).lt(column);
  const above = scores.gt(own).add(scores.eq(own).mul(lowerIndex.cast(scores.dtype)));
  return countOf(above.sum(1).lt(k));
}
