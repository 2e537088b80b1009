/**
 * fit and fitAsync flush a queueing backend once per training step (a WebGPU step is one
 * submission), and train the same without a flush member.
 */
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  fit,
  fitAsync,
  manualSeed,
  mlp,
  ReferenceBackend,
  SGD,
  setBackend,
  tensor,
} from '../../src/index.js';
import { quadrants } from './helpers.js';

/** The reference backend with a `flush` that counts its calls and the kernels queued before each. */
function flushingBackend(): { backend: Backend; flushes: number[] } {
  const inner = new ReferenceBackend();
  const flushes: number[] = [];
  let kernels = 0;
  const backend = new Proxy(inner, {
    get(target, key) {
      if (key === 'flush') return () => flushes.push(kernels);
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'matmul') kernels += 1;
        return value.apply(target, args);
      };
    },
  }) as Backend;
  return { backend, flushes };
}

/** Trains a small classifier with `backend` as the default until training settles. */
async function run(train: typeof fit | typeof fitAsync, backend: Backend) {
  const previous = setBackend(backend);
  try {
    manualSeed(3);
    const model = mlp({ sizes: [2, 4, 2] });
    const data = quadrants(20, 1);
    const x = tensor(data.x, { shape: [20, 2] });
    const y = tensor(data.y, { shape: [20] });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const options = {
      optimizer,
      loss: 'crossEntropy',
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      capture: false,
    } as const;
    return await train(model, { x, y }, options);
  } finally {
    setBackend(previous);
  }
}

describe('training flushes the backend once per step', () => {
  it('fit flushes after every step, each time with new kernels queued', async () => {
    const { backend, flushes } = flushingBackend();
    const history = await run(fit, backend);
    expect(history.stepLosses).toHaveLength(6); // 2 epochs of 3 batches (8, 8, 4)
    expect(flushes).toHaveLength(6);
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]).toBeGreaterThan(flushes[i - 1]!);
  });

  it('fitAsync flushes after every step too', async () => {
    const { backend, flushes } = flushingBackend();
    const history = await run(fitAsync, backend);
    expect(history.stepLosses).toHaveLength(6);
    expect(flushes).toHaveLength(6);
  });
});
