/**
 * Deterministic train/validation/test splits by seed.
 *
 * A split is a function of (labels, sizes, seed, stratify) only:
 * - plain: one Fisher–Yates permutation of 0 … N − 1 from `new Generator(seed)`, cut into consecutive
 *   parts (like `torch.utils.data.random_split`, but with descent's generator);
 * - stratified: each class's indices (ascending) are permuted in class order with the same generator,
 *   every part receives from each class a share proportional to the class's size (largest remainder,
 *   ties to the lower class, so part sizes are exact), and each part is then shuffled, so no part is
 *   ordered by class.
 * Parts are disjoint and together cover every sample. The default seed is 0: a split never depends on
 * the global generator.
 *
 * @example
 * const { train, validation } = splitDataset(ds, { validation: 0.1, seed: 1 });
 * const [a, b] = randomSplit(ds, [800, 200], { seed: 7, stratify: true });
 */
import { Generator } from '../tensor/random.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import type { TensorDataset } from './dataset.js';
import { shuffledIndices, shuffleInPlace } from './permutation.js';

export interface SplitOptions {
  /** Seed of the split's generator (default 0). */
  seed?: number | bigint;
  /** Keep each class's proportion in every part (default false). */
  stratify?: boolean;
}

/**
 * Resolves part sizes: counts that add up to n, or fractions that add up to 1 (floor(f·n) each, the
 * remainder handed out one by one from the first part, as PyTorch does).
 */
function resolveSizes(op: string, n: number, sizes: readonly number[]): number[] {
  if (sizes.length === 0) throw new RangeError(`${op}: needs at least one part size`);
  if (sizes.some((s) => !(Number.isFinite(s) && s >= 0))) {
    throw new RangeError(`${op}: part sizes must be finite and ≥ 0, got [${sizes.join(', ')}]`);
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sizes.every(Number.isInteger) && sum === n) return [...sizes];
  if (Math.abs(sum - 1) < 1e-9 && sizes.every((s) => s <= 1)) {
    const counts = sizes.map((f) => Math.floor(f * n));
    let left = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i]! += 1;
    return counts;
  }
  throw new RangeError(
    `${op}: part sizes [${sizes.join(', ')}] must be counts adding up to the ${n} samples or fractions adding up to 1`,
  );
}

const SPLIT_KEYS: OptionKeys<SplitOptions> = { seed: true, stratify: true };

/** The index lists of a split of `labels` (or of n unlabelled samples) into parts of `sizes`. */
export function splitIndices(
  labels: Int32Array | number,
  sizes: readonly number[],
  options: SplitOptions = {},
): Int32Array[] {
  checkOptions('splitIndices', options, SPLIT_KEYS);
  const n = typeof labels === 'number' ? labels : labels.length;
  const counts = resolveSizes('splitIndices', n, sizes);
  const generator = new Generator(options.seed ?? 0);
  if (!options.stratify) {
    const order = shuffledIndices(n, generator);
    const parts: Int32Array[] = [];
    let at = 0;
    for (const c of counts) {
      parts.push(order.slice(at, at + c));
      at += c;
    }
    return parts;
  }
  if (typeof labels === 'number') throw new TypeError('splitIndices: a stratified split needs the labels');
  const byClass = membersByClass(labels);
  const allocation = allocate(
    byClass.map((m) => m.length),
    counts,
  );
  const parts = counts.map((c) => new Int32Array(c));
  const filled = counts.map(() => 0);
  byClass.forEach((members, c) => {
    shuffleInPlace(members, generator);
    let at = 0;
    allocation[c]!.forEach((k, p) => {
      parts[p]!.set(members.subarray(at, at + k), filled[p]!);
      filled[p]! += k;
      at += k;
    });
  });
  for (const part of parts) shuffleInPlace(part, generator);
  return parts;
}

/** Random disjoint subsets of `sizes` (counts or fractions), by seed; see the module comment. */
export function randomSplit(
  dataset: TensorDataset,
  sizes: readonly number[],
  options: SplitOptions = {},
): TensorDataset[] {
  checkOptions('randomSplit', options, SPLIT_KEYS);
  return splitIndices(dataset.labels, sizes, options).map((idx) => dataset.subset(idx));
}

export interface SplitDatasetOptions extends SplitOptions {
  /** Validation part: a fraction in (0, 1) or a count of samples (default none). */
  validation?: number;
  /** Test part: a fraction in (0, 1) or a count of samples (default none). */
  test?: number;
}

export interface DatasetSplits {
  train: TensorDataset;
  validation?: TensorDataset;
  test?: TensorDataset;
}

/**
 * Splits off a validation and/or a test part; train is the rest. Fractions are of the whole dataset
 * (rounded down; train keeps the remainder). Parts are drawn in the order train, validation, test.
 */
export function splitDataset(dataset: TensorDataset, options: SplitDatasetOptions): DatasetSplits {
  checkOptions('splitDataset', options, { ...SPLIT_KEYS, validation: true, test: true });
  const n = dataset.length;
  const count = (name: string, v: number | undefined): number => {
    if (v === undefined) return 0;
    if (!Number.isFinite(v) || v < 0 || (v >= 1 && !Number.isInteger(v))) {
      throw new RangeError(`splitDataset: ${name} must be a fraction in [0, 1) or a whole count, got ${v}`);
    }
    return v < 1 ? Math.floor(v * n) : v;
  };
  const nVal = count('validation', options.validation);
  const nTest = count('test', options.test);
  if (nVal + nTest > n) {
    throw new RangeError(
      `splitDataset: validation (${nVal}) and test (${nTest}) need more than the ${n} samples there are`,
    );
  }
  const { seed, stratify } = options;
  const sizes = [n - nVal - nTest, nVal, nTest];
  const [train, validation, test] = splitIndices(dataset.labels, sizes, { seed, stratify });
  const out: DatasetSplits = { train: dataset.subset(train!) };
  if (options.validation !== undefined) out.validation = dataset.subset(validation!);
  if (options.test !== undefined) out.test = dataset.subset(test!);
  return out;
}

function membersByClass(labels: Int32Array): Int32Array[] {
  let classes = 0;
  for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i]! + 1);
  const sizes = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]!]! += 1;
  const members = sizes.map((s) => new Int32Array(s));
  const at = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    members[c]![at[c]!++] = i;
  }
  return members;
}

/**
 * allocation[c][p]: how many samples of class c go to part p. Rows add up to the class sizes and
 * columns to the part sizes: each part but the last takes its share of what is left of every class by
 * largest remainder (ties to the lower class); the last part takes the rest.
 */
function allocate(classSizes: readonly number[], partSizes: readonly number[]): number[][] {
  const left = [...classSizes];
  const out = classSizes.map(() => new Array<number>(partSizes.length).fill(0));
  let total = left.reduce((a, b) => a + b, 0);
  partSizes.forEach((size, p) => {
    if (p === partSizes.length - 1) {
      left.forEach((l, c) => {
        out[c]![p] = l;
      });
      return;
    }
    const quotas = left.map((l) => (total === 0 ? 0 : (size * l) / total));
    const take = quotas.map(Math.floor);
    let rest = size - take.reduce((a, b) => a + b, 0);
    const order = quotas
      .map((q, c) => ({ c, frac: q - Math.floor(q) }))
      .sort((a, b) => b.frac - a.frac || a.c - b.c);
    for (const { c } of order) {
      if (rest === 0) break;
      if (take[c]! < left[c]!) {
        take[c]! += 1;
        rest--;
      }
    }
    take.forEach((t, c) => {
      out[c]![p] = t;
      left[c]! -= t;
    });
    total -= size;
  });
  return out;
}
