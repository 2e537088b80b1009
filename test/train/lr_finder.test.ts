/**
 * lrFind (Smith 2017): an exponential sweep whose suggestion is sensible on a toy problem, which stops
 * when the loss diverges, and which leaves model, optimizer, gradients, modes and the generator exactly
 * as they were.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  Dropout,
  getDefaultGenerator,
  Linear,
  manualSeed,
  mlp,
  Sequential,
  SGD,
  Tanh,
  type Tensor,
} from '../../src/index.js';
import { fit, lrFind } from '../../src/train/index.js';
import { asTensors, blobs, TinyLoader, weightsOf } from './helpers.js';

describe('lrFind', () => {
  it('sweeps lr exponentially, stops at divergence, and suggests an lr that trains well', () => {
    manualSeed(1);
    const model = mlp({ sizes: [2, 16, 2], activation: 'tanh' });
    const data = new TinyLoader(blobs(256, 1, 1.2), 16, 3);
    const r = lrFind(model, data, {
      optimizer: (p) => new SGD(p, { lr: 1 }),
      loss: 'crossEntropy',
      steps: 80,
      endLr: 100,
    });
    expect(r.lrs[0]).toBeCloseTo(1e-7, 20);
    const ratio = (100 / 1e-7) ** (1 / 79);
    for (let i = 1; i < r.lrs.length; i++) expect(r.lrs[i]! / r.lrs[i - 1]!).toBeCloseTo(ratio, 10);
    expect(r.losses).toHaveLength(r.lrs.length);
    expect(r.rawLosses).toHaveLength(r.lrs.length);
    expect(r.diverged).toBe(true);
    expect(r.lrs.length).toBeLessThan(80);
    expect(r.suggestionRule).toBe('steepest');
    // On this toy problem a sensible lr for SGD is between 1e-3 and 3.
    expect(r.suggestion).toBeGreaterThan(1e-3);
    expect(r.suggestion).toBeLessThan(3);
    expect(r.suggestion).toBeLessThan(r.minLossLr);
    // and training with it works better than with an lr a thousand times smaller
    const trainWith = (lr: number) => {
      manualSeed(1);
      const m = mlp({ sizes: [2, 16, 2], activation: 'tanh' });
      return fit(m, data, { optimizer: new SGD(m.parameters(), { lr }), loss: 'crossEntropy', epochs: 3 })
        .last!.trainLoss;
    };
    expect(trainWith(r.suggestion)).toBeLessThan(trainWith(r.suggestion / 1000));
  });

  it('the smoothed loss is the bias-corrected moving average of the raw losses', () => {
    manualSeed(2);
    const model = new Sequential(new Linear(2, 2));
    const r = lrFind(model, asTensors(blobs(64, 2)), {
      optimizer: (p) => new SGD(p, { lr: 1 }),
      loss: 'crossEntropy',
      steps: 10,
      endLr: 1e-3,
      smoothing: 0.9,
      batchSize: 8,
    });
    let avg = 0;
    r.rawLosses.forEach((l, i) => {
      avg = 0.9 * avg + 0.1 * l;
      expect(r.losses[i]).toBeCloseTo(avg / (1 - 0.9 ** (i + 1)), 12);
    });
    expect(r.lrs).toHaveLength(10);
    expect(r.diverged).toBe(false);
    expect(r.lrs[9]).toBeCloseTo(1e-3, 15);
  });

  it('restores weights, buffers, optimizer state and lr, gradients, modes and the random generator exactly', () => {
    manualSeed(3);
    const model = new Sequential(new Linear(2, 8), new Tanh(), new Dropout(0.2), new Linear(8, 2));
    const data = new TinyLoader(blobs(64, 3), 16, 1);
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 1 }); // some optimizer state to keep
    model.eval();
    const weights = weightsOf(model);
    const state = JSON.stringify(optimizer.stateDict());
    const grads = model.parameters().map((p) => Array.from(p.grad!.data()));
    const rng = getDefaultGenerator().getState();
    const r = lrFind(model, data, { optimizer, loss: 'crossEntropy', steps: 30 });
    expect(r.lrs.length).toBeGreaterThan(5);
    expect(weightsOf(model)).toEqual(weights);
    expect(JSON.stringify(optimizer.stateDict())).toBe(state);
    expect(optimizer.lr).toBe(0.01);
    expect(model.parameters().map((p) => Array.from(p.grad!.data()))).toEqual(grads);
    expect(getDefaultGenerator().getState()).toEqual(rng);
    expect([...model.modules()].every((m) => !m.training)).toBe(true);
  });

  it('leaves parameters without gradients without gradients', () => {
    manualSeed(4);
    const model = new Sequential(new Linear(2, 2));
    lrFind(model, [asTensors(blobs(8, 1))], {
      optimizer: (p) => new SGD(p, { lr: 1 }),
      loss: 'crossEntropy',
      steps: 5,
    });
    expect(model.parameters().map((p) => p.grad)).toEqual([null, null]);
  });

  it('checks its arguments', () => {
    const model = new Sequential(new Linear(2, 2));
    const data = [asTensors(blobs(8, 1))];
    const factory = (p: Tensor[]) => new SGD(p, { lr: 1 });
    expect(() => lrFind(model, data, { loss: 'crossEntropy' } as never)).toThrow(
      'lrFind: options.optimizer is required: an optimizer or a factory (params) => optimizer, e.g. (p) => new SGD(p, { lr: 1 })',
    );
    expect(() =>
      lrFind(model, data, { optimizer: factory, loss: 'crossEntropy', startLr: 1, endLr: 0.1 }),
    ).toThrow('lrFind: endLr (0.1) must be greater than startLr (1)');
    expect(() => lrFind(model, data, { optimizer: factory, loss: 'crossEntropy', steps: 1 })).toThrow(
      'lrFind: steps must be an integer ≥ 2, got 1',
    );
    expect(() => lrFind(model, data, { optimizer: factory, loss: 'crossEntropy', smoothing: 1 })).toThrow(
      'lrFind: smoothing must be in [0, 1), got 1',
    );
    expect(() =>
      lrFind(model, data, { optimizer: factory, loss: 'crossEntropy', divergeThreshold: 1 }),
    ).toThrow('lrFind: divergeThreshold must be greater than 1, got 1');
    expect(() => lrFind(model, [], { optimizer: factory, loss: 'crossEntropy' })).toThrow(
      'lrFind: the data yielded no batches',
    );
    expect(() =>
      lrFind(model, data, { optimizer: factory, loss: 'crossEntropy', start: 1 } as never),
    ).toThrow(
      "lrFind: unknown option 'start'; accepted: optimizer, loss, startLr, endLr, steps, smoothing, divergeThreshold, batchSize, shuffle, seed",
    );
  });
});
