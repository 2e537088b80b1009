/**
 * Feature transforms: pure functions of typed arrays, fitted on the training set and applied
 * unchanged to validation and test data (fitting on anything but the training set leaks it).
 *
 * Every scaling here is one `Normalize`: y = (x − mean) / std, per feature, per channel or for all
 * features at once, computed in float64 and rounded once to float32 (torchvision's `Normalize` order:
 * subtract, then divide).
 * - `normalize(mean, std)`: given statistics (e.g. MNIST's customary 0.1307 and 0.3081);
 * - `standardize().fit(train)`: mean 0 and standard deviation 1 per feature, as the course recommends
 *   (population std, as scikit-learn's StandardScaler); a feature with std 0 is only centred;
 * - `minMaxScale().fit(train)`: each feature to [0, 1] over the training set (a constant one is only shifted);
 * - `scaleToUnit(max = 255)`: raw 0 … max pixel values to [0, 1].
 * `flattenSamples()` turns samples of any shape into vectors; `composeTransforms(a, b)` applies a, then b.
 * `oneHot(labels, numClasses)` turns class indices into float targets (for MSE on one-hot vectors).
 *
 * Transforms serialize with `toJSON()` and come back with `transformFromJSON`, so a run directory can
 * store the fitted statistics and evaluation can apply exactly them.
 *
 * @example
 * const scaler = standardize().fit(train);
 * const trainS = scaler.apply(train), testS = scaler.apply(test);
 */
import { checkOptions } from '../util/options.js';
import type { TensorDataset } from './dataset.js';

export type TransformJSON =
  | { type: 'normalize'; mean: number[]; std: number[] }
  | { type: 'flatten' }
  | { type: 'compose'; transforms: TransformJSON[] };

/** A transform of whole samples that keeps the number of features (the shape may change). */
export abstract class Transform {
  /** The sample shape this transform produces from samples of `sampleShape` (throws if they do not fit). */
  abstract outputShape(sampleShape: readonly number[]): number[];
  /**
   * Writes the transform of `src` (whole samples of `sampleShape`, row-major) into `dst`, which has the
   * same length and may be `src` itself (in place).
   */
  abstract transformInto(src: Float32Array, dst: Float32Array, sampleShape: readonly number[]): void;
  abstract toJSON(): TransformJSON;

  /** A new dataset with transformed features (the input is untouched; labels are shared). */
  apply(dataset: TensorDataset): TensorDataset {
    const shape = this.outputShape(dataset.sampleShape);
    const out = new Float32Array(dataset.features.length);
    this.transformInto(dataset.features, out, dataset.sampleShape);
    return dataset.withFeatures(out, shape);
  }
}

/**
 * y = (x − mean) / std. `mean` and `std` are numbers (all features), arrays with one entry per feature
 * (length D), or, for samples of rank ≥ 2, one entry per channel (length sampleShape[0]), as in
 * torchvision's `Normalize`.
 */
