/**
 * The bundled MNIST subset in a lab worker: the library's compact asset (src/run/assets/, the same
 * 10,000 digits Node's `loadMnist` reads), fetched once per worker and gunzipped by the library.
 */
import { gunzip } from 'descent';
import assetUrl from '../../../src/run/assets/mnist_subset.bin.gz?url';

let bytes: Promise<Uint8Array> | null = null;

/** The subset file's bytes (ungzipped), for `decodeMnistSubset` / `mnistRunData`. */
export function mnistSubsetBytes(): Promise<Uint8Array> {
  bytes ??= fetch(assetUrl).then(async (response) => {
    if (!response.ok)
      throw new Error(`could not load the bundled MNIST subset (${assetUrl}): HTTP ${response.status}`);
    return gunzip(new Uint8Array(await response.arrayBuffer()));
  });
  return bytes;
}
