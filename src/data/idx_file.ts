/**
 * IDX files from disk (Node only): the original MNIST / Fashion-MNIST downloads, raw or gzip-compressed
 * (recognized by their first bytes, whatever the file name), parsed by `parseIdx`. Only regular files
 * are read, and at most 2 GiB (`READ_LIMITS.idx`) both as stored and decompressed, so a gzip bomb is
 * stopped at the limit; errors are `FormatError`s that name the file.
 *
 * @example
 * import { loadIdx } from 'descent/node';
 * const train = loadIdx('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'); // 60000 × [784]
 * const test = loadIdx('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', { shape: 'image' });
 */
import { gunzipSync } from 'node:zlib';
import { FormatError } from '../io/format_error.js';
import { formatBytes, READ_LIMITS, readRegularFile } from '../io/safe_path.js';
import type { TensorDataset } from './dataset.js';
import { type IdxArray, type IdxDatasetOptions, idxToDataset, parseIdx } from './idx.js';

/** Reads and parses one IDX file (gzip or raw). Errors name the file. */
export function readIdxFile(file: string): IdxArray {
  let bytes: Uint8Array = readRegularFile(file, { maxBytes: READ_LIMITS.idx, what: 'readIdxFile' });
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: READ_LIMITS.idx });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new FormatError(
          file,
          `${file}: decompresses to more than ${formatBytes(READ_LIMITS.idx)}, the limit for an IDX file`,
        );
      }
      throw new FormatError(file, `${file}: corrupt or truncated gzip data: ${(error as Error).message}`);
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
