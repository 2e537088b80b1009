/**
 * The data of a run (browser-safe): a train and a test split, then — as a configuration says — a
 * validation split drawn from the training part with the run's seed, and standardization fitted on the
 * training part. `descent train` (cli/run_data.ts, which also reads files) and the lab both go through
 * `prepareRunData`, so that the same configuration gives the same samples in the same order.
 *
 * The synthetic 2-D sets (`spirals`, `moons`, `circles`, `xor`, `blobs`) are built here from the
 * configuration, as `descent train --data spirals` builds them: 1,000 points with the set's default
 * noise, seeded with `seed`, split 80/20 into train and test with the same seed. The lab may change the
 * number of points, the noise and the test fraction; with the defaults it sees the CLI's points.
 */
import type { TensorDataset } from '../data/dataset.js';
import { shuffledIndices } from '../data/permutation.js';
import { randomSplit, splitDataset } from '../data/split.js';
import { type SyntheticName, syntheticDataset } from '../data/synthetic.js';
import { standardize } from '../data/transforms.js';
import { FormatError } from '../io/format_error.js';
import { Generator } from '../tensor/random.js';
import { checkOptions } from '../util/options.js';
import { type RunConfig, SYNTHETIC } from './config_schema.js';

/** The splits a run trains, validates and tests on. */
export interface RunData {
  train: TensorDataset;
  validation: TensorDataset | null;
  test: TensorDataset;
  /** The configuration's `data`: a dataset name or a file path. */
  name: string;
}

/** A train and a test split, before the validation split and standardization. */
export interface TrainTestSplits {
  train: TensorDataset;
  test: TensorDataset;
}

/** Which splits a command reads: an empty one it reads is refused before anything runs. */
export interface SplitUse {
  /** Whether the test split is read (train evaluates on it; lr-find and `eval --split train` do not). */
  test: boolean;
}

const SOURCE = 'run config';

/**
 * The run's splits from a train and a test split: the validation split (`c.validation` of the
 * training samples, seeded with `c.seed`), a refusal of any empty split the run would read (a
 * `FormatError` with the sample counts and the setting that changes them), then standardization fitted
 * on the training part when `c.standardize`.
 */
export function prepareRunData(
  c: RunConfig,
  splits: TrainTestSplits,
  uses: SplitUse = { test: true },
): RunData {
  let { train, test } = splits;
  const loaded = train.length;
  let validation: TensorDataset | null = null;
  if (c.validation > 0) {
    const parts = splitDataset(train, { validation: c.validation, seed: c.seed });
    train = parts.train;
    validation = parts.validation ?? null;
  }
  if (c.trainSize !== undefined) train = keepTrainSamples(c, train);
  checkSplitsNotEmpty(c, { loaded, train, validation, test: uses.test ? test : null });
  if (c.standardize) {
    const scaler = standardize().fit(train);
    train = scaler.apply(train);
    test = scaler.apply(test);
    if (validation) validation = scaler.apply(validation);
  }
  return { train, validation, test, name: c.data };
}

/**
 * `trainSize` samples of the training part, drawn with the run's seed (a generator of its own, so
 * that the validation split and the batches do not move when `trainSize` changes); more than the
 * training part holds is refused with both counts.
 */
function keepTrainSamples(c: RunConfig, train: TensorDataset): TensorDataset {
  const n = c.trainSize as number;
  if (n > train.length) {
    throw new FormatError(
      SOURCE,
      `--train-size ${n}: the training split holds only ${train.length} samples (after the validation split of ${c.validation}); give at most ${train.length}, or leave --train-size out to train on all of them`,
    );
  }
  const order = shuffledIndices(train.length, new Generator(BigInt(c.seed) + TRAIN_SIZE_STREAM));
  return train.subset(order.subarray(0, n));
}

/** Offsets the seed of the `trainSize` subset from the run's other draws from `seed`. */
const TRAIN_SIZE_STREAM = 0x7e57n;

interface SplitSizes {
  /** The training samples before the validation split. */
  loaded: number;
  train: TensorDataset;
  validation: TensorDataset | null;
  /** Null when the command does not read it. */
  test: TensorDataset | null;
}

/**
 * An empty split would stop the run with a library error in the middle of training, or after it, once a
 * checkpoint is written: refused before, with the sample counts and the setting that changes them.
 */
function checkSplitsNotEmpty(c: RunConfig, s: SplitSizes): void {
  if (s.test !== null && s.test.length === 0) {
    throw new FormatError(
      SOURCE,
      `--data ${c.data}: the test split is empty (the data gave ${s.loaded} training samples and 0 test samples); give more data, or a test set with --test-data`,
    );
  }
  if (s.validation !== null && s.validation.length === 0) {
    throw new FormatError(
      SOURCE,
      `--validation ${c.validation}: the validation split of ${s.loaded} training samples is empty (it takes floor(${c.validation} × ${s.loaded}) = 0); raise --validation, give more data, or use --validation 0 (without --early-stopping or --schedule plateau)`,
    );
  }
  if (s.train.length === 0) {
    throw new FormatError(
      SOURCE,
      `--data ${c.data}: the training split is empty (${s.loaded} samples, ${s.validation?.length ?? 0} of them for validation); lower --validation or give more data`,
    );
  }
}

/** How a synthetic set is drawn; the defaults are `descent train`'s. */
export interface SyntheticDataOptions {
  /** Points in all (default 1,000). */
  n?: number;
  /** Standard deviation of the noise added to each coordinate (default: the set's own, see synthetic.ts). */
  noise?: number;
  /** Fraction of the points held out for testing (default 0.2). */
  testFraction?: number;
}

/** Whether a configuration's `data` names a synthetic 2-D set. */
export function isSynthetic(data: string): data is SyntheticName {
  return (SYNTHETIC as readonly string[]).includes(data);
}

/**
 * The train and test splits of the synthetic set `c.data` (see the module comment). Only the mlp takes
 * 2-D points: an image architecture is refused with a `FormatError`.
 */
export function syntheticSplits(c: RunConfig, options: SyntheticDataOptions = {}): TrainTestSplits {
  checkOptions('syntheticSplits', options, { n: true, noise: true, testFraction: true });
  if (!isSynthetic(c.data)) {
    throw new FormatError(
      SOURCE,
      `data ${JSON.stringify(c.data)} is not a synthetic set; accepted: ${SYNTHETIC.join(', ')}`,
    );
  }
  if (c.arch !== 'mlp') {
    throw new FormatError(
      SOURCE,
      `--arch ${c.arch} needs image data; synthetic 2-D sets work with --arch mlp`,
    );
  }
  const t = options.testFraction ?? 0.2;
  if (!(t > 0 && t < 1)) {
    throw new RangeError(`syntheticSplits: testFraction must be in (0, 1), got ${t}`);
  }
  const all = syntheticDataset(c.data, {
    n: options.n ?? 1000,
    seed: c.seed,
    ...(options.noise === undefined ? {} : { noise: options.noise }),
  });
  const [train, test] = randomSplit(all, [1 - t, t], { seed: c.seed }) as [TensorDataset, TensorDataset];
  return { train, test };
}

/** A synthetic run's data, as `descent train --data <set>` loads it (see the module comment). */
export function syntheticRunData(c: RunConfig, options: SyntheticDataOptions = {}): RunData {
  return prepareRunData(c, syntheticSplits(c, options));
}
