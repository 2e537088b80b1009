/**
 * Two PyTorch 1.13 rules of issue 13 item 7: clamp with min > max returns max everywhere (NaN stays
 * NaN) with a zero gradient, and maxWithIndices/minWithIndices return torch.max(x, dim)'s
 * (values, indices). Expected values are PyTorch's (the expression in each comment), on the
 * reference backend and on every WebAssembly build.
 */
import { describe, expect, it } from 'vitest';
import { clamp, max, maxWithIndices, minWithIndices, tensor, withBackend } from '../../src/index.js';
import { everyBuild } from '../backend/wasm_helpers.js';

const builds = everyBuild;

const NAN = Number.NaN;

describe.each(builds)('clamp with min > max on $name', ({ backend }) => {
  const on = <T>(f: () => T): T => withBackend(backend, f);

  it('returns max everywhere, NaN kept: torch.clamp(tensor([1, 5, -1, nan]), 3, 2)', () =>
    on(() => {
      // 17 elements: the SIMD body and its scalar tail
      const values = [1, 5, -1, NAN, 2.5, 3, 2, ...new Array(10).fill(0).map((_, i) => i - 4)];
      const y = clamp(tensor(values), 3, 2);
      expect(Array.from(y.data())).toEqual(values.map((v) => (Number.isNaN(v) ? NAN : 2)));
    }));

  it('passes no gradient anywhere, as PyTorch (x >= min and x <= max never both hold)', () =>
    on(() => {
      const x = tensor([1, 5, 2.5, 3, 2], { requiresGrad: true });
      clamp(x, 3, 2).backward(tensor([1, 1, 1, 1, 1]));
      expect(Array.from(x.grad!.data())).toEqual([0, 0, 0, 0, 0]);
    }));
});

describe.each(builds)('maxWithIndices / minWithIndices on $name', ({ backend }) => {
  const on = <T>(f: () => T): T => withBackend(backend, f);

  it('torch.max(x, 1) and torch.min(x, 1): first extreme, the first NaN if any', () =>
    on(() => {
      const x = tensor([
        [1, 3, 3],
        [NAN, 2, NAN],
        [4, -1, -1],
      ]);
      const mx = maxWithIndices(x, 1);
      expect(Array.from(mx.values.data())).toEqual([3, NAN, 4]);
      expect(Array.from(mx.indices.data())).toEqual([1, 0, 0]);
      expect(mx.indices.dtype).toBe('int32');
      const mn = minWithIndices(x, -1);
      expect(Array.from(mn.values.data())).toEqual([1, NAN, -1]);
      expect(Array.from(mn.indices.data())).toEqual([0, 0, 1]);
    }));

  it('keepDim keeps the axis in both: torch.max(tensor([[1, 5], [5, 1]]), 0, keepdim=True)', () =>
    on(() => {
      const r = maxWithIndices(
        tensor([
          [1, 5],
          [5, 1],
        ]),
        0,
        true,
      );
      expect(r.values.shape).toEqual([1, 2]);
      expect(r.indices.shape).toEqual([1, 2]);
      expect(Array.from(r.indices.data())).toEqual([1, 0]);
      expect(max(tensor([1, 5, 5]), 0).toArray()).toEqual(5);
    }));

  it('the values carry the gradient to the element the index names (the first of tied minima)', () =>
    on(() => {
      const x = tensor(
        [
          [2, 7, 7],
          [0, 3, 0],
        ],
        { requiresGrad: true },
      );
      const { values } = minWithIndices(x, 1);
      values.backward(tensor([10, 20]));
      expect(Array.from(x.grad!.data())).toEqual([10, 0, 0, 20, 0, 0]);
    }));
});

describe('maxWithIndices errors', () => {
  it('takes one axis number, not a list', () => {
    expect(() => maxWithIndices(tensor([1, 2]), [0] as unknown as number)).toThrow(
      "maxWithIndices: axis must be one axis number (PyTorch's dim), got [0]; for several axes use max/min (values only)",
    );
  });

  it('names the axis that is out of range', () => {
    expect(() => minWithIndices(tensor([1, 2]), 1)).toThrow(/^minWithIndices: axis 1 is out of range/);
  });
});
