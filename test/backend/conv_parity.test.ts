/**
 * The direct convolution kernels (Backend.conv2d, conv2dInputGrad, conv2dWeightGrad) of every
 * WebAssembly build against the reference backend, at shapes that hit the SIMD register blocks (24
 * positions × 2 channels forward and for the input gradient, 3 channels × 4 taps for the weight
 * gradient), their edges (an odd channel count, a partial last run) and the scalar build.
 *
 * What is promised (backend.ts): the forward pass is bit-identical to the reference on the scalar and
 * SIMD builds, and within float32 accumulation error on the relaxed-SIMD build (fused multiply-add);
 * both gradients sum in the kernels' own order, so they agree with the reference within accumulation
 * error, and the scalar and SIMD builds agree with each other bit for bit.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, WindowSpec } from '../../src/backend/backend.js';
import { isExact } from '../../src/backend/precision.js';
import { ReferenceBackend } from '../../src/index.js';
import { directConvolution } from '../../src/ops/conv.js';
import { expectBits, flat, rng, wasmBackends } from './wasm_helpers.js';

const reference = new ReferenceBackend();

interface Case {
  batch: number;
  channels: number;
  height: number;
  width: number;
  outChannels: number;
  kernel: [number, number];
  padding: [number, number];
}

const CASES: Case[] = [
  { batch: 1, channels: 1, height: 1, width: 1, outChannels: 1, kernel: [1, 1], padding: [0, 0] },
  { batch: 2, channels: 1, height: 28, width: 28, outChannels: 6, kernel: [5, 5], padding: [2, 2] },
  { batch: 3, channels: 6, height: 14, width: 14, outChannels: 16, kernel: [5, 5], padding: [0, 0] },
  { batch: 2, channels: 3, height: 5, width: 17, outChannels: 5, kernel: [3, 3], padding: [1, 1] },
  { batch: 1, channels: 4, height: 4, width: 33, outChannels: 3, kernel: [2, 3], padding: [1, 0] },
  { batch: 2, channels: 2, height: 9, width: 3, outChannels: 7, kernel: [7, 1], padding: [6, 0] },
  { batch: 1, channels: 5, height: 6, width: 5, outChannels: 4, kernel: [3, 5], padding: [0, 4] },
  { batch: 0, channels: 2, height: 4, width: 4, outChannels: 3, kernel: [3, 3], padding: [1, 1] },
];

function specOf(k: Case): WindowSpec {
  return {
    batch: k.batch,
    channels: k.channels,
    height: k.height,
    width: k.width,
    kernel: k.kernel,
    stride: [1, 1],
    padding: k.padding,
    dilation: [1, 1],
    outHeight: k.height + 2 * k.padding[0] - k.kernel[0] + 1,
    outWidth: k.width + 2 * k.padding[1] - k.kernel[1] + 1,
  };
}

function floats(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 4 - 2);
}

/** forward (with bias), input gradient and weight gradient of case k on one backend. */
function convolve(backend: Backend, k: Case): Float32Array[] {
  const spec = specOf(k);
  const [kh, kw] = k.kernel;
  const xSize = k.batch * k.channels * k.height * k.width;
  const wSize = k.outChannels * k.channels * kh * kw;
  const outSize = k.batch * k.outChannels * spec.outHeight * spec.outWidth;
  const upload = (data: Float32Array) => {
    const b = backend.allocate('float32', data.length);
    backend.write(b, data);
    return flat(b);
  };
  const x = upload(floats(xSize, 1 + xSize));
  const w = upload(floats(wSize, 2 + wSize));
  const bias = upload(floats(k.outChannels, 3));
  const g = upload(floats(outSize, 4 + outSize));
  const out = backend.allocate('float32', outSize);
  const dx = backend.allocate('float32', xSize);
  const dw = backend.allocate('float32', wSize);
  if (outSize > 0) backend.conv2d!({ x, weight: w, bias, spec, outChannels: k.outChannels, out });
  if (xSize > 0) backend.conv2dInputGrad!({ g, weight: w, spec, outChannels: k.outChannels, out: dx });
  backend.conv2dWeightGrad!({ g, x, spec, outChannels: k.outChannels, out: dw });
  return [out, dx, dw].map((b) => backend.read!(b) as Float32Array);
}

