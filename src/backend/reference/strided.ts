/**
 * Strided iteration for the reference backend: visits every element of an N-d shape in row-major
 * order and yields the element offset within each of up to three views.
 */
import type { View } from '../backend.js';

export function isContiguousView(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i]!;
    if (d !== 1 && v.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/** Calls fn(k, offA, offB, offC) for the k-th element (row-major) of `shape`. */
export function forEachOffset(
  shape: readonly number[],
  views: readonly View[],
  fn: (k: number, a: number, b: number, c: number) => void,
): void {
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const nd = shape.length;
  const nv = views.length;
  const off = views.map((v) => v.offset);
  while (off.length < 3) off.push(0);
  if (views.every(isContiguousView)) {
    for (let k = 0; k < total; k++) fn(k, off[0]! + k, off[1]! + k, off[2]! + k);
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < total; k++) {
    fn(k, off[0]!, off[1]!, off[2]!);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      for (let v = 0; v < nv; v++) off[v]! += views[v]!.strides[d]!;
      if (idx[d]! < shape[d]!) break;
      for (let v = 0; v < nv; v++) off[v]! -= views[v]!.strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
