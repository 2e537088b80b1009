/**
 * The browser's Fashion-MNIST: the subset file `descent lab` serves (made from the optional package,
 * src/cli/lab_data.ts) decodes to exactly the tensors Node's loadFashionMnist reads (all 70,000
 * images, the default 60,000/10,000 split), and to the run data `descent train --data fashion-mnist`
 * trains on; damaged bytes are refused.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadRunData } from '../../src/cli/run_data.js';
import type { TensorDataset } from '../../src/data/dataset.js';
import {
  FASHION_MNIST_CLASSES,
  loadFashionMnist,
  loadFashionMnistImages,
} from '../../src/data/fashion_mnist.js';
import { FormatError } from '../../src/io/format_error.js';
import {
  decodeFashionSubset,
  encodeFashionSubset,
  FASHION_CLASS_NAMES,
  fashionRunData,
  readFashionSubset,
} from '../../src/run/fashion_subset.js';
import { readMnistSubset } from '../../src/run/mnist_subset.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { messageOf } from '../helpers/thrown.js';

// What the lab server sends: every image of the package in package order, as one subset file.
const bytes = encodeFashionSubset(loadFashionMnistImages());
const gz = new Uint8Array(gzipSync(bytes.subarray(0, 1000)));

const bytesOf = (x: Float32Array | Int32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const same = (a: TensorDataset | null, b: TensorDataset | null) => {
  expect(a?.sampleShape).toEqual(b?.sampleShape);
  expect(a?.classNames).toEqual(b?.classNames);
  expect(Buffer.compare(bytesOf(a!.labels), bytesOf(b!.labels))).toBe(0);
  expect(Buffer.compare(bytesOf(a!.features), bytesOf(b!.features))).toBe(0);
};

describe('decodeFashionSubset', () => {
  it('gives loadFashionMnist’s 60,000 train and 10,000 test images bit for bit, and with a split, shape and limit', () => {
    const mine = decodeFashionSubset(bytes);
    const node = loadFashionMnist();
    expect([mine.train.length, mine.test.length]).toEqual([60000, 10000]);
    same(mine.train, node.train);
    same(mine.test, node.test);
    const options = { shape: 'image', testSize: 500, splitSeed: 3, limit: { train: 300 } } as const;
    const a = decodeFashionSubset(bytes, options);
    const b = loadFashionMnist(options);
    same(a.train, b.train);
    same(a.test, b.test);
    expect(a.train.sampleShape).toEqual([1, 28, 28]);
  }, 60_000);

  it('names the classes as Node’s loader does (T-shirt/top … Ankle boot)', () => {
    expect(FASHION_CLASS_NAMES).toEqual(FASHION_MNIST_CLASSES);
  });

  it('fashionRunData is the data descent train --data fashion-mnist loads (validation split)', () => {
    const config = parseRunConfig({ data: 'fashion-mnist', arch: 'lenet5', seed: 4 });
    const mine = fashionRunData(config, bytes);
    const cli = loadRunData(config);
    same(mine.train, cli.train);
    same(mine.validation, cli.validation);
    same(mine.test, cli.test);
  }, 60_000);

  it('refuses gzipped, MNIST, truncated and damaged bytes, naming the source', () => {
    expect(messageOf(() => readFashionSubset(gz), FormatError)).toBe(
      'fashion-mnist subset: the bytes are gzipped; gunzip them first (gunzip(bytes))',
    );
    expect(messageOf(() => readMnistSubset(bytes, 'clothes.bin'), FormatError)).toBe(
      'clothes.bin: not an MNIST subset file (it starts with the 8 bytes DSCNTMN1, then a 16-byte header)',
    );
    expect(messageOf(() => readFashionSubset(bytes.subarray(0, 1000)), FormatError)).toBe(
      'fashion-mnist subset: 1000 bytes, but 70000 images of 784 values take 54950024',
    );
    const damaged = bytes.slice();
    damaged[30_000_000]! ^= 1;
    expect(messageOf(() => readFashionSubset(damaged), FormatError)).toBe(
      'fashion-mnist subset: the checksum does not match: the file is damaged',
    );
    const notClass = encodeFashionSubset({
      labels: new Uint8Array([10]),
      codes: new Uint8Array(784),
      images: 1,
    });
    expect(messageOf(() => readFashionSubset(notClass), FormatError)).toBe(
      'fashion-mnist subset: label 10 of image 0 is not a class 0–9',
    );
  });

  it('encodeFashionSubset writes what readFashionSubset reads: the served file re-encodes to itself', () => {
    expect(Buffer.compare(encodeFashionSubset(readFashionSubset(bytes)), bytes)).toBe(0);
  });

  it('refuses data other than fashion-mnist, and unknown options', () => {
    expect(messageOf(() => fashionRunData(parseRunConfig({ data: 'mnist' }), bytes), FormatError)).toBe(
      'fashionRunData: the configuration\'s data is "mnist", not "fashion-mnist"',
    );
    expect(messageOf(() => decodeFashionSubset(bytes, { bogus: 1 } as never), TypeError)).toBe(
      "decodeFashionSubset: unknown option 'bogus'; accepted: shape, limit, testSize, splitSeed, source",
    );
  });
});
