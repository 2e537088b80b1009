/**
 * A batch of class scores and targets read from tensors into numbers, for the classification metrics:
 * logits (or probabilities) [N, C] with C ≥ 2 against class indices (int32 [N]) or one-hot /
 * probability targets [N, C], whose class is their first maximum, as `accuracy()` reads them.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkClassIndex } from './confusion_matrix.js';

export interface ScoreBatch {
  /** Row-major N × C scores. */
  scores: ArrayLike<number>;
  /** N class indices. */
  targets: ArrayLike<number>;
  samples: number;
  numClasses: number;
}

/** The index of the first maximum of row `i` of a row-major matrix with `c` columns. */
export function rowArgmax(values: ArrayLike<number>, i: number, c: number): number {
  let best = 0;
  for (let j = 1; j < c; j++) if (values[i * c + j]! > values[i * c + best]!) best = j;
  return best;
}

/** Reads a batch (see the module comment); `who` names the metric in errors. */
export function readScores(who: string, output: Tensor, target: Tensor): ScoreBatch {
  const shape = `output [${output.shape.join(', ')}], target [${target.shape.join(', ')}]`;
  if (output.ndim !== 2 || output.shape[1]! < 2) {
    throw new RangeError(`${who}: needs class scores of shape [N, C] with C ≥ 2, got ${shape}`);
  }
  const [n, c] = output.shape as [number, number];
  const scores = output.data();
  if (target.dtype === 'int32' && target.ndim === 1 && target.shape[0] === n) {
    return { scores, targets: target.data(), samples: n, numClasses: c };
  }
  if (target.ndim === 2 && target.shape[0] === n && target.shape[1] === c) {
    const t = target.data();
    const targets = Array.from({ length: n }, (_, i) => rowArgmax(t, i, c));
    return { scores, targets, samples: n, numClasses: c };
  }
  throw new RangeError(
    `${who}: targets must be int32 class indices [N] or one-hot / probabilities [N, C], got ${shape} (${target.dtype})`,
  );
}

/** Checks that every target is a class index in [0, C). */
export function checkScores(who: string, s: ScoreBatch): void {
  for (let i = 0; i < s.samples; i++) checkClassIndex(who, 'target', i, s.targets[i]!, s.numClasses);
}
