/**
 * CsvLogger (Keras's `CSVLogger`, browser-safe): one CSV row per epoch with the epoch and every value
 * of the epoch's logs, for spreadsheets, pandas (`pd.read_csv`) or any plotting tool.
 *
 * The columns are `epoch` and then the keys of the first epoch's logs in their order (trainLoss,
 * trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec, seconds, steps, and any metric), written
 * once as the header before the first row. As in Keras, the columns are fixed by that first epoch: a
 * key missing later is written `NA`, one that appears later is not written. Numbers are written in
 * full precision (JavaScript's shortest round-trip form), non-finite ones as Python writes them
 * (`nan`, `inf`, `-inf`); a field holding the separator or a quote is quoted as RFC 4180 says.
 * Continuing a log whose header differs is refused with a `FormatError` (the existing file is outside
 * input) at the first epoch's end, when the columns are known.
 *
 * This variant hands each line, without its line ending, to `write(line)`: collect them in the
 * browser and offer a download. The `CsvLogger` of `descent/node` also takes a file `path` and
 * `append` (csv_logger_file.ts).
 *
 * @example
 * const lines: string[] = [];
 * fit(model, data, { …, callbacks: [new CsvLogger({ write: (line) => lines.push(line) })] });
 * lines.join('\n'); // 'epoch,trainLoss,trainAccuracy,…\n1,0.53,0.84,…'
 */
import { FormatError } from '../../io/format_error.js';
import { checkOptions } from '../../util/options.js';
import type { EpochLogs } from '../types.js';
import type { Callback } from './callback.js';

export interface CsvLoggerOptions {
  /** Receives each line of the CSV text, without its line ending: first the header, then a row per epoch. */
  write: (line: string) => void;
  /** Field separator (default ','); e.g. '\t' or ';'. */
  separator?: string;
}

/** The separator checked: one or more characters, none a quote or a line break. */
export function checkSeparator(who: string, separator: unknown): string {
  if (typeof separator !== 'string' || separator === '' || /["\r\n]/.test(separator)) {
    throw new TypeError(
      `${who}: separator must be a non-empty string without quotes or line breaks, such as ',' or '\\t'; got ${JSON.stringify(separator)}`,
    );
  }
  return separator;
}

export class CsvLogger implements Callback {
  readonly separator: string;
  /** The columns, fixed by the first epoch logged; null before it. */
  columns: string[] | null = null;
  /**
   * The header line already at the start of the output (a file continued by `append`): no header is
   * written, and the first epoch is refused if its columns differ. Set by the Node variant.
   */
  protected existingHeader: string | null = null;
  /** How the output is named in errors ("the file runs/log.csv"), and its `FormatError` source. */
  protected target = 'the log';
  protected source = '<log>';
  private readonly write: (line: string) => void;

  constructor(options: CsvLoggerOptions) {
    const who = 'CsvLogger';
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${who}: options { write(line), separator } are required`);
    }
    if ('path' in options || 'append' in options) {
      throw new TypeError(
        `${who}: path and append need Node's file system: import { CsvLogger } from 'descent/node', or pass write(line) to collect the lines`,
      );
    }
    checkOptions(who, options, { write: true, separator: true });
    if (typeof options.write !== 'function') {
      throw new TypeError(
        `${who}: write must be a function that takes each line, got ${typeof options.write}`,
      );
    }
    this.write = options.write;
    this.separator = checkSeparator(who, options.separator ?? ',');
  }

  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    if (this.columns === null) this.columns = this.startColumns(logs);
    this.write(this.columns.map((k) => this.field(formatValue(logs[k]))).join(this.separator));
  }

  /** The first epoch's columns: written as the header, or checked against the existing one. */
  private startColumns(logs: EpochLogs): string[] {
    const columns = ['epoch', ...Object.keys(logs).filter((k) => k !== 'epoch' && logs[k] !== undefined)];
    const header = columns.map((k) => this.field(k)).join(this.separator);
    if (this.existingHeader === null) {
      this.write(header);
    } else if (this.existingHeader !== header) {
      throw new FormatError(
        this.source,
        `CsvLogger: ${this.target} starts with the columns ${this.existingHeader}, but this run logs ${header}; append continues only a log with the same columns: write to another file, or append: false to start it over`,
      );
    }
    return columns;
  }

  private field(text: string): string {
    const needsQuotes = text.includes(this.separator) || /["\r\n]/.test(text);
    return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
  }
}

/** A log value as CSV text: full precision, Python's spelling of non-finite numbers, NA when absent. */
function formatValue(v: number | undefined): string {
  if (v === undefined) return 'NA';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}
