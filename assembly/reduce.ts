/**
 * Reductions along the middle axis of a contiguous [outer, length, inner] block.
 *
 * Sums accumulate in float64 (int64 for int32 data), so they are as accurate as the reference
 * backend's. Along a contiguous axis (inner = 1) eight float64 lanes take every eighth element and are
 * combined in a fixed order at the end; across rows (inner > 1) each output sums its column
 * sequentially, exactly as the reference does. Max, min and the arg-reductions follow the reference's
 * rule: the first maximal element wins and a NaN beats everything.
 */
import { ReduceOp } from './opcodes';
import { at } from './strided';

/** Σ of n contiguous float32 values in float64. */
function sumContiguousF32(x: usize, n: i32): f64 {
  let i = 0;
  let total: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    for (; i + 8 <= n; i += 8) {
      const v0 = v128.load(at(x, i));
      const v1 = v128.load(at(x, i + 4));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
      s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
      s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
    }
    const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  } else {
    let s0: f64 = 0;
    let s1: f64 = 0;
    let s2: f64 = 0;
    let s3: f64 = 0;
    let s4: f64 = 0;
    let s5: f64 = 0;
    let s6: f64 = 0;
    let s7: f64 = 0;
    for (; i + 8 <= n; i += 8) {
      s0 += <f64>load<f32>(at(x, i));
      s1 += <f64>load<f32>(at(x, i + 1));
      s2 += <f64>load<f32>(at(x, i + 2));
      s3 += <f64>load<f32>(at(x, i + 3));
      s4 += <f64>load<f32>(at(x, i + 4));
      s5 += <f64>load<f32>(at(x, i + 5));
      s6 += <f64>load<f32>(at(x, i + 6));
      s7 += <f64>load<f32>(at(x, i + 7));
    }
    // The same combination order as the SIMD lanes: (s0+s2)+(s4+s6) and (s1+s3)+(s5+s7).
    total = (s0 + s2 + (s4 + s6)) + (s1 + s3 + (s5 + s7));
  }
  for (; i < n; i++) total += <f64>load<f32>(at(x, i));
  return total;
}

/** out[q] = Σ_j x[j·inner + q] for q < inner, each column summed in order of j. */
function sumColumnsF32(x: usize, length: i32, inner: i32, o: usize): void {
  let q = 0;
  if (ASC_FEATURE_SIMD) {
    for (; q + 4 <= inner; q += 4) {
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      for (let j = 0; j < length; j++) {
        const v = v128.load(at(x, j * inner + q));
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
      v128.store(
        at(o, q),
        v128.shuffle<f32>(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5),
      );
    }
  }
  for (; q < inner; q++) {
    let s: f64 = 0;
    for (let j = 0; j < length; j++) s += <f64>load<f32>(at(x, j * inner + q));
    store<f32>(at(o, q), <f32>s);
  }
}

/** Is v a better candidate than best (sign 1: max, −1: min)? A NaN wins and then stays. */
// @ts-ignore: decorator
@inline function better(v: f32, best: f32, sign: i32): bool {
  if (best != best) return false;
  if (v != v) return true;
  return sign > 0 ? v > best : v < best;
}

function extremeF32(op: i32, x: usize, outer: i32, length: i32, inner: i32, o: usize): void {
  const sign = op == ReduceOp.max || op == ReduceOp.argmax ? 1 : -1;
  const isArg = op == ReduceOp.argmax || op == ReduceOp.argmin;
  for (let p = 0; p < outer; p++) {
    for (let q = 0; q < inner; q++) {
      const start = p * length * inner + q;
      let best = load<f32>(at(x, start));
      let arg = 0;
      for (let j = 1; j < length; j++) {
        const v = load<f32>(at(x, start + j * inner));
        if (better(v, best, sign)) {
          best = v;
          arg = j;
        }
      }
      if (isArg) store<i32>(at(o, p * inner + q), arg);
      else store<f32>(at(o, p * inner + q), best);
    }
  }
}

function reduceI32(op: i32, x: usize, outer: i32, length: i32, inner: i32, o: usize): void {
  for (let p = 0; p < outer; p++) {
    for (let q = 0; q < inner; q++) {
      const start = p * length * inner + q;
      if (op == ReduceOp.sum) {
        let s: i64 = 0;
        for (let j = 0; j < length; j++) s += <i64>load<i32>(at(x, start + j * inner));
        store<i32>(at(o, p * inner + q), <i32>s);
        continue;
      }
      const sign = op == ReduceOp.max || op == ReduceOp.argmax ? 1 : -1;
      let best = load<i32>(at(x, start));
      let arg = 0;
      for (let j = 1; j < length; j++) {
        const v = load<i32>(at(x, start + j * inner));
        if (sign > 0 ? v > best : v < best) {
          best = v;
          arg = j;
        }
      }
      store<i32>(at(o, p * inner + q), op == ReduceOp.argmax || op == ReduceOp.argmin ? arg : best);
    }
  }
}

/** op over the middle axis of x [outer, length, inner] into out [outer, inner]. */
export function reduce(isInt: bool, op: i32, x: usize, outer: i32, length: i32, inner: i32, o: usize): void {
  if (isInt) {
    reduceI32(op, x, outer, length, inner, o);
    return;
  }
  if (op != ReduceOp.sum) {
    extremeF32(op, x, outer, length, inner, o);
    return;
  }
  for (let p = 0; p < outer; p++) {
    const base = at(x, p * length * inner);
    if (inner == 1) store<f32>(at(o, p), <f32>sumContiguousF32(base, length));
    else sumColumnsF32(base, length, inner, at(o, p * inner));
  }
}
