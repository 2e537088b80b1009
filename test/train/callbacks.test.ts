/**
 * Callbacks: EarlyStopping (patience, minDelta, restoreBestWeights at an early stop and at the natural
 * end), the divergence guard (NaN, explosion, the exact message, a real lr that is too high), the
 * plateau detector, ReduceLROnPlateau, ModelCheckpoint, and the callback order.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Adam,
  crossEntropy,
  Linear,
  manualSeed,
  mlp,
  ReLU,
  Sequential,
  SGD,
  type Tensor,
} from '../../src/index.js';
import { loadModel } from '../../src/io/checkpoint.js';
import { formatNumber } from '../../src/train/callbacks/callback.js';
import {
  type Callback,
  DivergenceGuard,
  EarlyStopping,
  fit,
  type Metric,
  PlateauDetector,
  ReduceLROnPlateauCallback,
} from '../../src/train/index.js';
import { loadTrainingState, ModelCheckpoint, saveTrainingState } from '../../src/train/node.js';
import { asTensors, blobs, quadrants, TinyLoader, weightsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A metric that reports scripted values, one per epoch: logged as `trainValue` (mode 'auto' → 'min'). */
function scripted(values: readonly number[]): Metric {
  let epoch = 0;
  return { name: 'value', update: () => {}, compute: () => values[epoch++]!, reset: () => {} };
}

/** A model, an optimizer and data for 4 batches per epoch. */
function setup(seed = 1, lr = 0.1) {
  manualSeed(seed);
  const model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
  return { model, optimizer: new SGD(model.parameters(), { lr }), data: new TinyLoader(blobs(16, seed), 4) };
}

/** Records the weights at the end of every epoch. */
function recorder(): Callback & { weights: Record<string, number[]>[] } {
  const weights: Record<string, number[]>[] = [];
  return { weights, onEpochEnd: (_e, _l, ctx) => void weights.push(weightsOf(ctx.model)) };
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement', () => {
    const { model, optimizer, data } = setup();
    const stop = new EarlyStopping({ monitor: 'trainValue', patience: 2 });
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 10,
      metrics: [scripted([5, 4, 4.5, 4.1, 3, 2])],
      callbacks: [stop],
    });
    expect(h.epochs).toHaveLength(4);
    expect(stop.bestEpoch).toBe(2);
    expect(stop.best).toBe(4);
    expect(stop.stoppedEpoch).toBe(4);
    expect(h.stopReason).toBe(
      'early stopping at epoch 4: trainValue has not improved for 2 epochs (best 4 at epoch 2)',
    );
  });

  it('minDelta: smaller improvements do not count', () => {
    const { model, optimizer, data } = setup();
    const stop = new EarlyStopping({ monitor: 'trainValue', patience: 2, minDelta: 0.5 });
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 10,
      metrics: [scripted([5, 4.6, 4.2, 3, 2.9, 2.8, 1])],
      callbacks: [stop],
    });
    // 4.6 is within 0.5 of 5 (wait 1); 4.2 < 5 − 0.5 improves; 3 improves; 2.9 and 2.8 are within 0.5 of 3
    expect(h.epochs).toHaveLength(6);
    expect(stop.bestEpoch).toBe(4);
    expect(stop.best).toBe(3);
  });

  it("mode 'auto' maximizes accuracies; 'max' can be forced", () => {
    const { model, optimizer, data } = setup();
    const stop = new EarlyStopping({ monitor: 'trainValue', mode: 'max', patience: 0 });
    fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 5,
      metrics: [scripted([1, 2, 1])],
      callbacks: [stop],
    });
    expect(stop.bestEpoch).toBe(2);
    expect(stop.stoppedEpoch).toBe(3);
  });

  it('restoreBestWeights puts back the best epoch after an early stop', () => {
    const { model, optimizer, data } = setup(2);
    const rec = recorder();
    fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 10,
      metrics: [scripted([3, 1, 2, 2, 2])],
      callbacks: [rec, new EarlyStopping({ monitor: 'trainValue', patience: 2, restoreBestWeights: true })],
    });
    expect(rec.weights).toHaveLength(4);
    expect(rec.weights[3]).not.toEqual(rec.weights[1]);
    expect(weightsOf(model)).toEqual(rec.weights[1]);
  });

  it('restoreBestWeights also restores when training reaches its last epoch without stopping', () => {
    const { model, optimizer, data } = setup(3);
    const rec = recorder();
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 4,
      metrics: [scripted([3, 1, 2, 2])],
      callbacks: [rec, new EarlyStopping({ monitor: 'trainValue', patience: 5, restoreBestWeights: true })],
    });
    expect(h.stopReason).toBeNull();
    expect(weightsOf(model)).toEqual(rec.weights[1]);
    // without the option the last weights stay
    const s = setup(3);
    const rec2 = recorder();
    fit(s.model, s.data, {
      optimizer: s.optimizer,
      loss: 'crossEntropy',
      epochs: 4,
      metrics: [scripted([3, 1, 2, 2])],
      callbacks: [rec2, new EarlyStopping({ monitor: 'trainValue', patience: 5 })],
    });
    expect(weightsOf(s.model)).toEqual(rec2.weights[3]);
  });

  it('monitors valLoss by default, which needs validation data', () => {
    const { model, optimizer, data } = setup();
    expect(() =>
      fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 2, callbacks: [new EarlyStopping()] }),
    ).toThrow(
      "EarlyStopping: monitor 'valLoss' needs validation data; pass fit(…, { validation }) or monitor a training key such as 'trainLoss'",
    );
    expect(() =>
      fit(model, data, {
        optimizer,
        loss: 'crossEntropy',
        epochs: 2,
        callbacks: [new EarlyStopping({ monitor: 'trainLos' })],
      }),
    ).toThrow(
      "EarlyStopping: monitor 'trainLos' is not in the epoch logs; available: trainLoss, lr, samplesPerSec, seconds, steps, trainAccuracy",
    );
  });
});

