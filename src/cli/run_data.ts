/**
 * The data a run configuration names, loaded and checked before anything is trained: bundled MNIST /
 * Fashion-MNIST, a synthetic 2-D set, or the user's IDX or CSV files. Everything wrong with the data is
 * a `UsageError` (exit code 2) naming the flag and the file, found here rather than after training:
 *
 * - flags that do not apply to the kind of data (`--label-column` without CSV data, `--labels` without
 *   IDX data, `--test-data` with bundled or synthetic data, `--test-labels` without `--test-data`);
 * - files that are missing, not regular files, or too large (`checkRegularFile`);
 * - bad values (the parsers' `FormatError`s: non-finite features, bad labels, an empty file…);
 * - a `--test-data` file that does not match the training data: another sample shape (an extra CSV
 *   column, another image size), or a label the training data has no class for (an index at or above
 *   its number of classes, a class name it does not have). Its labels are encoded with the training
 *   data's classes, so that a test file holding only some of the classes numbers them as the training
 *   file does.
 *
 * `--label-column` is a header name, or an integer index counting from 0, negative from the end as in
 * Python (`-1` is the last column); a text that is an integer is always an index.
 */
import fs from 'node:fs';
import { loadCsv } from '../data/csv_file.js';
import { TensorDataset } from '../data/dataset.js';
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { loadIdx } from '../data/idx_file.js';
import { loadMnist } from '../data/mnist.js';
import { MissingPackageError } from '../data/package_resolver.js';
import { randomSplit } from '../data/split.js';
import { FormatError } from '../io/format_error.js';
import { checkRegularFile, READ_LIMITS } from '../io/safe_path.js';
import {
  prepareRunData,
  type RunData,
  type SplitUse,
  syntheticSplits,
  type TrainTestSplits,
} from '../run/run_data.js';
import { dataProgress } from './data_progress.js';
import { asUsage, BUNDLED, type RunConfig, SYNTHETIC, UsageError } from './run_config.js';

export type { RunData, SplitUse } from '../run/run_data.js';

type DataKind = 'bundled' | 'synthetic' | 'csv' | 'idx';

const IMAGE_ARCHS = new Set(['lenet5', 'resnet', 'densenet', 'plain']);
const KIND_NAMES: Record<DataKind, string> = {
  bundled: 'a bundled dataset',
  synthetic: 'a synthetic dataset',
  csv: 'a CSV file',
  idx: 'an IDX file',
};

function dataKind(data: string): DataKind {
  if ((BUNDLED as readonly string[]).includes(data)) return 'bundled';
  if ((SYNTHETIC as readonly string[]).includes(data)) return 'synthetic';
  return /\.csv$/i.test(data) ? 'csv' : 'idx';
}

/** Loads, checks and splits the data a configuration names (see the module comment). */
export function loadRunData(c: RunConfig, uses: SplitUse = { test: true }): RunData {
  const kind = dataKind(c.data);
  checkDataFlags(c, kind);
  const splits = loadSplits(c, kind);
  checkImageShape(c, splits.train.sampleShape);
  // The validation split, the empty-split checks and standardization: the library's, as the lab's.
  return asUsage(() => prepareRunData(c, splits, uses));
}

/** The side of LeNet-5's last feature map for an input side (lenet5.ts: pad-2 conv 5, pool 2, conv 5, pool 2). */
const lenetSide = (side: number) => Math.floor((Math.floor(side / 2) - 4) / 2);

/**
 * An image architecture needs samples of shape [C, H, W]; on CSV rows or a 2-D IDX file it would stop
 * at its first convolution, in the middle of training. LeNet-5 is built for 28×28 images (its first
 * Linear layer takes 16·5·5 features), so an image of another size stops at that layer, or, below
 * 12×12, at a pooling layer with nothing left to pool: refused before, naming the shape.
 */
function checkImageShape(c: RunConfig, shape: readonly number[]): void {
  if (!IMAGE_ARCHS.has(c.arch)) return;
  const shown = `[${shape.join(', ')}]`;
  if (shape.length !== 3) {
    throw new UsageError(
      `--arch ${c.arch} needs images of shape [channels, height, width], but the samples of --data ${c.data} have shape ${shown}; use --arch mlp for tabular or flat data`,
    );
  }
  const [, h, w] = shape as [number, number, number];
  if (c.arch === 'lenet5' && (lenetSide(h) !== lenetSide(28) || lenetSide(w) !== lenetSide(28))) {
    throw new UsageError(
      `--arch lenet5 is built for 28×28 images, but the samples of --data ${c.data} have shape ${shown}; use --arch resnet, plain or densenet, or mlp, for images of another size`,
    );
  }
}

/** Refuses flags that the kind of data would silently ignore. */
function checkDataFlags(c: RunConfig, kind: DataKind): void {
  const refuse = (flag: string, appliesTo: string) =>
    new UsageError(`${flag} applies to ${appliesTo} only; --data ${c.data} is ${KIND_NAMES[kind]}`);
  if (c.labelColumn !== undefined && kind !== 'csv') throw refuse('--label-column', 'CSV data');
  if (c.delimiter !== undefined && kind !== 'csv') throw refuse('--delimiter', 'CSV data');
  if (c.labels !== undefined && kind !== 'idx') throw refuse('--labels', 'IDX data (the labels of --data)');
  if (c.testData !== undefined && (kind === 'bundled' || kind === 'synthetic')) {
    throw refuse('--test-data', 'IDX or CSV data (bundled and synthetic sets bring their own test split)');
  }
  if (c.testLabels !== undefined && c.testData === undefined)
    throw new UsageError('--test-labels needs --test-data: it is the labels file of the IDX test images');
}

