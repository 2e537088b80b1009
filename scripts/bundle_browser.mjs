// Bundles the library core for the browser. esbuild with platform 'browser' cannot resolve Node
// built-ins, so a `node:fs` (or any Node-only module) creeping into the core fails this build.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  outfile: 'dist/browser/descent.js',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`browser bundle: dist/browser/descent.js (${(bytes / 1024).toFixed(0)} KiB with source map)`);
