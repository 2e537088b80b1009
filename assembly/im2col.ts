/**
 * Sliding windows over [N, C, H, W]: im2col unfolds them into columns [N, C·kh·kw, outH·outW] (the
 * layout of torch.nn.Unfold), col2im sums columns back (its adjoint). For each kernel offset the valid
 * output columns form one interval per row, so the inner loops copy (or add) runs of elements without
 * per-element bounds checks; unit-stride runs are block copies.
 */
import { at } from './strided';

/** First output index o ≥ 0 with o·stride + shift ≥ 0, i.e. ⌈−shift/stride⌉ clamped to [0, out]. */
// @ts-ignore: decorator
@inline function firstInside(shift: i32, stride: i32, out: i32): i32 {
  if (shift >= 0) return 0;
  return min<i32>(out, (-shift + stride - 1) / stride);
}

/** One past the last output index o with o·stride + shift < size, clamped to [0, out]. */
// @ts-ignore: decorator
@inline function endInside(shift: i32, stride: i32, size: i32, out: i32): i32 {
  if (shift >= size) return 0;
  return min<i32>(out, (size - 1 - shift) / stride + 1);
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
  o: usize,
): void {
  let col = 0;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = at(x, (b * channels + c) * height * width);
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
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
              memory.copy(at(dst, lo), at(row, lo + shiftX), <usize>(hi - lo) << 2);
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
  o: usize,
): void {
  memory.fill(o, 0, <usize>(batch * channels * height * width) << 2);
  let col = 0;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = at(o, (b * channels + c) * height * width);
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
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