describe('DivergenceGuard', () => {
  /** crossEntropy, except that call number `at` is multiplied by `factor`. */
  function sabotaged(at: number, factor: number) {
    let calls = 0;
    return (o: Tensor, t: Tensor) => {
      calls += 1;
      const l = crossEntropy(o, t);
      return calls === at ? l.mul(factor) : l;
    };
  }

  it('stops when the loss becomes NaN and explains it with the lr to try (logEvery 1: right after that step)', () => {
    const { model, optimizer, data } = setup(4, 0.5);
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(6, Number.NaN),
      epochs: 5,
      logEvery: 1,
    });
    const message =
      'loss became NaN at epoch 2, step 6 with lr 0.5: the learning rate is very likely too high; try 0.05 or lower';
    expect(h.stopReason).toBe(message);
    expect(h.warnings).toEqual([
      { kind: 'divergence', message, epoch: 2, step: 6, lr: 0.5, loss: Number.NaN, suggestedLr: 0.05 },
    ]);
    expect(h.stepLosses).toHaveLength(6);
    // the interrupted epoch is logged and no later epoch runs
    expect(h.epochs.map((e) => e.steps)).toEqual([4, 2]);
  });

  it('after a divergence, EarlyStopping on valLoss still works and puts back the last good weights', () => {
    const { model, optimizer, data } = setup(4, 0.5);
    const rec = recorder();
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(11, Number.NaN), // calls 5 and 10 are the validations of epochs 1 and 2
      epochs: 5,
      validation: [asTensors(blobs(8, 9))],
      callbacks: [rec, new EarlyStopping({ patience: 3, restoreBestWeights: true })],
    });
    expect(h.stopReason).toMatch(/^loss became NaN at epoch 3, step 9 with lr 0\.5: /);
    expect(h.epochs).toHaveLength(3);
    expect(h.epochs[2]!.valLoss).toBeNaN();
    const best = h.bestEpoch('valLoss')!;
    expect(weightsOf(model)).toEqual(rec.weights[best - 1]);
    expect(Object.values(weightsOf(model)).flat().every(Number.isFinite)).toBe(true);
  });

  it('stops on Infinity too', () => {
    const { model, optimizer, data } = setup(4, 0.5);
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(2, Infinity),
      epochs: 2,
    });
    expect(h.stopReason).toBe(
      'loss became Infinity at epoch 1, step 2 with lr 0.5: the learning rate is very likely too high; try 0.05 or lower',
    );
  });

  it('stops when a finite loss explodes far above its first value', () => {
    const { model, optimizer, data } = setup(5, 0.3);
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(3, 1e5),
      epochs: 2,
    });
    const [first, , third] = h.stepLosses as [number, number, number];
    expect(Number.isFinite(third)).toBe(true);
    const ratio = third / first;
    expect(ratio).toBeGreaterThan(1e3);
    expect(h.stopReason).toBe(
      `loss exploded to ${formatNumber(third)} (${formatNumber(ratio)}× its first value ${formatNumber(first)}) at epoch 1, step 3 with lr 0.3: the learning rate is very likely too high; try 0.03 or lower`,
    );
    // concretely, on this seed:
    expect(h.stopReason).toBe(
      'loss exploded to 67300 (82500× its first value 0.816) at epoch 1, step 3 with lr 0.3: the learning rate is very likely too high; try 0.03 or lower',
    );
    expect([
      formatNumber(0.05000000000000001),
      formatNumber(1e-5),
      formatNumber(2.5e7),
      formatNumber(0.001),
    ]).toEqual(['0.05', '1e-5', '2.5e+7', '0.001']);
    expect(h.warnings[0]!.kind).toBe('divergence');
  });

  it('maxLoss is an absolute bound; explosionFactor is configurable', () => {
    const { model, optimizer, data } = setup(5, 0.3);
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(3, 50),
      epochs: 2,
      divergenceGuard: { maxLoss: 10 },
    });
    expect(h.stopReason).toMatch(
      /^loss exploded to \d+(\.\d+)? \(above maxLoss 10\) at epoch 1, step 3 with lr 0\.3: /,
    );
    const s = setup(5, 0.3);
    const h2 = fit(s.model, s.data, {
      optimizer: s.optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(3, 50),
      epochs: 2,
      divergenceGuard: { explosionFactor: 20 },
    });
    expect(h2.stopReason).toMatch(/^loss exploded to .*× its first value/);
  });

  it('catches a real learning rate that is far too high (Adam, lr 10, small ReLU MLP)', () => {
    // As measured in PyTorch, the loss explodes (here to about 1e4 at step 2) but stays finite.
    manualSeed(6);
    const model = mlp({ sizes: [2, 32, 32, 2], activation: 'relu' });
    const h = fit(model, new TinyLoader(quadrants(128, 6), 16, 1), {
      optimizer: new Adam(model.parameters(), { lr: 10 }),
      loss: 'crossEntropy',
      epochs: 20,
    });
    expect(h.stopped).toBe(true);
    expect(h.epochs.length).toBeLessThan(20);
    expect(h.stopReason).toMatch(
      /^loss (became NaN|became Infinity|exploded to .*) at epoch \d+, step \d+ with lr 10: the learning rate is very likely too high; try 1 or lower$/,
    );
    expect(h.warnings.map((w) => w.suggestedLr)).toEqual([1]);
  });

  it('can be turned off', () => {
    const { model, optimizer, data } = setup(4, 0.5);
    const h = fit(model, data, {
      optimizer,
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: sabotaged(2, Number.NaN),
      epochs: 1,
      divergenceGuard: false,
    });
    expect(h.stopped).toBe(false);
    expect(h.stepLosses).toHaveLength(4);
  });

  it('checks its options', () => {
    expect(() => new DivergenceGuard({ explosionFactor: 1 })).toThrow(
      'DivergenceGuard: explosionFactor must be a number above 1, got 1',
    );
    expect(() => new DivergenceGuard({ maxLoss: -1 })).toThrow(
      'DivergenceGuard: maxLoss must be a positive number, got -1',
    );
    expect(() => new DivergenceGuard({ factor: 2 } as never)).toThrow(
      "DivergenceGuard: unknown option 'factor'; accepted: explosionFactor, maxLoss",
    );
  });
});

