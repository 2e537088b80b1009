/**
 * fit runs its steps through a captured step by default: the histories and weights are bit-identical
 * to `capture: false` (eager steps) for the course network (BatchNorm, sigmoid, Adam), dropout, a small
 * conv net, penalties with clipping, and a last batch of another size; the capture really replayed,
 * and a step it cannot capture falls back to eager steps with its reason in `history.capture`.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  Conv2d,
  crossEntropy,
  Dropout,
  type FitOptions,
  Flatten,
  fit,
  fitAsync,
  Linear,
  MaxPool2d,
  type Module,
  manualSeed,
  mlp,
  ReLU,
  Sequential,
  SGD,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { messageOf } from '../helpers/thrown.js';
import { quadrants, untimed, weightsOf } from './helpers.js';

interface Case {
  name: string;
  model: () => Module;
  data: () => { x: Tensor; y: Tensor };
  options: (model: Module) => Partial<FitOptions>;
  /** Whether every step after the first two of each shape replays (false: the step falls back). */
  replays: boolean;
}

/**
 * Class labels as one-hot rows (probability targets), the form most of these cases use; class-index
 * targets, whose range check replays through `hostCheck`, have their own case below.
 */
function oneHot(labels: Int32Array): Tensor {
  const y = new Float32Array(labels.length * 2);
  labels.forEach((c, i) => {
    y[2 * i + c] = 1;
  });
  return tensor(y, { shape: [labels.length, 2] });
}

/** 2-D points, 26 of them: batches of 8 and a last one of 2. */
const points = () => {
  const { x, y } = quadrants(26, 3);
  return { x: tensor(x, { shape: [26, 2] }), y: oneHot(y) };
};

/** 26 tiny 1×6×6 images whose class is which half is brighter. */
const images = () => {
  const x = new Float32Array(26 * 36);
  const y = new Int32Array(26);
  let s = 1;
  for (let i = 0; i < x.length; i++) {
    s = (s * 16807) % 2147483647;
    x[i] = s / 2147483647;
  }
  for (let n = 0; n < 26; n++) {
    y[n] = n % 2;
    for (let k = 0; k < 18; k++) x[n * 36 + y[n]! * 18 + k]! += 1;
  }
  return { x: tensor(x, { shape: [26, 1, 6, 6] }), y: oneHot(y) };
};

const cases: Case[] = [
  {
    name: 'the course network (BatchNorm, sigmoid, Adam)',
    model: () => mlp({ sizes: [2, 16, 16, 2], activation: 'sigmoid', batchNorm: true }),
    data: points,
    options: (m) => ({ optimizer: new Adam(m.parameters(), { lr: 0.01 }) }),
    replays: true,
  },
  {
    name: 'the course network on class indices (their check replayed through hostCheck)',
    model: () => mlp({ sizes: [2, 16, 16, 2], activation: 'sigmoid', batchNorm: true }),
    data: () => {
      const { x, y } = quadrants(26, 3);
      return { x: tensor(x, { shape: [26, 2] }), y: tensor(y) };
    },
    options: (m) => ({ optimizer: new Adam(m.parameters(), { lr: 0.01 }) }),
    replays: true,
  },
  {
    name: 'a dropout network',
    model: () => new Sequential(new Linear(2, 16), new ReLU(), new Dropout(0.3), new Linear(16, 2)),
    data: points,
    options: (m) => ({ optimizer: new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 }) }),
    replays: true,
  },
  {
    name: 'a small conv net',
    model: () =>
      new Sequential(new Conv2d(1, 3, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(12, 2)),
    data: images,
    options: (m) => ({ optimizer: new Adam(m.parameters(), { lr: 0.01 }) }),
    replays: true,
  },
  {
    name: 'L2 and L1 penalties',
    model: () => mlp({ sizes: [2, 8, 2] }),
    data: points,
    options: (m) => ({
      optimizer: new SGD(m.parameters(), { lr: 0.1 }),
      regularization: { l2: 1e-3, l1: 1e-4 },
    }),
    replays: true,
  },
  {
    name: 'L2 with clipNorm (on the device)',
    model: () => mlp({ sizes: [2, 8, 2] }),
    data: points,
    options: (m) => ({
      optimizer: new SGD(m.parameters(), { lr: 0.5 }),
      regularization: { l2: 1e-3, clipNorm: 0.1 },
    }),
    replays: true,
  },
  {
    name: 'a loss that reads its value on the host',
    model: () => mlp({ sizes: [2, 8, 2] }),
    data: points,
    options: (m) => ({
      optimizer: new SGD(m.parameters(), { lr: 0.1 }),
      loss: (o: Tensor, t: Tensor) => {
        const l = crossEntropy(o, t);
        return l.item() > 1e6 ? l.mul(0) : l; // a branch on the value: no trace can hold it
      },
    }),
    replays: false,
  },
];

