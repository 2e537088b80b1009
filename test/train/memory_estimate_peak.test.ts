/**
 * The estimate must not be below what a training step really takes: measured on the wasm backend, a
 * 2-4000-4000-3 MLP at batch 64 used 336 MB against an estimate of 269 MB. Here a small MLP's first
 * Adam step (the step that creates the optimizer state) is measured by the allocator's high-water mark.
 */
import { describe, expect, it } from 'vitest';
import { sizeClass } from '../../src/backend/wasm/allocator.js';
import { Adam, crossEntropy, mlp, randint, randn, scope, WasmBackend, withBackend } from '../../src/index.js';
import { estimateTrainingMemory, mlpFootprint } from '../../src/train/memory_estimate.js';

describe('estimateTrainingMemory against a measured step', () => {
  it('is at least the wasm heap a 2-300-300-3 MLP training step with Adam reaches', () => {
    const sizes = [2, 300, 300, 3];
    const batch = 64;
    const backend = new WasmBackend();
    const peak = withBackend(backend, () => {
      const before = backend.heapBytes();
      const model = mlp({ sizes });
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      const x = randn([batch, 2]);
      const y = randint(0, 3, [batch]);
      for (let i = 0; i < 2; i++) {
        scope(() => {
          opt.zeroGrad();
          crossEntropy(model.forward(x), y).backward();
          opt.step();
        });
      }
      return backend.heapBytes() - before;
    });
    const estimate = estimateTrainingMemory({
      model: mlpFootprint({ sizes }),
      batchSize: batch,
      optimizerSlots: 2,
      blockBytes: sizeClass,
      // As src/cli/memory_check.ts: the largest parameter's element count bounds a product's width.
      kernelScratchBytes: backend.kernels.gemmScratchBytes(300 * 300),
    });
    expect(estimate.total).toBeGreaterThanOrEqual(peak);
  });
});
