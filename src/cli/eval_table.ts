/**
 * The terminal form of `descent eval`'s record (eval_record.ts): a summary line whose names are the
 * JSON keys, a per-class table (columns precision, recall, f1, support, as the JSON arrays), the macro
 * and weighted averages, the confusion matrix for up to 20 classes, and a note naming the classes whose
 * precision or recall is 0 by convention rather than measured.
 */
import type { EvalRecord } from './eval_record.js';
import { topKKey } from './eval_record.js';

/** Above this many classes the matrix would not fit a terminal: --json has it. */
const MATRIX_MAX_CLASSES = 20;

const f4 = (v: number) => v.toFixed(4);

/** Left-aligned first column, right-aligned others, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function summaryLine(r: EvalRecord): string {
  const top = topKKey(r);
  const parts = [`accuracy ${f4(r.accuracy)}`, `loss ${f4(r.loss)}`];
  if (top !== undefined) parts.push(`${top} ${f4(r[top])}`);
  return `${r.split}: ${parts.join('  ')}  samples ${r.samples}`;
}

function perClassRows(r: EvalRecord): string[] {
  const rows = [['class', 'precision', 'recall', 'f1', 'support']];
  r.classes.forEach((name, k) => {
    rows.push([name, f4(r.precision[k]!), f4(r.recall[k]!), f4(r.f1[k]!), String(r.support[k])]);
  });
  for (const [name, avg] of [
    ['macro', r.macro],
    ['weighted', r.weighted],
  ] as const) {
    rows.push([name, f4(avg.precision), f4(avg.recall), f4(avg.f1), String(r.samples)]);
  }
  return table(rows);
}

function matrixRows(r: EvalRecord): string[] {
  if (r.classes.length > MATRIX_MAX_CLASSES) {
    return [`confusionMatrix: ${r.classes.length} classes, printed with --json only`];
  }
  const rows = [
    ['true \\ predicted', ...r.classes],
    ...r.confusionMatrix.map((row, i) => [r.classes[i]!, ...row.map(String)]),
  ];
  return ['confusionMatrix (rows: true class, columns: predicted class)', ...table(rows)];
}

function zeroNotes(r: EvalRecord): string[] {
  const notes: string[] = [];
  if (r.neverPredicted.length > 0)
    notes.push(
      `neverPredicted: ${r.neverPredicted.join(', ')} (${r.neverPredicted.length} class${r.neverPredicted.length === 1 ? '' : 'es'} never predicted: precision 0 by convention)`,
    );
  if (r.absent.length > 0)
    notes.push(
      `absent: ${r.absent.join(', ')} (${r.absent.length} class${r.absent.length === 1 ? '' : 'es'} without samples in this split: recall 0 by convention)`,
    );
  return notes;
}

/** The terminal lines for a record (see the module comment). */
export function evalLines(r: EvalRecord): string[] {
  return [summaryLine(r), '', ...perClassRows(r), '', ...matrixRows(r), ...zeroNotes(r)];
}
