/**
 * Turns what the user passes as data into batches: a `BatchSource` (an array of batches, a generator,
 * a `DataLoader`) is used as it is; a `TensorDataset` gets a `DataLoader` with the given `batchSize`,
 * `shuffle` and `seed`; in-memory tensors `{ x, y }` are cut into batches of `batchSize`
 * along the first axis, in a seeded random order per epoch when `shuffle` is on (Fisher–Yates on
 * `Generator(seed + 7919·epoch)`), so two runs with the same seed see the same batches.
 *
 * Batches of unshuffled tensors are views (no copy); shuffled batches are gathered copies made inside
 * the step's scope, so they are released when the step ends.
 */
import { withBackend } from '../backend/registry.js';
import { TensorDataset } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import { indexSelect } from '../ops/indexing.js';
import { slice } from '../ops/shape_ops.js';
import { tensor } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Batch, BatchSource, TensorData, TrainData } from './types.js';

interface BatchOptions {
  /** Samples per batch for tensor data (default 32). Loaders have their own. */
  batchSize?: number;
  /** Reorder tensor data each epoch (fit: default true; evaluate: always false). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 0). */
  seed?: number;
}

export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'function') return 'a function';
  return (x as object).constructor?.name ?? 'an object';
}

function isTensorData(data: unknown): data is TensorData {
  return (
    typeof data === 'object' &&
    data !== null &&
    !(Symbol.iterator in data) &&
    (data as TensorData).x instanceof Tensor &&
    (data as TensorData).y instanceof Tensor
  );
}

function isBatchSource(data: unknown): data is BatchSource {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * A `BatchSource` for `data`. `who` and `what` name the caller and the argument in error messages
 * (e.g. 'fit', 'validation').
 */
export function toBatchSource(
  who: string,
  what: string,
  data: TrainData,
  options: BatchOptions,
): BatchSource {
  if (data instanceof TensorDataset) {
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`${who}: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
    }
    // An explicit seed: without one a shuffling DataLoader would draw it from the default generator.
    return new DataLoader(data, { batchSize, shuffle: options.shuffle ?? false, seed: options.seed ?? 0 });
  }
  if (isTensorData(data)) return new TensorBatches(who, what, data, options);
  if (isBatchSource(data)) {
    if (options.batchSize !== undefined) {
      throw new RangeError(
        `${who}: batchSize applies to tensor data { x, y }; ${what} is already made of batches (set the loader's batch size instead)`,
      );
    }
    return data;
  }
  throw new TypeError(
    `${who}: ${what} must be tensors { x, y }, a TensorDataset, an array of batches { x, y } or a loader yielding them, got ${describeValue(data)}`,
  );
}

/** Checks one batch (or tensor data, named by `what`) and returns its sample count. */
export function checkBatch(who: string, batch: unknown, what = 'the batch'): number {
  const b = batch as Partial<Batch> | null;
  if (b === null || typeof b !== 'object' || !(b.x instanceof Tensor) || !(b.y instanceof Tensor)) {
    throw new TypeError(
      `${who}: ${what} must be an object { x: Tensor, y: Tensor }, got ${describeValue(batch)}`,
    );
  }
  if (b.x.ndim === 0 || b.y.ndim === 0) {
    throw new RangeError(
      `${who}: ${what} needs a sample axis first; got x of shape [${b.x.shape.join(', ')}] and y of shape [${b.y.shape.join(', ')}]`,
    );
  }
  if (b.x.shape[0] !== b.y.shape[0]) {
    throw new RangeError(
      `${who}: ${what} has ${b.x.shape[0]} inputs but ${b.y.shape[0]} targets (x [${b.x.shape.join(', ')}], y [${b.y.shape.join(', ')}])`,
    );
  }
  return b.x.shape[0]!;
}

class TensorBatches implements BatchSource {
  readonly length: number;
  private readonly batchSize: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private epoch = 0;

  constructor(
    who: string,
    what: string,
    private readonly data: TensorData,
    options: BatchOptions,
  ) {
    const n = checkBatch(who, data, what);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`${who}: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
    }
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`${who}: seed must be an integer, got ${describeValue(seed)}`);
    if (n === 0) throw new RangeError(`${who}: ${what} has no samples`);
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.seed = seed;
    this.length = Math.ceil(n / batchSize);
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const { x, y } = this.data;
    const n = x.shape[0]!;
    const order = this.shuffle ? permutation(n, new Generator(this.seed + 7919 * this.epoch)) : null;
    for (let start = 0; start < n; start += this.batchSize) {
      const end = Math.min(n, start + this.batchSize);
      if (order === null) {
        yield { x: slice(x, 0, start, end), y: slice(y, 0, start, end) };
      } else {
        // On the data's backend, which need not be the default one.
        const index = withBackend(x.backend, () => tensor(order.subarray(start, end), { dtype: 'int32' }));
        yield { x: indexSelect(x, 0, index), y: indexSelect(y, 0, index) };
      }
    }
  }
}

function permutation(n: number, generator: Generator): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = generator.below(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
