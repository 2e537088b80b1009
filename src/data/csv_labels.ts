/**
 * The label column of a CSV file, encoded as class indices (rules in `csv.ts`'s module comment). Every
 * refusal names the source, the line and the column: a fractional, non-finite or out-of-range label,
 * more than 10,000 classes, a label missing from the given class names.
 */
import { FormatError } from '../io/format_error.js';
import { labelProblem, MAX_CLASSES, readDecimal } from './value_checks.js';

/** One label as written (trimmed, unquoted) and the line it is on. */
export interface LabelCell {
  text: string;
  line: number;
}

interface EncodeLabelsSpec {
  /** How messages name the label column (`'species'` or `3`). */
  column: string;
  source: string;
  /** Labels must be below it. */
  numClasses?: number;
  /** Encode against these names (see `CsvOptions.classNames`). */
  classNames?: readonly string[];
}

interface EncodedLabels {
  labels: Int32Array;
  classNames?: string[];
}

export function encodeCsvLabels(cells: readonly LabelCell[], spec: EncodeLabelsSpec): EncodedLabels {
  const fail = (cell: LabelCell, problem: string) =>
    new FormatError(
      spec.source,
      `${spec.source}: line ${cell.line}, label column ${spec.column}: ${problem}`,
    );
  const encoded = encode(cells, spec, fail);
  // Class names are numbered before numClasses is known to be enough for them.
  if (spec.numClasses !== undefined && encoded.classNames !== undefined) {
    const over = encoded.labels.findIndex((y) => y >= spec.numClasses!);
    if (over >= 0) {
      throw fail(
        cells[over]!,
        `${JSON.stringify(cells[over]!.text)} is class ${encoded.labels[over]} of the names ${encoded.classNames.slice(0, 20).join(', ')}, beyond numClasses = ${spec.numClasses}`,
      );
    }
  }
  return encoded;
}

function encode(
  cells: readonly LabelCell[],
  spec: EncodeLabelsSpec,
  fail: (cell: LabelCell, problem: string) => FormatError,
): EncodedLabels {
  if (spec.classNames !== undefined) return encodeAgainst(cells, spec.classNames, fail);
  const numbers = cells.map((cell) => readDecimal(cell.text));
  cells.forEach((cell, i) => {
    const read = numbers[i]!;
    // A label that is a number but not a finite one is an error, never a class named "NaN".
    if ('problem' in read && read.kind === 'nonFinite') throw fail(cell, read.problem);
  });
  if (!numbers.every((read) => 'value' in read)) return encodeNames(cells, fail);
  const values = numbers.map((read) => (read as { value: number }).value);
  const fractional = values.findIndex((v) => !Number.isInteger(v));
  if (fractional >= 0) {
    throw fail(
      cells[fractional]!,
      `${cells[fractional]!.text} is not an integer: labels are class indices (or class names), and a fractional value looks like a regression target, which the classifiers cannot learn`,
    );
  }
  if (values.some((v) => v < 0)) return encodeNames(cells, fail);
  const labels = new Int32Array(values.length);
  values.forEach((v, i) => {
    const problem = labelProblem(v, spec.numClasses);
    if (problem !== null) throw fail(cells[i]!, problem);
    labels[i] = v;
  });
  return { labels };
}

/** The key of a class name: numbers by value (`1.0` and `1` are one class), anything else as written. */
function nameKey(text: string): string {
  const read = readDecimal(text);
  return 'value' in read ? String(read.value) : text;
}

/** Class names in sorted order: numerically when every label is a number, else by code units. */
function encodeNames(
  cells: readonly LabelCell[],
  fail: (cell: LabelCell, problem: string) => FormatError,
): EncodedLabels {
  const keys = cells.map((cell) => nameKey(cell.text));
  const numeric = cells.every((cell) => 'value' in readDecimal(cell.text));
  const unique = [...new Set(keys)];
  if (unique.length > MAX_CLASSES) {
    const at = cells[keys.indexOf(unique[MAX_CLASSES]!)]!;
    throw fail(
      at,
      `${JSON.stringify(at.text)} makes more than ${MAX_CLASSES.toLocaleString('en-US')} distinct labels, the most classes accepted: is this the label column?`,
    );
  }
  unique.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(unique.map((name, i) => [name, i]));
  return { labels: Int32Array.from(keys, (key) => index.get(key)!), classNames: unique };
}

function encodeAgainst(
  cells: readonly LabelCell[],
  classNames: readonly string[],
  fail: (cell: LabelCell, problem: string) => FormatError,
): EncodedLabels {
  const index = new Map(classNames.map((name, i) => [nameKey(name), i]));
  const labels = new Int32Array(cells.length);
  cells.forEach((cell, i) => {
    const k = index.get(nameKey(cell.text));
    if (k === undefined) {
      const shown = classNames.slice(0, 20).join(', ') + (classNames.length > 20 ? ', …' : '');
      throw fail(
        cell,
        `${JSON.stringify(cell.text)} is not one of the ${classNames.length} classes of the training data (${shown})`,
      );
    }
    labels[i] = k;
  });
  return { labels, classNames: [...classNames] };
}
