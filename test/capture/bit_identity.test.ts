/**
 * A captured step gives what the eager step gives, bit for bit, step after step, on every backend:
 * losses, parameters after the optimizer's updates, gradients, running statistics, dropout masks
 * (through the generator's state), and a last batch of another size.
 */
import { describe, expect, it } from 'vitest';
import { Conv2d, Flatten, Linear, MaxPool2d, mlp, ReLU, Sequential } from '../../src/index.js';
import { backends } from '../backends.js';
import { batches, type Comparison, compare } from './helpers.js';

function expectIdentical({ eager, captured }: Comparison): void {
  expect(captured.losses).toEqual(eager.losses);
  expect(captured.params).toEqual(eager.params);
  expect(captured.grads).toEqual(eager.grads);
  expect(captured.buffers).toEqual(eager.buffers);
  expect(captured.rng).toEqual(eager.rng);
}

const course = () => mlp({ sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', batchNorm: true });

describe.each(backends)('captured steps on $name', ({ backend }) => {
  it('train the course network (BatchNorm, sigmoid, Adam) bit-identically, replaying from the third step', () => {
    const result = compare(backend, course, () => batches([16, 16, 16, 16, 16], [784], 10));
    expectIdentical(result);
    expect(result.stats).toEqual({ traces: 1, replays: 3, eagerSteps: 1, fallback: null });
  });

  it('draws the same dropout masks as eager steps (the generator advances identically)', () => {
    const build = () => mlp({ sizes: [12, 32, 32, 3], activation: 'relu', dropout: 0.5, inputDropout: 0.2 });
    const result = compare(backend, build, () => batches([8, 8, 8, 8, 8, 8], [12], 3));
    expectIdentical(result);
    expect(result.stats.replays).toBe(4);
  });

  it('trains a small conv net (conv, max pool, flatten, linear) bit-identically', () => {
    const build = () =>
      new Sequential(
        new Conv2d(2, 4, 3, { padding: 1 }),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(4 * 3 * 3, 5),
      );
    const result = compare(backend, build, () => batches([4, 4, 4, 4], [2, 6, 6], 5));
    expectIdentical(result);
    expect(result.stats.replays).toBe(2);
  });

  it('traces a last batch of another size on its own, and replays both sizes', () => {
    const build = () => mlp({ sizes: [6, 16, 4], activation: 'tanh', batchNorm: true });
    // Epochs of 8, 8, 3: each size runs eagerly once, is traced once, then replays.
    const sizes = [8, 8, 3, 8, 8, 3, 8, 8, 3, 8, 8, 3];
    const result = compare(backend, build, () => batches(sizes, [6], 4));
    expectIdentical(result);
    expect(result.stats).toEqual({ traces: 2, replays: 8, eagerSteps: 2, fallback: null });
  });
});
