/**
 * The tasks of the `transfer` experiment, cut from one digits dataset (the bundled MNIST, images
 * flattened, pooled by the caller):
 *
 * - source: the first `sourceSize` training digits, 10 classes — the "large" dataset the network is
 *   pre-trained on;
 * - similar target: the next training digits (none seen in pre-training) and the test digits — new
 *   samples of the same kind, the closest a new dataset can be (optionally moved by `shift` pixels);
 * - different target: the same samples transposed (rows ↔ columns: a quarter turn and a mirror). The
 *   strokes and ink statistics stay those of handwriting, but no digit looks like one the source
 *   network saw, and every first-layer unit — a template over pixel positions — meets strokes in other
 *   places.
 * Both targets use the same samples, so "similar or different" is the only change between cases (a)
 * and (d), (b) and (c); each target gets a new classifier head.
 *
 * Why not digits 0–4 → 5–9 (the split of Yosinski et al. 2014, "How transferable are features in deep
 * neural networks?", arXiv:1411.1792): measured on the bundled MNIST with this experiment's MLPs
 * (2,000–4,000 source digits, seeds 0), a network trained on five classes keeps top features so
 * specific to them that a linear classifier on them reaches ~50–60% on 5–9 where training from
 * scratch on the same 50 samples reaches ~75–80%, in every configuration tried; the lecture's cases
 * presuppose a source task far richer than the target. Nor a second dataset (Fashion-MNIST) as the
 * different target: the CLI supplies one dataset per experiment. And why a transposition, not a
 * shift: an MLP's features are tied to pixel positions, so even a one-pixel shift (of 14) is a
 * different dataset for it (a linear classifier on the top features falls from ~91% to ~46%).
 */
import type { TensorDataset } from '../data/dataset.js';
import { takeSamples } from './train_test_data.js';

/** Training and test samples of one task. */
export interface TaskData {
  train: TensorDataset;
  test: TensorDataset;
}

/** The side of the square images of `ds`, or an error naming what needed them. */
function squareSide(who: string, what: string, ds: TensorDataset): number {
  const side = Math.round(Math.sqrt(ds.sampleSize));
  if (side * side !== ds.sampleSize) {
    throw new RangeError(`${who}: ${what} needs square images; samples have ${ds.sampleSize} features`);
  }
  return side;
}

/** Square single-channel images (flat samples) transposed: pixel (i, j) moves to (j, i). */
export function transposeImages(who: string, ds: TensorDataset): TensorDataset {
  const side = squareSide(who, 'transposing', ds);
  const src = ds.features;
  const out = new Float32Array(src.length);
  for (let s = 0; s < ds.length; s++) {
    const base = s * ds.sampleSize;
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) out[base + j * side + i] = src[base + i * side + j]!;
    }
  }
  return ds.withFeatures(out);
}

/**
 * Square single-channel images (flat samples) moved `by` pixels right and down, the pixels pushed
 * past the edge dropped and the freed ones 0 (background).
 */
export function shiftImages(who: string, ds: TensorDataset, by: number): TensorDataset {
  const side = squareSide(who, 'shifting', ds);
  const src = ds.features;
  const out = new Float32Array(src.length);
  for (let s = 0; s < ds.length; s++) {
    const base = s * ds.sampleSize;
    for (let i = by; i < side; i++) {
      for (let j = by; j < side; j++) out[base + i * side + j] = src[base + (i - by) * side + j - by]!;
    }
  }
  return ds.withFeatures(out);
}

export interface TransferTasksSpec {
  /** Flat (pooled) training and test digits with labels 0–9. */
  train: TensorDataset;
  test: TensorDataset;
  sourceSize: number;
  /** Target training samples of the large cases; the small cases use the first `smallSize` of them. */
  largeSize: number;
  smallSize: number;
  /** Test samples per task. */
  testSize: number;
  /** Pixels the similar target's images are moved right and down. */
  shift: number;
}

export interface TransferTasks {
  source: TaskData;
  similar: { small: TaskData; large: TaskData };
  different: { small: TaskData; large: TaskData };
}

/** The source task and the two targets at both sizes (see the module comment). */
export function transferTasks(who: string, spec: TransferTasksSpec): TransferTasks {
  const source = {
    train: takeSamples(who, spec.train, 'sourceSize', spec.sourceSize),
    test: takeSamples(who, spec.test, 'testSize', spec.testSize),
  };
  const target = {
    train: takeSamples(who, spec.train, 'largeSize', spec.largeSize, spec.sourceSize),
    test: source.test,
  };
  if (!Number.isInteger(spec.smallSize) || spec.smallSize < 1 || spec.smallSize > spec.largeSize) {
    throw new RangeError(
      `${who}: smallSize must be a positive integer no larger than largeSize (${spec.largeSize}), got ${spec.smallSize}`,
    );
  }
  const variant = (look: (ds: TensorDataset) => TensorDataset) => {
    const large = { train: look(target.train), test: look(target.test) };
    return { large, small: { train: large.train.slice(0, spec.smallSize), test: large.test } };
  };
  return {
    source,
    similar: variant((ds) => shiftImages(who, ds, spec.shift)),
    different: variant((ds) => transposeImages(who, ds)),
  };
}
