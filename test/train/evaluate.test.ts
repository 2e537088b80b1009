/**
 * evaluate and predict run in evaluation mode (BatchNorm's running statistics, Dropout off), without
 * gradients, and give every module its previous mode back, also after an error.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Dropout,
  Linear,
  Module,
  manualSeed,
  ones,
  randn,
  Sequential,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { evaluate, predict, withMode } from '../../src/train/index.js';
import { asTensors, blobs } from './helpers.js';

/** Records the mode it is called in. */
class Probe extends Module {
  seen: boolean[] = [];
  forward(x: Tensor): Tensor {
    this.seen.push(this.training);
    return x;
  }
}

describe('predict', () => {
  it('uses the running statistics of BatchNorm and no dropout, then restores the mode', () => {
    manualSeed(1);
    const bn = new BatchNorm1d(3);
    const model = new Sequential(new Dropout(0.5), bn);
    // after some training batches the running statistics are no longer 0 and 1
    for (let i = 0; i < 5; i++) model.call(randn([8, 3]).mul(2).add(1));
    const x = randn([4, 3]);
    const out = predict(model, x);
    const mean = bn.stateDict().get('running_mean')!.toArray() as number[];
    const variance = bn.stateDict().get('running_var')!.toArray() as number[];
    const xs = x.toArray() as number[][];
    const expected = xs.map((row) => row.map((v, c) => (v - mean[c]!) / Math.sqrt(variance[c]! + 1e-5)));
    const got = out.toArray() as number[][];
    got.forEach((row, i) => {
      row.forEach((v, c) => {
        expect(v).toBeCloseTo(expected[i]![c]!, 5);
      });
    });
    expect(model.training).toBe(true);
    expect(bn.training).toBe(true);
    expect(out.requiresGrad).toBe(false);
    // the running statistics are untouched by predict
    expect(bn.stateDict().get('running_mean')!.toArray()).toEqual(mean);
  });

  it('is deterministic with Dropout (identity in evaluation) and matches in batches', () => {
    manualSeed(2);
    const model = new Sequential(new Linear(3, 5), new Dropout(0.9), new Linear(5, 2));
    const x = randn([7, 3]);
    const a = predict(model, x).toArray();
    expect(predict(model, x).toArray()).toEqual(a);
    expect(predict(model, x, { batchSize: 3 }).toArray()).toEqual(a);
  });

  it('restores each module’s own mode, also when the forward throws', () => {
    const probe = new Probe();
    const model = new Sequential(probe, new Linear(3, 2));
    probe.eval(); // mixed modes: the probe in evaluation, the rest in training
    expect(() => predict(model, ones([2, 4]))).toThrow(/2 × 4|\[2, 4\]|shape/);
    expect(probe.seen).toEqual([false]);
    expect(model.training).toBe(true);
    expect(probe.training).toBe(false);
  });
});

describe('evaluate', () => {
  it('returns the mean loss, accuracy and sample count in evaluation mode', () => {
    manualSeed(3);
    const probe = new Probe();
    const model = new Sequential(new Linear(2, 2), probe);
    const data = asTensors(blobs(10, 1));
    const r = evaluate(model, data, { loss: 'crossEntropy', batchSize: 4 });
    expect(probe.seen).toEqual([false, false, false]);
    expect(r.samples).toBe(10);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    const logits = predict(model, data.x);
    const whole = evaluate(model, data, { loss: 'crossEntropy' });
    expect(r.loss).toBeCloseTo(whole.loss, 6);
    const predicted = logits.argmax(1).toArray() as number[];
    const labels = data.y.toArray() as number[];
    expect(r.accuracy).toBeCloseTo(predicted.filter((p, i) => p === labels[i]).length / 10, 10);
    expect(model.training).toBe(true);
    expect(evaluate(model, data, { loss: 'crossEntropy', metrics: [] }).accuracy).toBeUndefined();
  });

  it('restores the mode after an error in the loss and names the batch', () => {
    const probe = new Probe();
    const model = new Sequential(new Linear(2, 3), probe);
    const bad = [{ x: ones([2, 2]), y: tensor([0, 5], { dtype: 'int32' }) }];
    expect(() => evaluate(model, bad, { loss: () => ones([3]) })).toThrow(
      "evaluate: batch 0: the loss must be a single number (a 0-d tensor), got shape [3]; use reduction 'mean' or 'sum'",
    );
    expect(model.training).toBe(true);
  });

  it('withMode runs code in a mode and restores it', () => {
    const model = new Sequential(new Linear(1, 1), new Dropout(0.1));
    const seen = withMode(model, false, () => [...model.modules()].map((m) => m.training));
    expect(seen).toEqual([false, false, false]);
    expect([...model.modules()].map((m) => m.training)).toEqual([true, true, true]);
  });
});
