/**
 * What `descent eval` reports, as one JSON object (`--json`) and as the terminal's lines, with the
 * same names in both: the terminal writes each number after its JSON key (`accuracy 0.9512`,
 * `top5Accuracy 0.9990`) and the per-class table's columns are the JSON's per-class arrays.
 *
 * JSON: `{ split, samples, loss, accuracy, top{k}Accuracy?, classes, precision, recall, f1, support,
 * macro, weighted, confusionMatrix, neverPredicted, absent }`; the per-class arrays are indexed like
 * `classes` (the dataset's class names, or "0", "1", … without names); `confusionMatrix[i][j]` counts
 * samples of class i predicted as j; `neverPredicted` and `absent` name the classes whose precision or
 * recall is 0 by convention (0/0) rather than measured.
 */
import type { ClassificationReport } from '../metrics/classification.js';
import type { PerClassMetrics } from '../metrics/per_class.js';

/** The per-class metrics of the library (metrics/per_class.ts), with classes named instead of numbered. */
export interface EvalRecord extends Omit<PerClassMetrics, 'neverPredicted' | 'absent'> {
  split: string;
  samples: number;
  loss: number;
  accuracy: number;
  /** `top${k}Accuracy`, when a top-k accuracy was measured. */
  [topK: `top${number}Accuracy`]: number;
  classes: string[];
  confusionMatrix: number[][];
  neverPredicted: string[];
  absent: string[];
}

/** The class names of a dataset: its own, or the indices as text. */
export function classNamesOf(names: readonly string[] | undefined, numClasses: number): string[] {
  return names ? [...names] : Array.from({ length: numClasses }, (_, k) => String(k));
}

/** The record of an evaluation (see the module comment). */
export function evalRecord(spec: {
  split: string;
  loss: number;
  report: ClassificationReport;
  classes: readonly string[];
}): EvalRecord {
  const { report: r, classes } = spec;
  const p = r.perClass;
  return {
    split: spec.split,
    samples: r.samples,
    loss: spec.loss,
    accuracy: r.accuracy,
    ...(r.topK ? { [`top${r.topK.k}Accuracy`]: r.topK.accuracy } : {}),
    classes: [...classes],
    precision: p.precision,
    recall: p.recall,
    f1: p.f1,
    support: p.support,
    macro: p.macro,
    weighted: p.weighted,
    confusionMatrix: r.confusionMatrix,
    neverPredicted: p.neverPredicted.map((k) => classes[k]!),
    absent: p.absent.map((k) => classes[k]!),
  };
}

/** The key of the top-k accuracy in a record, if any. */
export function topKKey(record: EvalRecord): `top${number}Accuracy` | undefined {
  return Object.keys(record).find((k) => /^top\d+Accuracy$/.test(k)) as `top${number}Accuracy` | undefined;
}
