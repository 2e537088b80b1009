/** The sliding windows of im2col, col2im and pooling, as the reference backend walks them. */
import type { WindowSpec } from '../backend.js';

/**
 * Visits every element of an unfold in its column order (spec.columnLayout): `col` is its index among
 * the columns, `src` the input element it reads (−1 inside the padding) and `out` the output position
 * [N, C, outH·outW] its window belongs to. Kernel offsets are the outer loop, so each window sees its
 * elements in row-major order.
 */
export function windows(spec: WindowSpec, fn: (col: number, src: number, out: number) => void): void {
  const { batch, channels, height, width, kernel, stride, padding, dilation, outHeight, outWidth } = spec;
  const [kh, kw] = kernel;
  const length = outHeight * outWidth;
  const knl = spec.columnLayout === 'KNL';
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const row = (c * kh + ki) * kw + kj;
          let col = knl ? (row * batch + b) * length : (b * channels * kh * kw + row) * length;
          for (let oy = 0; oy < outHeight; oy++) {
            const y = oy * stride[0] - padding[0] + ki * dilation[0];
            for (let ox = 0; ox < outWidth; ox++) {
              const xx = ox * stride[1] - padding[1] + kj * dilation[1];
              const inside = y >= 0 && y < height && xx >= 0 && xx < width;
              const out = ((b * channels + c) * outHeight + oy) * outWidth + ox;
              fn(col++, inside ? ((b * channels + c) * height + y) * width + xx : -1, out);
            }
          }
        }
      }
    }
  }
}
