/**
 * The lab's Vite configuration: `npm run lab` (dev server) and `npm run lab:build` (into dist/lab/).
 * The lab imports 'descent' like any user; here that name points at the source tree so the dev
 * server reloads library edits, and the production build bundles the same code.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { labDataHandler } from '../src/cli/lab_data';
import { precacheManifest } from './src/sw/precache_plugin';

// Cross-origin isolation, so that the page may use SharedArrayBuffer (WebAssembly threads).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The dev server answers Fashion-MNIST's path as `descent lab` does (src/cli/lab_data.ts). */
function labData(): Plugin {
  return {
    name: 'descent-lab-data',
    configureServer(server) {
      const handle = labDataHandler();
      server.middlewares.use((req, res, next) => {
        if (!handle(req, res)) next();
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative URLs: the build works from any folder of any static host.
  base: './',
  // precacheManifest: the offline service worker, sw.js, with the build's file list (src/sw/).
  plugins: [preact(), precacheManifest(), labData()],
  resolve: {
    alias: { descent: fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
  },
  worker: { format: 'es' },
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders },
  build: {
    outDir: fileURLToPath(new URL('../dist/lab', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});
