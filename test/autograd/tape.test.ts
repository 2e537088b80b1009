/**
 * Semantics of the tape (src/autograd/tape.ts): accumulation, zeroGrad, fan-out, detach, noGrad,
 * retained graphs and gradients, and the messages of its error paths.
 */
import { describe, expect, it } from 'vitest';
import { add, isGradEnabled, mul, noGrad, ones, sum, type Tensor, tensor } from '../../src/index.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only (the tape is exercised on float64 leaves).
useReferenceBackend();

function leaf(values: number[]): Tensor {
  return tensor(values, { dtype: 'float64', requiresGrad: true });
}

const X = [0.5, -1.5, 2];

describe('autograd tape', () => {
  it('accumulates gradients across backward calls', () => {
    const x = leaf(X);
    sum(mul(x, x)).backward();
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 2 * v));
    sum(mul(x, x)).backward();
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 4 * v));
  });

  it('zeroGrad zeroes the gradient in place; setToNone drops it', () => {
    const x = leaf(X);
    sum(mul(x, 3)).backward();
    const buffer = x.grad!;
    x.zeroGrad();
    expect(x.grad).toBe(buffer);
    expect(Array.from(x.grad!.data())).toEqual([0, 0, 0]);
    sum(mul(x, x)).backward();
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 2 * v));
    x.zeroGrad({ setToNone: true });
    expect(x.grad).toBeNull();
  });

  it('after zeroGrad, a backward overwrites the gradient buffer; two backwards still add up', () => {
    const x = leaf(X);
    sum(mul(x, 3)).backward();
    const buffer = x.grad!;
    x.zeroGrad();
    // Not read in between: the fill is deferred and the next accumulation overwrites.
    sum(mul(x, x)).backward();
    expect(x.grad).toBe(buffer);
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 2 * v));
    x.zeroGrad();
    sum(mul(x, x)).backward();
    sum(mul(x, 5)).backward();
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 2 * v + 5));
    x.zeroGrad();
    x.zeroGrad();
    expect(Array.from(x.grad!.data())).toEqual([0, 0, 0]);
    x.grad = null;
    sum(mul(x, 2)).backward();
    expect(Array.from(x.grad!.data())).toEqual([2, 2, 2]);
  });

  it('sums the gradients of a tensor used several times (fan-out): d(x·x + x)/dx = 2x + 1', () => {
    const x = leaf(X);
    sum(add(mul(x, x), x)).backward();
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 2 * v + 1));
  });

  it('detach() stops gradients and shares the data', () => {
    const x = leaf(X);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(d.storage).toBe(x.storage);
    // y = x · stop(x): only the first factor carries a gradient, so dy/dx = x (not 2x).
    sum(mul(x, d)).backward();
    expect(Array.from(x.grad!.data())).toEqual(X);
  });

  it('noGrad(() => …) records nothing and restores recording afterwards', () => {
    const x = leaf(X);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return mul(x, 2);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(() => sum(y).backward()).toThrow(/does not require grad/);
    // Restored even when fn throws.
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('backward of a non-scalar without a gradient throws, saying single-element', () => {
    const x = leaf(X);
    expect(() => mul(x, 2).backward()).toThrow(/single-element/);
    expect(() => mul(x, 2).backward()).toThrow(/\[3\]/);
  });

  it('a second backward through a freed graph throws, naming retainGraph; retainGraph keeps it', () => {
    const x = leaf(X);
    const y = sum(mul(x, x));
    y.backward();
    expect(() => y.backward()).toThrow(/retainGraph/);

    const z = leaf(X);
    const w = sum(mul(z, z));
    w.backward(undefined, { retainGraph: true });
    w.backward();
    expect(Array.from(z.grad!.data())).toEqual(X.map((v) => 4 * v));
    expect(() => w.backward()).toThrow(/retainGraph/);
  });

  it('retainGrad() keeps the gradient of an intermediate; others stay null', () => {
    const x = leaf(X);
    const h = mul(x, 2).retainGrad();
    const other = add(x, 1);
    sum(add(mul(h, h), other)).backward();
    // L = Σ h² + x + 1 with h = 2x: dL/dh = 2h = 4x, dL/dx = 2·dL/dh + 1 = 8x + 1.
    expect(Array.from(h.grad!.data())).toEqual(X.map((v) => 4 * v));
    expect(other.grad).toBeNull();
    expect(Array.from(x.grad!.data())).toEqual(X.map((v) => 8 * v + 1));
  });

  it('retainGrad() on a tensor that does not require grad throws', () => {
    expect(() => tensor([1, 2]).retainGrad()).toThrow(/does not require grad/);
  });

  it('backward with an upstream gradient of the wrong shape throws naming both shapes', () => {
    const x = leaf(X);
    const y = mul(x, 2);
    expect(() => y.backward(ones([2], { dtype: 'float64' }))).toThrow(/\[2\].*\[3\]/);
  });

  it('backward with an explicit upstream gradient computes the vector-Jacobian product', () => {
    const x = leaf(X);
    const y = mul(x, x);
    y.backward(tensor([1, 10, 100], { dtype: 'float64' }));
    expect(Array.from(x.grad!.data())).toEqual([1, -30, 400]);
  });

  it('an upstream gradient of another float dtype is converted to the output dtype', () => {
    const x = leaf(X);
    mul(x, 3).backward(tensor([1, 2, 3], { dtype: 'float32' }));
    expect(x.grad!.dtype).toBe('float64');
    expect(Array.from(x.grad!.data())).toEqual([3, 6, 9]);
  });
});
