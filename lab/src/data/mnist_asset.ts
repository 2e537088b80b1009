/**
 * The bundled image sets in a lab worker: the library's compact assets (src/run/assets/), the same
 * images Node's `loadMnist` (10,000 digits, 1.6 MB) and `loadFashionMnist` (70,000 clothes, 30 MB)
 * read, each fetched once per worker, only when asked for, and gunzipped by the library.
 * Static servers differ on a `.gz` file: some send it as it is, others with `Content-Encoding: gzip`
 * (sirv, nginx's gzip_static), and then the browser has already inflated it; the gzip magic bytes
 * tell which arrived.
 */
import { gunzip } from 'descent';
import fashionUrl from '../../../src/run/assets/fashion_subset.bin.gz?url';
import mnistUrl from '../../../src/run/assets/mnist_subset.bin.gz?url';

/** The bundled sets the lab can load, with their asset and the name messages give them. */
const ASSETS = {
  mnist: { url: mnistUrl, name: 'MNIST subset' },
  'fashion-mnist': { url: fashionUrl, name: 'Fashion-MNIST set' },
} as const;

export type BundledSet = keyof typeof ASSETS;

const loaded = new Map<BundledSet, Promise<Uint8Array>>();

/**
 * A bundled set's file bytes (ungzipped), for `mnistRunData` / `decodeMnistSubset` or `fashionRunData`
 * / `decodeFashionSubset`.
 */
export function bundledSubsetBytes(dataset: BundledSet): Promise<Uint8Array> {
  const asset = ASSETS[dataset];
  if (asset === undefined) {
    return Promise.reject(
      new Error(`no bundled asset for ${JSON.stringify(dataset)}; accepted: mnist, fashion-mnist`),
    );
  }
  let bytes = loaded.get(dataset);
  if (bytes === undefined) {
    bytes = fetch(asset.url).then(async (response) => {
      if (!response.ok)
        throw new Error(`could not load the bundled ${asset.name} (${asset.url}): HTTP ${response.status}`);
      const body = new Uint8Array(await response.arrayBuffer());
      return isGzip(body) ? gunzip(body) : body;
    });
    loaded.set(dataset, bytes);
  }
  return bytes;
}

/** The MNIST subset file's bytes (ungzipped), for `decodeMnistSubset` / `mnistRunData`. */
export function mnistSubsetBytes(): Promise<Uint8Array> {
  return bundledSubsetBytes('mnist');
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
