/**
 * The WebGPU direct convolution kernels (implicit GEMMs) against the reference backend, within the
 * declared float32 accumulation bound per element (|Δ| ≤ terms·accumulation·Σ|terms|, the magnitude
 * from the same convolution of absolute values), at the shapes of the WebAssembly parity suite
 * (LeNet's layers, odd channel counts, asymmetric kernels and padding, an empty batch); and, since the
 * loaders handle any stride and dilation though the op layer routes only stride 1 here, against a
 * float64 convolution written out below for strided and dilated windows.
 */
import { describe, it } from 'vitest';
import type { Backend, FusedKernels, WindowSpec } from '../../../src/backend/backend.js';
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from '../../../src/backend/webgpu/fused/conv.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { at, expectAccumulated, floats, reference, run } from './matmul_support.js';

const gpu = await testWebGpuBackend();
const accumulation = gpu?.precision.accumulation ?? 2 ** -23;

type ConvKernels = Pick<FusedKernels, 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad'>;

/** The kernels under test, called directly (fused/index.ts exposes them as backend methods). */
const gpuKernels: ConvKernels | null =
  gpu === null
    ? null
    : {
        conv2d: (call) => conv2d(gpu.context, call),
        conv2dInputGrad: (call) => conv2dInputGrad(gpu.context, call),
        conv2dWeightGrad: (call) => conv2dWeightGrad(gpu.context, call),
      };

interface Case {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  readonly kernel: [number, number];
  readonly padding: [number, number];
  readonly stride?: [number, number];
  readonly dilation?: [number, number];
}

const CASES: Case[] = [
  { batch: 1, channels: 1, height: 1, width: 1, outChannels: 1, kernel: [1, 1], padding: [0, 0] },
  { batch: 2, channels: 1, height: 28, width: 28, outChannels: 6, kernel: [5, 5], padding: [2, 2] },
  { batch: 2, channels: 6, height: 14, width: 14, outChannels: 16, kernel: [5, 5], padding: [0, 0] },
  { batch: 2, channels: 3, height: 5, width: 17, outChannels: 5, kernel: [3, 3], padding: [1, 1] },
  { batch: 1, channels: 4, height: 4, width: 33, outChannels: 3, kernel: [2, 3], padding: [1, 0] },
  { batch: 2, channels: 2, height: 9, width: 3, outChannels: 7, kernel: [7, 1], padding: [6, 0] },
  { batch: 0, channels: 2, height: 4, width: 4, outChannels: 3, kernel: [3, 3], padding: [1, 1] },
];

function specOf(k: Case): WindowSpec {
  const [sh, sw] = k.stride ?? [1, 1];
  const [dh, dw] = k.dilation ?? [1, 1];
  return {
    batch: k.batch,
    channels: k.channels,
    height: k.height,
    width: k.width,
    kernel: k.kernel,
    stride: [sh, sw],
    padding: k.padding,
    dilation: [dh, dw],
    outHeight: Math.floor((k.height + 2 * k.padding[0] - dh * (k.kernel[0] - 1) - 1) / sh) + 1,
    outWidth: Math.floor((k.width + 2 * k.padding[1] - dw * (k.kernel[1] - 1) - 1) / sw) + 1,
  };
}

interface Inputs {
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly bias: Float32Array;
  readonly g: Float32Array;
}

function inputsOf(k: Case, abs = false): Inputs {
  const s = specOf(k);
  const sizes = [
    k.batch * k.channels * k.height * k.width,
    k.outChannels * k.channels * k.kernel[0] * k.kernel[1],
    k.outChannels,
    k.batch * k.outChannels * s.outHeight * s.outWidth,
  ];
  const [x, w, bias, g] = sizes.map((n, i) => floats(n, 100 * i + n, 2).map((v) => (abs ? Math.abs(v) : v)));
  return { x: x!, w: w!, bias: bias!, g: g! };
}

