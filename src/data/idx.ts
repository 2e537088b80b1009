/**
 * The IDX format of the original MNIST and Fashion-MNIST files (LeCun et al., "THE MNIST DATABASE of
 * handwritten digits"): a 4-byte magic number — two zero bytes, a type byte (0x08 uint8, 0x09 int8,
 * 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) and the number of dimensions — then one
 * big-endian uint32 per dimension, then the values, big-endian, row-major. Images are [N, rows, cols],
 * labels [N].
 *
 * This module parses bytes and is browser-safe; reading files (raw or gzip) is `loadIdx` in `descent/node`.
 * Every error names the source and what is wrong (bad magic, unknown type, truncated or oversized data,
 * image and label counts that differ).
 *
 * @example
 * const images = parseIdx(imageBytes, 'train-images-idx3-ubyte');
 * const labels = parseIdx(labelBytes, 'train-labels-idx1-ubyte');
 * const ds = idxToDataset(images, labels); // 60000 × [784], pixels scaled to [0, 1]
 */
import { FormatError } from '../io/format_error.js';
import { checkOptions } from '../util/options.js';
import { TensorDataset } from './dataset.js';
import { FEATURE_ACCEPTED, featureProblem, labelProblem } from './value_checks.js';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  /** The values in row-major order, converted to the host's byte order. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  /** Where the bytes came from (for error messages). */
  source: string;
}

const TYPES: Record<number, { dtype: IdxDType; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** Parses one IDX array from `bytes`; `source` (a file name) goes into error messages. */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.length < 4) {
    throw new FormatError(
      source,
      `${source}: truncated IDX file: ${bytes.length} bytes, the magic number alone needs 4`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (these are gzip bytes: decompress first)' : '';
    throw new FormatError(
      source,
      `${source}: not an IDX file: bad magic number ${hex(bytes[0]!)} ${hex(bytes[1]!)} ${hex(bytes[2]!)} ${hex(bytes[3]!)}, expected 0x00 0x00 <type> <dims>${gzip}`,
    );
  }
  const type = TYPES[bytes[2]!];
  if (type === undefined) {
    throw new FormatError(
      source,
      `${source}: unknown IDX data type ${hex(bytes[2]!)}; expected 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32) or 0x0e (float64)`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new FormatError(source, `${source}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new FormatError(
      source,
      `${source}: truncated IDX header: ${rank} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  // A zero dimension first: the product of the others can overflow to Infinity, and Infinity · 0 is NaN.
  const count = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
  const expected = count * type.bytes;
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new FormatError(
      source,
      `${source}: truncated IDX data: the header declares ${type.dtype} [${shape.join(', ')}] (${expected} bytes of data) but the file has ${actual} bytes after the header`,
    );
  }
  if (actual > expected) {
    throw new FormatError(
      source,
      `${source}: malformed IDX file: ${actual - expected} bytes follow the ${expected} bytes of data the header declares (${type.dtype} [${shape.join(', ')}])`,
    );
  }
  const data = readValues(view, headerBytes, count, type.dtype);
  return { dtype: type.dtype, shape, data, source };
}

function readValues(view: DataView, at: number, count: number, dtype: IdxDType): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + at, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + at, count).slice();
    case 'int16':
      return bigEndian(new Int16Array(count), (i) => view.getInt16(at + 2 * i, false));
    case 'int32':
      return bigEndian(new Int32Array(count), (i) => view.getInt32(at + 4 * i, false));
    case 'float32':
      return bigEndian(new Float32Array(count), (i) => view.getFloat32(at + 4 * i, false));
    case 'float64':
      return bigEndian(new Float64Array(count), (i) => view.getFloat64(at + 8 * i, false));
  }
}

/** Fills `out` with element i read by `read(i)`: IDX stores multi-byte values big-endian, so no typed-array view of the bytes will do. */
function bigEndian<A extends Int16Array | Int32Array | Float32Array | Float64Array>(
  out: A,
  read: (i: number) => number,
): A {
  for (let i = 0; i < out.length; i++) out[i] = read(i);
  return out;
}

export interface IdxDatasetOptions {
  /** Divide uint8 values by 255, to [0, 1] (default true; other types are never scaled). */
  scale?: boolean;
  /** 'flat' (default): samples of shape [rows·cols]; 'image': [1, rows, cols] (for convolutions). */
  shape?: 'flat' | 'image';
  /** Number of classes (default: largest label + 1). */
  numClasses?: number;
  classNames?: readonly string[];
}

/**
 * A dataset from an images array [N, ...] and a labels array [N] of class indices. Refused with a
 * `FormatError` naming the file (and the index of a bad value): shapes that do not fit, no samples
 * (N = 0) or empty samples, float labels, labels out of range (below `numClasses` when given, and at
 * most 10,000 classes), and features that are not finite or beyond ±1e15 (see `value_checks.ts`).
 */
