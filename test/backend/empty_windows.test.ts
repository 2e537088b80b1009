/**
 * Windows with no element inside the input (issue 13, item 2, and its audit of the other window
 * kernels). Max pooling windows with no element inside the input (a window lying entirely in the padding, which
 * dilation makes possible): the output is −∞, the stored winner is −1, and the gradient is zero: the
 * −1 is never used as an address. Before the fix, the backward pass added such a window's gradient to
 * the previous plane's last element and, for plane 0, wrote 4 bytes before the output buffer.
 *
 * PyTorch 1.13's CPU kernel returns index H·W + 1 for such a window and scatters its gradient into
 * the next plane (or past the end); descent follows the issue's rule (zero gradient) instead.
 */
import { describe, expect, it } from 'vitest';
import type { WindowSpec } from '../../src/backend/backend.js';
import { hasFused } from '../../src/backend/capabilities.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { arange, conv2d, maxPool2d, ReferenceBackend, tensor, withBackend, zeros } from '../../src/index.js';
import { backends } from '../backends.js';
import { maxPoolBackwardGuarded, wasmBackends } from './wasm_helpers.js';

/** The geometry of the case: every window of every plane lies in the padding. */
const allPadding: WindowSpec = {
  batch: 2,
  channels: 3,
  height: 1,
  width: 3,
  kernel: [2, 2],
  stride: [3, 3],
  padding: [1, 1],
  dilation: [2, 2],
  outHeight: 1,
  outWidth: 1,
};

describe.each(backends)('max pooling windows entirely in the padding on $name', ({ backend }) => {
  it('give −∞ forward and a zero gradient, none of it leaking into a neighbouring plane', () =>
    withBackend(backend, () => {
      const x = zeros([2, 3, 1, 3], { requiresGrad: true });
      const y = maxPool2d(x, [2, 2], { stride: [3, 3], padding: 1, dilation: [2, 2] });
      expect(y.shape).toEqual([2, 3, 1, 1]);
      expect(Array.from(y.data())).toEqual(new Array(6).fill(Number.NEGATIVE_INFINITY));
      y.backward(arange(1, 7).reshape([2, 3, 1, 1]));
      expect(Array.from(x.grad!.data())).toEqual(new Array(18).fill(0));
    }));

  it.skipIf(!hasFused(backend, 'maxPool2d'))(
    'backward skips −1 winners and still adds every other window’s gradient at its winner (a kernel: skipped without the fused kernels)',
    () => {
      // Kernel-level: a plane of such windows sits between planes with real winners (two windows of
      // plane 2 share a winner, so their gradients add up).
      const spec: WindowSpec = { ...allPadding, batch: 1, channels: 3, outWidth: 2 };
      const g = backend.allocate('float32', 6);
      backend.write(g, Float32Array.from([1, 2, 3, 4, 5, 6]));
      const indices = backend.allocate('int32', 6);
      backend.write(indices, Int32Array.from([0, 2, -1, -1, 1, 1]));
      const out = backend.allocate('float32', 9);
      backend.maxPool2dBackward!({
        g: { buffer: g, shape: [1, 3, 1, 2], strides: [6, 2, 2, 1], offset: 0 },
        indices: { buffer: indices, shape: [1, 3, 1, 2], strides: [6, 2, 2, 1], offset: 0 },
        spec,
        out,
      });
      expect(Array.from(backend.read!(out))).toEqual([1, 0, 2, 0, 0, 0, 0, 11, 0]);
    },
  );
});

