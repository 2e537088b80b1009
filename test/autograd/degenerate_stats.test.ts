/**
 * Gradients of var and std at degenerate statistics (issue 13), as PyTorch 1.13 computes them: 0
 * where the standard deviation is 0 (a constant slice), ±∞ (NaN at the mean) when N = correction,
 * finite values of flipped sign (−0 for N = 1) when N < correction. Expected values are PyTorch's (the
 * expression in each comment); every case runs on the reference backend and every WebAssembly build.
 */
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  std,
  type Tensor,
  tensor,
  type VarianceOptions,
  variance,
  withBackend,
} from '../../src/index.js';
import { everyBuild } from '../backend/wasm_helpers.js';

const builds = everyBuild;

const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

type Stat = (x: Tensor, axis?: number | number[], options?: VarianceOptions) => Tensor;

/** The value and x.grad of stat(x, …).sum() (ones upstream). */
function run(backend: Backend, values: number[], shape: number[], f: (x: Tensor) => Tensor) {
  return withBackend(backend, () => {
    const x = tensor(values, { shape, requiresGrad: true });
    const y = f(x);
    y.backward(y.onesLike());
    return { y: Array.from(y.data()), grad: Array.from(x.grad!.data()) };
  });
}

/** Element by element with Object.is: NaN equals NaN, and −0 differs from +0. */
function expectSame(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!Object.is(a, expected[i])) expect.fail(`element ${i} is ${a}, expected ${expected[i]}`);
  });
}

describe.each(builds)('var and std at degenerate statistics on $name', ({ backend }) => {
  it('std of a constant tensor has gradient 0, not NaN', () => {
    // torch.std(torch.tensor([2., 2., 2.], requires_grad=True)).backward() → [0, 0, 0]
    const r = run(backend, [2, 2, 2], [3], (x) => std(x));
    expectSame(r.y, [0]);
    expectSame(r.grad, [0, 0, 0]);
    // torch.std(x, dim=0, correction=0) over a size-1 axis, x = [[5], [3]] transposed: [[5, 3]] → 0
    expectSame(run(backend, [5, 3], [1, 2], (x) => std(x, 0, { correction: 0 })).grad, [0, 0]);
  });

  it('std splits its gradient only where the slice is not constant', () => {
    // torch.std(x, 0) for x = [[1, 2], [1, 5]] → [[0, -1/√2], [0, 1/√2]]
    const r = run(backend, [1, 2, 1, 5], [2, 2], (x) => std(x, 0));
    expectSame([r.grad[0]!, r.grad[2]!], [0, 0]);
    expect(r.grad[1]).toBeCloseTo(-Math.SQRT1_2, 6);
    expect(r.grad[3]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('N = correction: var gives ±∞ (NaN at the mean), std NaN', () => {
    // torch.var(x, 0, correction=2) for x = [[1, 2], [1, 5]] → value [nan, inf], grad [[nan, -inf], [nan, inf]]
    const v = run(backend, [1, 2, 1, 5], [2, 2], (x) => variance(x, 0, { correction: 2 }));
    expectSame(v.y, [NAN, INF]);
    expectSame(v.grad, [NAN, -INF, NAN, INF]);
    // torch.std(…) → all nan (g / 2σ is nan for σ = nan, 0 for σ = inf, times 2/0·(x − mean))
    expectSame(run(backend, [1, 2, 1, 5], [2, 2], (x) => std(x, 0, { correction: 2 })).grad, [
      NAN,
      NAN,
      NAN,
      NAN,
    ]);
  });

  it('N < correction: var gives the sign-flipped gradient, −0 for N = 1', () => {
    // torch.var(x, 0, correction=3) for x = [[1, 2], [1, 5]] → [[-0, 3], [-0, -3]]
    expectSame(
      run(backend, [1, 2, 1, 5], [2, 2], (x) => variance(x, 0, { correction: 3 })).grad,
      [-0, 3, -0, -3],
    );
    // torch.var(torch.tensor([5.]), correction=2) → [-0]; over a size-1 axis likewise
    expectSame(run(backend, [5], [1], (x) => variance(x, undefined, { correction: 2 })).grad, [-0]);
    expectSame(run(backend, [5, 3], [2, 1], (x) => variance(x, 1, { correction: 2 })).grad, [-0, -0]);
    // torch.std(x, correction=4) for x = [1, 2, 4] (σ = inf) → [0, 0, -0]
    expectSame(run(backend, [1, 2, 4], [3], (x) => std(x, undefined, { correction: 4 })).grad, [0, 0, -0]);
  });

  it('over everything with N = correction the gradient is g·∞ (PyTorch’s dim=None branch)', () => {
    // torch.var(torch.tensor(5., requires_grad=True)).backward() → inf
    const r = run(backend, [5], [], (x) => variance(x));
    expectSame(r.y, [NAN]);
    expectSame(r.grad, [INF]);
  });

  it('ordinary statistics are unchanged: var and std of [1, 2, 4]', () => {
    // torch.var([1, 2, 4]) = 7/3, grad 2/(N−1)·(x − mean) = [-4/3, -1/3, 5/3]
    for (const [f, value] of [
      [variance, 7 / 3],
      [std, Math.sqrt(7 / 3)],
    ] as [Stat, number][]) {
      const r = run(backend, [1, 2, 4], [3], (x) => f(x));
      expect(r.y[0]).toBeCloseTo(value, 6);
      const scale = f === std ? 1 / (2 * Math.sqrt(7 / 3)) : 1;
      [-4 / 3, -1 / 3, 5 / 3].forEach((g, i) => {
        expect(r.grad[i]).toBeCloseTo(g * scale, 6);
      });
    }
  });
});
