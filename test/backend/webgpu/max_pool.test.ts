/**
 * The WebGPU max-pooling kernels against the reference backend, bit for bit: maxima and indices with
 * PyTorch's rules (first maximum, last NaN, padding never wins, −∞ and −1 for an all-padding window)
 * over strides, paddings, dilations and ceil-mode shapes; the backward from the forward's indices and
 * from indices that are −1 or past the plane.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, WindowSpec } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectBits, floats, type Input, reference, rng, runOn } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

interface Geometry {
  batch: number;
  channels: number;
  size: [number, number];
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceil?: boolean;
}

function windowSpec(g: Geometry): WindowSpec {
  const out = (d: 0 | 1) => {
    const span = g.size[d] + 2 * g.padding[d] - g.dilation[d] * (g.kernel[d] - 1) - 1;
    return Math.floor(span / g.stride[d]) + 1 + (g.ceil && span % g.stride[d] !== 0 ? 1 : 0);
  };
  return {
    batch: g.batch,
    channels: g.channels,
    height: g.size[0],
    width: g.size[1],
    kernel: g.kernel,
    stride: g.stride,
    padding: g.padding,
    dilation: g.dilation,
    outHeight: out(0),
    outWidth: out(1),
  };
}

const GEOMETRIES: Geometry[] = [
  { batch: 1, channels: 1, size: [1, 1], kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
  { batch: 2, channels: 3, size: [6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
  { batch: 1, channels: 2, size: [7, 5], kernel: [3, 3], stride: [2, 1], padding: [1, 1], dilation: [1, 1] },
  { batch: 2, channels: 2, size: [9, 8], kernel: [3, 2], stride: [2, 3], padding: [1, 0], dilation: [2, 3] },
  {
    batch: 1,
    channels: 3,
    size: [7, 7],
    kernel: [3, 3],
    stride: [2, 2],
    padding: [1, 1],
    dilation: [1, 1],
    ceil: true,
  },
  // Kernel 1 with padding 1: the border windows lie entirely in the padding (−∞, index −1).
  { batch: 1, channels: 2, size: [3, 4], kernel: [1, 1], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
  {
    batch: 4,
    channels: 5,
    size: [17, 13],
    kernel: [2, 3],
    stride: [2, 2],
    padding: [1, 1],
    dilation: [1, 1],
  },
];

/** Few distinct values (many ties), some NaN, ±∞, ±0 and subnormals (which SwiftShader flushes). */
function poolData(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-40, -1e-40];
  return Float32Array.from({ length: n }, () => {
    const u = r();
    return u < 0.1 ? special[Math.floor(r() * special.length)]! : Math.round(r() * 8 - 4);
  });
}

function forwardOn(backend: Backend, spec: WindowSpec, x: Input) {
  const n = spec.batch * spec.channels * spec.outHeight * spec.outWidth;
  return runOn(backend, [x], ([xv], alloc) => {
    const out = alloc('float32', n);
    const indices = alloc('int32', n);
    backend.maxPool2dForward!({ x: xv!, spec, out, indices });
    return [out, indices];
  });
}

function backwardOn(backend: Backend, spec: WindowSpec, g: Input, indices: Input) {
  return runOn(backend, [g, indices], ([gv, iv], alloc) => {
    const out = alloc('float32', spec.batch * spec.channels * spec.height * spec.width);
    backend.fill(out, 5);
    backend.maxPool2dBackward!({ g: gv!, indices: iv!, spec, out });
    return [out];
  });
}

describe('webgpu max pooling', () => {
  it.skipIf(!gpu)(
    `forward: the reference's maxima and indices (first maximum, last NaN, padding never wins)${skip}`,
    async () => {
      for (const [k, geometry] of GEOMETRIES.entries()) {
        const spec = windowSpec(geometry);
        const x = {
          data: poolData(spec.batch * spec.channels * spec.height * spec.width, 500 + k),
          offset: 3,
        };
        const [out, indices] = await forwardOn(gpu!, spec, x);
        const [refOut, refIndices] = await forwardOn(reference, spec, x);
        expectBits(out!, refOut!, `maxima of ${JSON.stringify(geometry)}`);
        expectBits(indices!, refIndices!, `indices of ${JSON.stringify(geometry)}`);
      }
    },
  );

  it.skipIf(!gpu)(`forward: a window entirely in the padding gets −∞ and index −1${skip}`, async () => {
    const spec = windowSpec(GEOMETRIES[5]!);
    const [out, indices] = await forwardOn(gpu!, spec, { data: floats(24, 3) });
    expect(out![0]).toBe(Number.NEGATIVE_INFINITY);
    expect(indices![0]).toBe(-1);
    expect(indices![spec.outWidth + 1]).toBe(0);
  });

  it.skipIf(!gpu)(
    `backward: g added at the forward's indices in order of o, the reference's bits${skip}`,
    async () => {
      for (const [k, geometry] of GEOMETRIES.entries()) {
        const spec = windowSpec(geometry);
        const x = { data: poolData(spec.batch * spec.channels * spec.height * spec.width, 600 + k) };
        const [, refIndices] = await forwardOn(reference, spec, x);
        const gData = floats(refIndices!.length, 700 + k, 3);
        gData[0] = 3e-40; // subnormal gradients add exactly too
        if (gData.length > 2) gData[2] = -1e-40;
        const g = { data: gData, offset: 1 };
        const [actual] = await backwardOn(gpu!, spec, g, { data: refIndices as Int32Array, offset: 2 });
        const [expected] = await backwardOn(reference, spec, g, {
          data: refIndices as Int32Array,
          offset: 2,
        });
        expectBits(actual!, expected!, `backward of ${JSON.stringify(geometry)}`);
      }
    },
  );

  it.skipIf(!gpu)(`backward: an index of −1 or past the plane passes nothing${skip}`, async () => {
    const spec = windowSpec(GEOMETRIES[1]!);
    const n = spec.batch * spec.channels * spec.outHeight * spec.outWidth;
    const r = rng(8);
    const indices = Int32Array.from({ length: n }, (_, i) =>
      i % 5 === 0 ? -1 : i % 7 === 0 ? 36 + i : Math.floor(r() * 36),
    );
    const g = { data: floats(n, 9, 2) };
    const [actual] = await backwardOn(gpu!, spec, g, { data: indices });
    const [expected] = await backwardOn(reference, spec, g, { data: indices });
    expectBits(actual!, expected!, 'backward with −1 and out-of-plane indices');
  });
});
