/**
 * Training on the WebGPU backend (the direct, asynchronous WebGpuBackend in this process: Dawn through
 * the `webgpu` package, SwiftShader on a machine without a GPU) gives the WebAssembly backend's step
 * losses for the course's network and LeNet-5, within the tolerance both backends' declared precision
 * implies (training_cases.ts, lossTolerance). fitAsync runs the whole loop: batches, capture, the
 * fused kernels the backend has (the others composed from its core), Adam, the awaited reads.
 *
 * No adapter: skipped locally, with the reason; under CI=true the helper throws instead.
 */
import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/index.js';
import { loadMnist, WasmBackend } from '../../../src/node.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { lossMismatches, maxRelativeDifference, TRAINING_CASES, trainCase } from './training_cases.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const gpu = await testWebGpuBackend();
const { train } = loadMnist();
const digits = { features: train.features, labels: train.labels };

describe('training on WebGPU matches the WebAssembly backend', () => {
  for (const c of TRAINING_CASES) {
    it.skipIf(!gpu)(
      `trains ${c.title} with fitAsync to the WebAssembly backend's losses, within the declared precision${gpu ? '' : ` (skipped: ${webgpuSkipReason})`}`,
      async () => {
        const wasm = new WasmBackend();
        const expected = await trainCase(lib, wasm, c, digits);
        const actual = await trainCase(lib, gpu!, c, digits);
        console.log(
          `${gpu!.adapterName}, ${c.name}: ${actual.losses.length} steps in ${actual.seconds.toFixed(2)} s (wasm ${expected.seconds.toFixed(2)} s), max relative loss difference ${maxRelativeDifference(actual.losses, expected.losses).toExponential(2)}`,
        );
        expect(expected.losses).toHaveLength((c.samples / c.batchSize) * c.epochs);
        // The comparison means something only if the run trains: the course's loss falls over its 8 steps.
        if (c.name === 'course')
          expect(mean(expected.losses.slice(-4))).toBeLessThan(mean(expected.losses.slice(0, 4)) - 0.2);
        expect(lossMismatches(c, [gpu!.precision, wasm.precision], actual.losses, expected.losses)).toEqual(
          [],
        );
      },
      120_000,
    );
  }
});
