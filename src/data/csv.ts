/**
 * Labelled numeric data from CSV text: one sample per line, numeric feature columns and one label
 * column. Browser-safe; `loadCsv(path)` in `descent/node` reads the file.
 *
 * - Header: `header: true | false | 'auto'` (default 'auto': the first line is a header when one of its
 *   fields is not a number in a column where the second line has a number).
 * - Label column: `label` is a column name (needs a header) or a 0-based index (negative counts from the
 *   end, as in Python). Default: the first header column named label, target, class or y (any case),
 *   else the last column.
 * - Features: decimal numbers as Python's `float()` and NumPy's `loadtxt` read them (`3`, `-0.5`, `.5`,
 *   `1.2e-3`), finite, with |x| ≤ 1e15; `0x10`, `1_000`, blank cells, `nan`, `inf`, `Infinity` and `1e400`
 *   are refused (see `value_checks.ts` for why).
 * - Labels: non-negative integers are class indices as they are (at most 10,000 classes). Labels that
 *   are not all numbers (strings such as "setosa") are class names in sorted order (by code units), as
 *   are integer labels when some are negative (-1/1, in numeric order); names are kept in `classNames`.
 *   A fractional label (a regression target, not a class), `nan` or `inf` is refused. With
 *   `options.classNames`, labels are encoded against those names (a test file against its training file).
 * - Text: read by csv-parse (`csv_rows.ts`): fields are trimmed and may be double-quoted ("" is a quote
 *   inside quotes; a quoted field may span lines); a byte-order mark, \n, \r\n and \r line ends (mixed too)
 *   are accepted; blank lines are skipped.
 * - Delimiter: `delimiter` is one character, or 'auto' (the default): tab, semicolon or comma, whichever
 *   splits the first 20 lines into the same number of fields (see `detectDelimiter`).
 *
 * Errors about the text are `FormatError`s naming the source, the line (counted from 1) and the column:
 * a wrong number of fields, an empty, non-numeric, non-finite or too large feature, a bad label, an
 * unknown label column, no data. Misused options (a bad delimiter) are `RangeError`s.
 *
 * @example
 * const ds = parseCsv('x1,x2,label\n0.5,1.5,0\n2,3,1\n'); // 2 × [2], labels 0 and 1
 */
import { FormatError } from '../io/format_error.js';
import { checkOptions } from '../util/options.js';
import { encodeCsvLabels, type LabelCell } from './csv_labels.js';
import { type CsvRow, readCsvRows } from './csv_rows.js';
import { TensorDataset } from './dataset.js';
import { FEATURE_ACCEPTED, featureProblem, looksNumeric, readDecimal } from './value_checks.js';

export interface CsvOptions {
  /** The label column: a header name or a 0-based index (negative from the end). See the module comment. */
  label?: string | number;
  /** Whether the first line is a header (default 'auto'). */
  header?: boolean | 'auto';
  /** Field separator: one character, or 'auto' (default: tab, semicolon or comma, detected). */
  delimiter?: string;
  /** Shape of one sample (default [number of feature columns]). */
  sampleShape?: readonly number[];
  /** Number of classes (default: largest label + 1, or the number of class names); labels must be below it. */
  numClasses?: number;
  /**
   * Encode the labels against these class names (class k is `classNames[k]`) instead of deriving them:
   * for a test file read after its training file. A label that is not one of them is an error.
   */
  classNames?: readonly string[];
}

const LABEL_NAMES = ['label', 'target', 'class', 'y'];

