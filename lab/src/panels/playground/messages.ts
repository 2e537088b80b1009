/**
 * What the playground's worker jobs take and send back (structured-cloneable: typed arrays, plain
 * objects). The page never sees a tensor: it gets the records `descent train --json` prints and the
 * model's predictions, ready to draw.
 */
import type { EpochRecord, FinalRecord, RunConfig } from 'descent';

/** The data window [x0, x1, y0, y1] that the boundary and the points are drawn in. */
export type DataWindow = [number, number, number, number];

/** The points of a 2-D set: x, y interleaved, with their class. */
export interface PointSet {
  xy: Float32Array;
  labels: Int32Array;
}

/** A 2-D run's points (train and test) and the window around them. */
export interface PlanePoints {
  kind: 'plane';
  window: DataWindow;
  classes: number;
  train: PointSet;
  test: PointSet;
}

/** An image run's first test digits (for the grid of predictions), as bytes 0–255 row by row. */
export interface DigitSamples {
  kind: 'images';
  classes: number;
  /** Samples shown, each `height × width` bytes. */
  pixels: Uint8Array;
  height: number;
  width: number;
  labels: Int32Array;
}

export type RunSamples = PlanePoints | DigitSamples;

/** The model's predicted class and its probability on a `size × size` grid over the window (row 0 at the top). */
export interface BoundaryView {
  kind: 'plane';
  size: number;
  predicted: Uint8Array;
  confidence: Float32Array;
  /** The first hidden layer's neurons on a coarser grid, or null when the model is not an mlp. */
  neurons: NeuronView | null;
}

/** `count` neurons' outputs, each on a `size × size` grid over the window (row 0 at the top). */
export interface NeuronView {
  size: number;
  count: number;
  values: Float32Array;
}

/** Predictions on the shown digits and the confusion matrix over the whole test split. */
export interface DigitsView {
  kind: 'images';
  predicted: Int32Array;
  /** confusion[true][predicted], counts. */
  confusion: number[][];
}

export type ModelView = BoundaryView | DigitsView;

/** `playground.open`: a fresh session for `config` (replacing any other). */
export interface OpenInput {
  config: Partial<RunConfig>;
  /** A 2-D set's noise and test fraction, where the lab's differ from `descent train`'s. */
  dataOptions: { noise?: number; testFraction?: number };
  /** Grid cells per axis of the decision boundary. */
  grid: number;
}

export interface OpenResult {
  samples: RunSamples;
  /** The untrained model's view (epoch 0). */
  view: ModelView;
}

/** `playground.train`: up to `epochs` more epochs of the open session (opened first if `config` differs). */
export interface TrainInput extends OpenInput {
  epochs: number;
}

/** Sent after each epoch: every record so far (so a page that cancelled misses none) and the new view. */
export interface EpochProgress {
  type: 'epoch';
  records: EpochRecord[];
  view: ModelView;
}

/** Sent every few batches of a long epoch. */
export interface BatchProgress {
  type: 'batch';
  epoch: number;
  batch: number;
  batches: number;
}

export type TrainProgress = EpochProgress | BatchProgress;

export interface TrainResult {
  records: EpochRecord[];
  /** Set once no epoch is left (every epoch ran, early stopping, divergence). */
  final: FinalRecord | null;
  /** The divergence guard's message when training diverged. */
  diverged: string | null;
}
