/**
 * The compact file format of the bundled image sets (browser-safe): all images of a data set, one
 * byte code per pixel, with their labels. MNIST's ships with descent (`src/run/assets/mnist_subset.bin.gz`,
 * read by Node's `loadMnist` and fetched by the lab); Fashion-MNIST's is converted from the optional
 * `fashion-mnist` package on first use (data_cache.ts keeps it) and served to the lab by `descent lab`.
 *
 * Layout (little-endian; the files on disk are gzipped): the 8 bytes of the format's magic
 * (`DSCNTMN1`, `DSCNTFM1`); uint32 n (images); uint32 784 (values per image); uint32 CRC-32 of the
 * payload; uint32 0; then the payload: n labels (one byte each) and n × 784 byte codes, decoded by the
 * data set's table (`BundledDecoding.decodeTable`).
 */

import { crc32 } from '../io/crc32.js';
import { FormatError } from '../io/format_error.js';
import { BUNDLED_ROW, type BundledImages } from './bundled_split.js';
import { FASHION_MNIST_CLASSES } from './fashion_classes.js';
import { MNIST_DECODING } from './mnist_codes.js';

const HEADER = 24;

/** What tells one bundled dataset's file from another's (Fashion-MNIST's: run/fashion_subset.ts). */
export interface SubsetFormat {
  /** The first 8 bytes. */
  magic: string;
  /** In messages: 'an MNIST subset file'. */
  what: string;
  /** In messages: 'a digit 0–9'. */
  label: string;
  classes: number;
}

export const MNIST_FORMAT: SubsetFormat = {
  magic: 'DSCNTMN1',
  what: 'an MNIST subset file',
  label: 'a digit 0–9',
  classes: MNIST_DECODING.classNames.length,
};

/** Fashion-MNIST's file: the same layout; each code k is the pixel value k/255. */
export const FASHION_FORMAT: SubsetFormat = {
  magic: 'DSCNTFM1',
  what: 'a Fashion-MNIST subset file',
  label: 'a class 0–9',
  classes: FASHION_MNIST_CLASSES.length,
};

/** The images of a subset file of `format` (ungzipped); every problem is a `FormatError` naming `source`. */
export function readSubset(bytes: Uint8Array, format: SubsetFormat, source: string): BundledImages {
  const fail = (what: string): never => {
    throw new FormatError(source, `${source}: ${what}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the bytes of the file as a Uint8Array');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    fail('the bytes are gzipped; gunzip them first (gunzip(bytes))');
  if (bytes.length < HEADER || new TextDecoder().decode(bytes.subarray(0, 8)) !== format.magic) {
    fail(`not ${format.what} (it starts with the 8 bytes ${format.magic}, then a 16-byte header)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const images = view.getUint32(8, true);
  const row = view.getUint32(12, true);
  if (row !== BUNDLED_ROW) fail(`${row} values per image; expected ${BUNDLED_ROW} (28 × 28)`);
  const expected = HEADER + images * (1 + BUNDLED_ROW);
  if (bytes.length !== expected) {
    fail(`${bytes.length} bytes, but ${images} images of ${BUNDLED_ROW} values take ${expected}`);
  }
  const payload = bytes.subarray(HEADER);
  if (crc32(payload) !== view.getUint32(16, true)) fail('the checksum does not match: the file is damaged');
  const labels = payload.subarray(0, images);
  const bad = labels.findIndex((l) => l >= format.classes);
  if (bad >= 0) fail(`label ${labels[bad]} of image ${bad} is not ${format.label}`);
  return { labels, codes: payload.subarray(images), images };
}

/** A subset file's bytes (ungzipped) of `format` for `images`. */
export function encodeSubset(images: BundledImages, format: SubsetFormat): Uint8Array {
  const bytes = new Uint8Array(HEADER + images.images * (1 + BUNDLED_ROW));
  bytes.set(new TextEncoder().encode(format.magic));
  bytes.set(images.labels, HEADER);
  bytes.set(images.codes, HEADER + images.images);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, images.images, true);
  view.setUint32(12, BUNDLED_ROW, true);
  view.setUint32(16, crc32(bytes.subarray(HEADER)), true);
  return bytes;
}
