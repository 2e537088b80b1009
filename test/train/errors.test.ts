/** Every error path of fit, evaluate and predict, read by its message. */
import { describe, expect, it } from 'vitest';
import { Linear, Lookahead, manualSeed, ones, Sequential, SGD, StepLR, zeros } from '../../src/index.js';
import {
  type Callback,
  EarlyStopping,
  evaluate,
  fit,
  predict,
  ReduceLROnPlateauCallback,
} from '../../src/train/index.js';
import { asTensors, blobs } from './helpers.js';

function setup() {
  manualSeed(1);
  const model = new Sequential(new Linear(2, 2));
  return { model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), data: [asTensors(blobs(4, 1))] };
}

describe('fit errors', () => {
  it('model, options, optimizer, loss and epochs', () => {
    const { model, optimizer, data } = setup();
    expect(() => fit({} as never, data, { optimizer, loss: 'crossEntropy', epochs: 1 })).toThrow(
      'fit: model must be a Module, got Object',
    );
    expect(() => fit(model, data, undefined as never)).toThrow(
      'fit: options { optimizer, loss, epochs, … } are required',
    );
    expect(() => fit(model, data, { loss: 'crossEntropy', epochs: 1 } as never)).toThrow(
      'fit: options.optimizer is required: an optimizer over the model, e.g. new Adam(model.parameters(), { lr: 1e-3 })',
    );
    expect(() => fit(model, data, { optimizer: {} as never, loss: 'crossEntropy', epochs: 1 })).toThrow(
      'fit: optimizer must be an optimizer (SGD, Adam, …), got Object',
    );
    const other = new Linear(2, 2);
    expect(() =>
      fit(model, data, {
        optimizer: new SGD(other.parameters(), { lr: 1 }),
        loss: 'crossEntropy',
        epochs: 1,
      }),
    ).toThrow("fit: the optimizer holds none of the model's parameters (was it built for another model?)");
    expect(() => fit(model, data, { optimizer, epochs: 1 } as never)).toThrow(
      'fit: options.loss is required: a function (output, target) => scalar Tensor such as crossEntropy, or one of crossEntropy, mse, l1, bceWithLogits',
    );
    expect(() => fit(model, data, { optimizer, loss: 'hinge' as never, epochs: 1 })).toThrow(
      'fit: loss must be a function (output, target) => scalar Tensor or one of crossEntropy, mse, l1, bceWithLogits, got "hinge"',
    );
    for (const epochs of [0, 1.5, -1, undefined, '3']) {
      expect(() => fit(model, data, { optimizer, loss: 'crossEntropy', epochs } as never)).toThrow(
        `fit: epochs must be a positive integer, got ${epochs === '3' ? '"3"' : String(epochs)}`,
      );
    }
    expect(() => fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 1, epoch: 2 } as never)).toThrow(
      "fit: unknown option 'epoch'; accepted: optimizer, loss, epochs, batchSize, shuffle, seed, schedule, scheduleInterval, regularization, callbacks, metrics, validation, divergenceGuard, plateauDetector, verbose, onProgress, resume",
    );
  });

  it('schedules, regularization, metrics and callbacks', () => {
    const { model, optimizer, data } = setup();
    const base = { optimizer, loss: 'crossEntropy' as const, epochs: 1 };
    const another = new SGD(model.parameters(), { lr: 1 });
    expect(() => fit(model, data, { ...base, schedule: new StepLR(another, { stepSize: 1 }) })).toThrow(
      'fit: the schedule was built on another optimizer; build it on options.optimizer',
    );
    expect(() => fit(model, data, { ...base, schedule: {} as never })).toThrow(
      'fit: schedule must be an lr schedule (StepLR, ReduceLROnPlateau, …), got Object',
    );
    expect(() => fit(model, data, { ...base, scheduleInterval: 'batch' as never })).toThrow(
      `fit: scheduleInterval must be 'step' or 'epoch', got "batch"`,
    );
    expect(() => fit(model, data, { ...base, regularization: { l2: -1 } })).toThrow(
      'fit: regularization.l2 must be a non-negative number, got -1',
    );
    expect(() => fit(model, data, { ...base, regularization: { weightDecay: 1 } as never })).toThrow(
      "fit: regularization: unknown option 'weightDecay'; accepted: l1, l2, includeBiases, clipNorm",
    );
    expect(() => fit(model, data, { ...base, metrics: ['f1' as never] })).toThrow(
      'fit: metrics[0] must be \'accuracy\' or a Metric { name, update, compute, reset }, got "f1"',
    );
    expect(() => fit(model, data, { ...base, metrics: ['accuracy', 'accuracy'] })).toThrow(
      "fit: two metrics are named 'accuracy'",
    );
    expect(() => fit(model, data, { ...base, callbacks: [null as never] })).toThrow(
      'fit: callbacks must be an array of callback objects, got an array of 1',
    );
    // a Lookahead wrapper over the same optimizer is the same optimizer to a schedule
    const la = new Lookahead(optimizer);
    expect(
      fit(model, data, { ...base, optimizer: la, schedule: new StepLR(optimizer, { stepSize: 1 }) }).epochs,
    ).toHaveLength(1);
  });

  it('data, batches and shapes', () => {
    const { model, optimizer, data } = setup();
    const base = { optimizer, loss: 'crossEntropy' as const, epochs: 1 };
    expect(() => fit(model, 42 as never, base)).toThrow(
      'fit: data must be tensors { x, y }, a TensorDataset, an array of batches { x, y } or a loader yielding them, got 42',
    );
    expect(() => fit(model, [], base)).toThrow('fit: the training data yielded no batches in epoch 1');
    expect(() => fit(model, data, { ...base, batchSize: 2 })).toThrow(
      "fit: batchSize applies to tensor data { x, y }; data is already made of batches (set the loader's batch size instead)",
    );
    expect(() => fit(model, asTensors(blobs(4, 1)), { ...base, batchSize: 0 })).toThrow(
      'fit: batchSize must be a positive integer, got 0',
    );
    expect(() => fit(model, { x: ones([4, 2]), y: zeros([3], { dtype: 'int32' }) }, base)).toThrow(
      'fit: data has 4 inputs but 3 targets (x [4, 2], y [3])',
    );
    expect(() => fit(model, [{ x: ones([4, 2]) }] as never, base)).toThrow(
      'fit: epoch 1, batch 0: the batch must be an object { x: Tensor, y: Tensor }, got Object',
    );
    expect(() => fit(model, [{ x: ones([4, 2]), y: zeros([3], { dtype: 'int32' }) }], base)).toThrow(
      'fit: epoch 1, batch 0: the batch has 4 inputs but 3 targets (x [4, 2], y [3])',
    );
    // the model's own error, with where it happened
    expect(() => fit(model, [{ x: ones([4, 3]), y: zeros([4], { dtype: 'int32' }) }], base)).toThrow(
      'fit: epoch 1, batch 0: Linear: expected inFeatures = 2 entries along dimension 1, got input of shape [4, 3]',
    );
    // the loss's own error: targets of the wrong shape
    expect(() => fit(model, [{ x: ones([4, 2]), y: zeros([4, 1], { dtype: 'int32' }) }], base)).toThrow(
      'fit: epoch 1, batch 0: crossEntropy: target of shape [4, 1] does not match input [4, 2]; expected [4]',
    );
    expect(() => fit(model, data, { ...base, loss: (o) => o.sum(1) })).toThrow(
      "fit: epoch 1, batch 0: the loss must be a single number (a 0-d tensor), got shape [4]; use reduction 'mean' or 'sum'",
    );
    expect(() => fit(model, data, { ...base, loss: () => 1 as never })).toThrow(
      'fit: epoch 1, batch 0: the loss function must return a Tensor, got 1',
    );
    expect(() => fit(model, data, { ...base, validation: 'val' as never })).toThrow(
      'fit: validation must be tensors { x, y }',
    );
    expect(() =>
      fit(model, data, { ...base, validation: { x: ones([2, 3]), y: zeros([2], { dtype: 'int32' }) } }),
    ).toThrow(/^fit: epoch 1, validation: batch 0: /);
  });

  it('an optimizer whose step ignores the closure', () => {
    const { model, optimizer, data } = setup();
    const lazy = {
      paramGroups: optimizer.paramGroups,
      lr: 0.1,
      step: () => undefined,
      zeroGrad: () => {},
      stateDict: () => ({}),
      loadStateDict: () => {},
    };
    expect(() => fit(model, data, { optimizer: lazy, loss: 'crossEntropy', epochs: 1 })).toThrow(
      'fit: epoch 1, batch 0: optimizer.step(closure) did not call the closure; fit needs an optimizer that does',
    );
  });

  it('callbacks: validation keys, unknown keys, bad options', () => {
    const { model, optimizer, data } = setup();
    const base = { optimizer, loss: 'crossEntropy' as const, epochs: 1 };
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(
      'EarlyStopping: patience must be a non-negative integer, got -1',
    );
    expect(() => new EarlyStopping({ minDelta: -0.1 })).toThrow(
      'EarlyStopping: minDelta must be a non-negative number, got -0.1',
    );
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(
      "EarlyStopping: mode must be 'auto', 'min' or 'max', got \"up\"",
    );
    expect(() => new EarlyStopping({ patient: 3 } as never)).toThrow(
      "EarlyStopping: unknown option 'patient'; accepted: monitor, mode, patience, minDelta, restoreBestWeights",
    );
    expect(() => new ReduceLROnPlateauCallback({ patiense: 1 } as never)).toThrow(
      "ReduceLROnPlateauCallback: unknown option 'patiense'",
    );
    expect(() =>
      fit(model, data, { ...base, callbacks: [new ReduceLROnPlateauCallback({ monitor: 'valAccuracy' })] }),
    ).toThrow("ReduceLROnPlateauCallback: monitor 'valAccuracy' needs validation data");
    // an error thrown by a callback propagates as it is, and modes are restored
    const boom: Callback = {
      onEpochEnd: () => {
        throw new Error('boom');
      },
    };
    model.eval();
    expect(() => fit(model, data, { ...base, callbacks: [boom] })).toThrow(/^boom$/);
    expect(model.training).toBe(false);
  });
});