export function idxToDataset(
  images: IdxArray,
  labels: IdxArray,
  options: IdxDatasetOptions = {},
): TensorDataset {
  checkOptions('idxToDataset', options, { scale: true, shape: true, numClasses: true, classNames: true });
  checkShapes(images, labels);
  const dims = images.shape.slice(1);
  const features = imageFeatures(images, (options.scale ?? true) && images.dtype === 'uint8');
  const y = labelIndices(labels, options.numClasses);
  const d = dims.reduce((a, b) => a * b, 1);
  const sampleShape = (options.shape ?? 'flat') === 'flat' ? [d] : dims.length === 2 ? [1, ...dims] : dims;
  return new TensorDataset(features, y, {
    sampleShape,
    ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
    ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
  });
}

function checkShapes(images: IdxArray, labels: IdxArray): void {
  const fail = (source: string, message: string) => new FormatError(source, `${source}: ${message}`);
  if (images.shape.length < 2) {
    throw fail(
      images.source,
      `expected images of shape [N, rows, cols] (or [N, features]), got [${images.shape.join(', ')}]`,
    );
  }
  if (labels.shape.length !== 1)
    throw fail(labels.source, `expected labels of shape [N], got [${labels.shape.join(', ')}]`);
  if (labels.dtype === 'float32' || labels.dtype === 'float64')
    throw fail(labels.source, `labels must be integers, got ${labels.dtype}`);
  const n = images.shape[0]!;
  if (labels.shape[0] !== n) {
    throw new FormatError(
      labels.source,
      `IDX image and label counts differ: ${images.source} has ${n} images but ${labels.source} has ${labels.shape[0]} labels`,
    );
  }
  if (n === 0) throw fail(images.source, 'no samples: the header declares N = 0 images (an empty dataset)');
  if (images.shape.some((s) => s === 0)) {
    throw fail(images.source, `empty samples: images of shape [${images.shape.join(', ')}] hold no values`);
  }
}

/** The images as float32 features, uint8 scaled to [0, 1] when `scale`; float values are checked. */
function imageFeatures(images: IdxArray, scale: boolean): Float32Array {
  const src = images.data;
  const features = new Float32Array(src.length);
  if (scale) {
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = v / 255;
    for (let i = 0; i < src.length; i++) features[i] = table[src[i]!]!;
    return features;
  }
  features.set(src);
  if (images.dtype === 'float32' || images.dtype === 'float64') {
    for (let i = 0; i < src.length; i++) {
      const problem = featureProblem(src[i]!);
      if (problem !== null) {
        throw new FormatError(
          images.source,
          `${images.source}: the value at index [${unravel(i, images.shape).join(', ')}] (sample ${unravel(i, images.shape)[0]}): ${problem}; ${FEATURE_ACCEPTED.binary}`,
        );
      }
    }
  }
  return features;
}

function labelIndices(labels: IdxArray, numClasses: number | undefined): Int32Array {
  const y = new Int32Array(labels.shape[0]!);
  for (let i = 0; i < y.length; i++) {
    const v = labels.data[i]!;
    const problem = labelProblem(v, numClasses);
    if (problem !== null) throw new FormatError(labels.source, `${labels.source}: label ${i}: ${problem}`);
    y[i] = v;
  }
  return y;
}

/** The multi-index of flat index `i` in a row-major array of `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = i;
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = rest % shape[k]!;
    rest = Math.floor(rest / shape[k]!);
  }
  return out;
}

/**
 * The bytes of an IDX file holding `data` of `shape` (uint8, int32 or float32, big-endian): for tests
 * and exports.
 */
export function encodeIdx(
  data: Uint8Array | Int32Array | Float32Array,
  shape: readonly number[],
): Uint8Array {
  if (shape.reduce((a, b) => a * b, 1) !== data.length) {
    throw new RangeError(`encodeIdx: shape [${shape.join(', ')}] does not hold ${data.length} values`);
  }
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + data.byteLength);
  const view = new DataView(out.buffer);
  out[2] = data instanceof Int32Array ? 0x0c : data instanceof Float32Array ? 0x0d : 0x08;
  out[3] = shape.length;
  for (let i = 0; i < shape.length; i++) view.setUint32(4 + 4 * i, shape[i]!, false);
  if (data instanceof Int32Array)
    for (let i = 0; i < data.length; i++) view.setInt32(header + 4 * i, data[i]!, false);
  else if (data instanceof Float32Array)
    for (let i = 0; i < data.length; i++) view.setFloat32(header + 4 * i, data[i]!, false);
  else out.set(data, header);
  return out;
}
