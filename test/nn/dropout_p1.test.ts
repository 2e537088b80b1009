/**
 * Dropout(1) (issue 13 item 7): torch.nn.Dropout(p=1) in training multiplies by 0, so the output is
 * zeros (NaN where x is NaN or ±∞: 0·∞) and the gradient is 0; in evaluation it is the identity. On
 * every backend in test/backends.ts.
 */
import { describe, expect, it } from 'vitest';
import { Dropout, Generator, ones, tensor, withBackend } from '../../src/index.js';
import { backends } from '../backends.js';

describe.each(backends)('Dropout(1) on $name', ({ backend }) => {
  const on = <T>(f: () => T): T => withBackend(backend, f);

  it('zeroes everything in training: nn.Dropout(1.0)(tensor([1, nan, inf, -2])) = [0, nan, nan, -0]', () =>
    on(() => {
      const x = tensor([1, Number.NaN, Number.POSITIVE_INFINITY, -2], { requiresGrad: true });
      const y = new Dropout(1).call(x);
      expect(Array.from(y.data())).toEqual([0, Number.NaN, Number.NaN, -0]);
      y.backward(tensor([1, 2, 3, 4]));
      expect(Array.from(x.grad!.data())).toEqual([0, 0, 0, 0]);
    }));

  it('is the identity in evaluation and draws no mask in training', () =>
    on(() => {
      const gen = new Generator(5);
      const drop = new Dropout(1, { generator: gen });
      const x = ones([3, 4]);
      expect(drop.eval().call(x)).toBe(x);
      drop.train();
      const before = gen.getState();
      expect(Array.from(drop.call(x).data())).toEqual(new Array(12).fill(0));
      expect(gen.getState()).toEqual(before);
    }));
});

describe('Dropout p', () => {
  it('accepts 1 and refuses more, naming the closed range', () => {
    expect(new Dropout(1).p).toBe(1);
    expect(() => new Dropout(1.5)).toThrow(
      'Dropout: p is the probability of zeroing an element and must be in [0, 1], got 1.5',
    );
  });
});
