/**
 * Sliding windows over [N, C, H, W]: im2col unfolds them into columns [N, C·kh·kw, outH·outW] (the
 * layout of torch.nn.Unfold), col2im sums columns back (its adjoint). For each kernel offset the valid
 * output columns form one interval per row, so the inner loops copy (or add) runs of elements without
 * per-element bounds checks; unit-stride runs are SIMD copies (and adds).
 */
import { at } from './strided';

/** First output index o ≥ 0 with o·stride + shift ≥ 0, i.e. ⌈−shift/stride⌉ clamped to [0, out]. */
// @ts-ignore: decorator
@inline export function firstInside(shift: i32, stride: i32, out: i32): i32 {
  if (shift >= 0) return 0;
  return min<i32>(out, (-shift + stride - 1) / stride);
}

/** One past the last output index o with o·stride + shift < size, clamped to [0, out]. */
// @ts-ignore: decorator
@inline export function endInside(shift: i32, stride: i32, size: i32, out: i32): i32 {
  if (shift >= size) return 0;
  return min<i32>(out, (size - 1 - shift) / stride + 1);
}

/** dst[0:n] = src[0:n] (32-bit values): short runs, so SIMD moves rather than a call to memory.copy. */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(at(dst, i), v128.load(at(src, i)));
  }
  for (; i < n; i++) store<i32>(at(dst, i), load<i32>(at(src, i)));
}

/** dst[0:n] += src[0:n] in float32; each element's sum is the same in either loop. */
// @ts-ignore: decorator
@inline function addRunF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(dst, i)), v128.load(at(src, i))));
  }
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(src, i)));
}

/** Where the columns of (b, c, ki, kj) start: [N, K, L] (NKL) or [K, N, L] (KNL), K = C·kh·kw. */
// @ts-ignore: decorator
@inline function columnStart(knl: bool, b: i32, c: i32, ki: i32, kj: i32, batch: i32, channels: i32, kh: i32, kw: i32, length: i32): i32 {
  const row = (c * kh + ki) * kw + kj;
  return knl ? (row * batch + b) * length : (b * channels * kh * kw + row) * length;
}

export function im2col(
  x: usize,
  batch: i32,
  channels: i32,
  height: i32,
  width: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  outH: i32,
  outW: i32,
  padBits: i32,
  knl: bool,
  o: usize,
): void {
  const length = outH * outW;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = at(x, (b * channels + c) * height * width);
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          let col = columnStart(knl, b, c, ki, kj, batch, channels, kh, kw, length);
          const shiftX = kj * dw - pw;
          const lo = firstInside(shiftX, sw, outW);
          const hi = max<i32>(lo, endInside(shiftX, sw, width, outW));
          for (let oy = 0; oy < outH; oy++) {
            const y = oy * sh - ph + ki * dh;
            const dst = at(o, col);
            col += outW;
            if (y < 0 || y >= height) {
              for (let ox = 0; ox < outW; ox++) store<i32>(at(dst, ox), padBits);
              continue;
            }
            const row = at(plane, y * width);
            for (let ox = 0; ox < lo; ox++) store<i32>(at(dst, ox), padBits);
            if (sw == 1) {
              copyRun(at(dst, lo), at(row, lo + shiftX), hi - lo);
            } else {
              for (let ox = lo; ox < hi; ox++) store<i32>(at(dst, ox), load<i32>(at(row, ox * sw + shiftX)));
            }
            for (let ox = hi; ox < outW; ox++) store<i32>(at(dst, ox), padBits);
          }
        }
      }
    }
  }
}

export function col2im(
  isInt: bool,
  cols: usize,
  batch: i32,
  channels: i32,
  height: i32,
  width: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  outH: i32,
  outW: i32,
  knl: bool,
  o: usize,
): void {
  memory.fill(o, 0, <usize>(batch * channels * height * width) << 2);
  const length = outH * outW;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = at(o, (b * channels + c) * height * width);
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          let col = columnStart(knl, b, c, ki, kj, batch, channels, kh, kw, length);
          const shiftX = kj * dw - pw;
          const lo = firstInside(shiftX, sw, outW);
          const hi = max<i32>(lo, endInside(shiftX, sw, width, outW));
          for (let oy = 0; oy < outH; oy++) {
            const y = oy * sh - ph + ki * dh;
            const src = at(cols, col);
            col += outW;
            if (y < 0 || y >= height) continue;
            const row = at(plane, y * width);
            if (isInt) {
              for (let ox = lo; ox < hi; ox++) {
                const d = at(row, ox * sw + shiftX);
                store<i32>(d, load<i32>(d) + load<i32>(at(src, ox)));
              }
            } else if (sw == 1) {
              addRunF32(at(row, lo + shiftX), at(src, lo), hi - lo);
            } else {
              for (let ox = lo; ox < hi; ox++) {
                const d = at(row, ox * sw + shiftX);
                store<f32>(d, load<f32>(d) + load<f32>(at(src, ox)));
              }
            }
          }
        }
      }
    }
  }
}
