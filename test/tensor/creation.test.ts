/** Creating tensors, reading them back, and printing them. */
import { describe, expect, it } from 'vitest';
import {
  arange,
  eye,
  full,
  Generator,
  linspace,
  ones,
  rand,
  randint,
  randn,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import { backends } from '../backends.js';

describe.each(backends)('creation on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);
  // float64 exists for gradient checks and is only required of the reference backend.
  const f64 = backend.supports('float64');

  describe('tensor()', () => {
    it('from nested arrays: shape from the nesting, float32 by default', () =>
      on(() => {
        const t = tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expect(t.shape).toEqual([2, 3]);
        expect(t.dtype).toBe('float32');
        expect(t.backend).toBe(backend);
        expect(t.toArray()).toEqual([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        const deep = tensor([
          [[1], [2]],
          [[3], [4]],
          [[5], [6]],
        ]);
        expect(deep.shape).toEqual([3, 2, 1]);
        expect(Array.from(deep.data())).toEqual([1, 2, 3, 4, 5, 6]);
      }));

    it('a number gives a 0-d tensor; empty arrays give size-0 dimensions', () =>
      on(() => {
        const s = tensor(2.5);
        expect(s.shape).toEqual([]);
        expect(s.ndim).toBe(0);
        expect(s.size).toBe(1);
        expect(s.item()).toBe(2.5);
        expect(s.toArray()).toBe(2.5);
        expect(tensor([]).shape).toEqual([0]);
        expect(tensor([[]]).shape).toEqual([1, 0]);
        expect(tensor([[], []]).toArray()).toEqual([[], []]);
      }));

    it('float32 data is rounded to float32', () =>
      on(() => {
        expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
        expect(tensor([1e-320]).item()).toBe(0);
      }));

    it.skipIf(!f64)('float64 keeps every bit (skipped where the backend stores no float64)', () =>
      on(() => {
        expect(tensor([0.1], { dtype: 'float64' }).item()).toBe(0.1);
        expect(tensor([1e-320], { dtype: 'float64' }).item()).toBe(1e-320);
        expect(tensor([1 / 3], { dtype: 'float64' }).dtype).toBe('float64');
      }),
    );

    it('int32 truncates toward zero', () =>
      on(() => {
        const t = tensor([1.7, -1.7, 2.5, -0.2, 3], { dtype: 'int32' });
        expect(t.dtype).toBe('int32');
        expect(Array.from(t.data())).toEqual([1, -1, 2, 0, 3]);
        expect(t.data()).toBeInstanceOf(Int32Array);
      }));

    it.skipIf(!f64)(
      'a Float64Array sets dtype float64 and is copied (skipped where the backend stores no float64)',
      () =>
        on(() => {
          const data = new Float64Array([1.25, 0.1]);
          const a = tensor(data);
          expect(a.dtype).toBe('float64');
          expect(a.shape).toEqual([2]);
          data[0] = 99;
          expect(a.toArray()).toEqual([1.25, 0.1]);
          expect(rand(4, { dtype: 'float64', generator: new Generator(0) }).dtype).toBe('float64');
        }),
    );

    it('typed arrays set the default dtype and are copied', () =>
      on(() => {
        const data = new Float32Array([1.25, 0.5]);
        const a = tensor(data);
        data[0] = 99;
        expect(a.toArray()).toEqual([1.25, 0.5]);
        expect(tensor(new Int32Array([3, -4])).dtype).toBe('int32');
        expect(tensor(new Float32Array([1, 2])).dtype).toBe('float32');
        // A dtype option converts: truncation for int32, rounding for float32.
        expect(Array.from(tensor(new Float32Array([2.9, -2.9]), { dtype: 'int32' }).data())).toEqual([2, -2]);
        expect(tensor(new Float64Array([0.1]), { dtype: 'float32' }).item()).toBe(Math.fround(0.1));
        if (f64) expect(tensor(new Int32Array([7]), { dtype: 'float64' }).dtype).toBe('float64');
      }));

    it('shape reshapes flat data, typed or not', () =>
      on(() => {
        const a = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
        expect(a.toArray()).toEqual([
          [1, 2],
          [3, 4],
          [5, 6],
        ]);
        expect(tensor([1, 2, 3, 4], { shape: [2, 1, 2] }).toArray()).toEqual([[[1, 2]], [[3, 4]]]);
        expect(tensor([5], { shape: [] }).shape).toEqual([]);
        expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
          'tensor: shape [2, 2] needs 4 elements but the data has 3',
        );
      }));

    it('requiresGrad is set on request', () =>
      on(() => {
        expect(tensor([1]).requiresGrad).toBe(false);
        const t = tensor([1, 2], { requiresGrad: true });
        expect(t.requiresGrad).toBe(true);
        expect(t.isLeaf).toBe(true);
      }));

    it('ragged arrays: the error names the offending path', () =>
      on(() => {
        expect(() => tensor([[1, 2], [3]])).toThrow(
          'tensor: ragged nested array: the entry at [1] has length 1, expected 2 like its siblings',
        );
        expect(() =>
          tensor([
            [
              [1, 2],
              [3, 4],
            ],
            [[5, 6], [7]],
          ]),
        ).toThrow(/entry at \[1, 1\] has length 1, expected 2/);
        expect(() => tensor([[1, 2], 3] as never)).toThrow(/entry at \[1\] has no elements, expected 2/);
        expect(() => tensor([1, [2]] as never)).toThrow(
          'tensor: element at [1] is an array, expected a number',
        );
        expect(() => tensor([[1, 'x']] as never)).toThrow(/element at \[0, 1\] is "x", expected a number/);
      }));
  });

  describe('constant fills and ranges', () => {
    it('zeros, ones and full accept a shape array or a single length', () =>
      on(() => {
        expect(zeros([2, 3]).toArray()).toEqual([
          [0, 0, 0],
          [0, 0, 0],
        ]);
        expect(ones(3).toArray()).toEqual([1, 1, 1]);
        expect(full([2], 7.5).toArray()).toEqual([7.5, 7.5]);
        expect(full([], -2).toArray()).toBe(-2);
        expect(zeros([0, 4]).size).toBe(0);
        const i = full([2, 2], 3.9, { dtype: 'int32' });
        expect(i.dtype).toBe('int32');
        expect(Array.from(i.data())).toEqual([3, 3, 3, 3]);
        if (f64) expect(ones([2], { dtype: 'float64' }).dtype).toBe('float64');
        expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
      }));

    it('arange(n), arange(start, end, step), negative steps, empty results', () =>
      on(() => {
        expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
        expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
        expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
        expect(arange(0, 10, 3).toArray()).toEqual([0, 3, 6, 9]);
        expect(arange(5, 0, -1).toArray()).toEqual([5, 4, 3, 2, 1]);
        expect(arange(0, -2, -0.5).toArray()).toEqual([0, -0.5, -1, -1.5]);
        expect(arange(3, 3).shape).toEqual([0]);
        expect(arange(5, 0).shape).toEqual([0]);
        expect(arange(0, 5, -1).shape).toEqual([0]);
        expect(arange(0).shape).toEqual([0]);
        const i = arange(4, undefined, 1, { dtype: 'int32' });
        expect(i.dtype).toBe('int32');
        expect(Array.from(i.data())).toEqual([0, 1, 2, 3]);
        expect(() => arange(0, 1, 0)).toThrow(
          'arange: start, end and step must be finite and step non-zero, got (0, 1, 0)',
        );
        expect(() => arange(Infinity)).toThrow(/finite/);
      }));

    it('linspace: exact endpoints and PyTorch symmetric formula', () =>
      on(() => {
        expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
        for (const [start, end, steps] of [
          [-3.3, 7.7, 7],
          [0.1, 0.7, 6],
          [1e-3, 123.456, 11],
          [5, -5, 4],
        ] as const) {
          if (!f64) break;
          const got = linspace(start, end, steps, { dtype: 'float64' }).data();
          const step = (end - start) / (steps - 1);
          const expected = Array.from({ length: steps }, (_, i) =>
            i < Math.floor(steps / 2) ? start + i * step : end - (steps - 1 - i) * step,
          );
          expect(Array.from(got)).toEqual(expected);
          expect(got[0]).toBe(start);
          expect(got[steps - 1]).toBe(end);
        }
        // float32: endpoints are exactly the float32 roundings.
        const f = linspace(-3.3, 7.7, 9).data();
        expect(f[0]).toBe(Math.fround(-3.3));
        expect(f[8]).toBe(Math.fround(7.7));
        expect(linspace(0, 1, 0).shape).toEqual([0]);
        expect(() => linspace(0, 1, 2.5)).toThrow('linspace: steps must be a non-negative integer, got 2.5');
      }));

    it('linspace with steps = 1 gives [start], as torch.linspace', () =>
      on(() => {
        expect(linspace(2, 5, 1).toArray()).toEqual([2]);
      }));

    it('eye: square and rectangular', () =>
      on(() => {
        expect(eye(3).toArray()).toEqual([
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]);
        expect(eye(2, 3).toArray()).toEqual([
          [1, 0, 0],
          [0, 1, 0],
        ]);
        expect(eye(3, 2).toArray()).toEqual([
          [1, 0],
          [0, 1],
          [0, 0],
        ]);
        expect(eye(0).shape).toEqual([0, 0]);
        expect(eye(2, 2, { dtype: 'int32' }).dtype).toBe('int32');
        expect(() => eye(-1)).toThrow(/eye: size must be an array of non-negative integers/);
      }));
  });

  describe('random creation', () => {
    it('rand, randn and randint: shapes and dtypes', () =>
      on(() => {
        const g = new Generator(0);
        const r = rand([2, 3], { generator: g });
        expect(r.shape).toEqual([2, 3]);
        expect(r.dtype).toBe('float32');
        const n = randn([3, 1, 2], { generator: g });
        expect(n.shape).toEqual([3, 1, 2]);
        expect(n.dtype).toBe('float32');
        expect(randn([], { generator: g }).shape).toEqual([]);
        expect(randn([0], { generator: g }).size).toBe(0);
        const k = randint(0, 10, [5, 2], { generator: g });
        expect(k.shape).toEqual([5, 2]);
        expect(k.dtype).toBe('int32');
        expect(randint(0, 3, 7, { generator: g }).shape).toEqual([7]);
        expect(randn([2], { requiresGrad: true, generator: g }).requiresGrad).toBe(true);
      }));

    it.skipIf(!f64)(
      'randn in float32 is the float32 rounding of the float64 normal stream (skipped where the backend stores no float64)',
      () =>
        on(() => {
          const a = randn([9], { generator: new Generator(12) }).data();
          const b = randn([9], { generator: new Generator(12), dtype: 'float64' }).data();
          expect(Array.from(a)).toEqual(Array.from(b, Math.fround));
        }),
    );
  });

  describe('reading back', () => {
    it('toArray nests by shape; data() is a flat row-major copy', () =>
      on(() => {
        const t = arange(24).reshape(2, 3, 4);
        const nested = t.toArray() as number[][][];
        expect(nested).toHaveLength(2);
        expect(nested[1]![2]).toEqual([20, 21, 22, 23]);
        const d = t.data();
        expect(d).toBeInstanceOf(Float32Array);
        expect(d.length).toBe(24);
        d[0] = 100;
        expect(t.data()[0]).toBe(0);
        // data() of a non-contiguous view is in the view's row-major order.
        expect(Array.from(t.permute(2, 0, 1).data()).slice(0, 7)).toEqual([0, 4, 8, 12, 16, 20, 1]);
        if (f64) expect(tensor([[1]], { dtype: 'float64' }).data()).toBeInstanceOf(Float64Array);
      }));

    it('item() reads a single element, of any shape', () =>
      on(() => {
        expect(tensor([[4.5]]).item()).toBe(4.5);
        expect(tensor([7], { dtype: 'int32' }).item()).toBe(7);
        expect(arange(6).reshape(2, 3).index(1, 2).item()).toBe(5);
      }));

    it('item() on a multi-element tensor says why', () =>
      on(() => {
        expect(() => tensor([1, 2]).item()).toThrow(
          'item: only a single-element tensor can be converted to a number, this one has shape [2]',
        );
        expect(() => zeros([0]).item()).toThrow(/shape \[0\]/);
      }));
  });

  describe('toString()', () => {
    it('integral floats print as "1." and 2-D tensors align rows like PyTorch', () =>
      on(() => {
        expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
        expect(tensor([-1, 20]).toString()).toBe('tensor([-1., 20.])');
        expect(
          tensor([
            [1, 2],
            [3, 4],
          ]).toString(),
        ).toBe('tensor([[1., 2.],\n        [3., 4.]])');
        expect(zeros([2, 1, 2]).toString()).toBe('tensor([[[0., 0.]],\n\n        [[0., 0.]]])');
      }));

    it('non-integral values: 4 decimals, right-aligned', () =>
      on(() => {
        expect(tensor([1.5, -2.25]).toString()).toBe('tensor([ 1.5000, -2.2500])');
        expect(tensor([0, 0.001]).toString()).toBe('tensor([0.0000, 0.0010])');
        expect(tensor([Math.PI]).toString()).toBe('tensor([3.1416])');
      }));

    it('scientific notation for tiny values, huge values and wide ranges', () =>
      on(() => {
        expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
        expect(tensor([1e9]).toString()).toBe('tensor([1.0000e+09])');
        expect(tensor([0.5, 1234.5]).toString()).toBe('tensor([5.0000e-01, 1.2345e+03])');
      }));

    it('integral floats spanning more than 1000× switch to scientific, as PyTorch', () =>
      on(() => {
        // torch: tensor([1., 100000.]) prints tensor([1.0000e+00, 1.0000e+05])
        expect(tensor([1, 1e5]).toString()).toBe('tensor([1.0000e+00, 1.0000e+05])');
      }));

    it('nan and infinities', () =>
      on(() => {
        expect(tensor([Number.NaN, 1, Infinity, -Infinity]).toString()).toBe(
          'tensor([ nan,   1.,  inf, -inf])',
        );
      }));

    it('int32, float64 and requiresGrad are shown as extras', () =>
      on(() => {
        expect(tensor([1, -2, 30], { dtype: 'int32' }).toString()).toBe('tensor([ 1, -2, 30], dtype=int32)');
        if (f64)
          expect(tensor([0.1], { dtype: 'float64' }).toString()).toBe('tensor([0.1000], dtype=float64)');
        expect(tensor([1, 2], { requiresGrad: true }).toString()).toBe('tensor([1., 2.], requiresGrad=true)');
        expect(tensor([1, 2], { requiresGrad: true }).mul(2).toString()).toBe(
          'tensor([2., 4.], gradFn=<mul>)',
        );
      }));

    it('0-d and empty tensors', () =>
      on(() => {
        expect(tensor(3.5).toString()).toBe('tensor(3.5000)');
        expect(tensor(3).toString()).toBe('tensor(3.)');
        expect(tensor(-7, { dtype: 'int32' }).toString()).toBe('tensor(-7, dtype=int32)');
        expect(zeros([0]).toString()).toBe('tensor([], size=[0])');
        const e = zeros([2, 0]).toString();
        expect(e.startsWith('tensor([')).toBe(true);
        expect(e).toContain('size=[2, 0]');
      }));

    it('empty tensors of several dimensions print as tensor([], size=…), as PyTorch', () =>
      on(() => {
        // torch.zeros(2, 0, 3) prints tensor([], size=(2, 0, 3)); nested brackets would suggest a 2-D tensor.
        expect(zeros([2, 0]).toString()).toBe('tensor([], size=[2, 0])');
        expect(zeros([2, 0, 3]).toString()).toBe('tensor([], size=[2, 0, 3])');
      }));

    it('more than 1000 elements are summarized with "..." (3 edge items)', () =>
      on(() => {
        expect(arange(1001).toString()).toBe('tensor([   0.,    1.,    2., ...,  998.,  999., 1000.])');
        expect(arange(1000).toString()).not.toContain('...');
        const s = zeros([40, 40]).toString();
        const lines = s.split('\n');
        expect(lines).toHaveLength(7);
        expect(lines[3]!.trim()).toBe('...,');
        expect(lines[0]).toBe('tensor([[0., 0., 0., ..., 0., 0., 0.],');
        expect(s.length).toBeLessThan(400);
      }));

    it('a transposed view prints in its own row-major order', () =>
      on(() => {
        expect(
          tensor([
            [1, 2],
            [3, 4],
          ])
            .t()
            .toString(),
        ).toBe('tensor([[1., 3.],\n        [2., 4.]])');
      }));
  });
});
