/**
 * Ties in max/min (issue 13): over everything or an axis list the gradient is split evenly between
 * tied elements, as PyTorch's max()/amax/amin do; along one axis it goes to the first maximal element,
 * as PyTorch's max(x, dim) does. Expected values are PyTorch 1.13's (the expression in each comment);
 * every case runs on the reference backend and on every WebAssembly build.
 */
import { describe, expect, it } from 'vitest';
import { type Backend, max, min, type Tensor, tensor, withBackend } from '../../src/index.js';
import { everyBuild } from '../backend/wasm_helpers.js';

const builds = everyBuild;

const NAN = Number.NaN;

/** x.grad after f(x).backward(upstream), upstream defaulting to ones. */
function gradOf(
  backend: Backend,
  values: number[],
  shape: number[],
  f: (x: Tensor) => Tensor,
  upstream?: number,
): number[] {
  return withBackend(backend, () => {
    const x = tensor(values, { shape, requiresGrad: true });
    const y = f(x);
    y.backward(upstream === undefined ? y.onesLike() : y.onesLike().mul(upstream));
    return Array.from(x.grad!.data());
  });
}

const third = Math.fround(1 / 3);

describe.each(builds)('max/min ties on $name', ({ backend }) => {
  it('max() over everything splits the gradient evenly between the tied maxima', () => {
    // x = [1, 3, 3, 2, 3]; x.max().backward() → [0, ⅓, ⅓, 0, ⅓]
    expect(gradOf(backend, [1, 3, 3, 2, 3], [5], (x) => max(x))).toEqual([0, third, third, 0, third]);
    // x.max().backward(torch.tensor(7.)) → 7/3 each (float32 division)
    expect(gradOf(backend, [1, 3, 3, 2, 3], [5], (x) => max(x), 7)).toEqual([
      0,
      Math.fround(7 / 3),
      Math.fround(7 / 3),
      0,
      Math.fround(7 / 3),
    ]);
    // x.min() with two tied minima in a 2-D tensor: [[1, 0], [0, 4]] → [[0, ½], [½, 0]]
    expect(gradOf(backend, [1, 0, 0, 4], [2, 2], (x) => min(x))).toEqual([0, 0.5, 0.5, 0]);
  });

  it('max() whose result is NaN shares the gradient among the NaN elements', () => {
    // x = [1, nan, 3, nan]; x.max().backward() → [0, ½, 0, ½]
    expect(gradOf(backend, [1, NAN, 3, NAN], [4], (x) => max(x))).toEqual([0, 0.5, 0, 0.5]);
  });

  it('an axis list splits the gradient between the ties of each slice (amax/amin)', () => {
    // torch.amax(x, (0, 1)) for x = [[1, 3, 3], [3, 2, 0]] → ⅓ to each 3
    expect(gradOf(backend, [1, 3, 3, 3, 2, 0], [2, 3], (x) => max(x, [0, 1]))).toEqual([
      0,
      third,
      third,
      third,
      0,
      0,
    ]);
    // torch.amax(x, 1, keepdim=True) for x = [[1, 3, 3], [2, 2, 0]] → [[0, ½, ½], [½, ½, 0]]
    expect(gradOf(backend, [1, 3, 3, 2, 2, 0], [2, 3], (x) => max(x, [1], true))).toEqual([
      0, 0.5, 0.5, 0.5, 0.5, 0,
    ]);
    // torch.amin(x, (1, 2)) for x = [[[1, 1], [2, 1]], [[0, 5], [5, 0]]] → ⅓ ×3, then ½ ×2
    expect(gradOf(backend, [1, 1, 2, 1, 0, 5, 5, 0], [2, 2, 2], (x) => min(x, [1, 2]))).toEqual([
      third,
      third,
      0,
      third,
      0.5,
      0,
      0,
      0.5,
    ]);
  });

  it('an axis list whose slice maximum is NaN gets NaN gradients in that slice (g/0·0, as amax)', () => {
    // torch.amax(x, [1]).sum().backward() for x = [[1, nan, 3, nan], [1, 2, 2, 0]]
    // → [[nan, nan, nan, nan], [0, ½, ½, 0]]
    const g = gradOf(backend, [1, NAN, 3, NAN, 1, 2, 2, 0], [2, 4], (x) => max(x, [1]));
    expect(g.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(g.slice(4)).toEqual([0, 0.5, 0.5, 0]);
  });

  it('one axis sends the gradient to the first maximal element (max(x, dim).values)', () => {
    // torch.max(x, 1).values for x = [[1, 3, 3], [2, 2, 0]] → [[0, 1, 0], [1, 0, 0]]
    expect(gradOf(backend, [1, 3, 3, 2, 2, 0], [2, 3], (x) => max(x, 1))).toEqual([0, 1, 0, 1, 0, 0]);
    // torch.min(x, 0).values for x = [[0, 1], [0, 1]] → [[1, 1], [0, 0]]
    expect(gradOf(backend, [0, 1, 0, 1], [2, 2], (x) => min(x, 0))).toEqual([1, 1, 0, 0]);
    // torch.max(x, 0).values for x = [1, nan, 3, nan] → the first NaN: [0, 1, 0, 0]
    expect(gradOf(backend, [1, NAN, 3, NAN], [4], (x) => max(x, 0))).toEqual([0, 1, 0, 0]);
  });

  it('infinite ties split too', () => {
    // torch.tensor([inf, inf, 1.]).max().backward() → [½, ½, 0]; all −∞: [½, ½]
    expect(gradOf(backend, [Infinity, Infinity, 1], [3], (x) => max(x))).toEqual([0.5, 0.5, 0]);
    expect(gradOf(backend, [-Infinity, -Infinity], [2], (x) => max(x))).toEqual([0.5, 0.5]);
  });

  it('the values themselves are unchanged: NaN propagates, keepDim keeps the axes', () => {
    withBackend(backend, () => {
      const x = tensor([1, 3, 3, 2, 2, 0], { shape: [2, 3] });
      expect(max(x, [1], true).shape).toEqual([2, 1]);
      expect(Array.from(max(x, [0, 1]).data())).toEqual([3]);
      expect(Array.from(min(x, [0]).data())).toEqual([1, 2, 0]);
      expect(max(tensor([1, NAN, 2])).item()).toBeNaN();
    });
  });
});
