/**
 * Per-class precision, recall, F1 and support from a confusion matrix, as scikit-learn's
 * `precision_recall_fscore_support(y_true, y_pred, labels=range(C), average=None)`, with the macro
 * and support-weighted averages over all C classes. PyTorch has none of these built in.
 *
 * For class k, with tp = matrix[k][k], fp = the rest of column k, fn = the rest of row k:
 *   precision = tp / (tp + fp),  recall = tp / (tp + fn),  F1 = 2·tp / (2·tp + fp + fn),
 *   support = tp + fn (the samples whose true class is k).
 *
 * Zero division: a class that is never predicted has no precision (0/0); a class with no samples has
 * no recall. Both are reported as 0, as scikit-learn's default (`zero_division="warn"`, which warns and
 * gives 0) and torchmetrics' `zero_division=0` do, and the classes concerned are listed in
 * `neverPredicted` and `absent` so that a report can state how many zeros are of that kind rather
 * than measured. F1 is 0 whenever tp is 0. The averages include those zeros, as scikit-learn's do.
 *
 * @example
 * perClassMetrics([[2, 0, 0], [1, 0, 1], [0, 2, 0]]).precision; // [2/3, 0, 0]
 */

export interface PerClassMetrics {
  /** precision[k] of class k (0 for a class never predicted; see `neverPredicted`). */
  precision: number[];
  /** recall[k] of class k (0 for a class without samples; see `absent`). */
  recall: number[];
  f1: number[];
  /** Samples whose true class is k. */
  support: number[];
  /** Unweighted means over the classes. */
  macro: AveragedMetrics;
  /** Means weighted by support. */
  weighted: AveragedMetrics;
  /** Classes never predicted: their precision is 0 by convention, not measured. */
  neverPredicted: number[];
  /** Classes with no samples: their recall is 0 by convention, not measured. */
  absent: number[];
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

function checkSquare(matrix: readonly (readonly number[])[]): void {
  const c = matrix.length;
  if (c === 0 || matrix.some((row) => !Array.isArray(row) || row.length !== c)) {
    throw new RangeError(
      `perClassMetrics: the confusion matrix must be square C × C with C ≥ 1, got rows of lengths [${matrix.map((r) => (Array.isArray(r) ? r.length : typeof r)).join(', ')}]`,
    );
  }
}

function average(values: readonly number[], weights: readonly number[] | null): number {
  if (weights === null) return values.reduce((a, v) => a + v, 0) / values.length;
  const total = weights.reduce((a, w) => a + w, 0);
  return ratio(
    values.reduce((a, v, k) => a + v * weights[k]!, 0),
    total,
  );
}

/** Precision, recall, F1 and support of each class, and their averages (see the module comment). */
export function perClassMetrics(matrix: readonly (readonly number[])[]): PerClassMetrics {
  checkSquare(matrix);
  const c = matrix.length;
  const classes = Array.from({ length: c }, (_, k) => k);
  const tp = classes.map((k) => matrix[k]![k]!);
  const predicted = classes.map((k) => matrix.reduce((a, row) => a + row[k]!, 0));
  const support = classes.map((k) => matrix[k]!.reduce((a, v) => a + v, 0));
  const precision = classes.map((k) => ratio(tp[k]!, predicted[k]!));
  const recall = classes.map((k) => ratio(tp[k]!, support[k]!));
  const f1 = classes.map((k) => ratio(2 * tp[k]!, predicted[k]! + support[k]!));
  const averaged = (weights: number[] | null): AveragedMetrics => ({
    precision: average(precision, weights),
    recall: average(recall, weights),
    f1: average(f1, weights),
  });
  return {
    precision,
    recall,
    f1,
    support,
    macro: averaged(null),
    weighted: averaged(support),
    neverPredicted: classes.filter((k) => predicted[k] === 0),
    absent: classes.filter((k) => support[k] === 0),
  };
}
