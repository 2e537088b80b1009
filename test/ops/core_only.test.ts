/**
 * A backend with only the required core runs every fused op composed from the core, and gets the
 * fused reference backend's results: the same bits where the composition does the same float32
 * operations (linear, the activation gradients), within the core-only backend's declared precision
 * (`precision.rtol`, `atol`) where it rounds differently (batch norm's statistics, cross-entropy's
 * picked log-probability), and PyTorch's rules at the edges (max pooling's NaN, tie and padding rules).
 */
import { describe, expect, it } from 'vitest';
import { hasFused } from '../../src/backend/capabilities.js';
import { coreOnly } from '../../src/backend/core_only.js';
import {
  type Backend,
  batchNormTrain,
  conv2d,
  crossEntropy,
  Generator,
  linear,
  maxPool2d,
  ReferenceBackend,
  randn,
  relu,
  sigmoid,
  tanh,
  tensor,
  withBackend,
} from '../../src/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const fused = new ReferenceBackend();
const core = coreOnly(new ReferenceBackend());

/** Runs `fn` on a backend with seeded inputs requiring gradients; returns its output and their gradients. */
function run(backend: Backend, shapes: number[][], fn: (xs: Tensor[]) => Tensor): number[][] {
  return withBackend(backend, () => {
    const g = new Generator(11);
    const xs = shapes.map((s) => randn(s, { generator: g, requiresGrad: true }));
    const y = fn(xs);
    y.square().sum().backward();
    return [Array.from(y.data()), ...xs.map((x) => Array.from(x.grad?.data() ?? []))];
  });
}

function expectWithin(actual: number[][], expected: number[][], what: string): void {
  const { rtol, atol } = core.precision;
  actual.forEach((a, k) => {
    expect(a.length, what).toBe(expected[k]!.length);
    a.forEach((v, i) => {
      const e = expected[k]![i]!;
      if (!(Math.abs(v - e) <= atol + rtol * Math.abs(e))) {
        expect.fail(`${what}: output ${k} element ${i} is ${v}, the fused reference gives ${e}`);
      }
    });
  });
}

describe('a core-only backend', () => {
  it('has no fused capability, while the reference backend has all of them', () => {
    for (const c of ['linear', 'batchNorm', 'softmaxCrossEntropy', 'conv2d', 'maxPool2d'] as const) {
      expect([hasFused(core, c), hasFused(fused, c)], c).toEqual([false, true]);
    }
  });

  it('linear with every activation: the fused kernel’s bits, forward and backward', () => {
    for (const activation of ['none', 'relu', 'sigmoid', 'tanh'] as const) {
      for (const withBias of [true, false]) {
        const f = ([x, w, b]: Tensor[]) => linear(x!, w!, withBias ? b! : null, activation);
        const shapes = [[5, 7], [3, 7], [3]];
        expect(run(core, shapes, f), `${activation} bias ${withBias}`).toEqual(run(fused, shapes, f));
      }
    }
  });

  it('the activations’ gradients composed from the core: the fused kernel’s bits', () => {
    for (const [name, f] of [
      ['relu', relu],
      ['sigmoid', sigmoid],
      ['tanh', tanh],
    ] as const) {
      const op = ([x]: Tensor[]) => f(x!.mul(3));
      expect(run(core, [[4, 9]], op), name).toEqual(run(fused, [[4, 9]], op));
    }
  });

  it('batch norm in training mode: output, statistics, gradients and running averages', () => {
    const stats = (backend: Backend) =>
      withBackend(backend, () => {
        const mean = tensor([0.5, -1, 0]);
        const variance = tensor([1, 2, 0.5]);
        const out = run(backend, [[4, 3, 5], [3], [3]], ([x, w, b]) => {
          const r = batchNormTrain(x!, w!, b!, 1e-5, { mean, variance, momentum: 0.1 });
          return r.output.add(r.mean.reshape([1, 3, 1]).mul(0));
        });
        return [...out, Array.from(mean.data()), Array.from(variance.data())];
      });
    expectWithin(stats(core), stats(fused), 'batchNorm');
  });

  it('cross-entropy with class targets, weights and an ignored target', () => {
    const f = ([x, w]: Tensor[]) =>
      crossEntropy(x!, tensor([2, -100, 0, 1, 2], { dtype: 'int32' }), { weight: w!.abs().detach() });
    expectWithin(
      run(core, [[5, 3], [3]], f).slice(0, 2),
      run(fused, [[5, 3], [3]], f).slice(0, 2),
      'crossEntropy',
    );
  });

  it('a direct convolution composed as unfold and product', () => {
    const f = ([x, w, b]: Tensor[]) => conv2d(x!, w!, b!, { padding: 1 });
    expectWithin(
      run(core, [[2, 3, 5, 5], [4, 3, 3, 3], [4]], f),
      run(fused, [[2, 3, 5, 5], [4, 3, 3, 3], [4]], f),
      'conv2d',
    );
  });

  it('max pooling: the fused kernel’s values, indices and gradients, NaN, ties and padding included', () => {
    const nan = Number.NaN;
    const inf = Number.NEGATIVE_INFINITY;
    // Plane 0: ties (the first wins) and two NaNs in the middle window (the last wins); plane 1: −∞ inputs
    // next to padding (an input wins), and a window of −∞ only.
    const data = [
      [
        [3, 3, 1, nan],
        [2, nan, 3, 0],
        [5, 5, nan, 5],
        [1, 1, 4, 4],
      ],
      [
        [inf, inf, 2, 1],
        [inf, inf, 1, 2],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ];
    const pool = (backend: Backend) =>
      withBackend(backend, () => {
        const x = tensor([data], { requiresGrad: true });
        const { values, indices } = maxPool2d(x, 2, { padding: 1, returnIndices: true });
        // Distinct upstream gradients, so that each one's destination shows.
        values.backward(tensor(Array.from({ length: 18 }, (_, i) => i + 1)).reshape([1, 2, 3, 3]));
        return [Array.from(values.data()), Array.from(indices.data()), Array.from(x.grad!.data())];
      });
    expect(pool(core)).toEqual(pool(fused));
  });
});
