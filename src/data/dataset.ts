/**
 * A labelled dataset held in two typed arrays: the features of N samples as one row-major
 * `Float32Array` (N × D, D the product of `sampleShape`) and their class labels as an `Int32Array`.
 * Everything else in `src/data` (splits, loaders, transforms, file readers) builds on it, and batches
 * are cut from it by copying rows, never element by element.
 *
 * A dataset is immutable by convention: `subset`, `reshape` and the transforms return new datasets;
 * `reshape` shares the arrays (like a tensor view), the others copy.
 *
 * @example
 * const ds = new TensorDataset(new Float32Array([0, 1, 2, 3, 4, 5]), new Int32Array([0, 1, 1]), {
 *   sampleShape: [2],
 * });
 * ds.length;      // 3
 * ds.numClasses;  // 2
 * ds.subset([2, 0]).labels; // Int32Array [1, 0]
 */
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';

export interface TensorDatasetOptions {
  /** The shape of one sample, e.g. `[784]` or `[1, 28, 28]`; defaults to `[features.length / N]`. */
  sampleShape?: readonly number[];
  /** Number of classes; defaults to the largest label + 1. Labels must lie in [0, numClasses). */
  numClasses?: number;
  /** Optional names of the classes (`classNames[k]` is class k), e.g. Fashion-MNIST's garment names. */
  classNames?: readonly string[];
}

export class TensorDataset {
  /** Row-major features: sample i is `features.subarray(i * sampleSize, (i + 1) * sampleSize)`. */
  readonly features: Float32Array;
  /** Class labels in [0, numClasses). */
  readonly labels: Int32Array;
  readonly sampleShape: readonly number[];
  /** D: the number of features of one sample (the product of `sampleShape`). */
  readonly sampleSize: number;
  readonly numClasses: number;
  readonly classNames: readonly string[] | undefined;

