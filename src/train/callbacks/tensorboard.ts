/**
 * TensorBoardLogger (browser-safe): training curves and histograms as TensorBoard event records
 * (io/tfevents.ts), handed to `write(record)`; concatenated, the records are an event file that
 * `tensorboard --logdir` opens. The `TensorBoardLogger` of `descent/node` writes them to
 * `<logDir>/events.out.tfevents.<seconds>.<host>` (tensorboard_file.ts).
 *
 * What it writes (tags as TensorBoard groups them by the part before '/'):
 *
 *   when training begins        the file-version record every event file starts with
 *   every `updateFreq` steps    train/loss, train/lr            at step = the optimizer step
 *   after every epoch           epoch/<key> for each epoch log (epoch/trainLoss, epoch/valAccuracy, …)
 *                                                               at step = the epoch
 *   every `histogramFreq` epochs  weights/<parameter> for each parameter (weights/0.weight) and, with
 *                               `activationSample`, activations/<layer> for each leaf module's output
 *                               on that batch (train/layer_stats.ts, in evaluation mode, no side
 *                               effects)                       at step = the epoch
 *
 * Histograms have `bins` equal-width buckets over [min, max]; a tensor holding NaN or infinity (a
 * diverged run) gets no histogram, its scalars still show the divergence. Defaults: updateFreq 1,
 * histogramFreq 1, bins 30, no activation histograms.
 *
 * @example
 * const records: Uint8Array[] = [];
 * fit(model, data, { …, callbacks: [new TensorBoardLogger({ write: (r) => records.push(r) })] });
 * new Blob(records); // an event file to download
 */
import {
  eventRecord,
  fileVersionRecord,
  type HistogramSummary,
  histogramOf,
  type SummaryValue,
} from '../../io/tfevents.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { type LayerStats, layerStats } from '../layer_stats.js';
import type { EpochLogs, StepLogs } from '../types.js';
import type { Callback, TrainContext } from './callback.js';

export interface TensorBoardLoggerOptions {
  /** Receives each framed record, in order (the first is the file-version record). */
  write: (record: Uint8Array) => void;
  /** Write train/loss and train/lr every this many optimizer steps (default 1: every step). */
  updateFreq?: number;
  /** Write histograms every this many epochs (default 1; 0: none). */
  histogramFreq?: number;
  /** Inputs (a batch, first axis samples) whose per-layer activations are histogrammed; default none. */
  activationSample?: Tensor;
  /** Buckets per histogram (default 30). */
  bins?: number;
}

/** The options shared by the browser and Node loggers, checked. */
export interface TensorBoardSettings {
  updateFreq: number;
  histogramFreq: number;
  activationSample: Tensor | null;
  bins: number;
}

export const TENSORBOARD_KEYS = {
  updateFreq: true,
  histogramFreq: true,
  activationSample: true,
  bins: true,
} as const;

/** The settings of `options` checked and defaulted; errors name `who` and the option. */
export function tensorBoardSettings(
  who: string,
  options: Omit<TensorBoardLoggerOptions, 'write'>,
): TensorBoardSettings {
  const count = (name: string, value: unknown, min: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new RangeError(`${who}: ${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const sample = options.activationSample;
  if (sample !== undefined && !(sample instanceof Tensor)) {
    throw new TypeError(
      `${who}: activationSample must be a Tensor (a batch of inputs), got ${typeof sample}`,
    );
  }
  return {
    updateFreq: count('updateFreq', options.updateFreq ?? 1, 1),
    histogramFreq: count('histogramFreq', options.histogramFreq ?? 1, 0),
    activationSample: sample ?? null,
    bins: count('bins', options.bins ?? 30, 1),
  };
}

export class TensorBoardLogger implements Callback {
  readonly settings: TensorBoardSettings;
  private readonly write: (record: Uint8Array) => void;

  constructor(options: TensorBoardLoggerOptions) {
    const who = 'TensorBoardLogger';
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${who}: options { write(record), … } are required`);
    }
    if ('logDir' in options) {
      throw new TypeError(
        `${who}: logDir needs Node's file system: import { TensorBoardLogger } from 'descent/node', or pass write(record) to collect the records`,
      );
    }
    checkOptions(who, options, { write: true, ...TENSORBOARD_KEYS });
    if (typeof options.write !== 'function') {
      throw new TypeError(
        `${who}: write must be a function that takes each record, got ${typeof options.write}`,
      );
    }
    this.write = options.write;
    this.settings = tensorBoardSettings(who, options);
  }

  onTrainBegin(_ctx: TrainContext): void {
    this.write(fileVersionRecord(wallTime()));
  }

  onBatchEnd(logs: StepLogs): void {
    if (logs.step % this.settings.updateFreq !== 0) return;
    this.event(logs.step, [
      { tag: 'train/loss', simpleValue: logs.loss },
      { tag: 'train/lr', simpleValue: logs.lr },
    ]);
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    const scalars = Object.entries(logs)
      .filter((e): e is [string, number] => e[0] !== 'epoch' && typeof e[1] === 'number')
      .map(([key, value]) => ({ tag: `epoch/${key}`, simpleValue: value }));
    this.event(epoch, scalars);
    const every = this.settings.histogramFreq;
    if (every > 0 && epoch % every === 0) this.event(epoch, this.histograms(ctx));
  }

  private histograms(ctx: TrainContext): SummaryValue[] {
    const values: SummaryValue[] = [];
    const add = (tag: string, histogram: HistogramSummary | null) => {
      if (histogram !== null) values.push({ tag, histogram });
    };
    for (const [name, p] of ctx.model.namedParameters())
      add(`weights/${name}`, histogramOf(p.data(), this.settings.bins));
    const sample = this.settings.activationSample;
    if (sample !== null) {
      for (const layer of layerStats(ctx.model, sample, { mode: 'eval', bins: this.settings.bins })) {
        add(`activations/${layer.name}`, fromLayerStats(layer));
      }
    }
    return values;
  }

  private event(step: number, values: SummaryValue[]): void {
    if (values.length > 0) this.write(eventRecord({ wallTime: wallTime(), step, values }));
  }
}

function wallTime(): number {
  return Date.now() / 1000;
}

/**
 * layerStats' histogram as a HistogramProto: its edges become the bucket limits, and the count, sum and
 * sum of squares follow from n, the mean and the population std (Σa = n·mean, Σa² = n·(std² + mean²)).
 */
function fromLayerStats(s: LayerStats): HistogramSummary | null {
  const n = s.histogram.counts.reduce((a, b) => a + b, 0) + s.histogram.outside;
  if (n === 0 || ![s.min, s.max, s.mean, s.std].every(Number.isFinite)) return null;
  return {
    min: s.min,
    max: s.max,
    num: n,
    sum: n * s.mean,
    sumSquares: n * (s.std * s.std + s.mean * s.mean),
    bucketLimits: s.histogram.edges.slice(1),
    buckets: [...s.histogram.counts],
  };
}
