/**
 * Softmax and log-softmax along the middle axis of a contiguous [outer, length, inner] block, with the
 * reference backend's stabilization: subtract the maximum (even an infinite one, which makes the row
 * NaN as in PyTorch), sum the exponentials in float64, then e^z / Σ or z − log Σ (the latter in
 * float64 and rounded once).
 */
import { expf, expf4 } from './math';
import { at } from './strided';

function softmaxRow(x: usize, length: i32, log: bool, o: usize): void {
  // The maximum; NaN propagates as in Math.max.
  let m: f32 = -Infinity;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    if (length >= 4) {
      let vm = f32x4.splat(-Infinity);
      for (; j + 4 <= length; j += 4) vm = f32x4.max(vm, v128.load(at(x, j)));
      m = max<f32>(max<f32>(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max<f32>(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
    }
  }
  for (; j < length; j++) m = max<f32>(m, load<f32>(at(x, j)));
  if (log) {
    let sum: f64 = 0;
    for (j = 0; j < length; j++) sum += <f64>expf(load<f32>(at(x, j)) - m);
    const logSum = Math.log(sum);
    for (j = 0; j < length; j++) store<f32>(at(o, j), <f32>(<f64>load<f32>(at(x, j)) - <f64>m - logSum));
    return;
  }
  // Exponentials into out, summed in float64 in index order.
  j = 0;
  let sum: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m);
    for (; j + 4 <= length; j += 4) {
      const e = expf4(f32x4.sub(v128.load(at(x, j)), vm));
      v128.store(at(o, j), e);
      sum += <f64>f32x4.extract_lane(e, 0);
      sum += <f64>f32x4.extract_lane(e, 1);
      sum += <f64>f32x4.extract_lane(e, 2);
      sum += <f64>f32x4.extract_lane(e, 3);
    }
  }
  for (; j < length; j++) {
    const e = expf(load<f32>(at(x, j)) - m);
    store<f32>(at(o, j), e);
    sum += <f64>e;
  }
  const s = <f32>sum;
  j = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (; j + 4 <= length; j += 4) v128.store(at(o, j), f32x4.div(v128.load(at(o, j)), vs));
  }
  for (; j < length; j++) store<f32>(at(o, j), load<f32>(at(o, j)) / s);
}

function softmaxStrided(x: usize, length: i32, inner: i32, log: bool, o: usize): void {
  for (let q = 0; q < inner; q++) {
    let m: f32 = -Infinity;
    for (let j = 0; j < length; j++) m = max<f32>(m, load<f32>(at(x, j * inner + q)));
    let sum: f64 = 0;
    for (let j = 0; j < length; j++) sum += <f64>expf(load<f32>(at(x, j * inner + q)) - m);
    if (log) {
      const logSum = Math.log(sum);
      for (let j = 0; j < length; j++) {
        store<f32>(at(o, j * inner + q), <f32>(<f64>load<f32>(at(x, j * inner + q)) - <f64>m - logSum));
      }
    } else {
      const s = <f32>sum;
      for (let j = 0; j < length; j++) {
        store<f32>(at(o, j * inner + q), expf(load<f32>(at(x, j * inner + q)) - m) / s);
      }
    }
  }
}

export function softmax(x: usize, outer: i32, length: i32, inner: i32, log: bool, o: usize): void {
  for (let p = 0; p < outer; p++) {
    const off = p * length * inner;
    if (inner == 1) softmaxRow(at(x, off), length, log, at(o, off));
    else softmaxStrided(at(x, off), length, inner, log, at(o, off));
  }
}
