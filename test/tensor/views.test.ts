/**
 * Views (reshape, permute, expand, slicing, indexing) and broadcasting: shapes, strides, shared
 * storage, and that ops read non-contiguous inputs correctly.
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  arange,
  broadcastShapes,
  contiguous,
  expand,
  flatten,
  Generator,
  matmul,
  mul,
  permute,
  randn,
  reshape,
  slice,
  softmax,
  squeeze,
  sum,
  type Tensor,
  tensor,
  transpose,
  unsqueeze,
  view,
  withBackend,
  zeros,
} from '../../src/index.js';
import { backends } from '../backends.js';

/** x[i][j][k] = 100i + 10j + k for a small 3-D tensor, so every element names its position. */
function positional(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let f = 0; f < n; f++) {
    let v = 0;
    for (let d = 0; d < shape.length; d++) v = v * 10 + (Math.floor(f / strides[d]!) % shape[d]!);
    values[f] = v;
  }
  return tensor(values, { shape });
}

describe.each(backends)('views on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe('reshape and view', () => {
    it('infers one −1 dimension', () =>
      on(() => {
        const x = arange(24);
        expect(x.reshape(3, -1).shape).toEqual([3, 8]);
        expect(x.reshape(-1, 2, 3).shape).toEqual([4, 2, 3]);
        expect(reshape(x, [2, 3, -1]).shape).toEqual([2, 3, 4]);
        expect(x.reshape([4, 6]).shape).toEqual([4, 6]);
        expect(x.reshape(2, 3, 4).toArray()).toEqual([
          [
            [0, 1, 2, 3],
            [4, 5, 6, 7],
            [8, 9, 10, 11],
          ],
          [
            [12, 13, 14, 15],
            [16, 17, 18, 19],
            [20, 21, 22, 23],
          ],
        ]);
        expect(zeros([0, 3]).reshape(-1, 3).shape).toEqual([0, 3]);
        expect(tensor([5]).reshape([]).shape).toEqual([]);
      }));

    it('rejects impossible shapes with a message naming both shapes', () =>
      on(() => {
        expect(() => arange(6).reshape(4, -1)).toThrow(
          'reshape: cannot reshape a tensor of shape [6] (6 elements) into [4, -1]',
        );
        expect(() => arange(6).reshape(4, 2)).toThrow(/\[6\] \(6 elements\) into \[4, 2\]/);
        expect(() => arange(6).reshape(-1, -1)).toThrow(/at most one -1/);
        expect(() => zeros([0, 3]).reshape(0, -1)).toThrow(/cannot reshape/);
      }));

    it('a reshape of contiguous data is a view: writes through one are seen through the other', () =>
      on(() => {
        const a = arange(6);
        const b = a.reshape(2, 3);
        expect(b.storage).toBe(a.storage);
        b.assign(tensor([[10], [20]]));
        expect(a.toArray()).toEqual([10, 10, 10, 20, 20, 20]);
        slice(b, 1, 1, 2).assign(-1);
        expect(a.toArray()).toEqual([10, -1, 10, 20, -1, 20]);
        a.index('4:').assign(tensor([7, 8]));
        expect(b.toArray()).toEqual([
          [10, -1, 10],
          [20, 7, 8],
        ]);
        const v = view(b, [3, 2]);
        expect(v.storage).toBe(a.storage);
        expect(b.view(-1).storage).toBe(a.storage);
      }));

    it('assign between overlapping views of one storage reads the source before writing', () =>
      on(() => {
        const a = arange(5);
        a.index('1:').assign(a.index(':-1'));
        expect(a.toArray()).toEqual([0, 0, 1, 2, 3]);
        const m = arange(4).reshape(2, 2);
        m.assign(m.t());
        expect(m.toArray()).toEqual([
          [0, 2],
          [1, 3],
        ]);
      }));

    it('reshape of a non-contiguous tensor copies, with the right values', () =>
      on(() => {
        const x = arange(6).reshape(2, 3);
        const r = x.t().reshape(6);
        expect(r.storage).not.toBe(x.storage);
        expect(r.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
      }));

    it('view refuses non-contiguous input and points to reshape', () =>
      on(() => {
        const xt = arange(6).reshape(2, 3).t();
        expect(() => xt.view(6)).toThrow(
          'view: a tensor of shape [3, 2] with strides [1, 3] is not contiguous, so it cannot be viewed as [6]; use reshape() (which copies) instead',
        );
        expect(() => view(slice(arange(10), 0, 0, 10, 2), [5])).toThrow(/use reshape\(\)/);
      }));
  });

  describe('permute, transpose, t', () => {
    it('permute reorders dimensions as a view', () =>
      on(() => {
        const x = positional([2, 3, 4]);
        const p = x.permute(2, 0, 1);
        expect(p.shape).toEqual([4, 2, 3]);
        expect(p.strides).toEqual([1, 12, 4]);
        expect(p.storage).toBe(x.storage);
        const nested = p.toArray() as number[][][];
        for (let k = 0; k < 4; k++)
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 3; j++) {
              expect(nested[k]![i]![j]).toBe(100 * i + 10 * j + k);
            }
        expect(permute(x, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
        expect(x.permute([0, 1, 2])).toBe(x);
      }));

    it('transpose swaps two (possibly negative) dimensions; t() is the 2-D transpose', () =>
      on(() => {
        const x = positional([2, 3, 4]);
        const t = transpose(x, 0, -1);
        expect(t.shape).toEqual([4, 3, 2]);
        expect((t.toArray() as number[][][])[3]![1]![0]).toBe(13);
        expect(x.transpose(1, 2).shape).toEqual([2, 4, 3]);
        const m = tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expect(m.t().toArray()).toEqual([
          [1, 4],
          [2, 5],
          [3, 6],
        ]);
        expect(m.t().t().toArray()).toEqual(m.toArray());
        expect(() => x.t()).toThrow('t: expects a tensor with at most 2 dimensions, got shape [2, 3, 4]');
      }));

    it('t() of a 1-D or 0-D tensor returns it unchanged, as torch.Tensor.t()', () =>
      on(() => {
        expect(arange(3).t().toArray()).toEqual([0, 1, 2]);
        expect(tensor(4).t().item()).toBe(4);
      }));

    it('permute errors name the dims and the shape', () =>
      on(() => {
        const x = zeros([2, 3]);
        expect(() => x.permute(0, 0)).toThrow(
          'permute: dims [0,0] must be a permutation of the 2 dimensions of shape [2, 3]',
        );
        expect(() => x.permute(0)).toThrow(/must be a permutation/);
        expect(() => x.permute(0, 2)).toThrow(
          'permute: dims 2 is out of range for a 2-d tensor; accepted: [-2, 1]',
        );
      }));
  });

  describe('squeeze, unsqueeze, flatten', () => {
    it('squeeze removes size-1 dimensions (all, or one named axis)', () =>
      on(() => {
        const x = zeros([1, 3, 1, 2]);
        expect(x.squeeze().shape).toEqual([3, 2]);
        expect(squeeze(x, 0).shape).toEqual([3, 1, 2]);
        expect(x.squeeze(-2).shape).toEqual([1, 3, 2]);
        expect(x.squeeze(1).shape).toEqual([1, 3, 1, 2]);
        expect(zeros([1, 1]).squeeze().shape).toEqual([]);
      }));

    it('unsqueeze inserts a size-1 dimension; −1 appends', () =>
      on(() => {
        const x = arange(3);
        expect(x.unsqueeze(0).shape).toEqual([1, 3]);
        expect(unsqueeze(x, -1).shape).toEqual([3, 1]);
        expect(unsqueeze(x, 1).toArray()).toEqual([[0], [1], [2]]);
        expect(tensor(2).unsqueeze(0).shape).toEqual([1]);
        expect(() => x.unsqueeze(3)).toThrow(/unsqueeze: axis 3 is out of range/);
      }));

    it('flatten merges a range of dimensions', () =>
      on(() => {
        const x = positional([2, 3, 4]);
        expect(x.flatten().shape).toEqual([24]);
        expect(flatten(x, 1).shape).toEqual([2, 12]);
        expect(x.flatten(0, 1).shape).toEqual([6, 4]);
        expect(x.flatten(-2, -1).shape).toEqual([2, 12]);
        expect(tensor(3).flatten().shape).toEqual([1]);
        expect(Array.from(x.permute(2, 1, 0).flatten().data()).slice(0, 3)).toEqual([0, 100, 10]);
        expect(() => x.flatten(2, 1)).toThrow('flatten: startAxis (2) must not come after endAxis (1)');
      }));
  });

  describe('expand', () => {
    it('repeats size-1 dimensions with stride 0 and adds leading ones', () =>
      on(() => {
        const x = tensor([[1], [2]]);
        const e = x.expand(2, 3);
        expect(e.shape).toEqual([2, 3]);
        expect(e.strides).toEqual([1, 0]);
        expect(e.storage).toBe(x.storage);
        expect(e.toArray()).toEqual([
          [1, 1, 1],
          [2, 2, 2],
        ]);
        const l = expand(tensor([1, 2, 3]), [2, 2, 3]);
        expect(l.strides).toEqual([0, 0, 1]);
        expect(l.toArray()).toEqual([
          [
            [1, 2, 3],
            [1, 2, 3],
          ],
          [
            [1, 2, 3],
            [1, 2, 3],
          ],
        ]);
        expect(x.expand(-1, 4).shape).toEqual([2, 4]);
        expect(x.expand(2, 1)).toBe(x);
      }));

    it('errors name both shapes', () =>
      on(() => {
        expect(() => tensor([1, 2, 3]).expand(2, 4)).toThrow(
          'expand: cannot expand shape [3] to [2, 4] (dimension 1: 3 → 4); only size-1 dimensions can grow',
        );
        expect(() => zeros([2, 3]).expand(3)).toThrow(
          "expand: the target shape [3] has fewer dimensions than the tensor's [2, 3]",
        );
      }));
  });

  describe('slicing and indexing', () => {
    it('slice(x, axis, start, end, step), Python-style bounds', () =>
      on(() => {
        const x = arange(10);
        expect(slice(x, 0, 1, 8, 3).toArray()).toEqual([1, 4, 7]);
        expect(slice(x, 0, -3).toArray()).toEqual([7, 8, 9]);
        expect(slice(x, 0, 2, -5).toArray()).toEqual([2, 3, 4]);
        expect(slice(x, 0, 5, 100).toArray()).toEqual([5, 6, 7, 8, 9]);
        expect(slice(x, 0, 8, 2).shape).toEqual([0]);
        expect(slice(x, 0, -100, 2).toArray()).toEqual([0, 1]);
        const m = positional([3, 4]);
        const s = slice(m, -1, 1, 4, 2);
        expect(s.shape).toEqual([3, 2]);
        expect(s.storage).toBe(m.storage);
        expect(s.toArray()).toEqual([
          [1, 3],
          [11, 13],
          [21, 23],
        ]);
        expect(() => slice(x, 0, 0, 5, 0)).toThrow(
          'slice: step must be a positive integer, got 0 (negative steps are not supported, as in PyTorch)',
        );
        expect(() => slice(x, 1, 0, 1)).toThrow(
          'slice: axis 1 is out of range for a 1-d tensor; accepted: [-1, 0]',
        );
      }));

    it('index: numbers drop axes, negative numbers count from the end', () =>
      on(() => {
        const x = positional([2, 3, 4]);
        expect(x.index(1).shape).toEqual([3, 4]);
        expect(x.index(1, 2).toArray()).toEqual([120, 121, 122, 123]);
        expect(x.index(-1, -1, -1).item()).toBe(123);
        expect(x.index(0, -3, 0).item()).toBe(0);
        expect(x.index(1).storage).toBe(x.storage);
      }));

    it("index: 'start:stop:step' strings slice as views", () =>
      on(() => {
        const x = positional([4, 5]);
        expect(x.index('1:3').shape).toEqual([2, 5]);
        expect(x.index(':', '::2').toArray()).toEqual([
          [0, 2, 4],
          [10, 12, 14],
          [20, 22, 24],
          [30, 32, 34],
        ]);
        expect(x.index('-2:', '1:-1:2').toArray()).toEqual([
          [21, 23],
          [31, 33],
        ]);
        expect(x.index(' 1 : 2 ', 0).toArray()).toEqual([10]);
        expect(x.index('3:1').shape).toEqual([0, 5]);
        expect(x.index('::3').storage).toBe(x.storage);
      }));

    it("index: '...' and null (new axis)", () =>
      on(() => {
        const x = positional([2, 3, 4]);
        expect(x.index('...', 1).toArray()).toEqual([
          [1, 11, 21],
          [101, 111, 121],
        ]);
        expect(x.index(0, '...').shape).toEqual([3, 4]);
        expect(x.index('...').shape).toEqual([2, 3, 4]);
        expect(x.index(null).shape).toEqual([1, 2, 3, 4]);
        expect(x.index(':', null, 1).shape).toEqual([2, 1, 4]);
        expect(x.index('...', null).shape).toEqual([2, 3, 4, 1]);
        expect(x.index(1, '...', null, 2).toArray()).toEqual([[102], [112], [122]]);
      }));

    it('index: integer arrays and int32 tensors pick positions (negatives allowed in arrays)', () =>
      on(() => {
        const x = positional([3, 4]);
        expect(x.index([2, 0]).toArray()).toEqual([
          [20, 21, 22, 23],
          [0, 1, 2, 3],
        ]);
        expect(x.index(':', [-1, 0, 0]).toArray()).toEqual([
          [3, 0, 0],
          [13, 10, 10],
          [23, 20, 20],
        ]);
        expect(x.index(1, tensor([3, 1], { dtype: 'int32' })).toArray()).toEqual([13, 11]);
        expect(x.index('1:', [0]).toArray()).toEqual([[10], [20]]);
        expect(x.index([]).shape).toEqual([0, 4]);
      }));

    it('index: out-of-range and malformed indices say what is wrong', () =>
      on(() => {
        const x = zeros([3, 4]);
        expect(() => x.index(3)).toThrow('index: index 3 is out of range for axis 0 of size 3');
        expect(() => x.index(0, -5)).toThrow('index: index -5 is out of range for axis 1 of size 4');
        expect(() => x.index(0.5)).toThrow(/index 0.5 is out of range/);
        expect(() => x.index(0, 0, 0)).toThrow(
          'index: 3 indices given for a tensor of shape [3, 4] (2 dimensions)',
        );
        expect(() => x.index([0, 3])).toThrow(
          /index 3 is out of range for axis 0 of size 3; accepted: \[-3, 2\]/,
        );
        expect(() => x.index(tensor([0, 1]))).toThrow(
          /index must be an int32 tensor, got float32; convert it with \.int\(\)/,
        );
        expect(() => x.index('1:x')).toThrow(
          /index: "1:x" for axis 0 is not a slice; accepted: 'start:stop'/,
        );
        expect(() => x.index('::-1')).toThrow(/has step -1; only positive steps are supported/);
        expect(() => x.index('...', '...')).toThrow("index: at most one '...' is allowed");
        expect(() => x.index([0], [1])).toThrow(/only one list or tensor index is supported per call/);
        expect(() => x.index({} as never)).toThrow(/unsupported index \{\} for axis 0; accepted: integers/);
      }));
  });

  describe('broadcasting', () => {
    it('broadcastShapes follows NumPy rules', () => {
      expect(broadcastShapes('add', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
      expect(broadcastShapes('add', [], [2, 3])).toEqual([2, 3]);
      expect(broadcastShapes('add', [0, 1], [1, 5])).toEqual([0, 5]);
      expect(broadcastShapes('mul', [5, 1, 7], [1, 6, 1])).toEqual([5, 6, 7]);
    });

    it('the error names the op and both shapes', () => {
      expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(
        'add: shapes [2, 3] and [4] cannot be broadcast together (dimension 1 of the result: 3 vs 4)',
      );
      expect(() => broadcastShapes('where', [2, 3], [3, 3])).toThrow(/^where: shapes \[2, 3\] and \[3, 3\]/);
    });

    it('binary ops broadcast values correctly', () =>
      on(() => {
        const a = tensor([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
        const b = tensor([[10], [20], [30], [40]]); // [4, 1]
        const c = add(a, b);
        expect(c.shape).toEqual([2, 4, 3]);
        const nested = c.toArray() as number[][][];
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 4; j++)
            for (let k = 0; k < 3; k++) {
              expect(nested[i]![j]![k]).toBe(3 * i + k + 1 + 10 * (j + 1));
            }
        expect(mul(tensor([1, 2, 3]), 2).toArray()).toEqual([2, 4, 6]);
        expect(add(tensor(1), tensor([[1], [2]])).toArray()).toEqual([[2], [3]]);
        expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(
          'add: shapes [2, 3] and [4] cannot be broadcast together (dimension 1 of the result: 3 vs 4)',
        );
      }));
  });

  describe('non-contiguous inputs', () => {
    it('contiguous() of a transposed tensor copies into row-major order', () =>
      on(() => {
        const x = positional([2, 3]);
        const t = x.t();
        expect(t.isContiguous()).toBe(false);
        const c = contiguous(t);
        expect(c.isContiguous()).toBe(true);
        expect(c.strides).toEqual([2, 1]);
        expect(c.storage).not.toBe(x.storage);
        expect(Array.from(c.data())).toEqual([0, 10, 1, 11, 2, 12]);
        expect(x.contiguous()).toBe(x);
        // Size-1 dimensions do not break contiguity.
        expect(zeros([3, 1]).t().isContiguous()).toBe(true);
      }));

    it('ops on views give the same values as on contiguous copies', () =>
      on(() => {
        const g = new Generator(7);
        const base = randn([4, 6, 5], { generator: g });
        const views: [string, Tensor][] = [
          ['permuted', base.permute(2, 0, 1)],
          ['transposed', base.transpose(0, 2)],
          ['sliced with step', base.index('1:', '::2', '1:4')],
          ['expanded', base.index(':', 0, null).expand(4, 3, 5)],
          ['offset row', base.index(2)],
        ];
        for (const [name, v] of views) {
          const c = v.contiguous().clone();
          const same = (f: (t: Tensor) => Tensor): void => {
            expect(Array.from(f(v).data()), name).toEqual(Array.from(f(c).data()));
          };
          same((t) => t.exp());
          same((t) => t.mul(t.add(1)));
          same((t) => add(t, c.neg()));
          same((t) => sum(t, -1));
          same((t) => sum(t, 0, true));
          same((t) => t.max(1));
          same((t) => t.argmin(-1));
          same((t) => softmax(t, 1));
          same((t) => t.reshape(-1));
          same((t) => matmul(t, t.transpose(-1, -2)));
          same((t) => t.index('...', [1, 0]));
          same((t) => t.sigmoid().relu());
        }
      }));
  });
});