describe.each(wasmBackends)('max pooling kernels on the $variant build', ({ backend }) => {
  it('store −1 as the winner of a window entirely in the padding', () => {
    const planes = allPadding.batch * allPadding.channels;
    const x = backend.allocate('float32', planes * 3);
    backend.write(x, new Float32Array(planes * 3));
    const out = backend.allocate('float32', planes);
    const indices = backend.allocate('int32', planes);
    backend.maxPool2dForward({
      x: { buffer: x, shape: [2, 3, 1, 3], strides: [9, 3, 3, 1], offset: 0 },
      spec: allPadding,
      out,
      indices,
    });
    expect(Array.from(backend.read!(indices))).toEqual(new Array(planes).fill(-1));
    expect(Array.from(backend.read!(out))).toEqual(new Array(planes).fill(Number.NEGATIVE_INFINITY));
  });

  it('backward writes nothing outside its output for −1 winners (guard words around it stay intact)', () => {
    const planes = 6;
    const planeSize = 3;
    // The output sits inside a larger block, with sentinel words before and after it.
    const run = maxPoolBackwardGuarded(backend as WasmBackend, {
      upstream: Float32Array.from({ length: planes }, (_, i) => i + 1),
      indices: new Int32Array(planes).fill(-1),
      planeSize,
    });
    expect(run.before).toEqual([7, 7, 7, 7]);
    expect(run.output).toEqual(new Array(planes * planeSize).fill(0));
    expect(run.after).toEqual([7, 7, 7, 7]);
  });

  it('2×2 stride-2 windows whose last row and column overhang the input (ceil mode) match the reference', () => {
    // outH·2 > H and outW·2 > W: the register fast path would read past each row, so the kernel
    // must take the general path, where the overhanging windows have fewer candidates.
    const spec: WindowSpec = {
      batch: 1,
      channels: 2,
      height: 3,
      width: 9,
      kernel: [2, 2],
      stride: [2, 2],
      padding: [0, 0],
      dilation: [1, 1],
      outHeight: 2,
      outWidth: 5,
    };
    const data = Float32Array.from({ length: 2 * 3 * 9 }, (_, i) => ((i * 37) % 23) - 11);
    const run = (be: typeof backend | ReferenceBackend) => {
      const x = be.allocate('float32', data.length);
      be.write(x, data);
      const out = be.allocate('float32', 20);
      const indices = be.allocate('int32', 20);
      be.maxPool2dForward({
        x: { buffer: x, shape: [1, 2, 3, 9], strides: [54, 27, 9, 1], offset: 0 },
        spec,
        out,
        indices,
      });
      return { out: Array.from(be.read!(out)), indices: Array.from(be.read!(indices)) };
    };
    const want = run(new ReferenceBackend());
    expect(want.indices.every((i) => i >= 0 && i < 27)).toBe(true);
    expect(run(backend)).toEqual(want);
  });
});

describe.each(backends)('convolution windows entirely in the padding on $name', ({ backend }) => {
  it('give the bias forward and pass no gradient to the input or the weight (im2col and col2im)', () =>
    withBackend(backend, () => {
      // The max-pooling geometry again (dilation 2 skips the one input row): every window of the
      // unfold is padding, so im2col writes only pad values and col2im adds nothing.
      const x = arange(1, 7).reshape([2, 1, 1, 3]).detach().requiresGrad_();
      const w = arange(1, 9).reshape([2, 1, 2, 2]).detach().requiresGrad_();
      const b = tensor([0.5, -2], { requiresGrad: true });
      const y = conv2d(x, w, b, { padding: 1, dilation: 2 });
      expect(y.shape).toEqual([2, 2, 1, 3]);
      expect(Array.from(y.data())).toEqual([0.5, 0.5, 0.5, -2, -2, -2, 0.5, 0.5, 0.5, -2, -2, -2]);
      y.backward(arange(1, 13).reshape([2, 2, 1, 3]));
      expect(Array.from(x.grad!.data())).toEqual(new Array(6).fill(0));
      expect(Array.from(w.grad!.data())).toEqual(new Array(8).fill(0));
      // Σ g over n and positions: channel 0 holds 1+2+3 and 7+8+9, channel 1 4+5+6 and 10+11+12.
      expect(Array.from(b.grad!.data())).toEqual([30, 48]);
    }));
});
