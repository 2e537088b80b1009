/**
 * conv2d's padding 'same' with an even effective kernel d·(k − 1) + 1 (issue 13 item 7): PyTorch pads
 * ⌊d·(k − 1)/2⌋ on the top/left and the rest on the bottom/right, so the output keeps the input's size.
 * Expected values are PyTorch 1.13's (the expression in each comment), on every backend and build;
 * the gradients are checked by finite differences in conv_pool_options_gradcheck.test.ts and
 * against PyTorch in the goldens.
 */
import { describe, expect, it } from 'vitest';
import { arange, Conv2d, conv2d, ones, withBackend, zeros } from '../../src/index.js';
import { everyBuild } from '../backend/wasm_helpers.js';

const builds = everyBuild;

describe.each(builds)("conv2d padding 'same' on $name", ({ backend }) => {
  const on = <T>(f: () => T): T => withBackend(backend, f);
  const grid5 = () => arange(1, 26).reshape([1, 1, 5, 5]);

  it('a 2×2 kernel pads the extra row and column on the bottom/right: F.conv2d(x, ones, padding="same")', () =>
    on(() => {
      const y = conv2d(grid5(), ones([1, 1, 2, 2]), null, { padding: 'same' });
      expect(y.shape).toEqual([1, 1, 5, 5]);
      // window (i, j) covers rows i, i+1 and columns j, j+1; the last row/column see one zero row/column
      expect(Array.from(y.data())).toEqual([
        16, 20, 24, 28, 15, 36, 40, 44, 48, 25, 56, 60, 64, 68, 35, 76, 80, 84, 88, 45, 43, 45, 47, 49, 25,
      ]);
    }));

  it('a 4×1 kernel: one row on top, two on the bottom; a 2×1 kernel with dilation 3 likewise', () =>
    on(() => {
      const y = conv2d(grid5(), ones([1, 1, 4, 1]), null, { padding: 'same' });
      expect(y.shape).toEqual([1, 1, 5, 5]);
      // column 0: rows −1..2 → 1+6+11 = 18, rows 0..3 → 34, rows 1..4 → 54, rows 2..5 → 48, rows 3..6 → 37
      expect([0, 5, 10, 15, 20].map((i) => y.data()[i])).toEqual([18, 34, 54, 48, 37]);
      // F.conv2d(x, ones(1, 1, 2, 1), padding='same', dilation=(3, 1))[..., 0]: rows (i − 1, i + 2)
      const d = conv2d(grid5(), ones([1, 1, 2, 1]), null, { padding: 'same', dilation: [3, 1] });
      expect([0, 5, 10, 15, 20].map((i) => d.data()[i])).toEqual([11, 17, 27, 11, 16]);
    }));

  it('the input gradient sums each element over the windows that read it (bottom/right extra pad)', () =>
    on(() => {
      const x = zeros([1, 1, 3, 3]);
      x.requiresGrad = true;
      conv2d(x, ones([1, 1, 2, 2]), null, { padding: 'same' })
        .sum()
        .backward();
      // element (r, c) is read by windows (r − 1..r, c − 1..c) inside [0, 3): 1 at (0, 0), 4 at (2, 2)
      expect(Array.from(x.grad!.data())).toEqual([1, 2, 2, 2, 4, 4, 2, 4, 4]);
    }));

  it('the Conv2d layer takes an even kernel with padding "same"', () =>
    on(() => {
      const conv = new Conv2d(2, 3, [2, 4], { padding: 'same' });
      expect(conv.call(zeros([1, 2, 6, 7])).shape).toEqual([1, 3, 6, 7]);
    }));
});

describe("conv2d padding 'same' errors", () => {
  it('refuses a stride other than 1, as PyTorch', () => {
    expect(() =>
      conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 2, 2]), null, { padding: 'same', stride: 2 }),
    ).toThrow("conv2d: padding 'same' requires stride 1 (as in PyTorch), got stride 2");
  });
});
