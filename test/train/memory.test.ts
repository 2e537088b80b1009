/**
 * Memory stays flat across epochs: 10,000 tiny training steps through `fit` (a loader that makes fresh
 * batch tensors every step, accuracy, the default guards, momentum, a per-step schedule) leave the
 * backend's bytes in use exactly where they were after the first epoch; so do penalties, clipping,
 * validation and early stopping with best weights. While fit runs it also holds its device log of step
 * losses (read every `logEvery` steps) and accuracy's count of hits; both are released when it returns.
 */
import { describe, expect, it } from 'vitest';
import { getBackend, Linear, manualSeed, ReLU, Sequential, SGD, StepLR } from '../../src/index.js';
import { EarlyStopping, fit, ReduceLROnPlateauCallback } from '../../src/train/index.js';
import { asTensors, blobs, TinyLoader } from './helpers.js';

const PARAM_BYTES = 4 * (2 * 4 + 4 + 4 * 2 + 2);
/** The step-loss log (float32, `logEvery` = 50 slots by default) and accuracy's int32 count of hits. */
const FIT_BYTES = 4 * 50 + 4;

function setup() {
  manualSeed(1);
  const model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
  const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  return { model, optimizer };
}

describe('memory', () => {
  it('is flat over 10,000 steps', () => {
    const { model, optimizer } = setup();
    const schedule = new StepLR(optimizer, { stepSize: 1000, gamma: 0.9 });
    const data = new TinyLoader(blobs(400, 1), 4, 1); // 100 batches per epoch
    const before = getBackend().bytesInUse();
    const perEpoch: number[] = [];
    const history = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 100,
      schedule,
      scheduleInterval: 'step',
      callbacks: [{ onEpochEnd: () => void perEpoch.push(getBackend().bytesInUse()) }],
    });
    expect(history.stepLosses).toHaveLength(10_000);
    expect(data.yielded).toBe(10_000);
    // after the first epoch: the parameters' gradients and momentum buffers, fit's own device
    // accumulators and the captured step's buffers (traced afresh every epoch, in the same room)
    expect(perEpoch[0]! - before).toBeGreaterThan(2 * PARAM_BYTES + FIT_BYTES);
    expect(new Set(perEpoch)).toEqual(new Set([perEpoch[0]]));
    // once fit returns, only the gradients and momentum buffers remain
    expect(getBackend().bytesInUse() - before).toBe(2 * PARAM_BYTES);
  });

  it('is flat with penalties, clipping, validation, early stopping and lr reduction', () => {
    const { model, optimizer } = setup();
    const validation = asTensors(blobs(20, 2));
    const before = getBackend().bytesInUse();
    const perEpoch: number[] = [];
    fit(model, new TinyLoader(blobs(80, 3), 4, 2), {
      optimizer,
      loss: 'crossEntropy',
      epochs: 6,
      validation,
      regularization: { l1: 1e-4, l2: 1e-4, clipNorm: 1 },
      capture: false,
      callbacks: [
        new EarlyStopping({ patience: 10, restoreBestWeights: true }),
        new ReduceLROnPlateauCallback({ patience: 0 }),
        { onEpochEnd: () => void perEpoch.push(getBackend().bytesInUse()) },
      ],
    });
    // gradients, momentum and one best-weights copy (a new best replaces the old copy), with eager
    // steps (capture: false) so that nothing else is held
    expect(perEpoch[0]! - before).toBe(3 * PARAM_BYTES + FIT_BYTES);
    expect(new Set(perEpoch)).toEqual(new Set([perEpoch[0]]));
  });
});
