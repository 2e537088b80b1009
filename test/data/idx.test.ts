/** IDX files: raw and gzip, shapes and scaling, and every error path read by its message. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from '../../src/data/index.js';
import { loadIdx, readIdxFile } from '../../src/data/node.js';
import { FormatError } from '../../src/io/format_error.js';
import { READ_LIMITS } from '../../src/io/safe_path.js';
import { messageOf } from '../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3 images of 2×2 pixels: image i has pixels 10i, 10i + 1, 10i + 2, 255. */
const pixels = Uint8Array.from([0, 1, 2, 255, 10, 11, 12, 255, 20, 21, 22, 255]);
const file = (name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const images = file('images-idx3-ubyte', encodeIdx(pixels, [3, 2, 2]));
const labels = file('labels-idx1-ubyte', encodeIdx(Uint8Array.from([2, 0, 1]), [3]));

describe('IDX', () => {
  it('reads raw files: flat samples scaled to [0, 1]', () => {
    const ds = loadIdx(images, labels);
    expect(ds.length).toBe(3);
    expect(ds.sampleShape).toEqual([4]);
    expect([...ds.labels]).toEqual([2, 0, 1]);
    expect([...ds.sample(1)]).toEqual([10 / 255, 11 / 255, 12 / 255, 1].map(Math.fround));
  });

  it('reads gzip files (by content, not by name) and image-shaped samples', () => {
    const gzImages = file('images.gz', gzipSync(encodeIdx(pixels, [3, 2, 2])));
    const gzLabels = file('labels-no-extension', gzipSync(encodeIdx(Uint8Array.from([2, 0, 1]), [3])));
    const ds = loadIdx(gzImages, gzLabels, { shape: 'image', scale: false });
    expect(ds.sampleShape).toEqual([1, 2, 2]);
    expect([...ds.sample(2)]).toEqual([20, 21, 22, 255]);
  });

  it('parses big-endian int32 values', () => {
    const arr = parseIdx(encodeIdx(Int32Array.from([1, -2, 70000]), [3]));
    expect(arr.dtype).toBe('int32');
    expect([...arr.data]).toEqual([1, -2, 70000]);
  });

  it('names the file and the problem', () => {
    const good = encodeIdx(pixels, [3, 2, 2]);
    const bad = (name: string, bytes: Uint8Array) => () => readIdxFile(file(name, bytes));
    expect(bad('magic', Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]))).toThrow(
      /magic: not an IDX file: bad magic number 0x01 0x02 0x08 0x01/,
    );
    const gz = gzipSync(good);
    expect(() => parseIdx(gz, 'x.gz')).toThrow(/x\.gz: not an IDX file.*gzip bytes: decompress first/);
    expect(bad('corrupt.gz', gz.subarray(0, 20))).toThrow(/corrupt\.gz: corrupt or truncated gzip data/);
    const type = good.slice();
    type[2] = 0x07;
    expect(bad('type', type)).toThrow(/type: unknown IDX data type 0x07; expected 0x08 \(uint8\)/);
    expect(bad('truncated', good.subarray(0, good.length - 1))).toThrow(
      /truncated: truncated IDX data: the header declares uint8 \[3, 2, 2\] \(12 bytes of data\) but the file has 11 bytes/,
    );
    expect(bad('header', good.subarray(0, 10))).toThrow(
      /header: truncated IDX header: 3 dimensions need 16 bytes, the file has 10/,
    );
    expect(bad('short', Uint8Array.from([0, 0]))).toThrow(/short: truncated IDX file: 2 bytes/);
    expect(bad('trailing', Uint8Array.from([...good, 0, 0]))).toThrow(
      /trailing: malformed IDX file: 2 bytes follow/,
    );
    expect(bad('nodims', Uint8Array.from([0, 0, 8, 0]))).toThrow(/nodims: IDX header declares 0 dimensions/);
    expect(() => readIdxFile(join(dir, 'missing'))).toThrow(/cannot read .*missing: ENOENT/);
  });

  it('rejects mismatched image and label files', () => {
    const two = file('two-labels', encodeIdx(Uint8Array.from([0, 1]), [2]));
    expect(() => loadIdx(images, two)).toThrow(
      /IDX image and label counts differ: .*images-idx3-ubyte has 3 images but .*two-labels has 2 labels/,
    );
    expect(() => loadIdx(labels, labels)).toThrow(
      /labels-idx1-ubyte: expected images of shape \[N, rows, cols\]/,
    );
    expect(() => loadIdx(images, images)).toThrow(
      /images-idx3-ubyte: expected labels of shape \[N\], got \[3, 2, 2\]/,
    );
  });
});

