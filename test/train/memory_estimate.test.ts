/**
 * The training memory estimate: the footprints count the tensors the builders make (checked against
 * built models, so a builder that changes breaks this test instead of the estimate going stale), and
 * the estimate adds them up as hand-computed here.
 */
import { describe, expect, it } from 'vitest';
import { sizeClass } from '../../src/backend/wasm/allocator.js';
import { mlp, plainNet, ReferenceBackend, resnet, withBackend } from '../../src/index.js';
import type { Module } from '../../src/nn/module.js';
import { estimateTrainingMemory, mlpFootprint, resnetFootprint } from '../../src/train/memory_estimate.js';

function sizes(model: Module): { parameters: number[]; buffers: number[] } {
  return {
    parameters: model.parameters().map((p) => p.size),
    buffers: model.buffers().map((b) => b.size),
  };
}

describe('mlpFootprint', () => {
  it('counts [2, 3, 4] with batch norm by hand: 31 parameters, 7 buffer elements, 23 activations a sample', () => {
    const f = mlpFootprint({ sizes: [2, 3, 4], batchNorm: true });
    // Linear 3×2 + 3, BN 3 + 3, Linear 4×3 + 4.
    expect(f.parameters).toEqual([6, 3, 3, 3, 12, 4]);
    expect(f.buffers).toEqual([3, 3, 1]);
    // Input 2; hidden: Linear, BN, activation 3 × 3; logits, probabilities, their logs 3 × 4.
    expect(f.activationsPerSample).toBe(2 + 9 + 12);
  });

  it('adds dropout masks and outputs to the activations', () => {
    const plain = mlpFootprint({ sizes: [5, 7, 2] });
    const dropped = mlpFootprint({ sizes: [5, 7, 2], dropout: 0.5, inputDropout: 0.2 });
    expect(dropped.activationsPerSample - plain.activationsPerSample).toBe(2 * 7 + 2 * 5);
    expect(dropped.parameters).toEqual(plain.parameters);
  });

  it.each([
    { sizes: [5, 7, 3], batchNorm: true, dropout: 0.1, inputDropout: 0.1 },
    { sizes: [4, 6, 6, 6, 2], batchNorm: false },
    { sizes: [3, 2], batchNorm: true },
  ])('matches the tensors mlp() builds for $sizes (batch norm $batchNorm)', (spec) => {
    const model = withBackend(new ReferenceBackend(), () => mlp(spec));
    const f = mlpFootprint(spec);
    expect({ parameters: f.parameters, buffers: f.buffers }).toEqual(sizes(model));
  });

  it("counts the issue's 2-30000-30000-3 network: 900,210,003 parameters", () => {
    const f = mlpFootprint({ sizes: [2, 30000, 30000, 3] });
    const total = f.parameters.reduce((a, b) => a + b, 0);
    expect(total).toBe(2 * 30000 + 30000 + 30000 * 30000 + 30000 + 30000 * 3 + 3);
    expect(total).toBe(900_210_003);
  });
});

describe('resnetFootprint', () => {
  it.each([
    { depth: 8, width: 2, shortcut: true },
    { depth: 14, width: 3, shortcut: true },
    { depth: 8, width: 2, shortcut: false },
  ])(
    'matches the tensors of depth $depth, width $width (shortcut $shortcut)',
    ({ depth, width, shortcut }) => {
      const options = { depth, width, inChannels: 1, classes: 3 };
      const model = withBackend(new ReferenceBackend(), () =>
        shortcut ? resnet(options) : plainNet(options),
      );
      const f = resnetFootprint({ ...options, imageSize: [8, 8], shortcut });
      expect({ parameters: f.parameters, buffers: f.buffers }).toEqual(sizes(model));
    },
  );

  it('counts activations at each stage resolution: 28×28, then 14×14, then 7×7', () => {
    const at = (size: number) =>
      resnetFootprint({
        depth: 8,
        width: 1,
        inChannels: 1,
        classes: 1,
        imageSize: [size, size],
        shortcut: false,
      }).activationsPerSample;
    // No shortcuts, width 1, one block a stage: input, stem (conv, BN, ReLU), then per stage of c
    // channels on m pixels 2 convolutions with BN (4cm), a ReLU (cm) and the final ReLU (cm); the
    // pooled features (4), logits and the loss's (3).
    const hand = 28 * 28 + 3 * 28 * 28 + 6 * 1 * 28 * 28 + 6 * 2 * 14 * 14 + 6 * 4 * 7 * 7 + 4 + 3;
    expect(at(28)).toBe(hand);
  });
});

describe('estimateTrainingMemory', () => {
  const model = mlpFootprint({ sizes: [2, 3, 4], batchNorm: true });

  it('adds parameters, gradients, optimizer slots, buffers and a batch of activations, by hand', () => {
    const e = estimateTrainingMemory({ model, batchSize: 8, optimizerSlots: 2 });
    expect(e.parameters).toBe(31 * 4);
    expect(e.gradients).toBe(31 * 4);
    expect(e.optimizerState).toBe(2 * 31 * 4);
    expect(e.buffers).toBe(7 * 4);
    expect(e.activations).toBe(2 * 23 * 8 * 4); // forward intermediates and their gradients
    expect(e.scratch).toBe(12 * 4); // a transient copy of the largest parameter
    expect(e.total).toBe(124 * 4 + 28 + 1472 + 48);
    expect(e.largestTensor).toBe(12 * 4);
  });

  it("rounds each tensor to the backend's blocks", () => {
    const e = estimateTrainingMemory({ model, batchSize: 1, optimizerSlots: 0, blockBytes: sizeClass });
    // 24, 12, 12, 12, 48, 16 bytes → classes of 32, 16, 16, 16, 48, 16.
    expect(e.parameters).toBe(32 + 16 + 16 + 16 + 48 + 16);
  });

  it('puts the 30000-wide MLP with Adam far past 4 GiB', () => {
    const big = mlpFootprint({ sizes: [2, 30000, 30000, 3] });
    const e = estimateTrainingMemory({ model: big, batchSize: 64, optimizerSlots: 2 });
    expect(e.total).toBeGreaterThan(4 * 900_210_003 * 4 + 30000 * 30000 * 4);
    expect(e.total).toBeLessThan((4 * 900_210_003 * 4 + 30000 * 30000 * 4) * 1.01);
  });
});
