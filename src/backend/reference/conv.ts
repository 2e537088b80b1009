/**
 * The meaning of the direct convolution kernels (Backend.conv2d, conv2dInputGrad, conv2dWeightGrad)
 * in plain TypeScript over typed arrays. The forward pass sums in the order the WebAssembly kernels
 * (assembly/conv.ts) do, padding taps included, rounding to float32 after every operation, so its
 * float32 results are bit-identical to the SIMD build's. The gradients sum in plain index order (the
 * kernels group their sums by SIMD lanes and runs), so they agree to rounding only. Float64 data is
 * computed without rounding.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type { WindowSpec } from '../backend.js';
import { rounder } from './fused.js';

/** Reads element (n, c, y − ph, x − pw) of a contiguous [N, C, H, W] block, 0 outside the image. */
function padded(
  data: TypedArray,
  offset: number,
  channels: number,
  height: number,
  width: number,
  ph: number,
  pw: number,
): (n: number, c: number, y: number, x: number) => number {
  return (n, c, y, x) => {
    const yy = y - ph;
    const xx = x - pw;
    if (yy < 0 || yy >= height || xx < 0 || xx >= width) return 0;
    return data[offset + ((n * channels + c) * height + yy) * width + xx]!;
  };
}

export function conv2d(
  x: TypedArray,
  xOffset: number,
  weight: TypedArray,
  weightOffset: number,
  bias: TypedArray | null,
  biasOffset: number,
  spec: WindowSpec,
  outChannels: number,
  out: TypedArray,
): void {
  const { batch, channels, height, width, kernel, padding, outHeight, outWidth } = spec;
  const [kh, kw] = kernel;
  const r = rounder(out);
  const img = padded(x, xOffset, channels, height, width, padding[0], padding[1]);
  // Each output summed from 0 over its taps in (c, i, j) order, padding taps included; the bias last.
  let q = 0;
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outChannels; o++) {
      for (let y = 0; y < outHeight; y++) {
        for (let xx = 0; xx < outWidth; xx++) {
          let s = 0;
          let t = weightOffset + o * channels * kh * kw;
          for (let c = 0; c < channels; c++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) s = r(s + r(img(n, c, y + i, xx + j) * weight[t++]!));
            }
          }
          out[q++] = bias === null ? s : r(s + bias[biasOffset + o]!);
        }
      }
    }
  }
}

export function conv2dInputGrad(
  g: TypedArray,
  gOffset: number,
  weight: TypedArray,
  weightOffset: number,
  spec: WindowSpec,
  outChannels: number,
  out: TypedArray,
): void {
  const { batch, channels, height, width, kernel, padding, outHeight, outWidth } = spec;
  const [kh, kw] = kernel;
  const r = rounder(out);
  // dx[n, c, y, x] = Σ_(i,j) Σ_o weight[o, c, i, j]·g[n, o, y + ph − i, x + pw − j] over the output
  // positions inside g: taps in order, each tap's sum over o from 0.
  let q = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let s = 0;
          for (let i = 0; i < kh; i++) {
            const oy = y + padding[0] - i;
            if (oy < 0 || oy >= outHeight) continue;
            for (let j = 0; j < kw; j++) {
              const ox = x + padding[1] - j;
              if (ox < 0 || ox >= outWidth) continue;
              let tap = 0;
              for (let o = 0; o < outChannels; o++) {
                const gv = g[gOffset + ((n * outChannels + o) * outHeight + oy) * outWidth + ox]!;
                tap = r(tap + r(weight[weightOffset + ((o * channels + c) * kh + i) * kw + j]! * gv));
              }
              s = r(s + tap);
            }
          }
          out[q++] = s;
        }
      }
    }
  }
}

export function conv2dWeightGrad(
  g: TypedArray,
  gOffset: number,
  x: TypedArray,
  xOffset: number,
  spec: WindowSpec,
  outChannels: number,
  out: TypedArray,
): void {
  const { batch, channels, height, width, kernel, padding, outHeight, outWidth } = spec;
  const [kh, kw] = kernel;
  const r = rounder(out);
  const img = padded(x, xOffset, channels, height, width, padding[0], padding[1]);
  let q = 0;
  for (let o = 0; o < outChannels; o++) {
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let s = 0;
          for (let n = 0; n < batch; n++) {
            const plane = gOffset + (n * outChannels + o) * outHeight * outWidth;
            for (let y = 0; y < outHeight; y++) {
              for (let xx = 0; xx < outWidth; xx++) {
                s = r(s + r(g[plane + y * outWidth + xx]! * img(n, c, y + i, xx + j)));
              }
            }
          }
          out[q++] = s;
        }
      }
    }
  }
}
