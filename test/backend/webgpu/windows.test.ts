/**
 * WebGPU im2col and col2im against the reference backend: the same bits in both column layouts (NKL,
 * KNL), with padding (and its pad value), stride, dilation, odd sizes and view offsets; col2im sums
 * overlapping windows in the reference's order and writes 0 where no window reaches.
 */
import { describe, it } from 'vitest';
import type { Backend, WindowSpec } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { at, expectSame, floats, reference, run } from './matmul_support.js';

const gpu = await testWebGpuBackend();

type Geometry = Omit<WindowSpec, 'outHeight' | 'outWidth' | 'columnLayout'>;

const GEOMETRIES: Geometry[] = [
  {
    batch: 1,
    channels: 1,
    height: 1,
    width: 1,
    kernel: [1, 1],
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
  },
  {
    batch: 2,
    channels: 3,
    height: 5,
    width: 7,
    kernel: [3, 3],
    stride: [1, 1],
    padding: [1, 1],
    dilation: [1, 1],
  },
  {
    batch: 3,
    channels: 2,
    height: 9,
    width: 8,
    kernel: [3, 2],
    stride: [2, 3],
    padding: [1, 2],
    dilation: [2, 1],
  },
  {
    batch: 1,
    channels: 4,
    height: 17,
    width: 6,
    kernel: [2, 4],
    stride: [3, 1],
    padding: [0, 3],
    dilation: [1, 2],
  },
  // Stride above the kernel: some image elements are in no window (col2im writes 0 there).
  {
    batch: 2,
    channels: 1,
    height: 7,
    width: 7,
    kernel: [2, 2],
    stride: [3, 3],
    padding: [0, 0],
    dilation: [1, 1],
  },
];

function specOf(g: Geometry, columnLayout: 'NKL' | 'KNL'): WindowSpec {
  const out = (size: number, i: 0 | 1) =>
    Math.floor((size + 2 * g.padding[i] - g.dilation[i] * (g.kernel[i] - 1) - 1) / g.stride[i]) + 1;
  return { ...g, columnLayout, outHeight: out(g.height, 0), outWidth: out(g.width, 1) };
}

function columns(s: WindowSpec): number {
  return s.batch * s.channels * s.kernel[0] * s.kernel[1] * s.outHeight * s.outWidth;
}

async function im2colOn(backend: Backend, s: WindowSpec, padValue: number) {
  const x = floats(2 + s.batch * s.channels * s.height * s.width, 3 + s.height).map((v, i) =>
    i % 7 === 0 ? v * 2 ** -140 : v,
  );
  const [out] = await run(backend, [x], ([bx]) => {
    const o = backend.allocate('float32', columns(s));
    backend.im2col({ x: at(bx!, 2), spec: s, padValue, out: o });
    return [o];
  });
  return out!;
}

async function col2imOn(backend: Backend, s: WindowSpec) {
  // Mixed magnitudes, so that the order of the sums shows in the bits,
  // and subnormals, which devices that flush them would turn into 0.
  const cols = floats(5 + columns(s), 4 + s.width, 100).map((v, i) =>
    i % 7 === 0 ? v * 2 ** -140 : i % 4 === 0 ? v * 1e-5 : v,
  );
  const [out] = await run(backend, [cols], ([bc]) => {
    const o = backend.allocate('float32', s.batch * s.channels * s.height * s.width);
    backend.fill(o, 12345); // col2im clears it
    backend.col2im({ cols: at(bc!, 5), spec: s, out: o });
    return [o];
  });
  return out!;
}

function label(what: string, s: WindowSpec): string {
  return `${what} ${s.columnLayout} x [${s.batch}, ${s.channels}, ${s.height}, ${s.width}] kernel ${s.kernel} stride ${s.stride} padding ${s.padding} dilation ${s.dilation}`;
}

describe('webgpu im2col and col2im', () => {
  it.skipIf(!gpu)(
    `im2col gives the reference's columns in both layouts, padding reading padValue (${webgpuSkipReason})`,
    async () => {
      for (const g of GEOMETRIES) {
        for (const layout of ['NKL', 'KNL'] as const) {
          for (const padValue of [0, Number.NEGATIVE_INFINITY]) {
            const s = specOf(g, layout);
            expectSame(
              await im2colOn(gpu!, s, padValue),
              await im2colOn(reference, s, padValue),
              label(`im2col pad ${padValue}`, s),
            );
          }
        }
      }
    },
  );

  it.skipIf(!gpu)(
    `col2im sums the columns back with the reference's bits in both layouts (${webgpuSkipReason})`,
    async () => {
      for (const g of GEOMETRIES) {
        for (const layout of ['NKL', 'KNL'] as const) {
          const s = specOf(g, layout);
          expectSame(await col2imOn(gpu!, s), await col2imOn(reference, s), label('col2im', s));
        }
      }
    },
  );
});
