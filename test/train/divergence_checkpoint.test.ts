/**
 * A diverged epoch is never checkpointed: `fit` skips `onCheckpoint` for the epoch in which the
 * divergence guard stopped training, so checkpoint callbacks (ModelCheckpoint, the CLI's run
 * directory) keep the last good epoch; an early stop (not a divergence) is still checkpointed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossEntropy, Linear, manualSeed, ReLU, Sequential, SGD, type Tensor } from '../../src/index.js';
import { type Callback, EarlyStopping, fit } from '../../src/train/index.js';
import { loadTrainingState, ModelCheckpoint } from '../../src/train/node.js';
import { blobs, TinyLoader, weightsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-diverged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  manualSeed(4);
  const model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
  return {
    model,
    optimizer: new SGD(model.parameters(), { lr: 0.5 }),
    data: new TinyLoader(blobs(16, 4), 4),
  };
}

/** crossEntropy, except that the `at`-th call returns NaN (4 batches per epoch: call 6 is in epoch 2). */
function nanAt(at: number) {
  let calls = 0;
  return (o: Tensor, t: Tensor) => {
    calls += 1;
    const l = crossEntropy(o, t);
    return calls === at ? l.mul(Number.NaN) : l;
  };
}

function checkpointLog(): Callback & { epochs: number[]; weights: Record<string, number[]>[] } {
  const epochs: number[] = [];
  const weights: Record<string, number[]>[] = [];
  return {
    epochs,
    weights,
    onCheckpoint: (epoch, _logs, ctx) => {
      epochs.push(epoch);
      weights.push(weightsOf(ctx.model));
    },
  };
}

describe('checkpoints and divergence', () => {
  it('onCheckpoint is not called for the epoch that diverged; onEpochEnd and onTrainEnd still are', () => {
    const { model, optimizer, data } = setup();
    const log = checkpointLog();
    const ended: number[] = [];
    let trainEnd = 0;
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: nanAt(6),
      epochs: 4,
      callbacks: [
        log,
        {
          onEpochEnd: (e) => void ended.push(e),
          onTrainEnd: () => {
            trainEnd += 1;
          },
        },
      ],
    });
    expect(h.stopReason).toMatch(/^loss became NaN at epoch 2, step 6/);
    expect(ended).toEqual([1, 2]);
    expect(log.epochs).toEqual([1]);
    expect(trainEnd).toBe(1);
    expect(Object.values(log.weights[0]!).flat().every(Number.isFinite)).toBe(true);
  });

  it('ModelCheckpoint keeps the training state of the last good epoch', () => {
    const { model, optimizer, data } = setup();
    const path = join(dir, 'state.safetensors');
    fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: nanAt(10), // epoch 3, batch 2
      epochs: 4,
      callbacks: [new ModelCheckpoint({ path, saveTrainingState: true })],
    });
    const state = loadTrainingState(path);
    expect(state.epoch).toBe(2);
    expect(Object.values(state.model).every((t) => [...t.data].every(Number.isFinite))).toBe(true);
  });

  it('an early stop (not a divergence) is checkpointed as usual', () => {
    const { model, optimizer, data } = setup();
    const log = checkpointLog();
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 6,
      // `trainLoss` mode 'max' never improves after the first epoch: a stop at epoch 2.
      callbacks: [new EarlyStopping({ monitor: 'trainLoss', mode: 'max', patience: 0, minDelta: 1e9 }), log],
    });
    expect(h.stopReason).toMatch(/^early stopping at epoch 2/);
    expect(log.epochs).toEqual([1, 2]);
  });
});