function loadSplits(c: RunConfig, kind: DataKind): TrainTestSplits {
  const image = IMAGE_ARCHS.has(c.arch);
  if (kind === 'bundled') {
    const shape = image ? 'image' : 'flat';
    return c.data === 'mnist' ? loadMnist({ shape }) : loadFashion(shape);
  }
  if (kind === 'synthetic') {
    return asUsage(() => syntheticSplits(c));
  }
  if (!fs.existsSync(c.data)) {
    throw new UsageError(
      `--data ${c.data}: no such file; accepted: ${[...BUNDLED, ...SYNTHETIC].join(', ')}, an IDX images file (with --labels) or a CSV file`,
    );
  }
  const all = loadFile(c, { flag: '--data', file: c.data, labels: c.labels, labelsFlag: '--labels' });
  if (c.testData === undefined) {
    const [train, test] = randomSplit(all, [0.8, 0.2], { seed: c.seed }) as [TensorDataset, TensorDataset];
    return { train, test };
  }
  const test = loadFile(c, {
    flag: '--test-data',
    file: c.testData,
    labels: c.testLabels,
    labelsFlag: '--test-labels',
    reference: all,
  });
  checkMatches(c, all, test);
  return { train: all, test };
}

/**
 * Fashion-MNIST from the optional package, with a progress line on stderr (converting its JSON takes
 * seconds on first use); not installed: a `UsageError` (exit 2) whose one line is the install command.
 */
function loadFashion(shape: 'image' | 'flat'): TrainTestSplits {
  const progress = dataProgress();
  try {
    return loadFashionMnist({ shape, onProgress: progress.onProgress });
  } catch (error) {
    if (error instanceof MissingPackageError) throw new UsageError(`--data fashion-mnist: ${error.detail}`);
    throw error;
  } finally {
    progress.done();
  }
}

interface FileSpec {
  flag: string;
  file: string;
  labels: string | undefined;
  labelsFlag: string;
  /** The training data a test file must match: its labels are encoded with these classes. */
  reference?: TensorDataset;
}

/** One IDX or CSV dataset from files; every problem with them becomes a `UsageError`. */
function loadFile(c: RunConfig, spec: FileSpec): TensorDataset {
  try {
    checkRegularFile(spec.file, { what: spec.flag, maxBytes: limitFor(spec.file) });
    if (dataKind(spec.file) === 'csv') return loadCsvFile(c, spec);
    if (spec.labels === undefined)
      throw new UsageError(`${spec.labelsFlag} is required with IDX data: the labels file of ${spec.flag}`);
    checkRegularFile(spec.labels, { what: spec.labelsFlag, maxBytes: READ_LIMITS.idx });
    return loadIdx(spec.file, spec.labels, {
      shape: IMAGE_ARCHS.has(c.arch) ? 'image' : 'flat',
      ...(spec.reference === undefined ? {} : { numClasses: spec.reference.numClasses }),
    });
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * A CSV file; a test file's labels are encoded with the training data's classes: its class names, or
 * for class indices the names "0" … "K−1", so that a label without a class is refused naming its line.
 */
function loadCsvFile(c: RunConfig, spec: FileSpec): TensorDataset {
  const label = labelColumnOf(c.labelColumn);
  const ref = spec.reference;
  const classNames =
    ref === undefined
      ? undefined
      : (ref.classNames ?? Array.from({ length: ref.numClasses }, (_, k) => String(k)));
  const ds = loadCsv(spec.file, {
    ...(label === undefined ? {} : { label }),
    ...(c.delimiter === undefined ? {} : { delimiter: c.delimiter }),
    ...(classNames === undefined ? {} : { classNames }),
  });
  if (ref === undefined || ref.classNames !== undefined) return ds;
  return new TensorDataset(ds.features, ds.labels, {
    sampleShape: ds.sampleShape,
    numClasses: ref.numClasses,
  });
}

function limitFor(file: string): number {
  return dataKind(file) === 'csv' ? READ_LIMITS.csv : READ_LIMITS.idx;
}

/** `--label-column`: an integer (negative from the end) is an index, anything else a header name. */
function labelColumnOf(text: string | undefined): string | number | undefined {
  if (text === undefined) return undefined;
  return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
}

/** A test file must describe the same samples and classes as the training file. */
function checkMatches(c: RunConfig, train: TensorDataset, test: TensorDataset): void {
  const shape = (ds: TensorDataset) => `[${ds.sampleShape.join(', ')}]`;
  if (shape(train) !== shape(test)) {
    throw new UsageError(
      `--test-data ${c.testData}: its samples have shape ${shape(test)}, but those of --data ${c.data} have ${shape(train)}; the test data must have the same columns (or image size) as the training data`,
    );
  }
}