export class Normalize extends Transform {
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: number | ArrayLike<number>, std: number | ArrayLike<number>) {
    super();
    this.mean = typeof mean === 'number' ? [mean] : Array.from(mean);
    this.std = typeof std === 'number' ? [std] : Array.from(std);
    if (this.mean.length !== this.std.length && this.mean.length !== 1 && this.std.length !== 1) {
      throw new RangeError(`normalize: mean has ${this.mean.length} entries but std has ${this.std.length}`);
    }
    this.mean.forEach((m) => {
      if (!Number.isFinite(m)) throw new RangeError(`normalize: mean must be finite, got ${m}`);
    });
    this.std.forEach((s) => {
      if (!(Number.isFinite(s) && s !== 0))
        throw new RangeError(`normalize: std must be finite and non-zero, got ${s}`);
    });
  }

  outputShape(sampleShape: readonly number[]): number[] {
    this.layout(sampleShape);
    return [...sampleShape];
  }

  transformInto(src: Float32Array, dst: Float32Array, sampleShape: readonly number[]): void {
    checkSameLength(src, dst);
    const { d, repeat } = this.layout(sampleShape);
    const k = Math.max(this.mean.length, this.std.length);
    const mean = Float64Array.from({ length: k }, (_, i) => this.mean[this.mean.length === 1 ? 0 : i]!);
    const std = Float64Array.from({ length: k }, (_, i) => this.std[this.std.length === 1 ? 0 : i]!);
    if (k === 1) {
      const m = mean[0]!;
      const s = std[0]!;
      for (let i = 0; i < src.length; i++) dst[i] = (src[i]! - m) / s;
      return;
    }
    // Feature j of a sample uses statistic floor(j / repeat): repeat = 1 per feature, H·W per channel.
    for (let base = 0; base < src.length; base += d) {
      for (let c = 0; c < k; c++) {
        const m = mean[c]!;
        const s = std[c]!;
        const end = base + (c + 1) * repeat;
        for (let i = base + c * repeat; i < end; i++) dst[i] = (src[i]! - m) / s;
      }
    }
  }

  toJSON(): TransformJSON {
    return { type: 'normalize', mean: [...this.mean], std: [...this.std] };
  }

  private layout(sampleShape: readonly number[]): { d: number; repeat: number } {
    const d = sampleShape.reduce((a, b) => a * b, 1);
    const k = Math.max(this.mean.length, this.std.length);
    if (k === 1) return { d, repeat: d };
    if (k === d) return { d, repeat: 1 };
    if (sampleShape.length >= 2 && k === sampleShape[0]) return { d, repeat: d / k };
    throw new RangeError(
      `normalize: ${k} statistics fit neither the ${d} features nor the ${sampleShape.length >= 2 ? `${sampleShape[0]} channels` : 'channels'} of samples of shape [${sampleShape.join(', ')}]`,
    );
  }
}

/** See `Normalize`. */
export function normalize(mean: number | ArrayLike<number>, std: number | ArrayLike<number>): Normalize {
  return new Normalize(mean, std);
}

/** Raw values in [0, max] (pixels: 0 … 255) to [0, 1]: `normalize(0, max)`. */
export function scaleToUnit(max = 255): Normalize {
  return new Normalize(0, max);
}

/** Over what a fitted statistic is computed: each feature, each channel (sampleShape[0]), or all. */
export type StatisticsOver = 'feature' | 'channel' | 'all';

export interface TransformFitOptions {
  /** Default 'feature'. */
  per?: StatisticsOver;
}

/** A transform whose parameters come from data: `fit(train)` returns the transform to apply everywhere. */
export interface Fittable<T extends Transform = Transform> {
  fit(train: TensorDataset): T;
}

/**
 * Standardization, fitted on the training set: mean[j] and the population standard deviation std[j]
 * (divisor N) of each feature j (or channel, or of all features with `per`), then y = (x − mean) / std.
 * A feature with std 0 is centred and left unscaled (std taken as 1).
 */
export function standardize(options: TransformFitOptions = {}): Fittable<Normalize> {
  checkOptions('standardize', options, { per: true });
  return {
    fit(train: TensorDataset): Normalize {
      const { groups, repeat } = grouping('standardize', train, options.per ?? 'feature');
      const sum = new Float64Array(groups);
      const sq = new Float64Array(groups);
      forEachGroup(train, groups, repeat, (g, v) => {
        sum[g]! += v;
      });
      const count = (train.length * train.sampleSize) / groups;
      const mean = Array.from(sum, (s) => s / count);
      forEachGroup(train, groups, repeat, (g, v) => {
        const dv = v - mean[g]!;
        sq[g]! += dv * dv;
      });
      const std = Array.from(sq, (s) => {
        const sd = Math.sqrt(s / count);
        return sd > 0 && Number.isFinite(sd) ? sd : 1;
      });
      return new Normalize(mean, std);
    },
  };
}

/** Min–max scaling to [0, 1], fitted on the training set: y = (x − min) / (max − min); max = min → shift only. */
export function minMaxScale(options: TransformFitOptions = {}): Fittable<Normalize> {
  checkOptions('minMaxScale', options, { per: true });
  return {
    fit(train: TensorDataset): Normalize {
      const { groups, repeat } = grouping('minMaxScale', train, options.per ?? 'feature');
      const lo = new Float64Array(groups).fill(Infinity);
      const hi = new Float64Array(groups).fill(-Infinity);
      forEachGroup(train, groups, repeat, (g, v) => {
        if (v < lo[g]!) lo[g] = v;
        if (v > hi[g]!) hi[g] = v;
      });
      return new Normalize(
        Array.from(lo),
        Array.from(lo, (l, g) => (hi[g]! > l ? hi[g]! - l : 1)),
      );
    },
  };
}

