/**
 * Strided iteration for the reference backend: the offsets, within up to three views, of every
 * element of an N-d shape in row-major order, computed once per kernel call into an index array so
 * that the kernels' inner loops stay simple, monomorphic array loops.
 */
import type { View } from '../backend.js';

function isContiguousView(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i]!;
    if (d !== 1 && v.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/** Element offsets of `v` for each position of its shape, row-major; a plain range when contiguous. */
export function offsets(v: View): Int32Array | null {
  if (isContiguousView(v)) return null;
  const shape = v.shape;
  const nd = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  const out = new Int32Array(total);
  if (total === 0) return out;
  const idx = new Array<number>(nd).fill(0);
  let off = v.offset;
  for (let k = 0; k < total; k++) {
    out[k] = off;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += v.strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= v.strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