function train(c: Case, capture: boolean) {
  manualSeed(11);
  const model = c.model();
  const history = fit(model, c.data(), {
    loss: 'crossEntropy',
    metrics: ['accuracy'],
    epochs: 3,
    batchSize: 8,
    validation: c.data(),
    capture,
    ...c.options(model),
  } as FitOptions);
  const { epochs, stepLosses, stepLrs, warnings } = history;
  return {
    logs: { epochs: untimed(epochs), stepLosses, stepLrs, warnings },
    weights: weightsOf(model),
    history,
  };
}

describe.each(cases)('fit with captured steps: $name', (c) => {
  it('gives the history and weights of eager steps, bit for bit', () => {
    const eager = train(c, false);
    const captured = train(c, true);
    expect(eager.logs.stepLosses).toHaveLength(12); // 3 epochs of 3 batches of 8 and one of 2
    expect(captured.logs).toEqual(eager.logs);
    expect(captured.weights).toEqual(eager.weights);
    expect(eager.history.capture).toBeNull();
  });

  it.skipIf(!c.replays)(
    'replays the steps after tracing each batch shape once per epoch (a step that reads: not applicable)',
    () => {
      const stats = train(c, true).history.capture!;
      // epoch 1: the first step of each shape (8 and 2) runs eagerly (the gradients appear then), the
      // second batch of 8 is traced, the third replayed; epochs 2 and 3 start from fresh traces (fit
      // invalidates them between epochs): each shape traces once, the batches of 8 then replay twice
      expect(stats).toEqual({ traces: 1 + 2 + 2, replays: 1 + 2 + 2, eagerSteps: 2, fallback: null });
    },
  );

  it.skipIf(c.replays)('falls back to eager steps and says why (the replayed cases: not applicable)', () => {
    const stats = train(c, true).history.capture!;
    expect(stats.replays).toBe(0);
    expect(stats.fallback).toMatch(
      /^capture 'fit': the step reads a tensor on the host .*; every later step runs eagerly$/,
    );
  });
});

describe('the capture option', () => {
  it('fitAsync captures too and gives what fit gives', async () => {
    const c = cases[0]!;
    const sync = train(c, true);
    manualSeed(11);
    const model = c.model();
    const options = {
      loss: 'crossEntropy',
      metrics: ['accuracy'],
      epochs: 3,
      batchSize: 8,
      validation: c.data(),
      ...c.options(model),
    };
    const history = await fitAsync(model, c.data(), options as FitOptions);
    expect(untimed(history.epochs)).toEqual(sync.logs.epochs);
    expect(weightsOf(model)).toEqual(sync.weights);
    expect(history.capture!.replays).toBeGreaterThan(0);
  });

  it('refuses a capture option that is not a boolean', () => {
    const model = mlp({ sizes: [2, 2] });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const run = () =>
      fit(model, points(), { optimizer, loss: 'crossEntropy', epochs: 1, capture: 'yes' as never });
    expect(messageOf(run, TypeError)).toBe(
      'fit: capture must be true (captured steps) or false (eager steps), got "yes"',
    );
  });
});
