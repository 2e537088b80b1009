// Bundles the library core for the browser. esbuild with platform 'browser' cannot resolve Node
// built-ins, so a `node:fs` (or any Node-only module) creeping into the core fails this build. The
// bundle includes the WebGPU backend (`initWebGpuBackend`): its Node-only path loads the `webgpu`
// package through a specifier esbuild does not follow (src/backend/webgpu/adapter.ts).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * The browser bundle's esbuild options, shared with the Chromium WebGPU test
 * (test/browser_webgpu/webgpu_training.test.ts), which bundles the same entry in memory.
 */
export const browserBundleOptions = {
  entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
};

/** Exports the browser bundle must have: a missing one means src/index.ts lost it. */
export const requiredBrowserExports = ['initWebGpuBackend', 'initWasmBackend', 'fitAsync'];

/** The names a bundle exports (from esbuild's metafile), refused when one of requiredBrowserExports is missing. */
export function checkBrowserExports(metafile) {
  const exported = Object.values(metafile.outputs).flatMap((o) => o.exports ?? []);
  const missing = requiredBrowserExports.filter((name) => !exported.includes(name));
  if (missing.length > 0)
    throw new Error(`the browser bundle does not export ${missing.join(', ')} (src/index.ts must)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await build({
    ...browserBundleOptions,
    outfile: 'dist/browser/descent.js',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
  });
  checkBrowserExports(result.metafile);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`browser bundle: dist/browser/descent.js (${(bytes / 1024).toFixed(0)} KiB with source map)`);
}
