/**
 * Worker side: what the page draws of a model, computed by the library (`predict`, `softmax`,
 * `maxWithIndices`) in one memory scope, returned as plain typed arrays. For 2-D data, the predicted
 * class and its probability on a grid over the data window; for images, the predictions on the first
 * test digits and the confusion matrix over the test split; for an mlp, the first hidden layer's
 * neurons over the window. Prediction runs in evaluation mode (switched and restored) and draws no
 * random numbers, so it does not change the run.
 */
import {
  BatchNorm1d,
  Dropout,
  Linear,
  type Module,
  maxWithIndices,
  noGrad,
  predict,
  Residual,
  Sequential,
  scope,
  softmax,
  type Tensor,
  type TensorDataset,
  tensor,
  withMode,
} from 'descent';
import type { BoundaryView, DataWindow, DigitSamples, DigitsView, NeuronView, PlanePoints } from './messages';

/** Shown digits in the grid. */
export const SHOWN_DIGITS = 24;

/** The bounding box of train and test points, padded by a tenth on each side. */
function windowOf(sets: readonly TensorDataset[]): DataWindow {
  const box = [Infinity, -Infinity, Infinity, -Infinity];
  for (const set of sets) {
    for (let i = 0; i < set.features.length; i += 2) {
      box[0] = Math.min(box[0]!, set.features[i]!);
      box[1] = Math.max(box[1]!, set.features[i]!);
      box[2] = Math.min(box[2]!, set.features[i + 1]!);
      box[3] = Math.max(box[3]!, set.features[i + 1]!);
    }
  }
  const padX = 0.1 * (box[1]! - box[0]! || 1);
  const padY = 0.1 * (box[3]! - box[2]! || 1);
  return [box[0]! - padX, box[1]! + padX, box[2]! - padY, box[3]! + padY];
}

export function planePoints(data: { train: TensorDataset; test: TensorDataset }): PlanePoints {
  return {
    kind: 'plane',
    window: windowOf([data.train, data.test]),
    classes: data.train.numClasses,
    train: { xy: data.train.features.slice(), labels: data.train.labels.slice() },
    test: { xy: data.test.features.slice(), labels: data.test.labels.slice() },
  };
}

/** Class and probability of the most likely class for each row of `x` ([n, …]). */
function classify(model: Module, x: Float32Array, shape: number[]): { cls: Int32Array; p: Float32Array } {
  return scope(() => {
    const logits = predict(model, tensor(x, { shape }), { batchSize: 1024 });
    const { values, indices } = maxWithIndices(softmax(logits, 1), 1);
    return { cls: Int32Array.from(indices.data()), p: Float32Array.from(values.data()) };
  });
}

/** The cell centres of a `size × size` grid over `window`, row by row from the top, x and y interleaved. */
function gridPoints(window: DataWindow, size: number): Float32Array {
  const [x0, x1, y0, y1] = window;
  const grid = new Float32Array(2 * size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      grid[2 * i] = x0 + ((col + 0.5) / size) * (x1 - x0);
      grid[2 * i + 1] = y1 - ((row + 0.5) / size) * (y1 - y0);
    }
  }
  return grid;
}

/** The model's decision on a `size × size` grid over `window`, with its first hidden layer's neurons. */
export function boundaryView(model: Module, window: DataWindow, size: number): BoundaryView {
  const { cls, p } = classify(model, gridPoints(window, size), [size * size, 2]);
  const neurons = model instanceof Sequential ? neuronView(model, window, NEURON_GRID) : null;
  return { kind: 'plane', size, predicted: Uint8Array.from(cls), confidence: p, neurons };
}

/** Neurons of the first hidden layer shown, and the grid of their thumbnails. */
const SHOWN_NEURONS = 16;
const NEURON_GRID = 24;

/**
 * How many of the mlp's first modules make its first hidden layer: up to its activation (and a BN after
 * it); with residual connections each hidden layer is one block (a Sequential or a Residual).
 */
function firstLayerLength(model: Sequential): number {
  let seenLinear = false;
  let i = 0;
  for (const m of model) {
    i++;
    if (!seenLinear && (m instanceof Sequential || m instanceof Residual)) return i;
    if (m instanceof Linear) {
      if (seenLinear) return i - 1;
      seenLinear = true;
    } else if (seenLinear && !(m instanceof BatchNorm1d) && !(m instanceof Dropout)) {
      const next = i < model.length ? model.at(i) : null;
      return next instanceof BatchNorm1d ? i + 1 : i;
    }
  }
  return 0;
}

/**
 * Each of the first hidden layer's neurons (up to 16) over the grid: its output in evaluation mode,
 * from the mlp's own modules run in order (what TensorFlow Playground draws in its neurons).
 */
function neuronView(model: Sequential, window: DataWindow, size: number): NeuronView | null {
  const length = firstLayerLength(model);
  if (length === 0 || length >= model.length) return null;
  const out = withMode(model, false, () =>
    noGrad(() =>
      scope(() => {
        let x: Tensor = tensor(gridPoints(window, size), { shape: [size * size, 2] });
        for (let i = 0; i < length; i++) x = model.at(i).call(x);
        return { width: x.shape[1]!, values: Float32Array.from(x.data()) };
      }),
    ),
  );
  const count = Math.min(SHOWN_NEURONS, out.width);
  const values = new Float32Array(count * size * size);
  for (let n = 0; n < count; n++)
    for (let c = 0; c < size * size; c++) values[n * size * size + c] = out.values[c * out.width + n]!;
  return { size, count, values };
}

/** The first test digits as bytes (each image scaled to its own range, ink dark). */
export function digitSamples(test: TensorDataset): DigitSamples {
  const n = Math.min(SHOWN_DIGITS, test.length);
  const size = test.sampleSize;
  const side = Math.round(Math.sqrt(size));
  const pixels = new Uint8Array(n * size);
  for (let k = 0; k < n; k++) {
    const image = test.features.subarray(k * size, (k + 1) * size);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of image) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (let i = 0; i < size; i++)
      pixels[k * size + i] = Math.round((255 * (image[i]! - lo)) / (hi - lo || 1));
  }
  return {
    kind: 'images',
    classes: test.numClasses,
    pixels,
    height: side,
    width: side,
    labels: test.labels.slice(0, n),
  };
}

/** Predictions on the shown digits and the confusion matrix over the whole test split. */
export function digitsView(model: Module, test: TensorDataset): DigitsView {
  const { cls } = classify(model, test.features, [test.length, ...test.sampleShape]);
  const k = test.numClasses;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < test.length; i++) confusion[test.labels[i]!]![cls[i]!]!++;
  return { kind: 'images', predicted: cls.slice(0, Math.min(SHOWN_DIGITS, test.length)), confusion };
}