describe('PlateauDetector', () => {
  it('warns once when the loss barely moves: the learning rate may be too low', () => {
    const { model, optimizer, data } = setup(7, 1e-5);
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 12,
      plateauDetector: { window: 20 },
    });
    expect(h.warnings).toHaveLength(1);
    const w = h.warnings[0]!;
    expect(w.kind).toBe('plateau');
    expect(w.step).toBe(20);
    expect(w.epoch).toBe(5);
    expect(w.suggestedLr).toBeCloseTo(1e-4, 15);
    expect(w.message).toMatch(
      /^loss barely moved over the last 20 steps \(\d\.\d+ → \d\.\d+, [−+]\d(\.\d+)?(e-\d)?%\) at epoch 5, step 20 with lr 1e-5: the learning rate may be too low; try 1e-4$/,
    );
    expect(h.stopped).toBe(false);
    expect(h.epochs).toHaveLength(12);
  });

  it('does not warn while the loss is coming down, nor once it has come down a lot', () => {
    manualSeed(8);
    const model = mlp({ sizes: [2, 16, 2], activation: 'tanh' });
    const h = fit(model, new TinyLoader(blobs(64, 8), 8, 2), {
      optimizer: new SGD(model.parameters(), { lr: 0.2 }),
      loss: 'crossEntropy',
      epochs: 10,
      plateauDetector: { window: 20 },
    });
    expect(h.last!.trainLoss).toBeLessThan(0.1);
    expect(h.warnings).toEqual([]);
  });

  it('can stop training, and checks its options', () => {
    const { model, optimizer, data } = setup(7, 1e-5);
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 12,
      callbacks: [new PlateauDetector({ window: 8, stop: true })],
    });
    expect(h.stopped).toBe(true);
    expect(h.stepLosses).toHaveLength(8);
    expect(() => new PlateauDetector({ window: 5 })).toThrow(
      'PlateauDetector: window must be an even integer ≥ 4, got 5',
    );
    expect(() => new PlateauDetector({ maxProgress: 0 })).toThrow(
      'PlateauDetector: maxProgress must be in (0, 1], got 0',
    );
  });
});

