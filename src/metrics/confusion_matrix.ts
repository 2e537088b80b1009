/**
 * The confusion matrix of a single-label classification, as scikit-learn's `confusion_matrix(y_true,
 * y_pred, labels=range(C))`: `matrix[i][j]` counts the samples of true class i predicted as class j
 * (rows: true class, columns: predicted class), so row sums are each class's support and column sums
 * how often each class was predicted. Browser-safe: plain numbers, no tensors.
 *
 * @example
 * confusionMatrix({ targets: [2, 0, 2, 2, 0, 1], predictions: [0, 0, 2, 2, 0, 2], numClasses: 3 });
 * // [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
 */
import { checkOptions } from '../util/options.js';

export interface ConfusionMatrixSpec {
  /** The true class of each sample, an integer in [0, numClasses). */
  targets: ArrayLike<number>;
  /** The predicted class of each sample, an integer in [0, numClasses). */
  predictions: ArrayLike<number>;
  /** Number of classes C: the matrix is C × C, classes never seen included. */
  numClasses: number;
}

/** Checks that `numClasses` is a positive integer; `who` names the caller in the message. */
export function checkNumClasses(who: string, numClasses: unknown): asserts numClasses is number {
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`${who}: numClasses must be a positive integer, got ${String(numClasses)}`);
  }
}

/** Checks that `label` (element `index` of `what`) is a class index in [0, numClasses). */
export function checkClassIndex(
  who: string,
  what: string,
  index: number,
  label: number,
  numClasses: number,
): void {
  if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
    throw new RangeError(
      `${who}: ${what}[${index}] is ${label}, not a class index in [0, ${numClasses}) (numClasses ${numClasses})`,
    );
  }
}

/** A C × C matrix of zeros. */
export function emptyConfusionMatrix(numClasses: number): number[][] {
  return Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
}

/** The confusion matrix of `targets` against `predictions` (see the module comment). */
export function confusionMatrix(spec: ConfusionMatrixSpec): number[][] {
  const who = 'confusionMatrix';
  if (spec === null || typeof spec !== 'object')
    throw new TypeError(`${who}: expected { targets, predictions, numClasses }, got ${String(spec)}`);
  checkOptions(who, spec, { targets: true, predictions: true, numClasses: true });
  const { targets, predictions, numClasses } = spec;
  checkNumClasses(who, numClasses);
  if (targets.length !== predictions.length) {
    throw new RangeError(
      `${who}: ${targets.length} targets but ${predictions.length} predictions; give one prediction per target`,
    );
  }
  const matrix = emptyConfusionMatrix(numClasses);
  for (let i = 0; i < targets.length; i++) {
    checkClassIndex(who, 'targets', i, targets[i]!, numClasses);
    checkClassIndex(who, 'predictions', i, predictions[i]!, numClasses);
    matrix[targets[i]!]![predictions[i]!]! += 1;
  }
  return matrix;
}
