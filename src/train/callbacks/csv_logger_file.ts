/**
 * CsvLogger for Node (exported from `descent/node`; Keras's `CSVLogger(filename, separator, append)`):
 * the browser-safe logger of csv_logger.ts writing to a file.
 *
 * With `path` the file is created (or emptied) when training begins and each line is appended as
 * the epoch ends, so the log is on disk while the run goes on. With `append: true` an existing
 * non-empty file is continued instead: its first line must be the header this run writes, or the
 * first epoch stops with an error naming both (a log of another shape is never mixed in); a resumed
 * run uses this to continue its log. `write(line)` works as in the browser variant.
 *
 * @example
 * fit(model, data, { …, callbacks: [new CsvLogger({ path: 'runs/a/log.csv' })] });
 */
import fs from 'node:fs';
import { checkOptions } from '../../util/options.js';
import { checkSeparator, CsvLogger as SinkCsvLogger } from './csv_logger.js';

export interface CsvFileLoggerOptions {
  /** The CSV file to write (give this or `write`). */
  path?: string;
  /** Receives each line without its line ending, instead of a file (give this or `path`). */
  write?: (line: string) => void;
  /** Field separator (default ','). */
  separator?: string;
  /** Continue an existing file with the same columns instead of replacing it (default false; only with `path`). */
  append?: boolean;
}

const WHO = 'CsvLogger';

export class CsvLogger extends SinkCsvLogger {
  /** The file written, or null with `write`. */
  readonly path: string | null;
  readonly append: boolean;

  constructor(options: CsvFileLoggerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${WHO}: options { path | write, separator, append } are required`);
    }
    checkOptions(WHO, options, { path: true, write: true, separator: true, append: true });
    const { path, write } = options;
    if ((path === undefined) === (write === undefined)) {
      throw new TypeError(
        `${WHO}: give either path (a CSV file) or write(line) (a function that takes each line), not ${path === undefined ? 'neither' : 'both'}`,
      );
    }
    if (path !== undefined && (typeof path !== 'string' || path === '')) {
      throw new TypeError(`${WHO}: path must be a non-empty string, got ${JSON.stringify(path)}`);
    }
    if (options.append !== undefined && typeof options.append !== 'boolean') {
      throw new TypeError(`${WHO}: append must be true or false, got ${JSON.stringify(options.append)}`);
    }
    if (options.append !== undefined && path === undefined) {
      throw new TypeError(
        `${WHO}: append applies to a file path; with write(line) the caller owns the output`,
      );
    }
    const file = path;
    super({
      write: write ?? ((line: string) => fs.appendFileSync(file!, `${line}\n`)),
      separator: checkSeparator(WHO, options.separator ?? ','),
    });
    this.path = path ?? null;
    this.append = options.append ?? false;
    if (path !== undefined) {
      this.target = `the file ${path}`;
      this.source = path;
    }
  }

  /**
   * Creates or empties the file, or, appending, reads the header to continue. Each training starts
   * its columns afresh (as Keras's CSVLogger): a logger passed to a second `fit` writes the header into
   * the file it has just emptied, or checks it against the one it continues.
   */
  onTrainBegin(): void {
    if (this.path === null) return;
    this.columns = null;
    this.existingHeader = null;
    const existing = this.append ? readIfExists(this.path) : null;
    if (existing === null || existing.trim() === '') {
      fs.writeFileSync(this.path, '');
      return;
    }
    this.existingHeader = existing.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
    if (!existing.endsWith('\n')) fs.appendFileSync(this.path, '\n');
  }
}

function readIfExists(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
