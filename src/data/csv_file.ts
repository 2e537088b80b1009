/**
 * CSV files from disk (Node only), parsed by `parseCsv` (see there for the header, label column and
 * label rules). Only regular files of at most 256 MiB are read (`READ_LIMITS.csv`: the text must fit in
 * one JavaScript string); errors are `FormatError`s that name the file, and the line and column.
 *
 * @example
 * import { loadCsv } from 'descent/node';
 * const iris = loadCsv('iris.csv', { label: 'species' }); // class names from the label column
 */
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import { type CsvOptions, parseCsv } from './csv.js';
import type { TensorDataset } from './dataset.js';

export function loadCsv(file: string, options: CsvOptions = {}): TensorDataset {
  const bytes = readRegularFile(file, { maxBytes: READ_LIMITS.csv, what: 'loadCsv' });
  return parseCsv(bytes.toString('utf8'), options, file);
}
