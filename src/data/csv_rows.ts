/**
 * CSV text into rows of trimmed fields, by csv-parse (its browser build, so that the same parser runs
 * in Node and in the browser bundle): RFC 4180 quoting ("" is a quote inside quotes, a quoted field
 * may span lines), a byte-order mark, \n, \r\n and \r line ends (mixed too), blank lines skipped, and
 * the delimiter given or detected. Errors are `FormatError`s naming the source and the line.
 */
import { CsvError, parse } from 'csv-parse/browser/esm/sync';
import { FormatError } from '../io/format_error.js';

/** One record: the line it ends on (counted from 1) and its fields. */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** The delimiters `'auto'` chooses from, in the order ties are broken (the rarer character first). */
export const AUTO_DELIMITERS = ['\t', ';', ','] as const;

/** How many lines `'auto'` looks at. */
const SNIFF_LINES = 20;

/**
 * The rows of `text`. `delimiter` is one character, or `'auto'`: see `detectDelimiter`. Lines that
 * hold only blanks are skipped; a text with no row at all is a `FormatError`.
 */
export function readCsvRows(text: string, delimiter: string, source: string): CsvRow[] {
  const chosen = delimiter === 'auto' ? detectDelimiter(text) : delimiter;
  const rows: CsvRow[] = [];
  try {
    parse(text, {
      ...PARSE_OPTIONS,
      delimiter: chosen,
      on_record: (record: string[], context) => {
        if (!(record.length === 1 && record[0] === '')) rows.push({ line: context.lines, fields: record });
        return null;
      },
    });
  } catch (error) {
    throw csvFormatError(error, { text, rows, source });
  }
  if (rows.length === 0) throw new FormatError(source, `${source}: no data: the CSV text is empty`);
  return rows;
}

const PARSE_OPTIONS = {
  bom: true,
  trim: true,
  skip_empty_lines: true,
  relax_column_count: true, // the field counts are checked by the caller, with its own message
  record_delimiter: ['\r\n', '\n', '\r'],
};

/**
 * The delimiter of a text whose delimiter was not given: of tab, semicolon and comma, the one that
 * splits each of the first 20 lines into the same number of fields, at least two; where several do,
 * the one giving the most fields, then the rarer character (tab, semicolon, comma: `1,5;2,5;0` is a
 * semicolon file with decimal commas, which the feature check then names). Where none does (a bad
 * line among the first ones), the one splitting the first line into the most fields, so that the
 * error names that bad line; comma when nothing splits.
 */
export function detectDelimiter(text: string): string {
  const head = text.slice(0, 1 << 16);
  let best: { delimiter: string; width: number; consistent: boolean } | null = null;
  for (const delimiter of AUTO_DELIMITERS) {
    const widths = sniffWidths(head, delimiter);
    if (widths.length === 0 || widths[0]! < 2) continue;
    const candidate = { delimiter, width: widths[0]!, consistent: widths.every((w) => w === widths[0]) };
    if (
      best === null ||
      (candidate.consistent && !best.consistent) ||
      (candidate.consistent === best.consistent && candidate.width > best.width)
    ) {
      best = candidate;
    }
  }
  return best?.delimiter ?? ',';
}

/** The field counts of the first lines of `head` split by `delimiter` ([] where that cannot parse). */
function sniffWidths(head: string, delimiter: string): number[] {
  const widths: number[] = [];
  try {
    parse(head, {
      ...PARSE_OPTIONS,
      delimiter,
      to_line: SNIFF_LINES,
      on_record: (record: string[]) => {
        if (!(record.length === 1 && record[0] === '')) widths.push(record.length);
        return null;
      },
    });
  } catch {
    // A line cut off by the 64 KiB slice, or a quoting error: judged on the lines read so far.
  }
  return widths;
}

/** csv-parse's error as a `FormatError` naming the source and the line, in this library's words. */
function csvFormatError(
  error: unknown,
  at: { text: string; rows: readonly CsvRow[]; source: string },
): Error {
  if (!(error instanceof CsvError)) return error as Error;
  const { source } = at;
  const line = (error as CsvError & { lines?: number }).lines;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      const opened = unterminatedRecordLine(at.text, at.rows.at(-1)?.line ?? 0);
      return new FormatError(source, `${source}: line ${opened}: unterminated quoted field`);
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new FormatError(source, `${source}: line ${line}: unexpected text after a closing quote`);
    case 'INVALID_OPENING_QUOTE':
      return new FormatError(
        source,
        `${source}: line ${line}: a quote inside an unquoted field; quote the whole field and double the quotes inside ("a ""b"" c")`,
      );
    default:
      return new FormatError(source, `${source}: line ${line}: ${error.message}`);
  }
}

/**
 * The line an unterminated quote's record starts on. csv-parse reports the end of the text; the
 * record began on the first non-blank line after the last complete one (`lastLine`), blank lines
 * being skipped in between.
 */
function unterminatedRecordLine(text: string, lastLine: number): number {
  const lines = text.split(/\r\n|\n|\r/);
  let i = lastLine;
  while (i < lines.length - 1 && lines[i]!.trim() === '') i++;
  return i + 1;
}