describe('ReduceLROnPlateauCallback', () => {
  it('multiplies the lr by factor once the monitored value stops improving for more than patience epochs', () => {
    const { model, optimizer, data } = setup(9, 0.1);
    const cb = new ReduceLROnPlateauCallback({ monitor: 'trainValue', factor: 0.5, patience: 1 });
    const h = fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 6,
      metrics: [scripted([3, 2, 2, 2, 2, 2])],
      callbacks: [cb],
    });
    // bad epochs 3 and 4 → cut after epoch 4 (numBadEpochs 2 > patience 1); then 5 and 6 → cut after 6
    expect(h.series('lr')).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05]);
    expect(optimizer.lr).toBe(0.025);
    expect(cb.schedule!.best).toBe(2);
  });

  it('checks its options and needs validation for valLoss', () => {
    expect(() => new ReduceLROnPlateauCallback({ factor: 2 })).toThrow(
      'ReduceLROnPlateau: factor must be a number in [0, 1), got 2',
    );
    const { model, optimizer, data } = setup();
    expect(() =>
      fit(model, data, {
        optimizer,
        loss: 'crossEntropy',
        epochs: 1,
        callbacks: [new ReduceLROnPlateauCallback()],
      }),
    ).toThrow("ReduceLROnPlateauCallback: monitor 'valLoss' needs validation data");
  });
});

