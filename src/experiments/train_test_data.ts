/**
 * The image data of the MNIST-style experiments (`batchnorm`, `overfitting`, `depth`,
 * `adam-then-sgd`): injected by the caller, so that the experiments stay browser-safe — in Node,
 * `loadMnist()` or `loadFashionMnist()` from `descent/node` (both return `{ train, test }`), or a
 * function returning them, called only when the experiment runs.
 *
 * Also the two reductions the experiments use to fit their time budget: a prefix of each part (the
 * bundled loaders already put each part in seeded random order, so a prefix is a random subset) and
 * average pooling of the images (2×2 turns 28×28 digits into 14×14, a quarter of the input width).
 */
import { TensorDataset } from '../data/dataset.js';

/** A training and a test part, e.g. `loadMnist()` (8,000 and 2,000 digits). */
export interface TrainTestData {
  train: TensorDataset;
  test: TensorDataset;
}

/** The data, or a loader called when the experiment runs (e.g. `() => loadMnist()`). */
export type TrainTestSource = TrainTestData | (() => TrainTestData);

/** Resolves `source` (calling a loader) and checks that it holds two datasets. */
export function resolveTrainTest(who: string, source: TrainTestSource | undefined): TrainTestData {
  if (source === undefined) {
    throw new TypeError(
      `${who}: options.data is required: { train, test } datasets or a function returning them, e.g. () => loadMnist() from descent/node`,
    );
  }
  const data = typeof source === 'function' ? source() : source;
  for (const part of ['train', 'test'] as const) {
    if (!(data?.[part] instanceof TensorDataset)) {
      throw new TypeError(`${who}: options.data.${part} must be a TensorDataset (e.g. loadMnist().${part})`);
    }
  }
  return data;
}

/** Samples [start, start + count) of `ds`, with a clear error when it has too few. */
export function takeSamples(
  who: string,
  ds: TensorDataset,
  what: string,
  count: number,
  start = 0,
): TensorDataset {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`${who}: ${what} must be a positive integer, got ${count}`);
  }
  if (start + count > ds.length) {
    throw new RangeError(
      `${who}: ${what} = ${count}${start > 0 ? ` (after the first ${start})` : ''} exceeds the ${ds.length} samples available`,
    );
  }
  return ds.slice(start, start + count);
}

/**
 * Square grey images averaged over `factor`×`factor` blocks, as flat samples: 28×28 with factor 2
 * gives 14×14 = 196 features. Samples may be flat ([784]) or images ([1, 28, 28]); factor 1 only
 * flattens. The side must be a multiple of `factor`.
 */
export function poolImages(who: string, ds: TensorDataset, factor: number): TensorDataset {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`${who}: pool must be a positive integer, got ${factor}`);
  }
  const side = Math.round(Math.sqrt(ds.sampleSize));
  if (side * side !== ds.sampleSize || side % factor !== 0) {
    throw new RangeError(
      `${who}: pool ${factor} needs square single-channel images whose side is a multiple of ${factor}; samples have ${ds.sampleSize} features`,
    );
  }
  if (factor === 1) return ds.sampleShape.length === 1 ? ds : ds.reshape([ds.sampleSize]);
  const out = side / factor;
  const n = ds.length;
  const src = ds.features;
  const features = new Float32Array(n * out * out);
  const scale = 1 / (factor * factor);
  for (let s = 0; s < n; s++) {
    const base = s * side * side;
    for (let i = 0; i < out; i++) {
      for (let j = 0; j < out; j++) {
        let sum = 0;
        for (let di = 0; di < factor; di++) {
          const row = base + (i * factor + di) * side + j * factor;
          for (let dj = 0; dj < factor; dj++) sum += src[row + dj]!;
        }
        features[s * out * out + i * out + j] = sum * scale;
      }
    }
  }
  return ds.withFeatures(features, [out * out]);
}