describe('evaluate and predict errors', () => {
  it('read their messages', () => {
    const { model, data } = setup();
    expect(() => evaluate(model, data, undefined as never)).toThrow(
      'evaluate: options { loss, metrics?, batchSize? } are required',
    );
    expect(() => evaluate(model, data, {} as never)).toThrow('evaluate: options.loss is required');
    expect(() => evaluate(model, data, { loss: 'mse', batchSize: 2 })).toThrow(
      "evaluate: batchSize applies to tensor data { x, y }; data is already made of batches (set the loader's batch size instead)",
    );
    expect(() => evaluate(model, [], { loss: 'crossEntropy' })).toThrow(
      'evaluate: the data yielded no samples',
    );
    expect(() => evaluate(model, data, { loss: 'crossEntropy', metric: [] } as never)).toThrow(
      "evaluate: unknown option 'metric'; accepted: loss, metrics, batchSize",
    );
    expect(() => predict(model, [1, 2] as never)).toThrow('predict: x must be a Tensor, got an array of 2');
    expect(() => predict(model, ones([2, 2]), { batchSize: 0 })).toThrow(
      'predict: batchSize must be a positive integer, got 0',
    );
    expect(() => predict(null as never, ones([2, 2]))).toThrow('predict: model must be a Module, got null');
  });
});

describe('regression losses by name', () => {
  it("refuse an output whose shape differs from the targets' instead of broadcasting to [N, N]", () => {
    manualSeed(1);
    const model = new Sequential(new Linear(2, 1));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const x = ones([4, 2]);
    const y = zeros([4]);
    for (const loss of ['mse', 'l1'] as const) {
      expect(() => fit(model, [{ x, y }], { optimizer, loss, epochs: 1 })).toThrow(
        `loss '${loss}': the model's output has shape [4, 1] but the targets have shape [4]; reshape one to match`,
      );
    }
    const fitted = fit(model, [{ x, y: y.reshape([4, 1]) }], { optimizer, loss: 'mse', epochs: 1 });
    expect(fitted.epochs).toHaveLength(1);
  });
});