const formatError = (f: () => unknown): string => messageOf(f, FormatError);

describe('IDX values are checked when a dataset is loaded', () => {
  const floats = (values: number[], name = 'f-images') =>
    file(name, encodeIdx(Float32Array.from(values), [2, 1, 2]));
  const twoLabels = file('two-labels-ok', encodeIdx(Uint8Array.from([0, 1]), [2]));

  it.each([
    [Number.NaN, /NaN is not a finite number/],
    [Number.POSITIVE_INFINITY, /Infinity is not a finite number/],
    [1e38, /9\.99\d+e\+37 is beyond ±1e15, the largest magnitude accepted/],
    [-2e15, /-19999\d+ is beyond ±1e15.*; accepted: finite numbers with \|x\| ≤ 1e15$/],
  ])('refuses the float feature %s naming the file and the index', (bad, why) => {
    const message = formatError(() => loadIdx(floats([0, 1, 2, bad]), twoLabels));
    expect(message).toMatch(/f-images: the value at index \[1, 0, 1\] \(sample 1\): /);
    expect(message).toMatch(why);
  });

  it('accepts finite float features within ±1e15, unscaled', () => {
    expect([...loadIdx(floats([0.5, -1e15, 2, 3]), twoLabels).features]).toEqual([
      0.5,
      Math.fround(-1e15),
      2,
      3,
    ]);
  });

  it('refuses a label that would make a billion classes, naming its index', () => {
    const huge = file('huge-labels', encodeIdx(Int32Array.from([0, 1e9]), [2]));
    expect(formatError(() => loadIdx(floats([0, 1, 2, 3]), huge))).toMatch(
      /huge-labels: label 1: 1000000000 would make 1000000001 classes; at most 10,000 are accepted/,
    );
  });

  it('refuses a label at or above numClasses, and a negative one, naming its index', () => {
    const five = file('five-labels', encodeIdx(Uint8Array.from([5, 0]), [2]));
    expect(formatError(() => loadIdx(floats([0, 1, 2, 3]), five, { numClasses: 3 }))).toBe(
      `${five}: label 0: 5 is out of range for 3 classes (labels 0 … 2)`,
    );
    const negative = file('negative-labels', encodeIdx(Int32Array.from([0, -1]), [2]));
    expect(formatError(() => loadIdx(floats([0, 1, 2, 3]), negative))).toMatch(/label 1: -1 is negative/);
  });

  it('refuses an IDX file with N = 0 naming the file, instead of a model with no inputs', () => {
    const none = file('empty-images', encodeIdx(new Uint8Array(0), [0, 28, 28]));
    const noLabels = file('empty-labels', encodeIdx(new Uint8Array(0), [0]));
    expect(formatError(() => loadIdx(none, noLabels))).toBe(
      `${none}: no samples: the header declares N = 0 images (an empty dataset)`,
    );
    const flat = file('zero-width', encodeIdx(new Uint8Array(0), [2, 0]));
    expect(formatError(() => loadIdx(flat, twoLabels))).toMatch(
      /zero-width: empty samples: images of shape \[2, 0\] hold no values/,
    );
  });

  it('refuses a header claiming 2^32 − 1 items of each dimension before allocating anything', () => {
    const header = Uint8Array.from([
      0, 0, 0x0d, 3, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 1, 1, 2, 3, 4,
    ]);
    expect(formatError(() => parseIdx(header, 'lying'))).toMatch(
      /^lying: truncated IDX data: the header declares float32 \[4294967295, 4294967295, 1\]/,
    );
  });

  it('stops decompressing a gzip file at the IDX limit (a gzip bomb) with its own message', () => {
    // The real limit (2 GiB) takes most of a minute to reach: the test lowers it for a moment.
    const limits = READ_LIMITS as { idx: number };
    const saved = limits.idx;
    limits.idx = 2 ** 20;
    try {
      const bomb = file('bomb.gz', gzipSync(Buffer.alloc(2 ** 20 + 1)));
      expect(formatError(() => readIdxFile(bomb))).toMatch(
        /bomb\.gz: decompresses to more than 1\.00 MiB, the limit for an IDX file/,
      );
    } finally {
      limits.idx = saved;
    }
  });

  it('gives a FormatError naming the file for parse errors', () => {
    expect(formatError(() => parseIdx(Uint8Array.from([1, 2, 8, 1]), 'magic'))).toMatch(
      /^magic: not an IDX file/,
    );
  });
});
