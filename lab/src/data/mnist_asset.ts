/**
 * The bundled MNIST subset in a lab worker: the library's compact asset (src/run/assets/, the same
 * 10,000 digits Node's `loadMnist` reads), fetched once per worker and gunzipped by the library.
 * Static servers differ on a `.gz` file: some send it as it is, others with `Content-Encoding: gzip`
 * (sirv, nginx's gzip_static), and then the browser has already inflated it; the gzip magic bytes
 * tell which arrived.
 */
import { gunzip } from 'descent';
import assetUrl from '../../../src/run/assets/mnist_subset.bin.gz?url';

let bytes: Promise<Uint8Array> | null = null;

/** The subset file's bytes (ungzipped), for `decodeMnistSubset` / `mnistRunData`. */
export function mnistSubsetBytes(): Promise<Uint8Array> {
  bytes ??= fetch(assetUrl).then(async (response) => {
    if (!response.ok)
      throw new Error(`could not load the bundled MNIST subset (${assetUrl}): HTTP ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    return isGzip(body) ? gunzip(body) : body;
  });
  return bytes;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
