/**
 * `descent train --csv-log FILE` and `--tensorboard DIR`: the library's file loggers
 * (train/callbacks/csv_logger_file.ts, tensorboard_file.ts) for a CLI run.
 *
 * The paths are checked before the run directory is made (`checkLoggerFlags`), so a wrong one leaves
 * nothing behind; the loggers are made once the session exists. A resumed run (`--resume`) appends to
 * its CSV log when the columns match (a fresh run replaces the file), and writes a new event file
 * next to the earlier ones, whose steps and epochs it continues. The TensorBoard logger histograms the
 * activations of the first 256 training samples.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kindOf } from '../io/safe_path.js';
import type { TrainingSession } from '../run/session.js';
import { tensor } from '../tensor/creation.js';
import { keepStorage } from '../tensor/storage.js';
import type { Callback } from '../train/callbacks/callback.js';
import { CsvLogger } from '../train/callbacks/csv_logger_file.js';
import { TensorBoardLogger } from '../train/callbacks/tensorboard_file.js';
import { UsageError } from './exit_codes.js';
import { ensureRunDirectory } from './out_dir.js';

/** Samples whose activations TensorBoard histograms each epoch. */
const ACTIVATION_SAMPLES = 256;

/** Refuses an empty path, a --csv-log that is a directory and a --tensorboard that is not one. */
export function checkLoggerFlags(flags: Record<string, unknown>): void {
  const csv = flags.csvLog as string | undefined;
  if (csv !== undefined) {
    if (csv.trim() === '')
      throw new UsageError('--csv-log: the path is empty; give a file such as runs/log.csv');
    const stat = fs.statSync(csv, { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isFile()) {
      throw new UsageError(
        `--csv-log ${csv}: is ${kindOf(stat)}, not a file; give a file path such as ${path.join(csv, 'log.csv')}`,
      );
    }
  }
  const dir = flags.tensorboard as string | undefined;
  if (dir !== undefined) {
    if (dir.trim() === '')
      throw new UsageError('--tensorboard: the path is empty; give a directory such as runs/tb');
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isDirectory()) {
      throw new UsageError(
        `--tensorboard ${dir}: is ${kindOf(stat)}, not a directory; give a directory (TensorBoard's --logdir)`,
      );
    }
  }
}

/** The loggers the flags ask for (their directories created), to pass to the session with the run's writer. */
export function trainLoggers(flags: Record<string, unknown>, session: TrainingSession): Callback[] {
  const loggers: Callback[] = [];
  const csv = flags.csvLog as string | undefined;
  if (csv !== undefined) {
    ensureRunDirectory(path.dirname(path.resolve(csv)), '--csv-log');
    loggers.push(new CsvLogger({ path: csv, append: flags.resume !== undefined }));
  }
  const dir = flags.tensorboard as string | undefined;
  if (dir !== undefined) {
    ensureRunDirectory(dir, '--tensorboard');
    const train = session.data.train;
    const sample = train.slice(0, Math.min(ACTIVATION_SAMPLES, train.length));
    const x = tensor(sample.features, { shape: [sample.length, ...sample.sampleShape] });
    keepStorage(x.storage);
    loggers.push(new TensorBoardLogger({ logDir: dir, activationSample: x }));
  }
  return loggers;
}