/** Samples of any shape as vectors of their D features (row-major; no data changes). */
export class FlattenSamples extends Transform {
  outputShape(sampleShape: readonly number[]): number[] {
    return [sampleShape.reduce((a, b) => a * b, 1)];
  }

  transformInto(src: Float32Array, dst: Float32Array): void {
    checkSameLength(src, dst);
    if (src !== dst) dst.set(src);
  }

  toJSON(): TransformJSON {
    return { type: 'flatten' };
  }
}

export function flattenSamples(): FlattenSamples {
  return new FlattenSamples();
}

/** Applies transforms in order. */
export class ComposedTransform extends Transform {
  constructor(readonly transforms: readonly Transform[]) {
    super();
  }

  outputShape(sampleShape: readonly number[]): number[] {
    return this.transforms.reduce<number[]>((shape, t) => t.outputShape(shape), [...sampleShape]);
  }

  transformInto(src: Float32Array, dst: Float32Array, sampleShape: readonly number[]): void {
    checkSameLength(src, dst);
    if (this.transforms.length === 0) {
      if (src !== dst) dst.set(src);
      return;
    }
    let shape = [...sampleShape];
    let from = src;
    for (const t of this.transforms) {
      t.transformInto(from, dst, shape);
      shape = t.outputShape(shape);
      from = dst;
    }
  }

  toJSON(): TransformJSON {
    return { type: 'compose', transforms: this.transforms.map((t) => t.toJSON()) };
  }
}

export function composeTransforms(...transforms: Transform[]): ComposedTransform {
  return new ComposedTransform(transforms);
}

/** Rebuilds a transform from its `toJSON()`. */
export function transformFromJSON(json: TransformJSON): Transform {
  if (json === null || typeof json !== 'object') throw new TypeError('transformFromJSON: expected an object');
  switch (json.type) {
    case 'normalize':
      return new Normalize(json.mean, json.std);
    case 'flatten':
      return new FlattenSamples();
    case 'compose':
      return new ComposedTransform(json.transforms.map(transformFromJSON));
    default:
      throw new TypeError(
        `transformFromJSON: unknown transform type ${JSON.stringify((json as { type: unknown }).type)}; expected normalize, flatten or compose`,
      );
  }
}

/**
 * One-hot float targets: row i has a 1 in column labels[i] and 0 elsewhere (N × numClasses, row-major).
 *
 * @example
 * oneHot(new Int32Array([2, 0]), 3); // Float32Array [0, 0, 1, 1, 0, 0]
 */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new RangeError(`oneHot: label ${i} is ${y}, outside [0, ${numClasses})`);
    }
    out[i * numClasses + y] = 1;
  }
  return out;
}

function checkSameLength(src: Float32Array, dst: Float32Array): void {
  if (src.length !== dst.length) {
    throw new RangeError(`transform: output has ${dst.length} values for ${src.length} inputs`);
  }
}

function grouping(op: string, train: TensorDataset, per: StatisticsOver): { groups: number; repeat: number } {
  if (train.length === 0) throw new RangeError(`${op}: cannot fit on an empty dataset`);
  const d = train.sampleSize;
  if (per === 'all') return { groups: 1, repeat: d };
  if (per === 'feature') return { groups: d, repeat: 1 };
  if (per === 'channel') {
    if (train.sampleShape.length < 2) {
      throw new RangeError(
        `${op}: per-channel statistics need samples of shape [C, ...], got [${train.sampleShape.join(', ')}]`,
      );
    }
    const c = train.sampleShape[0]!;
    return { groups: c, repeat: d / c };
  }
  throw new RangeError(`${op}: per must be 'feature', 'channel' or 'all', got ${JSON.stringify(per)}`);
}

/** Calls fn(group, value) for every feature value; feature j of a sample is in group floor(j / repeat). */
function forEachGroup(
  ds: TensorDataset,
  groups: number,
  repeat: number,
  fn: (group: number, value: number) => void,
): void {
  const x = ds.features;
  const d = ds.sampleSize;
  for (let base = 0; base < x.length; base += d) {
    for (let g = 0; g < groups; g++) {
      const end = base + (g + 1) * repeat;
      for (let i = base + g * repeat; i < end; i++) fn(g, x[i]!);
    }
  }
}
