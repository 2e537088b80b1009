/**
 * Labelled numeric data from CSV text: one sample per line, numeric feature columns and one label
 * column. Browser-safe; `loadCsv(path)` in `descent/node` reads the file.
 *
 * - Header: `header: true | false | 'auto'` (default 'auto': the first line is a header when one of its
 *   fields is not a number in a column where the second line has a number).
 * - Label column: `label` is a column name (needs a header) or a 0-based index (negative counts from the
 *   end). Default: the first header column named label, target, class or y (any case), else the last column.
 * - Labels: non-negative integers are class indices as they are; any other values (strings such as
 *   "setosa", negative or fractional numbers) are class names, numbered in sorted order (numbers
 *   numerically, otherwise by code units) and kept in `classNames`.
 * - Fields are separated by `delimiter` (default ','), trimmed, and may be double-quoted ("" is a quote
 *   inside quotes; a quoted field cannot span lines). Blank lines are skipped.
 * Errors name the source, the line (counted from 1) and the column: a wrong number of fields, an empty
 * or non-numeric feature, an unknown label column, no data.
 *
 * @example
 * const ds = parseCsv('x1,x2,label\n0.5,1.5,0\n2,3,1\n'); // 2 × [2], labels 0 and 1
 */
import { TensorDataset } from './dataset.js';

export interface CsvOptions {
  /** The label column: a header name or a 0-based index (negative from the end). See the module comment. */
  label?: string | number;
  /** Whether the first line is a header (default 'auto'). */
  header?: boolean | 'auto';
  /** Field separator (default ','). */
  delimiter?: string;
  /** Shape of one sample (default [number of feature columns]). */
  sampleShape?: readonly number[];
  /** Number of classes (default: largest label + 1, or the number of class names). */
  numClasses?: number;
}

const LABEL_NAMES = ['label', 'target', 'class', 'y'];

/** Parses CSV text into a dataset; `source` (a file name) goes into error messages. */
export function parseCsv(text: string, options: CsvOptions = {}, source = 'CSV data'): TensorDataset {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') {
    throw new RangeError(
      `parseCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
    );
  }
  const rows: { line: number; fields: string[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.trim() === '') continue;
    rows.push({ line: i + 1, fields: splitLine(line, delimiter, source, i + 1) });
  }
  if (rows.length === 0) throw new RangeError(`${source}: no data: the CSV text is empty`);

  const header = options.header ?? 'auto';
  if (header !== true && header !== false && header !== 'auto') {
    throw new RangeError(`parseCsv: header must be true, false or 'auto', got ${JSON.stringify(header)}`);
  }
  const hasHeader =
    header === 'auto' ? (typeof options.label === 'string' ? true : looksLikeHeader(rows)) : header;
  const columns = hasHeader ? rows[0]!.fields : null;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new RangeError(`${source}: no data: only a header line`);
  const width = (columns ?? data[0]!.fields).length;
  if (width < 2) {
    throw new RangeError(
      `${source}: line ${rows[0]!.line} has ${width} field; need at least a feature and a label`,
    );
  }
  const labelColumn = resolveLabel(options.label, columns, width, source);
  const name = (c: number): string => (columns ? `'${columns[c]}'` : `${c}`);

  const d = width - 1;
  const features = new Float32Array(data.length * d);
  const rawLabels: string[] = new Array(data.length);
  data.forEach((row, r) => {
    if (row.fields.length !== width) {
      throw new RangeError(
        `${source}: line ${row.line} has ${row.fields.length} fields, expected ${width}${columns ? ' (as in the header)' : ` (as on line ${data[0]!.line})`}`,
      );
    }
    let k = r * d;
    for (let c = 0; c < width; c++) {
      const field = row.fields[c]!;
      if (c === labelColumn) {
        if (field === '')
          throw new RangeError(`${source}: line ${row.line}, label column ${name(c)}: empty value`);
        rawLabels[r] = field;
        continue;
      }
      if (field === '') throw new RangeError(`${source}: line ${row.line}, column ${name(c)}: empty value`);
      const v = Number(field);
      if (Number.isNaN(v) && field !== 'NaN') {
        throw new RangeError(
          `${source}: line ${row.line}, column ${name(c)}: ${JSON.stringify(field)} is not a number`,
        );
      }
      features[k++] = v;
    }
  });

  const { labels, classNames } = encodeLabels(rawLabels);
  const numClasses = options.numClasses ?? (classNames ? classNames.length : undefined);
  return new TensorDataset(features, labels, {
    sampleShape: options.sampleShape ?? [d],
    ...(numClasses === undefined ? {} : { numClasses }),
    ...(classNames && (options.numClasses === undefined || options.numClasses === classNames.length)
      ? { classNames }
      : {}),
  });
}

function splitLine(line: string, delimiter: string, source: string, lineNo: number): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((f) => f.trim());
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new RangeError(`${source}: line ${lineNo}: unterminated quoted field`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== delimiter) {
        throw new RangeError(`${source}: line ${lineNo}: unexpected text after a closing quote`);
      }
    } else {
      const end = line.indexOf(delimiter, i);
      field = (end < 0 ? line.slice(i) : line.slice(i, end)).trim();
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the delimiter
    if (i === line.length) {
      fields.push('');
      return fields;
    }
  }
}

const isNumber = (s: string): boolean => s !== '' && !Number.isNaN(Number(s));

function looksLikeHeader(rows: readonly { fields: string[] }[]): boolean {
  const first = rows[0]!.fields;
  const second = rows[1]?.fields;
  if (second === undefined) return first.some((f) => !isNumber(f));
  return first.some((f, c) => !isNumber(f) && second[c] !== undefined && isNumber(second[c]!));
}

function resolveLabel(
  label: string | number | undefined,
  columns: string[] | null,
  width: number,
  source: string,
): number {
  if (typeof label === 'string') {
    if (!columns)
      throw new RangeError(
        `${source}: label column ${JSON.stringify(label)} given by name, but the file has no header`,
      );
    const c = columns.indexOf(label);
    if (c < 0) {
      throw new RangeError(
        `${source}: no column named ${JSON.stringify(label)}; the columns are ${columns.join(', ')}`,
      );
    }
    return c;
  }
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label >= width || label < -width) {
      throw new RangeError(`${source}: label column ${label} is out of range for ${width} columns`);
    }
    return label < 0 ? width + label : label;
  }
  if (columns) {
    const c = columns.findIndex((name) => LABEL_NAMES.includes(name.toLowerCase()));
    if (c >= 0) return c;
  }
  return width - 1;
}

function encodeLabels(raw: readonly string[]): { labels: Int32Array; classNames?: string[] } {
  const numbers = raw.map(Number);
  if (numbers.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 31)) {
    return { labels: Int32Array.from(numbers) };
  }
  const numeric = numbers.every((v) => !Number.isNaN(v));
  const unique = numeric
    ? [...new Set(numbers)].sort((a, b) => a - b).map(String)
    : [...new Set(raw)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(unique.map((name, i) => [name, i]));
  const labels = Int32Array.from(raw, (s, i) => index.get(numeric ? String(numbers[i]) : s)!);
  return { labels, classNames: unique };
}
