/**
 * The page of the Chromium WebGPU training test (webgpu_training.test.ts). The library comes from
 * the browser bundle (scripts/bundle_browser.mjs's options; the test's esbuild rewrites the import
 * below to `/descent.js`), as a page that loads dist/browser/descent.js gets it. The page fetches the
 * digits the Node side trained on, acquires WebGPU with `initWebGpuBackend()`, trains the training
 * cases with fitAsync and hands back their losses through `globalThis.descentWebGpuTraining()`.
 */
import * as lib from '../../src/index.js';
import {
  type Digits,
  TRAINING_CASES,
  type TrainingRun,
  trainCase,
} from '../backend/webgpu/training_cases.js';

/** What the page reports: the runs, or the error that stopped it. */
export type PageReport =
  | {
      readonly adapterName: string;
      readonly precision: lib.Precision;
      readonly runs: Record<string, TrainingRun>;
      readonly userAgent: string;
    }
  | { readonly error: string };

/** /digits.bin: an int32 count n, then n·784 float32 pixels, then n int32 labels (little-endian). */
async function fetchDigits(): Promise<Digits> {
  const response = await fetch('/digits.bin');
  if (!response.ok) throw new Error(`GET /digits.bin: ${response.status}`);
  const bytes = await response.arrayBuffer();
  const n = new Int32Array(bytes, 0, 1)[0]!;
  return {
    features: new Float32Array(bytes, 4, n * 784),
    labels: new Int32Array(bytes, 4 + n * 784 * 4, n),
  };
}

async function run(): Promise<PageReport> {
  const digits = await fetchDigits();
  const backend = await lib.initWebGpuBackend();
  const runs: Record<string, TrainingRun> = {};
  for (const c of TRAINING_CASES) runs[c.name] = await trainCase(lib, backend, c, digits);
  return {
    adapterName: backend.adapterName,
    precision: backend.precision,
    runs,
    userAgent: navigator.userAgent,
  };
}

(globalThis as { descentWebGpuTraining?: () => Promise<PageReport> }).descentWebGpuTraining = () =>
  run().catch((error: unknown) => ({
    error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error),
  }));