  constructor(features: Float32Array, labels: Int32Array, options: TensorDatasetOptions = {}) {
    checkOptions('TensorDataset', options, { sampleShape: true, numClasses: true, classNames: true });
    if (!(features instanceof Float32Array)) {
      throw new TypeError('TensorDataset: features must be a Float32Array (N × D, row-major)');
    }
    if (!(labels instanceof Int32Array)) throw new TypeError('TensorDataset: labels must be an Int32Array');
    const n = labels.length;
    let shape = options.sampleShape;
    if (shape === undefined) {
      if (n === 0) throw new RangeError('TensorDataset: an empty dataset needs options.sampleShape');
      if (features.length % n !== 0) {
        throw new RangeError(
          `TensorDataset: ${features.length} features cannot be split evenly among ${n} labels (${features.length} / ${n} is not a whole number of features per sample); give one label per sample, or options.sampleShape`,
        );
      }
      shape = [features.length / n];
    }
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new RangeError(
        `TensorDataset: sampleShape must be non-negative integers, got [${shape.join(', ')}]`,
      );
    }
    const d = shape.reduce((a, b) => a * b, 1);
    if (features.length !== n * d) {
      throw new RangeError(
        `TensorDataset: ${n} labels with samples of shape [${shape.join(', ')}] need ${n * d} features, got ${features.length}`,
      );
    }
    let max = -1;
    for (let i = 0; i < n; i++) {
      const y = labels[i]!;
      if (y < 0) throw new RangeError(`TensorDataset: label ${i} is ${y}; labels must be class indices ≥ 0`);
      if (y > max) max = y;
    }
    const numClasses = options.numClasses ?? max + 1;
    if (!Number.isInteger(numClasses) || numClasses < 0) {
      throw new RangeError(`TensorDataset: numClasses must be a non-negative integer, got ${numClasses}`);
    }
    if (max >= numClasses) {
      throw new RangeError(`TensorDataset: label ${max} is out of range for numClasses = ${numClasses}`);
    }
    if (options.classNames !== undefined && options.classNames.length !== numClasses) {
      throw new RangeError(
        `TensorDataset: ${options.classNames.length} class names given for ${numClasses} classes`,
      );
    }
    this.features = features;
    this.labels = labels;
    this.sampleShape = Object.freeze([...shape]);
    this.sampleSize = d;
    this.numClasses = numClasses;
    this.classNames = options.classNames === undefined ? undefined : Object.freeze([...options.classNames]);
  }

  /** N, the number of samples. */
  get length(): number {
    return this.labels.length;
  }

  /** The features of sample i (a view into `features`, not a copy). */
  sample(i: number): Float32Array {
    this.checkIndex('sample', i);
    return this.features.subarray(i * this.sampleSize, (i + 1) * this.sampleSize);
  }

  /** The samples at `indices`, in that order (repeats allowed), copied into a new dataset. */
  subset(indices: ArrayLike<number>): TensorDataset {
    const d = this.sampleSize;
    const m = indices.length;
    const features = new Float32Array(m * d);
    const labels = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const i = indices[k]!;
      this.checkIndex('subset', i);
      labels[k] = this.labels[i]!;
      if (d > 0) features.set(this.features.subarray(i * d, i * d + d), k * d);
    }
    return this.derive(features, labels);
  }

  /** Samples start … end − 1 (a copy). */
  slice(start: number, end = this.length): TensorDataset {
    const lo = Math.max(0, Math.min(start, this.length));
    const hi = Math.max(lo, Math.min(end, this.length));
    return this.derive(
      this.features.slice(lo * this.sampleSize, hi * this.sampleSize),
      this.labels.slice(lo, hi),
    );
  }

  /** The same samples viewed with another sample shape of the same size, e.g. [784] ↔ [1, 28, 28]; shares the arrays. */
  reshape(sampleShape: readonly number[]): TensorDataset {
    const d = sampleShape.reduce((a, b) => a * b, 1);
    if (d !== this.sampleSize) {
      throw new RangeError(
        `TensorDataset.reshape: samples of shape [${this.sampleShape.join(', ')}] have ${this.sampleSize} features, [${sampleShape.join(', ')}] has ${d}`,
      );
    }
    return new TensorDataset(this.features, this.labels, {
      sampleShape,
      numClasses: this.numClasses,
      ...(this.classNames === undefined ? {} : { classNames: this.classNames }),
    });
  }

  /** How many samples each class has (index = class). */
  classCounts(): number[] {
    const counts = new Array<number>(this.numClasses).fill(0);
    for (let i = 0; i < this.labels.length; i++) counts[this.labels[i]!]! += 1;
    return counts;
  }

  /**
   * The whole dataset as two new tensors on the current backend: x float32 [N, ...sampleShape] and
   * y int32 [N]. The caller owns them (they belong to the enclosing scope, if any).
   */
  toTensors(): { x: Tensor; y: Tensor } {
    return {
      x: tensor(this.features, { shape: [this.length, ...this.sampleShape] }),
      y: tensor(this.labels, { shape: [this.length] }),
    };
  }

  /** A dataset with new features (same number of samples) and optionally a new sample shape; labels shared. */
  withFeatures(features: Float32Array, sampleShape: readonly number[] = this.sampleShape): TensorDataset {
    return new TensorDataset(features, this.labels, {
      sampleShape,
      numClasses: this.numClasses,
      ...(this.classNames === undefined ? {} : { classNames: this.classNames }),
    });
  }

  private derive(features: Float32Array, labels: Int32Array): TensorDataset {
    return new TensorDataset(features, labels, {
      sampleShape: this.sampleShape,
      numClasses: this.numClasses,
      ...(this.classNames === undefined ? {} : { classNames: this.classNames }),
    });
  }

  private checkIndex(op: string, i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`TensorDataset.${op}: index ${i} is out of range for ${this.length} samples`);
    }
  }
}

/**
 * The samples of several datasets one after another (e.g. train + test for an evaluation on
 * everything). Sample shapes must agree; numClasses is the largest of theirs.
 */
export function concatDatasets(datasets: readonly TensorDataset[]): TensorDataset {
  if (datasets.length === 0) throw new RangeError('concatDatasets: needs at least one dataset');
  const first = datasets[0]!;
  const key = first.sampleShape.join(',');
  for (const ds of datasets) {
    if (ds.sampleShape.join(',') !== key) {
      throw new RangeError(
        `concatDatasets: sample shapes differ: [${first.sampleShape.join(', ')}] and [${ds.sampleShape.join(', ')}]`,
      );
    }
  }
  const n = datasets.reduce((s, ds) => s + ds.length, 0);
  const features = new Float32Array(n * first.sampleSize);
  const labels = new Int32Array(n);
  let at = 0;
  for (const ds of datasets) {
    features.set(ds.features, at * first.sampleSize);
    labels.set(ds.labels, at);
    at += ds.length;
  }
  const numClasses = Math.max(...datasets.map((ds) => ds.numClasses));
  const names = datasets.find((ds) => ds.classNames?.length === numClasses)?.classNames;
  return new TensorDataset(features, labels, {
    sampleShape: first.sampleShape,
    numClasses,
    ...(names === undefined ? {} : { classNames: names }),
  });
}
