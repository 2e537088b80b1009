/** Classification metrics beyond accuracy (browser-safe): confusion matrix, per-class precision / recall / F1, top-k accuracy. */
export {
  type ClassificationMetrics,
  type ClassificationMetricsOptions,
  type ClassificationReport,
  classificationMetrics,
} from './classification.js';
export { type ConfusionMatrixSpec, confusionMatrix } from './confusion_matrix.js';
export { type AveragedMetrics, type PerClassMetrics, perClassMetrics } from './per_class.js';
export { type TopKAccuracySpec, topKAccuracy, topKAccuracyMetric } from './top_k.js';