/** Parses CSV text into a dataset; `source` (a file name) goes into error messages. */
export function parseCsv(text: string, options: CsvOptions = {}, source = 'CSV data'): TensorDataset {
  checkOptions('parseCsv', options, {
    label: true,
    header: true,
    delimiter: true,
    sampleShape: true,
    numClasses: true,
    classNames: true,
  });
  const delimiter = options.delimiter ?? 'auto';
  if (delimiter !== 'auto' && (delimiter.length !== 1 || '"\n\r'.includes(delimiter))) {
    throw new RangeError(
      `parseCsv: delimiter must be 'auto' or one character other than a quote or line end, got ${JSON.stringify(delimiter)}`,
    );
  }
  const header = options.header ?? 'auto';
  if (header !== true && header !== false && header !== 'auto') {
    throw new RangeError(`parseCsv: header must be true, false or 'auto', got ${JSON.stringify(header)}`);
  }
  const rows = readCsvRows(text, delimiter, source);
  const hasHeader =
    header === 'auto' ? (typeof options.label === 'string' ? true : looksLikeHeader(rows)) : header;
  const columns = hasHeader ? rows[0]!.fields : null;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new FormatError(source, `${source}: no data: only a header line`);
  const width = (columns ?? data[0]!.fields).length;
  if (width < 2) {
    throw new FormatError(
      source,
      `${source}: line ${rows[0]!.line} has ${width} field; need at least a feature and a label`,
    );
  }
  const labelColumn = resolveLabel(options.label, columns, width, source);
  const name = (c: number): string => (columns ? `'${columns[c]}'` : `${c}`);
  const { features, cells } = readCells({ data, width, labelColumn, name, source, columns });
  const { labels, classNames } = encodeCsvLabels(cells, {
    column: name(labelColumn),
    source,
    ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
    ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
  });
  const numClasses = options.numClasses ?? (classNames ? classNames.length : undefined);
  return new TensorDataset(features, labels, {
    sampleShape: options.sampleShape ?? [width - 1],
    ...(numClasses === undefined ? {} : { numClasses }),
    ...(classNames && (options.numClasses === undefined || options.numClasses === classNames.length)
      ? { classNames }
      : {}),
  });
}

interface CellsSpec {
  data: readonly CsvRow[];
  width: number;
  labelColumn: number;
  name: (c: number) => string;
  source: string;
  columns: string[] | null;
}

/** The features (checked one by one) and the raw label cells of the data rows. */
function readCells(spec: CellsSpec): { features: Float32Array; cells: LabelCell[] } {
  const { data, width, labelColumn, name, source } = spec;
  const d = width - 1;
  const features = new Float32Array(data.length * d);
  const cells: LabelCell[] = new Array(data.length);
  data.forEach((row, r) => {
    if (row.fields.length !== width) {
      throw new FormatError(
        source,
        `${source}: line ${row.line} has ${row.fields.length} fields, expected ${width}${spec.columns ? ' (as in the header)' : ` (as on line ${data[0]!.line})`}`,
      );
    }
    let k = r * d;
    for (let c = 0; c < width; c++) {
      const field = row.fields[c]!;
      const where = `${source}: line ${row.line}, ${c === labelColumn ? 'label ' : ''}column ${name(c)}`;
      if (field === '') throw new FormatError(source, `${where}: empty value`);
      if (c === labelColumn) {
        cells[r] = { text: field, line: row.line };
        continue;
      }
      const read = readDecimal(field);
      const problem = 'problem' in read ? read.problem : featureProblem(read.value);
      if (problem !== null) throw new FormatError(source, `${where}: ${problem}; ${FEATURE_ACCEPTED.csv}`);
      features[k++] = (read as { value: number }).value;
    }
  });
  return { features, cells };
}

/**
 * Whether the first line is a header. "Number" is meant broadly here (anything some reader takes for
 * one, `0x10` and `nan` included), so that a data line with a bad cell is reported as bad data rather
 * than silently taken for a header.
 */
function looksLikeHeader(rows: readonly CsvRow[]): boolean {
  const first = rows[0]!.fields;
  const second = rows[1]?.fields;
  if (second === undefined) return first.some((f) => !looksNumeric(f));
  return first.some((f, c) => !looksNumeric(f) && second[c] !== undefined && looksNumeric(second[c]!));
}

function resolveLabel(
  label: string | number | undefined,
  columns: string[] | null,
  width: number,
  source: string,
): number {
  if (typeof label === 'string') {
    if (!columns)
      throw new FormatError(
        source,
        `${source}: label column ${JSON.stringify(label)} given by name, but the file has no header`,
      );
    const c = columns.indexOf(label);
    if (c < 0) {
      throw new FormatError(
        source,
        `${source}: no column named ${JSON.stringify(label)}; the columns are ${columns.join(', ')}`,
      );
    }
    return c;
  }
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label >= width || label < -width) {
      throw new FormatError(
        source,
        `${source}: label column ${label} is out of range for ${width} columns; accepted: 0 … ${width - 1}, or -${width} … -1 counting from the end`,
      );
    }
    return label < 0 ? width + label : label;
  }
  if (columns) {
    const c = columns.findIndex((name) => LABEL_NAMES.includes(name.toLowerCase()));
    if (c >= 0) return c;
  }
  return width - 1;
}
