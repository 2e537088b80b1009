/**
 * Max pooling's backward never writes outside its gradient, whatever the indices hold (issue 13
 * review, item 1). The forward writes an index in [−1, H·W); an index ≥ H·W can only come from
 * elsewhere, so the kernels skip it with the −1s rather than trust it as an address. And the indices
 * `returnIndices` hands out are a copy: changing them cannot change what backward uses.
 */
import { describe, expect, it } from 'vitest';
import type { WindowSpec } from '../../src/backend/backend.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { arange, maxPool2d, withBackend } from '../../src/index.js';
import { everyBuild, maxPoolBackwardGuarded, wasmBackends } from './wasm_helpers.js';

/** Three planes of 1×3, two windows each (the geometry only sizes the planes here). */
const spec: WindowSpec = {
  batch: 1,
  channels: 3,
  height: 1,
  width: 3,
  kernel: [1, 2],
  stride: [1, 1],
  padding: [0, 0],
  dilation: [1, 1],
  outHeight: 1,
  outWidth: 2,
};

describe.each(everyBuild)('maxPool2dBackward with indices past the plane on $name', ({ backend }) => {
  it('skips an index ≥ H·W instead of adding into the next plane', () => {
    const g = backend.allocate('float32', 6);
    backend.write(g, Float32Array.from([1, 2, 3, 4, 5, 6]));
    const indices = backend.allocate('int32', 6);
    // 3 and 5 would land on the next plane's elements 0 and 2; 1 << 30 far past the buffer.
    backend.write(indices, Int32Array.from([0, 3, 2, 5, 1, 1 << 30]));
    const out = backend.allocate('float32', 9);
    backend.maxPool2dBackward!({
      g: { buffer: g, shape: [1, 3, 1, 2], strides: [6, 2, 2, 1], offset: 0 },
      indices: { buffer: indices, shape: [1, 3, 1, 2], strides: [6, 2, 2, 1], offset: 0 },
      spec,
      out,
    });
    expect(Array.from(backend.read!(out))).toEqual([1, 0, 0, 0, 0, 3, 0, 5, 0]);
  });
});

describe.each(wasmBackends)('maxPool2dBackward bounds on the $variant build', ({ backend }) => {
  it('writes nothing past its output for an index ≥ planeSize in the last plane (guard words intact)', () => {
    const planeSize = 3;
    const run = maxPoolBackwardGuarded(backend as WasmBackend, {
      upstream: Float32Array.from([1, 2]),
      indices: Int32Array.from([planeSize, planeSize + 1]),
      planeSize,
    });
    expect(run.before).toEqual([7, 7, 7, 7]);
    expect(run.output).toEqual(new Array(2 * planeSize).fill(0));
    expect(run.after).toEqual([7, 7, 7, 7]);
  });
});

describe.each(everyBuild)('maxPool2d returnIndices on $name', ({ backend }) => {
  it('hands out a copy: assigning to the indices does not change where backward sends the gradient', () =>
    withBackend(backend, () => {
      const x = arange(8).reshape([1, 2, 2, 2]).detach();
      x.requiresGrad = true;
      const { values, indices } = maxPool2d(x, 2, { returnIndices: true });
      expect(Array.from(indices.data())).toEqual([3, 3]);
      indices.assign(arange(2).mul(100).cast('int32').reshape([1, 2, 1, 1]));
      expect(Array.from(indices.data())).toEqual([0, 100]);
      values.sum().backward();
      expect(Array.from(x.grad!.data())).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
    }));
});