/** Terms summed per element of the forward, input-gradient and weight-gradient outputs. */
function termCounts(k: Case): number[] {
  const spec = specOf(k);
  const taps = k.kernel[0] * k.kernel[1];
  return [k.channels * taps + 1, k.outChannels * taps, k.batch * spec.outHeight * spec.outWidth];
}

function describeCase(k: Case): string {
  return `x [${k.batch}, ${k.channels}, ${k.height}, ${k.width}], ${k.outChannels} out, kernel ${k.kernel}, padding ${k.padding}`;
}

/**
 * Within float32 accumulation error: |error| ≤ terms · 2·accumulation · max|term|, with the backend's
 * declared `precision.accumulation` (2⁻²³ for float32 sums: here 2⁻²² per term, as each term's
 * product and sum round) and every term a product of two values in [−2, 2], so at most 4; far below
 * the O(1) error of a wrong tap or position.
 */
function expectAccumulated(
  actual: Float32Array,
  expected: Float32Array,
  terms: number,
  accumulation: number,
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  const bound = terms * 2 * accumulation * 4;
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= bound)) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, the reference has ${expected[i]} (bound ${bound})`);
    }
  }
}

describe.each(wasmBackends)(
  'direct convolution of the $variant build against the reference',
  ({ backend }) => {
    const { precision } = backend;
    it.each(CASES.map((k) => [describeCase(k), k] as const))('%s', (_name, k) => {
      const [out, dx, dw] = convolve(backend, k);
      const [wantOut, wantDx, wantDw] = convolve(reference, k);
      const [forwardTerms, inputTerms, weightTerms] = termCounts(k);
      // Exact where the backend declares it (not the relaxed-SIMD build, which fuses multiply-adds).
      if (isExact(precision, 'conv2d')) expectBits(out!, wantOut!, 'forward');
      else expectAccumulated(out!, wantOut!, forwardTerms!, precision.accumulation, 'forward');
      expectAccumulated(dx!, wantDx!, inputTerms!, precision.accumulation, 'input gradient');
      expectAccumulated(dw!, wantDw!, weightTerms!, precision.accumulation, 'weight gradient');
    });
  },
);

describe('direct convolution across builds', () => {
  const scalar = wasmBackends.find((b) => b.variant === 'scalar')!.backend;
  const simd = wasmBackends.find((b) => b.variant === 'simd')?.backend;
  it.skipIf(simd === undefined)('the scalar and SIMD builds agree bit for bit, gradients included', () => {
    for (const k of CASES) {
      const a = convolve(scalar, k);
      const b = convolve(simd!, k);
      ['forward', 'input gradient', 'weight gradient'].forEach((what, i) => {
        expectBits(a[i]!, b[i]!, `${what}, ${describeCase(k)}`);
      });
    }
  });
});

describe('directConvolution: which convolutions take the direct kernels', () => {
  const base = specOf(CASES[2]!);
  it('takes stride 1, dilation 1, padding below the kernel, small kernels and few taps', () => {
    expect(directConvolution(base, 16)).toBe(true);
    expect(directConvolution(specOf(CASES[1]!), 6)).toBe(true);
  });
  it('leaves the others to im2col and matrix products', () => {
    expect(directConvolution({ ...base, stride: [2, 1] }, 16)).toBe(false);
    expect(directConvolution({ ...base, dilation: [1, 2] }, 16)).toBe(false);
    expect(directConvolution({ ...base, padding: [5, 0] }, 16)).toBe(false);
    expect(directConvolution({ ...base, kernel: [9, 9] }, 16)).toBe(false);
    expect(directConvolution({ ...base, channels: 64 }, 16)).toBe(false);
  });
});
