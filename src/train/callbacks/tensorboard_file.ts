/**
 * TensorBoardLogger for Node (exported from `descent/node`; Keras's `TensorBoard(log_dir)`): the
 * browser-safe logger of tensorboard.ts writing an event file that `tensorboard --logdir <logDir>`
 * opens.
 *
 * When training begins it creates `logDir` (with its parents) and a new file in it named as
 * TensorFlow names them, `events.out.tfevents.<seconds>.<host>` (with `.2`, `.3`, … appended if that
 * name is taken: two runs started in the same second, or a resumed run). Records are kept in memory
 * during an epoch and appended at its end and when training ends, so an epoch costs one write; a run
 * killed mid-epoch keeps every finished epoch. TensorBoard reads every event file of a directory, so
 * a resumed run's file continues the curves of the first (its steps and epochs continue the count).
 *
 * @example
 * fit(model, data, { …, callbacks: [new TensorBoardLogger({ logDir: 'runs/tb', activationSample: x.slice(…) })] });
 * // then: tensorboard --logdir runs/tb
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventFileName } from '../../io/tfevents.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import type { EpochLogs } from '../types.js';
import type { TrainContext } from './callback.js';
import {
  TensorBoardLogger as SinkTensorBoardLogger,
  TENSORBOARD_KEYS,
  tensorBoardSettings,
} from './tensorboard.js';

export interface TensorBoardFileLoggerOptions {
  /** The log directory to write an event file into (give this or `write`). */
  logDir?: string;
  /** Receives each framed record instead of a file (give this or `logDir`). */
  write?: (record: Uint8Array) => void;
  /** Write train/loss and train/lr every this many optimizer steps (default 1). */
  updateFreq?: number;
  /** Write histograms every this many epochs (default 1; 0: none). */
  histogramFreq?: number;
  /** Inputs whose per-layer activations are histogrammed (default none). */
  activationSample?: Tensor;
  /** Buckets per histogram (default 30). */
  bins?: number;
}

const WHO = 'TensorBoardLogger';

export class TensorBoardLogger extends SinkTensorBoardLogger {
  readonly logDir: string | null;
  /** The event file being written (known once training has begun), or null. */
  file: string | null = null;
  private pending: Uint8Array[] = [];

  constructor(options: TensorBoardFileLoggerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${WHO}: options { logDir | write, … } are required`);
    }
    checkOptions(WHO, options, { logDir: true, write: true, ...TENSORBOARD_KEYS });
    const { logDir, write, ...rest } = options;
    if ((logDir === undefined) === (write === undefined)) {
      throw new TypeError(
        `${WHO}: give either logDir (a directory) or write(record), not ${logDir === undefined ? 'neither' : 'both'}`,
      );
    }
    if (logDir !== undefined && (typeof logDir !== 'string' || logDir === '')) {
      throw new TypeError(`${WHO}: logDir must be a non-empty string, got ${JSON.stringify(logDir)}`);
    }
    tensorBoardSettings(WHO, rest);
    const buffer: Uint8Array[] = [];
    super({ write: write ?? ((record) => buffer.push(record)), ...rest });
    this.pending = buffer;
    this.logDir = logDir ?? null;
  }

  override onTrainBegin(ctx: TrainContext): void {
    if (this.logDir !== null) this.file = createEventFile(this.logDir);
    super.onTrainBegin(ctx);
  }

  override onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    super.onEpochEnd(epoch, logs, ctx);
    this.flush();
  }

  onTrainEnd(): void {
    this.flush();
  }

  /** Appends the records kept since the last flush to the event file. */
  flush(): void {
    if (this.file === null || this.pending.length === 0) return;
    fs.appendFileSync(this.file, Buffer.concat(this.pending));
    this.pending.length = 0;
  }
}

/** A new, empty event file in `dir` (created if missing), named as TensorFlow does; never an existing one. */
function createEventFile(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, eventFileName(Date.now() / 1000, os.hostname()));
  for (let n = 1; ; n++) {
    const file = n === 1 ? base : `${base}.${n}`;
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
