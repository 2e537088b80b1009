// Types of scripts/bundle_browser.mjs, for the test that bundles the same way
// (test/browser_webgpu/webgpu_training.test.ts).
import type { BuildOptions, Metafile } from 'esbuild';

export const browserBundleOptions: BuildOptions;
export const requiredBrowserExports: readonly string[];
export function checkBrowserExports(metafile: Metafile): void;
