/**
 * fit: learning a separable problem, the history it returns, schedules per step and per epoch,
 * regularization and clipping, progress reporting, modes, the data forms it accepts, look-ahead
 * optimizers, and reproducibility (same seed, same history and weights).
 */
import { describe, expect, it } from 'vitest';
import { TensorDataset } from '../../src/data/dataset.js';
import { DataLoader } from '../../src/data/loader.js';
import {
  Adam,
  BatchNorm1d,
  Dropout,
  Linear,
  manualSeed,
  mlp,
  ReLU,
  Sequential,
  SGD,
  StepLR,
  Tanh,
} from '../../src/index.js';
import { evaluate, fit, type ProgressEvent } from '../../src/train/index.js';
import { asTensors, blobs, quadrants, TinyLoader, untimed, weightsOf } from './helpers.js';

describe('fit', () => {
  it('a small MLP learns XOR-like quadrants (accuracy above 95%)', () => {
    manualSeed(1);
    const model = mlp({ sizes: [2, 16, 16, 2], activation: 'tanh' });
    const train = quadrants(256, 1);
    const test = asTensors(quadrants(256, 2));
    const history = fit(model, new TinyLoader(train, 32, 7), {
      optimizer: new Adam(model.parameters(), { lr: 0.03 }),
      loss: 'crossEntropy',
      epochs: 25,
      validation: test,
    });
    expect(history.epochs).toHaveLength(25);
    expect(history.last!.trainAccuracy).toBeGreaterThan(0.95);
    expect(history.last!.valAccuracy).toBeGreaterThan(0.95);
    expect(history.epochs[0]!.trainLoss).toBeGreaterThan(history.last!.trainLoss * 3);
    expect(evaluate(model, test, { loss: 'crossEntropy' }).accuracy).toBe(history.last!.valAccuracy);
    expect(history.warnings).toEqual([]);
    expect(history.stopReason).toBeNull();
  });

  it('returns per-epoch logs with the documented keys and per-step losses and lrs', () => {
    manualSeed(2);
    const model = mlp({ sizes: [2, 4, 2] });
    const data = blobs(40, 3);
    const history = fit(model, new TinyLoader(data, 16), {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: 'crossEntropy',
      epochs: 3,
      validation: asTensors(blobs(20, 4)),
    });
    const e = history.epochs[1]!;
    expect(Object.keys(e).sort()).toEqual(
      [
        'epoch',
        'lr',
        'samplesPerSec',
        'seconds',
        'steps',
        'trainAccuracy',
        'trainLoss',
        'valAccuracy',
        'valLoss',
      ].sort(),
    );
    expect(history.epochs.map((x) => x.epoch)).toEqual([1, 2, 3]);
    expect(e.steps).toBe(3);
    expect(e.lr).toBe(0.1);
    expect(e.samplesPerSec).toBeGreaterThan(0);
    expect(e.seconds).toBeGreaterThan(0);
    expect(history.stepLosses).toHaveLength(9);
    expect(history.stepLrs).toEqual(new Array(9).fill(0.1));
    // trainLoss is the batch-size-weighted mean of the epoch's step losses (16, 16, 8 samples).
    const [a, b, c] = history.stepLosses.slice(3, 6) as [number, number, number];
    expect(e.trainLoss).toBeCloseTo((16 * a + 16 * b + 8 * c) / 40, 6);
    expect(history.series('valLoss')).toHaveLength(3);
    expect(history.bestEpoch('valLoss')).toBeGreaterThanOrEqual(1);
  });

  it('steps a schedule per epoch (default) or per optimizer step', () => {
    const run = (interval: 'step' | 'epoch') => {
      manualSeed(3);
      const model = mlp({ sizes: [2, 2] });
      const optimizer = new SGD(model.parameters(), { lr: 1 });
      const schedule = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
      return fit(model, new TinyLoader(blobs(8, 1), 4), {
        optimizer,
        loss: 'crossEntropy',
        epochs: 2,
        schedule,
        scheduleInterval: interval,
      });
    };
    expect(run('epoch').stepLrs).toEqual([1, 1, 0.5, 0.5]);
    expect(run('step').stepLrs).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it('L2 and L1 penalties shrink the weights but not the biases; clipNorm bounds the update', () => {
    const train = (regularization: object) => {
      manualSeed(4);
      const model = new Sequential(new Linear(2, 2));
      fit(model, new TinyLoader(blobs(32, 5), 32), {
        optimizer: new SGD(model.parameters(), { lr: 0.5 }),
        loss: 'crossEntropy',
        epochs: 20,
        regularization,
      });
      const w = weightsOf(model);
      return {
        w: Math.hypot(...w['0.weight']!),
        b: w['0.bias']!,
      };
    };
    const plain = train({});
    const l2 = train({ l2: 0.05 });
    const l1 = train({ l1: 0.05 });
    expect(l2.w).toBeLessThan(plain.w * 0.8);
    expect(l1.w).toBeLessThan(plain.w * 0.8);
    // With biases included the bias is penalized too, so it ends elsewhere.
    expect(train({ l2: 0.05, includeBiases: true }).b).not.toEqual(l2.b);

    manualSeed(5);
    const model = new Sequential(new Linear(2, 2));
    const before = weightsOf(model)['0.weight']!;
    fit(model, [asTensors(blobs(8, 1))], {
      optimizer: new SGD(model.parameters(), { lr: 1 }),
      loss: 'crossEntropy',
      epochs: 1,
      regularization: { clipNorm: 1e-3 },
    });
    const after = weightsOf(model)['0.weight']!;
    const moved = Math.hypot(...after.map((v, i) => v - before[i]!));
    expect(moved).toBeLessThanOrEqual(1e-3 * (1 + 1e-4));
    expect(moved).toBeGreaterThan(0);
  });

  it('reports progress after each batch and epoch; verbose prints one line per epoch', () => {
    manualSeed(6);
    const model = mlp({ sizes: [2, 2] });
    const events: ProgressEvent[] = [];
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => void lines.push(s);
    try {
      fit(model, new TinyLoader(blobs(12, 1), 4), {
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        loss: 'crossEntropy',
        epochs: 2,
        verbose: true,
        onProgress: (e) => void events.push(e),
      });
    } finally {
      console.log = log;
    }
    expect(events.map((e) => e.type)).toEqual([
      'batch',
      'batch',
      'batch',
      'epoch',
      'batch',
      'batch',
      'batch',
      'epoch',
    ]);
    const first = events[0]!;
    expect(first.type === 'batch' && first.batches).toBe(3);
    expect(first.type === 'batch' && first.logs.step).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^epoch 2\/2 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}lr 0\.1 {2}\d+ samples\/s$/,
    );
  });

  it('trains in training mode and gives every module its own mode back afterwards', () => {
    manualSeed(7);
    const bn = new BatchNorm1d(4);
    const drop = new Dropout(0.5);
    const model = new Sequential(new Linear(2, 4), bn, new ReLU(), drop, new Linear(4, 2));
    model.eval();
    drop.train(); // a deliberately mixed set of modes
    const modes: boolean[] = [];
    fit(model, new TinyLoader(blobs(8, 1), 4), {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: 'crossEntropy',
      epochs: 1,
      callbacks: [{ onBatchEnd: () => void modes.push(bn.training, drop.training) }],
    });
    expect(modes).toEqual([true, true, true, true]);
    expect([model.training, bn.training, drop.training]).toEqual([false, false, true]);
    expect(weightsOf(model)['1.num_batches_tracked']).toEqual([2]);
  });

  it('accepts tensors { x, y } with batchSize, a TensorDataset, a DataLoader and an array of batches', () => {
    const a = blobs(40, 8);
    const opts = (model: Sequential) => ({
      optimizer: new SGD(model.parameters(), { lr: 0.2 }),
      loss: 'crossEntropy' as const,
      epochs: 2,
    });
    manualSeed(8);
    let model = new Sequential(new Linear(2, 2));
    expect(fit(model, asTensors(a), { ...opts(model), batchSize: 16 }).last!.steps).toBe(3);
    const dataset = new TensorDataset(a.x, a.y, { sampleShape: [2] });
    model = new Sequential(new Linear(2, 2));
    expect(fit(model, dataset, { ...opts(model), batchSize: 10, shuffle: true, seed: 3 }).last!.steps).toBe(
      4,
    );
    model = new Sequential(new Linear(2, 2));
    const loader = new DataLoader(dataset, { batchSize: 8, shuffle: true, seed: 1 });
    const h = fit(model, loader, opts(model));
    expect(h.last!.steps).toBe(5);
    expect(h.last!.trainAccuracy).toBeGreaterThan(0.9);
    model = new Sequential(new Linear(2, 2));
    const batches = [asTensors(blobs(8, 1)), asTensors(blobs(8, 2))];
    fit(model, batches, opts(model));
    // the user's batches outlive the fit and can be reused
    expect(batches[0]!.x.shape).toEqual([8, 2]);
    expect(fit(model, batches, opts(model)).stepLosses).toHaveLength(4);
  });

  it("works with an optimizer that evaluates the gradient at a look-ahead point (SGD's course form)", () => {
    manualSeed(9);
    const model = mlp({ sizes: [2, 8, 2], activation: 'tanh' });
    const h = fit(model, new TinyLoader(blobs(64, 9), 16, 1), {
      optimizer: new SGD(model.parameters(), {
        lr: 0.1,
        momentum: 0.9,
        nesterov: true,
        nesterovForm: 'lookahead',
      }),
      loss: 'crossEntropy',
      epochs: 5,
    });
    expect(h.last!.trainAccuracy).toBeGreaterThan(0.95);
  });

  it('with the same seed two fits give identical histories and weights (dropout and shuffling included)', () => {
    const run = () => {
      manualSeed(10);
      const model = new Sequential(new Linear(2, 8), new Tanh(), new Dropout(0.3), new Linear(8, 2));
      const h = fit(model, asTensors(blobs(48, 11)), {
        optimizer: new Adam(model.parameters(), { lr: 0.01 }),
        loss: 'crossEntropy',
        epochs: 3,
        batchSize: 10,
        seed: 4,
        validation: asTensors(blobs(16, 12)),
      });
      return { epochs: untimed(h.epochs), steps: h.stepLosses, weights: weightsOf(model) };
    };
    const a = run();
    const b = run();
    expect(b).toEqual(a);
    // and the shuffling does depend on the seed
    manualSeed(10);
    const model = new Sequential(new Linear(2, 8), new Tanh(), new Dropout(0.3), new Linear(8, 2));
    const c = fit(model, asTensors(blobs(48, 11)), {
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      loss: 'crossEntropy',
      epochs: 1,
      batchSize: 10,
      seed: 5,
    });
    expect(c.stepLosses).not.toEqual(a.steps.slice(0, 5));
  });

  it('no accuracy by default for regression targets; custom metrics are logged as train<Name>', () => {
    manualSeed(11);
    const model = new Sequential(new Linear(2, 1));
    const x = asTensors(blobs(16, 1)).x;
    const y = x.sum(1, true);
    let batches = 0;
    const h = fit(
      model,
      { x, y },
      {
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        loss: 'mse',
        epochs: 2,
        batchSize: 8,
      },
    );
    expect(h.last!.trainAccuracy).toBeUndefined();
    const h2 = fit(
      model,
      { x, y },
      {
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        loss: 'mse',
        epochs: 1,
        batchSize: 8,
        metrics: [
          {
            name: 'batches',
            update: () => {
              batches += 1;
            },
            compute: () => batches,
            reset: () => {
              batches = 0;
            },
          },
        ],
      },
    );
    expect(h2.last!.trainBatches).toBe(2);
  });
});
