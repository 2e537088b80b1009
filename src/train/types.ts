/**
 * The shapes the trainer works with: batches and where they come from, losses, per-step and per-epoch
 * logs, and the structured warnings that the guards report (and the CLI prints).
 *
 * The data contract is structural so that any source of batches works: an array of `{ x, y }`, a
 * generator, or `src/data`'s `DataLoader`, which yields fresh batches per epoch, knows its `length`
 * and reshuffles reproducibly from `setEpoch(epoch)`.
 */
import type { TensorDataset } from '../data/dataset.js';
import type { Tensor } from '../tensor/tensor.js';

/** One mini-batch: inputs `x` (first axis: samples) and targets `y` (same number of samples). */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * Where batches come from: anything iterable over `{ x, y }`, iterated once per epoch.
 *
 * Memory: the trainer pulls each batch inside that step's memory scope, so tensors the source makes
 * for the batch (a `DataLoader`'s fresh batches) are released when the step ends, while tensors that
 * existed before (an array of batches reused every epoch, views of a dataset tensor) are untouched.
 */
export interface BatchSource extends Iterable<Batch> {
  /** Batches per epoch, when known (progress and ETA). */
  readonly length?: number;
  /**
   * Called before each epoch with the number of epochs completed so far (0 for the first), so that a
   * seeded loader shuffles each epoch reproducibly, also when a run is resumed.
   */
  setEpoch?(epoch: number): void;
}

/** In-memory tensors split into batches of `batchSize` along the first axis (see `batches.ts`). */
export interface TensorData {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * What `fit`, `evaluate` and `lrFind` accept as data: batches (an array, a generator, a `DataLoader`),
 * in-memory tensors `{ x, y }`, or a `TensorDataset` (batched by a `DataLoader` with the caller's
 * `batchSize`, `shuffle` and `seed`).
 */
export type TrainData = BatchSource | TensorData | TensorDataset;

/** A loss: `(output, target) => scalar tensor` (mean over the batch), e.g. `crossEntropy`. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** The losses known by name (for configuration files and the CLI). */
export type LossName = 'crossEntropy' | 'mse' | 'l1' | 'bceWithLogits';

export type LossSpec = LossFn | LossName;

/** Logged after every optimizer step (`onBatchEnd`). */
export interface StepLogs {
  /** The epoch, counted from 1. */
  epoch: number;
  /** The batch within the epoch, counted from 0. */
  batch: number;
  /** Optimizer steps taken in this fit so far, this one included (counted from 1, across epochs). */
  step: number;
  /** The data loss of this batch (without regularization penalties). */
  loss: number;
  /** The learning rate this step used (of the first parameter group). */
  lr: number;
  /** Samples in this batch. */
  size: number;
}

/**
 * Logged after every epoch (`onEpochEnd`), one entry of `History.epochs`. Metric values are under
 * `train<Name>` / `val<Name>` (`trainAccuracy`, `valAccuracy`); `val…` keys exist only with validation.
 */
export interface EpochLogs {
  /** The epoch, counted from 1. */
  epoch: number;
  /** Mean data loss over the epoch's batches, weighted by batch size. */
  trainLoss: number;
  trainAccuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate at the end of the epoch (before a per-epoch schedule steps). */
  lr: number;
  /** Training samples per second of this epoch (training steps only, no validation). */
  samplesPerSec: number;
  /** Wall-clock seconds of this epoch, validation included. */
  seconds: number;
  /** Optimizer steps in this epoch. */
  steps: number;
  [key: string]: number | undefined;
}

/** What a warning is about: `divergence` (NaN, infinite or exploding loss) or `plateau` (flat loss). */
export type WarningKind = 'divergence' | 'plateau';

/** A structured warning, kept in `History.warnings` and reported to `onProgress`. */
export interface TrainingWarning {
  kind: WarningKind;
  /** One sentence in the course's terms, e.g. "loss became NaN at epoch 2, step 140 with lr 0.5: …". */
  message: string;
  epoch: number;
  step: number;
  lr: number;
  loss: number;
  /** A learning rate to try instead. */
  suggestedLr?: number;
}

/** What `onProgress` receives: after each batch, after each epoch, and for each warning. */
export type ProgressEvent =
  | {
      type: 'batch';
      logs: StepLogs;
      epochs: number;
      /** Batches in this epoch, when the source knows. */
      batches: number | undefined;
      /** Training samples per second so far in this epoch. */
      samplesPerSec: number;
    }
  | { type: 'epoch'; logs: EpochLogs; epochs: number }
  | { type: 'warning'; warning: TrainingWarning };
