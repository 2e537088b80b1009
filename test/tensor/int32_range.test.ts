/**
 * int32 never wraps or turns NaN into 0 without a word (issue 12, item 5): creating an int32 tensor
 * from a value int32 cannot hold is refused as PyTorch refuses it ("value cannot be converted to type
 * int32 without overflow"), and so is casting one with .int() (where PyTorch is undefined).
 */
import { describe, expect, it } from 'vitest';
import { arange, full, linspace, randint, tensor, withBackend } from '../../src/index.js';
import { backends } from '../backends.js';

const TOO_BIG =
  'cannot be converted to int32 without overflow (int32 holds integers from -2147483648 to 2147483647)';

describe.each(backends)('int32 range on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe('tensor()', () => {
    it('refuses 3e9 instead of wrapping it to -1294967296', () =>
      on(() => {
        expect(() => tensor([1, 3e9], { dtype: 'int32' })).toThrow(
          `tensor: element [1] is 3000000000, which ${TOO_BIG}; keep such values in a float32 or float64 tensor`,
        );
      }));

    it('refuses NaN instead of storing 0, naming the element of a nested array', () =>
      on(() => {
        expect(() =>
          tensor(
            [
              [1, 2],
              [Number.NaN, 4],
            ],
            { dtype: 'int32' },
          ),
        ).toThrow(
          'tensor: element [1, 0] is NaN, which cannot be converted to int32 without overflow (int32 has no NaN)',
        );
      }));

    it('refuses ±Infinity', () =>
      on(() => {
        expect(() => tensor([Number.POSITIVE_INFINITY], { dtype: 'int32' })).toThrow(
          'tensor: element [0] is Infinity, which cannot be converted to int32 without overflow (int32 has no infinity)',
        );
        expect(() => tensor([0, Number.NEGATIVE_INFINITY], { dtype: 'int32' })).toThrow(
          'tensor: element [1] is -Infinity, which cannot be converted',
        );
      }));

    it('names a 0-d value', () =>
      on(() => {
        expect(() => tensor(-3e9, { dtype: 'int32' })).toThrow(
          `tensor: value is -3000000000, which ${TOO_BIG}`,
        );
      }));

    it('refuses out-of-range values from float typed arrays', () =>
      on(() => {
        expect(() => tensor(new Float32Array([0, 0, 3e9]), { dtype: 'int32' })).toThrow(
          `tensor: element [2] is 3000000000, which ${TOO_BIG}`,
        );
        expect(() => tensor(new Float64Array([Number.NaN]), { dtype: 'int32' })).toThrow(
          'tensor: element [0] is NaN',
        );
      }));

    it("keeps int32's ends exactly and refuses one past them, before truncation as PyTorch does", () =>
      on(() => {
        expect(tensor([2147483647, -2147483648], { dtype: 'int32' }).toArray()).toEqual([
          2147483647, -2147483648,
        ]);
        expect(() => tensor([2147483648], { dtype: 'int32' })).toThrow('element [0] is 2147483648');
        expect(() => tensor([-2147483649], { dtype: 'int32' })).toThrow('element [0] is -2147483649');
        expect(() => tensor([2147483647.5], { dtype: 'int32' })).toThrow('element [0] is 2147483647.5');
      }));

    it('still truncates fractions toward zero', () =>
      on(() => {
        expect(tensor([1.7, -1.7, 2.5], { dtype: 'int32' }).toArray()).toEqual([1, -1, 2]);
      }));
  });

  describe('full, arange, linspace, randint', () => {
    it('full refuses a value int32 cannot hold and truncates one it can', () =>
      on(() => {
        expect(() => full([2], 3e9, { dtype: 'int32' })).toThrow(
          `full: value is 3000000000, which ${TOO_BIG}`,
        );
        expect(() => full([2], Number.NaN, { dtype: 'int32' })).toThrow('full: value is NaN');
        expect(full([2], -2.5, { dtype: 'int32' }).toArray()).toEqual([-2, -2]);
      }));

    it('arange refuses a range that runs past int32 instead of wrapping its last value', () =>
      on(() => {
        expect(() => arange(2147483640, 2147483650, 3, { dtype: 'int32' })).toThrow(
          `arange: element [3] (the last) is 2147483649, which ${TOO_BIG}`,
        );
        expect(() => arange(-3e9, 0, 1e9, { dtype: 'int32' })).toThrow('arange: start is -3000000000');
        expect(arange(2147483645, 2147483648, 1, { dtype: 'int32' }).toArray()).toEqual([
          2147483645, 2147483646, 2147483647,
        ]);
      }));

    it('arange refuses a huge int32 range before allocating it', () =>
      on(() => {
        const started = performance.now();
        expect(() => arange(0, 1e10, 1, { dtype: 'int32' })).toThrow(
          'arange: element [9999999999] (the last) is 9999999999',
        );
        expect(performance.now() - started).toBeLessThan(1000);
      }));

    it('linspace refuses int32 values beyond the range', () =>
      on(() => {
        expect(() => linspace(0, 3e9, 4, { dtype: 'int32' })).toThrow(
          `linspace: element [3] is 3000000000, which ${TOO_BIG}`,
        );
      }));

    it('randint refuses bounds beyond int32 instead of wrapping its draws', () =>
      on(() => {
        expect(() => randint(0, 3e9, [4])).toThrow(
          "randint: the values would lie in [0, 2999999999], beyond int32's range [-2147483648, 2147483647]; randint makes int32 tensors",
        );
        expect(() => randint(-3e9, 0, [4])).toThrow('randint: the values would lie in [-3000000000, -1]');
      }));

    it("randint draws over int32's whole range without wrapping", () =>
      on(() => {
        const values = randint(0, 2 ** 31, [256]).toArray() as number[];
        expect(values.every((v) => v >= 0)).toBe(true);
        expect(Math.max(...values)).toBeGreaterThan(2 ** 30);
      }));
  });

  describe('cast to int32 (.int())', () => {
    it('refuses NaN, ±Infinity and out-of-range values, naming the element', () =>
      on(() => {
        expect(() => tensor([1, Number.NaN]).int()).toThrow(
          'cast: element [1] is NaN, which cannot be converted to int32 without overflow (int32 has no NaN)',
        );
        expect(() => tensor([Number.NEGATIVE_INFINITY]).int()).toThrow('cast: element [0] is -Infinity');
        expect(() => tensor([3e9]).cast('int32')).toThrow(
          `cast: element [0] is 3000000000, which ${TOO_BIG}`,
        );
      }));

    it('names the element by its index in a strided view', () =>
      on(() => {
        const x = tensor([
          [1, Number.NaN],
          [3, 4],
        ]).transpose(0, 1);
        expect(() => x.int()).toThrow('cast: element [1, 0] is NaN');
      }));

    it('truncates values it can hold toward zero', () =>
      on(() => {
        // 2147483520 is the largest float32 below 2³¹ (2147483647 rounds up to 2³¹ in float32).
        expect(tensor([1.7, -1.7, 2147483520, -2147483648]).int().toArray()).toEqual([
          1, -1, 2147483520, -2147483648,
        ]);
        expect(() => tensor([2147483647]).int()).toThrow('cast: element [0] is 2147483648');
      }));
  });
});
