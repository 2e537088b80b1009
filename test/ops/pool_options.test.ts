/**
 * Pooling options of PyTorch 1.13 (issue 13 item 7): `ceilMode` for max and average pooling (the last
 * window must start inside the input or its left padding), `returnIndices` for maxPool2d and the
 * MaxPool2d layer, `divisorOverride` and `countIncludePad` with ceil mode for avgPool2d, and their
 * error messages. Expected values are PyTorch's (the expression in each comment); every case runs on
 * the reference backend and on every WebAssembly build, since ceil-mode windows that run past the
 * input go through each kernel's bounds handling.
 */
import { describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  arange,
  avgPool2d,
  MaxPool2d,
  maxPool2d,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import { everyBuild } from '../backend/wasm_helpers.js';

const builds = everyBuild;

/** x = torch.arange(1., 26.).reshape(1, 1, 5, 5), on the current backend. */
const grid5 = () => arange(1, 26).reshape([1, 1, 5, 5]);

describe.each(builds)('pooling options on $name', ({ backend }) => {
  const on = <T>(f: () => T): T => withBackend(backend, f);

  it('maxPool2d ceilMode keeps the partial last window: F.max_pool2d(x, 2, ceil_mode=True)', () =>
    on(() => {
      const y = maxPool2d(grid5(), 2, { ceilMode: true });
      expect(y.shape).toEqual([1, 1, 3, 3]);
      expect(Array.from(y.data())).toEqual([7, 9, 10, 17, 19, 20, 22, 24, 25]);
      expect(maxPool2d(grid5(), 2).shape).toEqual([1, 1, 2, 2]);
    }));

  it('ceilMode drops a last window that would start in the right padding only', () =>
    on(() => {
      // 3, stride 2, padding 1 on 6: ⌈(6 + 2 − 3)/2⌉ + 1 = 4 windows, the last starting at 6 − 1 = 5 (inside)
      const x = arange(36).reshape([1, 1, 6, 6]);
      expect(maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 4, 4]);
      expect(maxPool2d(x, 3, { stride: 2, padding: 1 }).shape).toEqual([1, 1, 3, 3]);
      // 2, stride 2, padding 1 on 5: ⌈(5 + 2 − 2)/2⌉ + 1 = 4, but the 4th would start at 6 − 1 = 5, in
      // the right padding: PyTorch drops it and gives 3, as floor mode does
      expect(maxPool2d(grid5(), 2, { stride: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
      expect(avgPool2d(grid5(), 2, { stride: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
    }));

  it('maxPool2d ceilMode backward sends the partial windows their gradient', () =>
    on(() => {
      const x = grid5().detach();
      x.requiresGrad = true;
      maxPool2d(x, 2, { ceilMode: true }).sum().backward();
      const g = Array.from(x.grad!.data());
      // the winners: 7 9 10 / 17 19 20 / 22 24 25 (values = flat index + 1)
      const want = new Array<number>(25).fill(0);
      for (const v of [7, 9, 10, 17, 19, 20, 22, 24, 25]) want[v - 1] = 1;
      expect(g).toEqual(want);
    }));

  it('returnIndices gives flat per-plane indices: F.max_pool2d(x, 2, ceil_mode=True, return_indices=True)', () =>
    on(() => {
      const x = arange(50).reshape([1, 2, 5, 5]);
      const { values, indices } = maxPool2d(x, 2, { ceilMode: true, returnIndices: true });
      expect(indices.dtype).toBe('int32');
      expect(indices.shape).toEqual([1, 2, 3, 3]);
      // per plane, not offset by the plane: both planes give 6 8 9 16 18 19 21 23 24
      const plane = [6, 8, 9, 16, 18, 19, 21, 23, 24];
      expect(Array.from(indices.data())).toEqual([...plane, ...plane]);
      expect(Array.from(values.data())).toEqual([...plane, ...plane.map((i) => i + 25)]);
    }));

  it('returnIndices is −1 for a window with no input element (PyTorch returns an arbitrary position)', () =>
    on(() => {
      const x = zeros([2, 3, 1, 3]);
      const { values, indices } = maxPool2d(x, [2, 2], {
        stride: [3, 3],
        padding: 1,
        dilation: [2, 2],
        returnIndices: true,
      });
      expect(Array.from(values.data())).toEqual(new Array(6).fill(Number.NEGATIVE_INFINITY));
      expect(Array.from(indices.data())).toEqual(new Array(6).fill(-1));
    }));

  it('avgPool2d ceilMode divides a partial window by its real size: F.avg_pool2d(x, 2, ceil_mode=True)', () =>
    on(() => {
      const y = avgPool2d(grid5(), 2, { ceilMode: true });
      expect(Array.from(y.data())).toEqual([4, 6, 7.5, 14, 16, 17.5, 21.5, 23.5, 25]);
    }));

  it('countIncludePad with ceilMode counts the padding but not the part past the padded input', () =>
    on(() => {
      // x = arange(1., 37.).reshape(1, 1, 6, 6); F.avg_pool2d(x, 3, 2, 1, ceil_mode=True): the last
      // window column spans columns 5, 6 (padding), 7 (past the padded input): 3·2 counted, not 3·3
      const x = arange(1, 37).reshape([1, 1, 6, 6]);
      const y = avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true });
      const want = [2, 4, 16 / 3, 3, 9, 15, 17, 9, 17, 27, 29, 15, 10.5, 16.5, 17.5, 9];
      expect(y.shape).toEqual([1, 1, 4, 4]);
      for (let i = 0; i < want.length; i++) expect(y.data()[i]).toBeCloseTo(want[i]!, 5);
      // count_include_pad=False: real elements only ((6 + 12)/2 = 9 in the corner window of column 3)
      const z = avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
      const real = [162, 216, 288, 324, 486, 540, 612, 648, 918, 972, 1044, 1080, 1134, 1188, 1260, 1296];
      for (let i = 0; i < real.length; i++) expect(z.data()[i]).toBeCloseTo(real[i]! / 36, 5);
    }));

  it('divisorOverride divides every window sum by it, padding and ceil mode notwithstanding', () =>
    on(() => {
      // F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, divisor_override=2)
      const y = avgPool2d(grid5(), 3, { stride: 2, padding: 1, ceilMode: true, divisorOverride: 2 });
      expect(Array.from(y.data())).toEqual([8, 16.5, 14, 34.5, 58.5, 43.5, 38, 61.5, 44]);
      // a negative divisor is PyTorch's too: F.avg_pool2d(x, 2, divisor_override=-3)[0, 0, 0, 0] = −16/3
      expect(avgPool2d(grid5(), 2, { divisorOverride: -3 }).data()[0]).toBeCloseTo(-16 / 3, 5);
    }));

  it('avgPool2d backward in ceil mode spreads g/count over each window', () =>
    on(() => {
      const x = grid5().detach();
      x.requiresGrad = true;
      avgPool2d(x, 2, { ceilMode: true }).sum().backward();
      const g = Array.from(x.grad!.data());
      // rows/cols 0–3 are in full 2×2 windows (1/4), row and column 4 in partial ones (1/2, corner 1)
      expect(g[0]).toBe(0.25);
      expect(g[4]).toBe(0.5);
      expect(g[20]).toBe(0.5);
      expect(g[24]).toBe(1);
    }));

  it('of several NaNs in a window the last wins, index and gradient (PyTorch CPU: val > max || isnan(val))', () =>
    on(() => {
      // [1, 1, 2, 16], 2×2 windows: eight windows (the four-wide SIMD path of the 2×2 kernel); window j
      // holds NaN at (0, 2j) and, for even j, also at (1, 2j + 1)
      const values = new Array<number>(32).fill(0).map((_, i) => i);
      for (let j = 0; j < 8; j++) {
        values[2 * j] = Number.NaN;
        if (j % 2 === 0) values[16 + 2 * j + 1] = Number.NaN;
      }
      const x = tensor(values, { shape: [1, 1, 2, 16], requiresGrad: true });
      const { values: y, indices } = maxPool2d(x, 2, { returnIndices: true });
      expect(Array.from(indices.data())).toEqual(
        [0, 1, 2, 3, 4, 5, 6, 7].map((j) => (j % 2 === 0 ? 17 + 2 * j : 2 * j)),
      );
      expect(Array.from(y.data()).every(Number.isNaN)).toBe(true);
      y.sum().backward();
      const g = Array.from(x.grad!.data());
      expect(g[17]).toBe(1);
      expect(g[0]).toBe(0);
      // the general kernel (stride 1, padding): F.max_pool2d(x, 3, 1, 1) over a row [nan, 1, nan, 5, 2, 0, nan, 3, 4, 9]
      const row = tensor([Number.NaN, 1, Number.NaN, 5, 2, 0, Number.NaN, 3, 4, 9], { shape: [1, 1, 1, 10] });
      const r = maxPool2d(row, [1, 3], { stride: 1, padding: [0, 1], returnIndices: true });
      expect(Array.from(r.indices.data())).toEqual([0, 2, 2, 2, 3, 6, 6, 6, 9, 9]);
    }));

  it('the MaxPool2d layer takes ceilMode and keeps the indices with returnIndices', () =>
    on(() => {
      const pool = new MaxPool2d(2, { ceilMode: true, returnIndices: true });
      const y = pool.call(grid5());
      expect(y.shape).toEqual([1, 1, 3, 3]);
      expect(Array.from(pool.indices!.data())).toEqual([6, 8, 9, 16, 18, 19, 21, 23, 24]);
      expect(new MaxPool2d(2).indices).toBeNull();
      const avg = new AvgPool2d(2, { ceilMode: true, divisorOverride: 1 });
      expect(Array.from(avg.call(grid5()).data()).slice(0, 3)).toEqual([16, 24, 15]);
    }));
});

describe('pooling option errors', () => {
  const x = zeros([1, 1, 4, 4]);

  it('ceilMode and returnIndices must be booleans', () => {
    expect(() => maxPool2d(x, 2, { ceilMode: 1 as unknown as boolean })).toThrow(
      'maxPool2d: ceilMode must be true or false, got 1',
    );
    expect(() => maxPool2d(x, 2, { returnIndices: 'yes' as unknown as boolean })).toThrow(
      'maxPool2d: returnIndices must be true or false, got "yes"',
    );
    expect(() => avgPool2d(x, 2, { countIncludePad: 0 as unknown as boolean })).toThrow(
      'avgPool2d: countIncludePad must be true or false, got 0',
    );
  });

  it('divisorOverride must be a non-zero integer', () => {
    expect(() => avgPool2d(x, 2, { divisorOverride: 0 })).toThrow(
      'avgPool2d: divisorOverride must be a non-zero integer, got 0',
    );
    expect(() => avgPool2d(x, 2, { divisorOverride: 1.5 })).toThrow(
      'avgPool2d: divisorOverride must be a non-zero integer, got 1.5',
    );
  });

  it('the layers refuse unknown options, naming the new ones among the accepted', () => {
    expect(() => new MaxPool2d(2, { ceil_mode: true } as never)).toThrow(
      "MaxPool2d: unknown option 'ceil_mode'; accepted: stride, padding, dilation, ceilMode, returnIndices",
    );
    expect(() => avgPool2d(x, 2, { divisor: 2 } as never)).toThrow(
      "avgPool2d: unknown option 'divisor'; accepted: stride, padding, countIncludePad, ceilMode, divisorOverride",
    );
  });

  it('a plain tensor comes back without returnIndices', () => {
    const y = maxPool2d(
      tensor([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
      2,
    );
    expect(Array.from(y.data())).toEqual([4]);
  });
});
