/**
 * IDX files from disk (Node only): the original MNIST / Fashion-MNIST downloads, raw or gzip-compressed
 * (recognized by their first bytes, whatever the file name), parsed by `parseIdx`.
 *
 * @example
 * import { loadIdx } from 'descent/node';
 * const train = loadIdx('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'); // 60000 × [784]
 * const test = loadIdx('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', { shape: 'image' });
 */
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { TensorDataset } from './dataset.js';
import { type IdxArray, type IdxDatasetOptions, idxToDataset, parseIdx } from './idx.js';

/** Reads and parses one IDX file (gzip or raw). Errors name the file. */
export function readIdxFile(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new Error(`readIdxFile: cannot read ${file}: ${(error as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new Error(`${file}: corrupt or truncated gzip data: ${(error as Error).message}`);
    }
  }
  return parseIdx(bytes, file);
}

/** A dataset from an IDX images file and an IDX labels file (same number of entries). */
export function loadIdx(
  imagesFile: string,
  labelsFile: string,
  options: IdxDatasetOptions = {},
): TensorDataset {
  return idxToDataset(readIdxFile(imagesFile), readIdxFile(labelsFile), options);
}
