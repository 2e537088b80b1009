/**
 * Mini-batches from a `TensorDataset`, as PyTorch's `DataLoader` gives them: `{ x, y }` with x float32
 * [B, ...sampleShape] and y int32 [B] (or float32 [B, numClasses] with `targets: 'one-hot'`).
 *
 * Order. Without `shuffle`, samples come in dataset order. With it, epoch k visits the samples in the
 * order `epochPermutation(N, seed, k)`: a Fisher–Yates shuffle driven by a generator seeded from
 * (seed, k) alone, so any epoch's order can be recomputed without replaying the ones before it. The
 * loader keeps an epoch counter: each `for … of` pass uses `loader.epoch` and advances it by one when
 * it starts; `setEpoch(k)` chooses the next pass's epoch (the trainer calls it before every epoch with
 * the number of epochs completed, so a resumed run sees the same orders as an uninterrupted one), and
 * `iterate(k)` runs epoch k without touching the counter. The seed is `options.seed`; or, when a
 * `generator` is given (or neither, with `shuffle`), it is drawn once from that generator (the
 * default one seeded by `manualSeed`) when the loader is made, and reported by `loader.seed`.
 *
 * Ownership. Every batch is two fresh tensors that belong to the consumer: the trainer pulls each
 * batch inside its step's memory scope, which releases them when the step ends; a hand-written loop
 * runs its step in `scope(…)` too, or calls `dispose()` on them. Batches are assembled by copying
 * whole rows out of the dataset's typed arrays into one reusable buffer (no per-element tensor work),
 * then the optional `transform` runs on that buffer in place.
 *
 * @example
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   loader.setEpoch(epoch);
 *   for (const { x, y } of loader) scope(() => step(x, y)); // x, y released with the step's scope
 * }
 */
import { tensor } from '../tensor/creation.js';
import { getDefaultGenerator, type Generator as RandomGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import type { TensorDataset } from './dataset.js';
import { epochPermutation } from './permutation.js';
import type { Transform } from './transforms.js';

export interface DataLoaderOptions {
  /** Samples per batch (≥ 1). */
  batchSize: number;
  /** Reshuffle every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it has fewer than batchSize samples (default false). */
  dropLast?: boolean;
  /** Seed of the shuffling; see the module comment. */
  seed?: number | bigint;
  /** Draw the seed from this generator when the loader is made (used when `seed` is absent). */
  generator?: RandomGenerator;
  /** Applied to each batch's features (in place, on the copied rows), e.g. a fitted `standardize()`. */
  transform?: Transform;
  /** 'indices' (default): y int32 [B]; 'one-hot': y float32 [B, numClasses]. */
  targets?: 'indices' | 'one-hot';
}

export interface LoaderBatch {
  x: Tensor;
  y: Tensor;
}

export interface IterateOptions {
  /** Skip the first batches of the epoch (resuming mid-epoch); default 0. */
  startBatch?: number;
}

export class DataLoader implements Iterable<LoaderBatch> {
  readonly dataset: TensorDataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** The seed of the shuffling (drawn from the generator when not given). */
  readonly seed: bigint;
  readonly transform: Transform | undefined;
  readonly targets: 'indices' | 'one-hot';
  /** The epoch the next `for … of` pass will use. */
  epoch = 0;
  /** Sample shape of the yielded x (after the transform). */
  readonly batchSampleShape: readonly number[];

  private xBuffer: Float32Array | null = null;

  constructor(dataset: TensorDataset, options: DataLoaderOptions) {
    checkOptions('DataLoader', options, {
      batchSize: true,
      shuffle: true,
      dropLast: true,
      seed: true,
      generator: true,
      transform: true,
      targets: true,
    });
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (options.targets !== undefined && options.targets !== 'indices' && options.targets !== 'one-hot') {
      throw new RangeError(
        `DataLoader: targets must be 'indices' or 'one-hot', got ${JSON.stringify(options.targets)}`,
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.transform = options.transform;
    this.targets = options.targets ?? 'indices';
    this.batchSampleShape = Object.freeze(
      this.transform ? this.transform.outputShape(dataset.sampleShape) : [...dataset.sampleShape],
    );
    if (options.seed !== undefined) {
      if (typeof options.seed === 'number' && !Number.isSafeInteger(options.seed)) {
        throw new TypeError(`DataLoader: seed must be a safe integer or a bigint, got ${options.seed}`);
      }
      this.seed = BigInt(options.seed);
    } else if (this.shuffle || options.generator) {
      const g = options.generator ?? getDefaultGenerator();
      this.seed = (BigInt(g.nextUint32()) << 32n) | BigInt(g.nextUint32());
    } else {
      this.seed = 0n;
    }
  }

  /** Batches per epoch: ceil(N / batchSize), or floor with dropLast. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Chooses the epoch of the next `for … of` pass (epochs count from 0). */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0) {
      throw new RangeError(`DataLoader.setEpoch: epoch must be a non-negative integer, got ${epoch}`);
    }
    this.epoch = epoch;
  }

  /** The sample indices of epoch `epoch`, in visiting order (all N, also those a dropped last batch skips). */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return epochPermutation(n, this.seed, epoch);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }

  /** Runs epoch `this.epoch` and advances the counter (see the module comment). */
  [Symbol.iterator](): Iterator<LoaderBatch> {
    const epoch = this.epoch;
    this.epoch = epoch + 1;
    return this.iterate(epoch);
  }

  /** The batches of epoch `epoch`, leaving the epoch counter alone. */
  *iterate(epoch = this.epoch, options: IterateOptions = {}): Generator<LoaderBatch, void, undefined> {
    const order = this.order(epoch);
    const start = options.startBatch ?? 0;
    if (!Number.isInteger(start) || start < 0) {
      throw new RangeError(`DataLoader.iterate: startBatch must be a non-negative integer, got ${start}`);
    }
    for (let b = start; b < this.length; b++) {
      yield this.batch(order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length)));
    }
  }

  /** One batch of the given samples (fresh tensors, owned by the caller). */
  batch(indices: ArrayLike<number>): LoaderBatch {
    const ds = this.dataset;
    const d = ds.sampleSize;
    const m = indices.length;
    const size = m * d;
    if (this.xBuffer === null || this.xBuffer.length < size) this.xBuffer = new Float32Array(size);
    const x = this.xBuffer.length === size ? this.xBuffer : this.xBuffer.subarray(0, size);
    const labels = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const i = indices[k]!;
      if (!(i >= 0 && i < ds.length)) {
        throw new RangeError(`DataLoader.batch: index ${i} is out of range for ${ds.length} samples`);
      }
      labels[k] = ds.labels[i]!;
      x.set(ds.features.subarray(i * d, i * d + d), k * d);
    }
    if (this.transform) this.transform.transformInto(x, x, ds.sampleShape);
    // tensor() copies into the backend's memory, so the row buffer is reused by the next batch.
    const xt = tensor(x, { shape: [m, ...this.batchSampleShape] });
    if (this.targets === 'indices') return { x: xt, y: tensor(labels, { shape: [m] }) };
    const c = ds.numClasses;
    const hot = new Float32Array(m * c);
    for (let k = 0; k < m; k++) hot[k * c + labels[k]!] = 1;
    return { x: xt, y: tensor(hot, { shape: [m, c] }) };
  }
}
