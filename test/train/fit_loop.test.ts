/** FitLoop: fit one epoch at a time — modes between epochs and after, callbacks once, a failed epoch ends it. */
import { describe, expect, it } from 'vitest';
import { Dropout, Linear, manualSeed, Sequential, SGD } from '../../src/index.js';
import type { Callback } from '../../src/train/callbacks/callback.js';
import { FitLoop } from '../../src/train/fit_loop.js';
import { messageOf } from '../helpers/thrown.js';
import { asTensors, blobs } from './helpers.js';

function setUp() {
  manualSeed(3);
  const model = new Sequential(new Linear(2, 4), new Dropout(0.2), new Linear(4, 2));
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  return { model, optimizer, data: asTensors(blobs(64, 1)) };
}

describe('FitLoop', () => {
  it('trains in training mode between epochs, calls onTrainBegin and onTrainEnd once, and restores modes at the end', () => {
    const { model, optimizer, data } = setUp();
    model.eval();
    const calls: string[] = [];
    const spy: Callback = {
      onTrainBegin: () => calls.push('begin'),
      onEpochEnd: (epoch) => calls.push(`epoch ${epoch}`),
      onTrainEnd: () => calls.push('end'),
    };
    const loop = new FitLoop(model, data, { optimizer, loss: 'crossEntropy', epochs: 2, callbacks: [spy] });
    expect(loop.runEpoch().epoch).toBe(1);
    expect(model.training).toBe(true);
    loop.begin(); // a second begin does nothing
    expect(loop.runEpoch().epoch).toBe(2);
    expect(loop.done).toBe(true);
    loop.end();
    loop.end();
    expect(calls).toEqual(['begin', 'epoch 1', 'epoch 2', 'end']);
    expect(model.training).toBe(false);
    expect(loop.history.epochs).toHaveLength(2);
  });

  it('an epoch that throws ends the loop with the modes restored; another epoch is refused by message', () => {
    const { model, optimizer, data } = setUp();
    model.eval();
    const failing: Callback = {
      onEpochEnd: () => {
        throw new Error('disk full');
      },
    };
    const loop = new FitLoop(model, data, {
      optimizer,
      loss: 'crossEntropy',
      epochs: 3,
      callbacks: [failing],
    });
    expect(() => loop.runEpoch()).toThrow('disk full');
    expect(loop.done).toBe(true);
    expect(model.training).toBe(false);
    expect(messageOf(() => loop.runEpoch(), RangeError)).toBe('fit: no epoch left to run (1 of 3 done)');
  });
});
