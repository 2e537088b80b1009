/**
 * Walking the rows of an N-d strided iteration. The caller (src/backend/wasm/strided.ts) merges
 * dimensions first, so most calls have one or two dimensions; the last dimension is the row that the
 * kernels run with SIMD when its strides allow.
 *
 * A descriptor is an i32 array in linear memory:
 *   shape[nd] | strides of operand 0..3 [nd each] | counters[nd] | offsets[4]
 * Operand 0 is the output; unused operands have zero strides. Offsets are in elements.
 */

// @ts-ignore: decorator
@inline export function shapeAt(desc: usize, d: i32): i32 {
  return load<i32>(desc + (<usize>d << 2));
}

// @ts-ignore: decorator
@inline export function strideAt(desc: usize, nd: i32, q: i32, d: i32): i32 {
  return load<i32>(desc + (<usize>((1 + q) * nd + d) << 2));
}

// @ts-ignore: decorator
@inline function counterPtr(desc: usize, nd: i32, d: i32): usize {
  return desc + (<usize>(5 * nd + d) << 2);
}

// @ts-ignore: decorator
@inline export function offsetPtr(desc: usize, nd: i32, q: i32): usize {
  return desc + (<usize>(6 * nd + q) << 2);
}

/** The element offset of operand q in the current row. */
// @ts-ignore: decorator
@inline export function rowOffset(desc: usize, nd: i32, q: i32): i32 {
  return load<i32>(offsetPtr(desc, nd, q));
}

/** Number of rows (the product of all dimensions but the last); resets the counters and offsets. */
export function startRows(nd: i32, desc: usize): i32 {
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) {
    rows *= shapeAt(desc, d);
    store<i32>(counterPtr(desc, nd, d), 0);
  }
  for (let q = 0; q < 4; q++) store<i32>(offsetPtr(desc, nd, q), 0);
  return rows;
}

/** Advances the odometer over dimensions nd−2 … 0 and updates the four operands' offsets. */
export function nextRow(nd: i32, desc: usize): void {
  for (let d = nd - 2; d >= 0; d--) {
    const c = load<i32>(counterPtr(desc, nd, d)) + 1;
    const size = shapeAt(desc, d);
    if (c < size) {
      store<i32>(counterPtr(desc, nd, d), c);
      for (let q = 0; q < 4; q++) {
        const p = offsetPtr(desc, nd, q);
        store<i32>(p, load<i32>(p) + strideAt(desc, nd, q, d));
      }
      return;
    }
    store<i32>(counterPtr(desc, nd, d), 0);
    for (let q = 0; q < 4; q++) {
      const p = offsetPtr(desc, nd, q);
      store<i32>(p, load<i32>(p) - strideAt(desc, nd, q, d) * (size - 1));
    }
  }
}

/** Byte address of element `off` of a 4-byte array at `base`. */
// @ts-ignore: decorator
@inline export function at(base: usize, off: i32): usize {
  return base + (<usize>off << 2);
}
