/**
 * CSV files from disk (Node only), parsed by `parseCsv` (see there for the header, label column and
 * label rules). Errors name the file and the line.
 *
 * @example
 * import { loadCsv } from 'descent/node';
 * const iris = loadCsv('iris.csv', { label: 'species' }); // class names from the label column
 */
import * as fs from 'node:fs';
import { type CsvOptions, parseCsv } from './csv.js';
import type { TensorDataset } from './dataset.js';

export function loadCsv(file: string, options: CsvOptions = {}): TensorDataset {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`loadCsv: cannot read ${file}: ${(error as Error).message}`);
  }
  return parseCsv(text, options, file);
}