/** Forward (with bias), input gradient and weight gradient on a backend, from view offsets 1, 2, 3, 4. */
async function convolve(
  backend: Backend,
  kernels: ConvKernels,
  k: Case,
  data: Inputs,
): Promise<Float32Array[]> {
  const spec = specOf(k);
  const pad = (a: Float32Array, n: number) => Float32Array.of(...new Array<number>(n).fill(7), ...a);
  const outs = await run(
    backend,
    [pad(data.x, 1), pad(data.w, 2), pad(data.bias, 3), pad(data.g, 4)],
    ([x, w, bias, g]) => {
      const out = backend.allocate('float32', data.g.length);
      const dx = backend.allocate('float32', data.x.length);
      const dw = backend.allocate('float32', data.w.length);
      const common = { spec, outChannels: k.outChannels };
      kernels.conv2d({ ...common, x: at(x!, 1), weight: at(w!, 2), bias: at(bias!, 3), out });
      kernels.conv2dInputGrad({ ...common, g: at(g!, 4), weight: at(w!, 2), out: dx });
      kernels.conv2dWeightGrad({ ...common, g: at(g!, 4), x: at(x!, 1), out: dw });
      return [out, dx, dw];
    },
  );
  return outs as Float32Array[];
}

/** Terms per element of the forward (the bias too), input-gradient and weight-gradient outputs. */
function termCounts(k: Case): number[] {
  const s = specOf(k);
  const taps = k.kernel[0] * k.kernel[1];
  return [k.channels * taps + 1, k.outChannels * taps, k.batch * s.outHeight * s.outWidth];
}

const WHAT = ['forward', 'input gradient', 'weight gradient'];

async function expectConvolution(
  k: Case,
  want: (data: Inputs) => Promise<Float32Array[]> | Float32Array[],
): Promise<void> {
  const got = await convolve(gpu!, gpuKernels!, k, inputsOf(k));
  const expected = await want(inputsOf(k));
  const magnitude = await want(inputsOf(k, true));
  const terms = termCounts(k);
  WHAT.forEach((what, i) => {
    const label = `${what}, x [${k.batch}, ${k.channels}, ${k.height}, ${k.width}], kernel ${k.kernel}, padding ${k.padding}, stride ${k.stride ?? [1, 1]}, dilation ${k.dilation ?? [1, 1]}`;
    expectAccumulated(got[i]!, expected[i]!, (j) => terms[i]! * accumulation * magnitude[i]![j]!, label);
  });
}

describe('webgpu direct convolution', () => {
  it.skipIf(!gpu)(
    `conv2d and both gradients match the reference backend within float32 accumulation (${webgpuSkipReason})`,
    async () => {
      for (const k of CASES) await expectConvolution(k, (data) => convolve(reference, reference, k, data));
    },
  );

  it.skipIf(!gpu)(
    `handles stride and dilation (against a float64 convolution) (${webgpuSkipReason})`,
    async () => {
      const strided: Case[] = [
        {
          batch: 2,
          channels: 3,
          height: 9,
          width: 8,
          outChannels: 4,
          kernel: [3, 2],
          padding: [1, 2],
          stride: [2, 3],
          dilation: [2, 1],
        },
        {
          batch: 1,
          channels: 2,
          height: 7,
          width: 7,
          outChannels: 3,
          kernel: [3, 3],
          padding: [0, 0],
          stride: [1, 2],
          dilation: [1, 3],
        },
      ];
      for (const k of strided)
        await expectConvolution(k, (data) => convolve64(specOf(k), k.outChannels, data));
    },
  );
});

/**
 * conv2d (with bias), its input gradient and its weight gradient in float64 for any stride and
 * dilation, straight from the definition: each (image, output position, tap) pairs x at
 * (y′·sh − ph + i·dh, x′·sw − pw + j·dw) with the weight tap and g at (y′, x′).
 */
function convolve64(s: WindowSpec, outChannels: number, d: Inputs): Float32Array[] {
  const { batch: N, channels: C, height: H, width: W, outHeight: OH, outWidth: OW } = s;
  const [kh, kw] = s.kernel;
  const out = new Float64Array(N * outChannels * OH * OW);
  const dx = new Float64Array(N * C * H * W);
  const dw = new Float64Array(outChannels * C * kh * kw);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < outChannels; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const q = ((n * outChannels + o) * OH + oy) * OW + ox;
          out[q] = d.bias[o]!;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = oy * s.stride[0] - s.padding[0] + i * s.dilation[0];
                const x = ox * s.stride[1] - s.padding[1] + j * s.dilation[1];
                if (y < 0 || y >= H || x < 0 || x >= W) continue;
                const xi = ((n * C + c) * H + y) * W + x;
                const wi = ((o * C + c) * kh + i) * kw + j;
                out[q]! += d.x[xi]! * d.w[wi]!;
                dx[xi]! += d.w[wi]! * d.g[q]!;
                dw[wi]! += d.g[q]! * d.x[xi]!;
              }
        }
  return [out, dx, dw].map((a) => Float32Array.from(a));
}