describe('ModelCheckpoint', () => {
  it('saves every epoch atomically, with {epoch} in the name', () => {
    const { model, optimizer, data } = setup(10);
    const sub = mkdtempSync(join(dir, 'every-'));
    const rec = recorder();
    const cp = new ModelCheckpoint({ path: join(sub, 'model-{epoch}.safetensors') });
    fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 3, callbacks: [rec, cp] });
    expect(readdirSync(sub).sort()).toEqual([
      'model-1.safetensors',
      'model-2.safetensors',
      'model-3.safetensors',
    ]);
    const copy = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
    loadModel(join(sub, 'model-2.safetensors'), copy);
    expect(weightsOf(copy)).toEqual(rec.weights[1]);
    expect(cp.lastSaved).toBe(join(sub, 'model-3.safetensors'));
  });

  it('saveBestOnly keeps the best epoch in one file', () => {
    const { model, optimizer, data } = setup(11);
    const rec = recorder();
    const file = join(dir, 'best.safetensors');
    const cp = new ModelCheckpoint({ path: file, monitor: 'trainValue', saveBestOnly: true });
    fit(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 4,
      metrics: [scripted([3, 1, 2, 1.5])],
      callbacks: [rec, cp],
    });
    expect(cp.bestEpoch).toBe(2);
    const copy = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
    loadModel(file, copy);
    expect(weightsOf(copy)).toEqual(rec.weights[1]);
    expect(() => new ModelCheckpoint({ path: '' })).toThrow(
      'ModelCheckpoint: path must be a non-empty string (a file name, may contain {epoch}), got ""',
    );
  });
});

describe('training states on disk', () => {
  it('ModelCheckpoint with saveTrainingState writes a state that fit resumes from; loadTrainingState names the file', () => {
    const file = join(dir, 'state.safetensors');
    const a = setup(12);
    const cp = new ModelCheckpoint({ path: file, saveTrainingState: true });
    fit(a.model, a.data, { optimizer: a.optimizer, loss: 'crossEntropy', epochs: 2, callbacks: [cp] });
    const state = loadTrainingState(file);
    expect(state.epoch).toBe(2);
    expect(weightsOf(a.model)).toEqual(
      Object.fromEntries(Object.entries(state.model).map(([k, t]) => [k, Array.from(t.data)])),
    );
    saveTrainingState(join(dir, 'copy.safetensors'), state);
    expect(loadTrainingState(join(dir, 'copy.safetensors')).step).toBe(8);
    const b = setup(13);
    const h = fit(b.model, b.data, {
      optimizer: b.optimizer,
      loss: 'crossEntropy',
      epochs: 3,
      callbacks: [new ModelCheckpoint({ path: join(dir, 'unused.safetensors'), saveTrainingState: true })],
      resume: state,
    });
    expect(h.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(() => loadTrainingState(join(dir, 'missing.safetensors'))).toThrow(
      `loadTrainingState: cannot read ${join(dir, 'missing.safetensors')}`,
    );
    expect(() => loadTrainingState(join(dir, 'unused.safetensors'))).not.toThrow();
  });
});

describe('callback order', () => {
  it('runs onTrainBegin, onEpochBegin, onBatchEnd, onEpochEnd, onCheckpoint, onTrainEnd', () => {
    const { model, optimizer, data } = setup();
    const calls: string[] = [];
    const cb: Callback = {
      onTrainBegin: () => void calls.push('trainBegin'),
      onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
      onBatchEnd: (l) => void calls.push(`batch ${l.epoch}.${l.batch} step ${l.step}`),
      onEpochEnd: (e, l) => void calls.push(`epochEnd ${e} ${l.steps}`),
      onCheckpoint: (e) => void calls.push(`checkpoint ${e}`),
      onTrainEnd: () => void calls.push('trainEnd'),
    };
    fit(model, new TinyLoader(blobs(8, 1), 4), {
      optimizer,
      loss: 'crossEntropy',
      epochs: 2,
      callbacks: [cb],
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 1',
      'batch 1.0 step 1',
      'batch 1.1 step 2',
      'epochEnd 1 2',
      'checkpoint 1',
      'epochBegin 2',
      'batch 2.0 step 3',
      'batch 2.1 step 4',
      'epochEnd 2 2',
      'checkpoint 2',
      'trainEnd',
    ]);
    expect(data.length).toBe(4);
  });
});
