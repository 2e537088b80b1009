/**
 * Indexing along the middle axis of [outer, length, inner] blocks. Indices are int32 and already
 * validated by the op layer.
 */
import { at } from './strided';

/** out[o, j, i] = x[o, index[o, j, i], i]; values are moved as 32-bit patterns (any 4-byte dtype). */
export function gather(x: usize, index: usize, outer: i32, xLength: i32, indexLength: i32, inner: i32, o: usize): void {
  let k = 0;
  for (let p = 0; p < outer; p++) {
    const base = p * xLength;
    for (let j = 0; j < indexLength; j++) {
      for (let q = 0; q < inner; q++) {
        const idx = load<i32>(at(index, k));
        store<i32>(at(o, k), load<i32>(at(x, (base + idx) * inner + q)));
        k++;
      }
    }
  }
}

/** out[o, index[o, j, i], i] += src[o, j, i], in order of (o, j, i). */
export function scatterAdd(isInt: bool, src: usize, index: usize, outer: i32, outLength: i32, indexLength: i32, inner: i32, o: usize): void {
  let k = 0;
  for (let p = 0; p < outer; p++) {
    const base = p * outLength;
    for (let j = 0; j < indexLength; j++) {
      for (let q = 0; q < inner; q++) {
        const dst = at(o, (base + load<i32>(at(index, k))) * inner + q);
        if (isInt) store<i32>(dst, load<i32>(dst) + load<i32>(at(src, k)));
        else store<f32>(dst, load<f32>(dst) + load<f32>(at(src, k)));
        k++;
      }
    }
  }
}
