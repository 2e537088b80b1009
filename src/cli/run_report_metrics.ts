/**
 * The run report's classification section (issue #17): on the test split, a per-class table
 * (precision, recall, F1, support, then the macro and weighted averages), the top-k accuracy, notes
 * on classes whose precision is 0 because they were never predicted or whose recall is 0 because the
 * test split has none of their samples (as `descent eval` prints them), and the confusion matrix as a
 * heatmap (rows: true class, columns: predicted; each cell coloured by its share of its row, so a
 * rare class reads as clearly as a common one, and labelled with its count).
 */
import type { TensorDataset } from '../data/dataset.js';
import { type ClassificationReport, classificationMetrics } from '../metrics/classification.js';
import type { Module } from '../nn/module.js';
import type { Lang, ReportSection } from '../report/html.js';
import { renderSvg } from '../report/render.js';
import { evaluate } from '../train/trainer.js';
import { classNamesOf } from './eval_record.js';

/** What the section shows: the report of the test split and the class names. */
export interface RunClassification {
  report: ClassificationReport;
  classes: string[];
}

/** Above this many classes the matrix's cells would be too small to read: the table alone is shown. */
const MATRIX_MAX_CLASSES = 30;

const T = {
  en: {
    perClass: 'Per-class metrics (test split)',
    matrix: 'Confusion matrix (test split)',
    head: ['class', 'precision', 'recall', 'f1', 'support'],
    macro: 'macro average',
    weighted: 'weighted average',
    topK: (k: number, v: string) => `Top-${k} accuracy: ${v}.`,
    never: (n: number, names: string) =>
      `${n} class${n === 1 ? ' was' : 'es were'} never predicted (${names}): ${n === 1 ? 'its' : 'their'} precision is 0 by convention (0/0), not measured.`,
    absent: (n: number, names: string) =>
      `${n} class${n === 1 ? ' has' : 'es have'} no samples in the test split (${names}): ${n === 1 ? 'its' : 'their'} recall is 0 by convention (0/0), not measured.`,
    trueClass: 'true class',
    predicted: 'predicted class',
    share: 'share of row',
  },
  zh: {
    perClass: '各类别指标（测试集）',
    matrix: '混淆矩阵（测试集）',
    head: ['类别', '精确率', '召回率', 'F1', '样本数'],
    macro: '宏平均',
    weighted: '加权平均',
    topK: (k: number, v: string) => `Top-${k} 准确率：${v}。`,
    never: (n: number, names: string) =>
      `${n} 个类别从未被预测（${names}）：其精确率按惯例记为 0（0/0），并非实测。`,
    absent: (n: number, names: string) =>
      `${n} 个类别在测试集中没有样本（${names}）：其召回率按惯例记为 0（0/0），并非实测。`,
    trueClass: '真实类别',
    predicted: '预测类别',
    share: '占该行比例',
  },
} as const;

const r4 = (v: number) => v.toFixed(4);

/** The classification report of `model` on `test` (top-5 accuracy with more than 5 classes). */
export function runClassification(model: Module, test: TensorDataset): RunClassification {
  const numClasses = test.numClasses;
  const metrics = classificationMetrics({ numClasses, ...(numClasses > 5 ? { topK: 5 } : {}) });
  evaluate(model, test, { loss: 'crossEntropy', batchSize: 256, metrics: [metrics] });
  return { report: metrics.report(), classes: classNamesOf(test.classNames, numClasses) };
}

function perClassTable(c: RunClassification, lang: Lang): NonNullable<ReportSection['table']> {
  const t = T[lang];
  const p = c.report.perClass;
  const rows: (string | number)[][] = c.classes.map((name, k) => [
    name,
    r4(p.precision[k]!),
    r4(p.recall[k]!),
    r4(p.f1[k]!),
    p.support[k]!,
  ]);
  for (const [name, avg] of [
    [t.macro, p.macro],
    [t.weighted, p.weighted],
  ] as const)
    rows.push([name, r4(avg.precision), r4(avg.recall), r4(avg.f1), c.report.samples]);
  return { header: [...t.head], rows };
}

function notes(c: RunClassification, lang: Lang): string[] {
  const t = T[lang];
  const out: string[] = [];
  if (c.report.topK) out.push(t.topK(c.report.topK.k, r4(c.report.topK.accuracy)));
  const names = (ks: number[]) => ks.map((k) => c.classes[k]).join(', ');
  const { neverPredicted, absent } = c.report.perClass;
  if (neverPredicted.length > 0) out.push(t.never(neverPredicted.length, names(neverPredicted)));
  if (absent.length > 0) out.push(t.absent(absent.length, names(absent)));
  return out;
}

/** The confusion matrix as a Vega-Lite heatmap (see the module comment). */
export function confusionMatrixSpec(c: RunClassification, lang: Lang) {
  const t = T[lang];
  const m = c.report.confusionMatrix;
  const values = m.flatMap((row, i) => {
    const total = row.reduce((a, v) => a + v, 0);
    return row.map((count, j) => ({
      actual: c.classes[i]!,
      predicted: c.classes[j]!,
      count,
      share: total === 0 ? 0 : count / total,
    }));
  });
  const side = Math.max(160, 28 * c.classes.length);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json' as const,
    title: t.matrix,
    width: side,
    height: side,
    data: { values },
    encoding: {
      x: {
        field: 'predicted',
        type: 'ordinal' as const,
        sort: c.classes,
        title: t.predicted,
        // Names longer than a digit or two would overlap side by side.
        axis: { labelAngle: Math.max(...c.classes.map((n) => n.length)) > 3 ? -45 : 0 },
      },
      y: { field: 'actual', type: 'ordinal' as const, sort: c.classes, title: t.trueClass },
    },
    layer: [
      {
        mark: 'rect' as const,
        encoding: {
          color: {
            field: 'share',
            type: 'quantitative' as const,
            scale: { scheme: 'blues', domain: [0, 1] },
            title: t.share,
          },
        },
      },
      {
        mark: { type: 'text' as const, fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' as const },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** The report sections in one language: the per-class table with its notes, then the matrix. */
export async function classificationSections(c: RunClassification, lang: Lang): Promise<ReportSection[]> {
  const t = T[lang];
  const figure =
    c.classes.length <= MATRIX_MAX_CLASSES ? [await renderSvg(confusionMatrixSpec(c, lang))] : [];
  return [
    { title: t.perClass, text: notes(c, lang), table: perClassTable(c, lang) },
    ...(figure.length > 0 ? [{ title: t.matrix, figures: figure }] : []),
  ];
}
