/**
 * The Vite plugin that builds the lab's service worker: it emits service_worker.ts as `sw.js` at the
 * root of the build (a service worker controls only the folder it is served from and below), and
 * writes into it the list of every other file of the build, taken from the bundle itself, so that
 * the precache list is never kept by hand. Files over PRECACHE_MAX_BYTES are left out of it: every
 * first visit would download them for what few runs choose; the worker caches them when first
 * fetched instead, so they too work offline once used (as Fashion-MNIST, which `descent lab` serves
 * from the optional package, outside the build).
 * The version is a hash of the file names: hashed asset
 * names change with their content, and index.html changes with them, so a new build is a new
 * worker with a new cache.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

export const SERVICE_WORKER_FILE = 'sw.js';
/** Larger files are cached on first use, not on install. */
export const PRECACHE_MAX_BYTES = 8 * 1024 * 1024;
const SOURCE = fileURLToPath(new URL('./service_worker.ts', import.meta.url));
const PLACEHOLDER = '__PRECACHE__';

export function precacheManifest(): Plugin {
  return {
    name: 'descent-lab-precache',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: SOURCE, fileName: SERVICE_WORKER_FILE });
    },
    generateBundle: {
      // After Vite's own plugins have added index.html and the worker's files to the bundle.
      order: 'post',
      handler(_options, bundle) {
        const names = Object.keys(bundle)
          .filter((name) => name !== SERVICE_WORKER_FILE && !name.endsWith('.map'))
          .sort();
        const version = createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
        const files = names.filter((name) => byteSize(bundle[name]!) <= PRECACHE_MAX_BYTES);
        const worker = bundle[SERVICE_WORKER_FILE];
        if (worker?.type !== 'chunk' || !worker.code.includes(PLACEHOLDER))
          throw new Error(
            `${SERVICE_WORKER_FILE}: the service worker chunk or its ${PLACEHOLDER} is missing`,
          );
        worker.code = worker.code.replace(PLACEHOLDER, JSON.stringify({ version, files }));
      },
    },
  };
}

/** One entry of the output bundle: a chunk's code or an asset's source. */
type OutputFile = { type: 'chunk'; code: string } | { type: 'asset'; source: string | Uint8Array };

function byteSize(file: OutputFile): number {
  if (file.type === 'chunk') return Buffer.byteLength(file.code);
  return typeof file.source === 'string' ? Buffer.byteLength(file.source) : file.source.byteLength;
}
