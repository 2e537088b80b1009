/**
 * Everything a classifier's evaluation reports beyond accuracy, gathered in one pass: the confusion
 * matrix, per-class precision, recall, F1 and support (per_class.ts, scikit-learn's definitions and
 * zero-division convention) and optionally the top-k accuracy (top_k.ts). It is a `Metric` named
 * `accuracy` (its `compute()` is the accuracy), so `evaluate` runs it in place of `accuracy()` and the
 * loss and every other number come from the same batches; `report()` then gives the rest.
 *
 * @example
 * const m = classificationMetrics({ numClasses: 10, topK: 5 });
 * const { accuracy, loss } = evaluate(model, testSet, { loss: 'crossEntropy', metrics: [m] });
 * const r = m.report(); // r.perClass.precision[3], r.confusionMatrix[3][5], r.topK?.accuracy
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Metric } from '../train/metrics.js';
import { checkOptions } from '../util/options.js';
import { checkNumClasses, emptyConfusionMatrix } from './confusion_matrix.js';
import { type PerClassMetrics, perClassMetrics } from './per_class.js';
import { checkScores, readScores, rowArgmax } from './scores.js';
import { checkK, classRank } from './top_k.js';

export interface ClassificationMetricsOptions {
  /** Number of classes C (the model's outputs must have C columns). */
  numClasses: number;
  /** Also count the top-k accuracy for this k (1 ≤ k ≤ C); default: none. */
  topK?: number;
}

export interface ClassificationReport {
  samples: number;
  numClasses: number;
  accuracy: number;
  /** The top-k accuracy, when `topK` was given. */
  topK: { k: number; accuracy: number } | null;
  /** `confusionMatrix[i][j]`: samples of true class i predicted as j. */
  confusionMatrix: number[][];
  perClass: PerClassMetrics;
}

export interface ClassificationMetrics extends Metric {
  /** Everything counted since the last `reset()`; throws before any sample. */
  report(): ClassificationReport;
}

/** The accumulator described in the module comment. */
export function classificationMetrics(options: ClassificationMetricsOptions): ClassificationMetrics {
  const who = 'classificationMetrics';
  checkOptions(who, options, { numClasses: true, topK: true });
  const { numClasses, topK } = options ?? ({} as ClassificationMetricsOptions);
  checkNumClasses(who, numClasses);
  if (topK !== undefined) checkK(`${who}: topK`, topK, numClasses);
  let matrix = emptyConfusionMatrix(numClasses);
  let samples = 0;
  let topKHits = 0;
  const update = (output: Tensor, target: Tensor): void => {
    const s = readScores(who, output, target);
    if (s.numClasses !== numClasses) {
      throw new RangeError(`${who}: the output has ${s.numClasses} classes, numClasses is ${numClasses}`);
    }
    checkScores(who, s);
    for (let i = 0; i < s.samples; i++) {
      matrix[s.targets[i]!]![rowArgmax(s.scores, i, numClasses)]! += 1;
      if (topK !== undefined && classRank(s.scores, s.targets[i]!, i * numClasses, numClasses) < topK)
        topKHits += 1;
    }
    samples += s.samples;
  };
  const accuracy = () =>
    samples === 0 ? Number.NaN : matrix.reduce((a, row, k) => a + row[k]!, 0) / samples;
  return {
    name: 'accuracy',
    update,
    compute: accuracy,
    reset(): void {
      matrix = emptyConfusionMatrix(numClasses);
      samples = 0;
      topKHits = 0;
    },
    report(): ClassificationReport {
      if (samples === 0) throw new RangeError(`${who}: report() before any sample was counted`);
      return {
        samples,
        numClasses,
        accuracy: accuracy(),
        topK: topK === undefined ? null : { k: topK, accuracy: topKHits / samples },
        confusionMatrix: matrix.map((row) => [...row]),
        perClass: perClassMetrics(matrix),
      };
    },
  };
}
