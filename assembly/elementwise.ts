/**
 * Elementwise kernels: fill, copy (with dtype conversion), unary, binary and where, over strided
 * views described as in strided.ts. Each row runs a SIMD loop with a scalar tail when its strides are
 * 1 (or 0 for a broadcast scalar operand), and a scalar strided loop otherwise.
 *
 * Arithmetic follows the reference backend bit for bit where it is correctly rounded in float32
 * (+ − × ÷ √, min/max, comparisons); operations whose parameters are float64 (leakyRelu's slope,
 * rsqrt) are computed in float64 and rounded once, as the reference does.
 */
import { erf64, expf, expf4, logf, logf4, sigmoidf, sigmoidf4, tanhf, tanhf4 } from './math';
import { BinaryOp, CopyKind, UnaryOp } from './opcodes';
import { at, nextRow, rowOffset, startRows, strideAt, shapeAt } from './strided';

const SQRT1_2: f64 = 0.7071067811865476;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654; // Math.sqrt(2 / Math.PI)

// ---------------------------------------------------------------- helpers

/** ECMAScript ToInt32 of a float64 (what storing into an Int32Array does): truncate, wrap mod 2^32. */
export function toInt32(v: f64): i32 {
  if (abs<f64>(v) < 2147483648.0) return <i32>v;
  if (!isFinite<f64>(v)) return 0;
  return <i32>(<i64>(trunc<f64>(v) % 4294967296.0));
}

/** C's pow, as PyTorch and the reference backend compute it: 1^y = x^0 = 1 even for NaN, (−1)^±∞ = 1. */
function powC(a: f64, b: f64): f64 {
  if (a == 1 || b == 0) return 1;
  if (a == -1 && b == b && !isFinite<f64>(b)) return 1;
  return Math.pow(a, b);
}

/** x · s in float64, rounded once to float32, lane by lane. */
// @ts-ignore: decorator
@inline function mulF64(x: v128, s: f64): v128 {
  const sv = f64x2.splat(s);
  const lo = f64x2.mul(f64x2.promote_low_f32x4(x), sv);
  const hi = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)), sv);
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// ---------------------------------------------------------------- fill

/** Writes the 32-bit pattern `bits` into n consecutive elements. */
export function fill32(p: usize, n: i32, bits: i32): void {
  if (bits == 0) {
    memory.fill(p, 0, <usize>n << 2);
    return;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = i32x4.splat(bits);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), v);
  }
  for (; i < n; i++) store<i32>(at(p, i), bits);
}

// ---------------------------------------------------------------- copy

// @ts-ignore: decorator
@inline function copyRow(kind: i32, n: i32, s: usize, ss: i32, d: usize, sd: i32): void {
  if (kind == CopyKind.same) {
    if (ss == 1 && sd == 1) {
      // memory.copy is a call into the engine: worth it for long rows only.
      if (ASC_FEATURE_SIMD && n < 1024) {
        let i = 0;
        for (; i + 4 <= n; i += 4) v128.store(at(d, i), v128.load(at(s, i)));
        for (; i < n; i++) store<i32>(at(d, i), load<i32>(at(s, i)));
      } else memory.copy(d, s, <usize>n << 2);
    } else if (ss == 0 && sd == 1) {
      fill32(d, n, load<i32>(s));
    } else {
      for (let i = 0; i < n; i++) store<i32>(at(d, i * sd), load<i32>(at(s, i * ss)));
    }
  } else if (kind == CopyKind.f32ToI32) {
    for (let i = 0; i < n; i++) store<i32>(at(d, i * sd), toInt32(<f64>load<f32>(at(s, i * ss))));
  } else {
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      if (ss == 1 && sd == 1) {
        for (; i + 4 <= n; i += 4) v128.store(at(d, i), f32x4.convert_i32x4_s(v128.load(at(s, i))));
      }
    }
    for (; i < n; i++) store<f32>(at(d, i * sd), <f32>load<i32>(at(s, i * ss)));
  }
}

/** dst[k] = convert(src[k]) over a strided iteration; operand 0 is dst, operand 1 is src. */
export function copy(kind: i32, nd: i32, desc: usize, src: usize, dst: usize): void {
  const rows = startRows(nd, desc);
  const n = shapeAt(desc, nd - 1);
  const sd = strideAt(desc, nd, 0, nd - 1);
  const ss = strideAt(desc, nd, 1, nd - 1);
  for (let r = 0; r < rows; r++) {
    const d = at(dst, rowOffset(desc, nd, 0));
    const s = at(src, rowOffset(desc, nd, 1));
    if (kind == CopyKind.same) copyRow(CopyKind.same, n, s, ss, d, sd);
    else if (kind == CopyKind.f32ToI32) copyRow(CopyKind.f32ToI32, n, s, ss, d, sd);
    else copyRow(CopyKind.i32ToF32, n, s, ss, d, sd);
    nextRow(nd, desc);
  }
}

// ---------------------------------------------------------------- unary

// @ts-ignore: decorator
@inline function unaryScalarF32(op: i32, x: f32, p0: f64, p1: f64): f32 {
  switch (op) {
    case UnaryOp.neg:
      return -x;
    case UnaryOp.abs:
      return abs<f32>(x);
    case UnaryOp.sign:
      return x > 0 ? 1 : x < 0 ? -1 : 0;
    case UnaryOp.exp:
      return expf(x);
    case UnaryOp.log:
      return logf(x);
    case UnaryOp.sqrt:
      return sqrt<f32>(x);
    case UnaryOp.rsqrt:
      return <f32>(1.0 / sqrt<f64>(<f64>x));
    case UnaryOp.square:
      return x * x;
    case UnaryOp.sigmoid:
      return sigmoidf(x);
    case UnaryOp.tanh:
      return tanhf(x);
    case UnaryOp.relu:
      // x < 0 ? 0 : x, not max(0, x): −0 stays −0 (PyTorch), NaN stays NaN.
      return x < 0 ? 0 : x;
    case UnaryOp.erf:
      return <f32>erf64(<f64>x);
    case UnaryOp.leakyRelu:
      return x > 0 ? x : <f32>(<f64>x * p0);
    case UnaryOp.elu:
      return x > 0 ? x : <f32>(p0 * Math.expm1(<f64>x));
    case UnaryOp.softplus: {
      const t = <f64>x * p0;
      return t > p1 ? x : <f32>(Math.log1p(Math.exp(t)) / p0);
    }
    case UnaryOp.clamp: {
      // x itself where it equals a bound (clamp(−0, 0, 1) = −0, as PyTorch); NaN stays NaN.
      const low = <f64>x < p0 ? p0 : <f64>x;
      return low > p1 ? <f32>p1 : <f32>low;
    }
    case UnaryOp.gelu: {
      const xd = <f64>x;
      if (p0 == 0) return <f32>(0.5 * xd * (1 + erf64(xd * SQRT1_2)));
      return <f32>(0.5 * xd * (1 + Math.tanh(SQRT_2_OVER_PI * (xd + 0.044715 * xd * xd * xd))));
    }
    default:
      return NaN;
  }
}

/** Whether op has a SIMD form; the others run lane by lane (they are off the training hot path). */
// @ts-ignore: decorator
@inline function unaryHasSimd(op: i32): bool {
  return (
    op == UnaryOp.neg ||
    op == UnaryOp.abs ||
    op == UnaryOp.sign ||
    op == UnaryOp.exp ||
    op == UnaryOp.log ||
    op == UnaryOp.sqrt ||
    op == UnaryOp.square ||
    op == UnaryOp.sigmoid ||
    op == UnaryOp.tanh ||
    op == UnaryOp.relu ||
    op == UnaryOp.leakyRelu ||
    op == UnaryOp.clamp
  );
}

// @ts-ignore: decorator
@inline function unaryVectorF32(op: i32, x: v128, p0: f64, p1: f64): v128 {
  switch (op) {
    case UnaryOp.neg:
      return f32x4.neg(x);
    case UnaryOp.abs:
      return f32x4.abs(x);
    case UnaryOp.sign: {
      // ±1 with x's sign where x is a non-zero number; +0 for ±0 and NaN (PyTorch).
      const unit = v128.or(v128.and(x, i32x4.splat(0x80000000)), f32x4.splat(1));
      const mask = v128.and(f32x4.ne(x, f32x4.splat(0)), f32x4.eq(x, x));
      return v128.and(unit, mask);
    }
    case UnaryOp.exp:
      return expf4(x);
    case UnaryOp.log:
      return logf4(x);
    case UnaryOp.sqrt:
      return f32x4.sqrt(x);
    case UnaryOp.square:
      return f32x4.mul(x, x);
    case UnaryOp.sigmoid:
      return sigmoidf4(x);
    case UnaryOp.tanh:
      return tanhf4(x);
    case UnaryOp.relu:
      return v128.bitselect(f32x4.splat(0), x, f32x4.lt(x, f32x4.splat(0)));
    case UnaryOp.leakyRelu:
      return v128.bitselect(x, mulF64(x, p0), f32x4.gt(x, f32x4.splat(0)));
    case UnaryOp.clamp: {
      // p0 and p1 are float32 values or ±∞ (the caller rounds them), so float32 comparisons are exact.
      const lo = f32x4.splat(<f32>p0);
      const hi = f32x4.splat(<f32>p1);
      const r = v128.bitselect(lo, x, f32x4.lt(x, lo));
      return v128.bitselect(hi, r, f32x4.gt(r, hi));
    }
    default:
      return x;
  }
}

// @ts-ignore: decorator
@inline function unaryRowF32(op: i32, n: i32, x: usize, sx: i32, o: usize, p0: f64, p1: f64): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (unaryHasSimd(op) && sx == 1) {
      for (; i + 4 <= n; i += 4) v128.store(at(o, i), unaryVectorF32(op, v128.load(at(x, i)), p0, p1));
    }
  }
  if (sx == 1) {
    for (; i < n; i++) store<f32>(at(o, i), unaryScalarF32(op, load<f32>(at(x, i)), p0, p1));
  } else if (sx == 0) {
    const v = unaryScalarF32(op, load<f32>(x), p0, p1);
    for (; i < n; i++) store<f32>(at(o, i), v);
  } else {
    for (; i < n; i++) store<f32>(at(o, i), unaryScalarF32(op, load<f32>(at(x, i * sx)), p0, p1));
  }
}

// @ts-ignore: decorator
@inline function unaryScalarI32(op: i32, x: i32): i32 {
  switch (op) {
    case UnaryOp.neg:
      return -x;
    case UnaryOp.abs:
      return x < 0 ? -x : x;
    case UnaryOp.sign:
      return x > 0 ? 1 : x < 0 ? -1 : 0;
    case UnaryOp.square:
      return x * x;
    case UnaryOp.relu:
      return x > 0 ? x : 0;
    default:
      // Float-only ops never reach an int32 kernel: the op layer rejects them.
      return toInt32(<f64>unaryScalarF32(op, <f32>x, 0, 0));
  }
}

// @ts-ignore: decorator
@inline function unaryRowI32(op: i32, n: i32, x: usize, sx: i32, o: usize): void {
  for (let i = 0; i < n; i++) store<i32>(at(o, i), unaryScalarI32(op, load<i32>(at(x, i * sx))));
}

/** out = f(x); operand 0 is out (contiguous), operand 1 is x. */
export function unary(isInt: bool, op: i32, nd: i32, desc: usize, x: usize, o: usize, p0: f64, p1: f64): void {
  const rows = startRows(nd, desc);
  const n = shapeAt(desc, nd - 1);
  const sx = strideAt(desc, nd, 1, nd - 1);
  for (let r = 0; r < rows; r++) {
    const po = at(o, rowOffset(desc, nd, 0));
    const px = at(x, rowOffset(desc, nd, 1));
    if (isInt) {
      unaryRowI32(op, n, px, sx, po);
    } else {
      switch (op) {
        case UnaryOp.neg: unaryRowF32(UnaryOp.neg, n, px, sx, po, p0, p1); break;
        case UnaryOp.abs: unaryRowF32(UnaryOp.abs, n, px, sx, po, p0, p1); break;
        case UnaryOp.sign: unaryRowF32(UnaryOp.sign, n, px, sx, po, p0, p1); break;
        case UnaryOp.exp: unaryRowF32(UnaryOp.exp, n, px, sx, po, p0, p1); break;
        case UnaryOp.log: unaryRowF32(UnaryOp.log, n, px, sx, po, p0, p1); break;
        case UnaryOp.sqrt: unaryRowF32(UnaryOp.sqrt, n, px, sx, po, p0, p1); break;
        case UnaryOp.rsqrt: unaryRowF32(UnaryOp.rsqrt, n, px, sx, po, p0, p1); break;
        case UnaryOp.square: unaryRowF32(UnaryOp.square, n, px, sx, po, p0, p1); break;
        case UnaryOp.sigmoid: unaryRowF32(UnaryOp.sigmoid, n, px, sx, po, p0, p1); break;
        case UnaryOp.tanh: unaryRowF32(UnaryOp.tanh, n, px, sx, po, p0, p1); break;
        case UnaryOp.relu: unaryRowF32(UnaryOp.relu, n, px, sx, po, p0, p1); break;
        case UnaryOp.erf: unaryRowF32(UnaryOp.erf, n, px, sx, po, p0, p1); break;
        case UnaryOp.leakyRelu: unaryRowF32(UnaryOp.leakyRelu, n, px, sx, po, p0, p1); break;
        case UnaryOp.elu: unaryRowF32(UnaryOp.elu, n, px, sx, po, p0, p1); break;
        case UnaryOp.softplus: unaryRowF32(UnaryOp.softplus, n, px, sx, po, p0, p1); break;
        case UnaryOp.clamp: unaryRowF32(UnaryOp.clamp, n, px, sx, po, p0, p1); break;
        default: unaryRowF32(UnaryOp.gelu, n, px, sx, po, p0, p1); break;
      }
    }
    nextRow(nd, desc);
  }
}

// ---------------------------------------------------------------- binary

// @ts-ignore: decorator
@inline function binaryScalarF32(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case BinaryOp.add:
      return a + b;
    case BinaryOp.sub:
      return a - b;
    case BinaryOp.mul:
      return a * b;
    case BinaryOp.div:
      return a / b;
    case BinaryOp.pow:
      return <f32>powC(<f64>a, <f64>b);
    case BinaryOp.maximum:
      return max<f32>(a, b);
    case BinaryOp.minimum:
      return min<f32>(a, b);
    case BinaryOp.gt:
      return a > b ? 1 : 0;
    case BinaryOp.ge:
      return a >= b ? 1 : 0;
    case BinaryOp.lt:
      return a < b ? 1 : 0;
    case BinaryOp.le:
      return a <= b ? 1 : 0;
    case BinaryOp.eq:
      return a == b ? 1 : 0;
    default:
      return a != b ? 1 : 0;
  }
}

// @ts-ignore: decorator
@inline function binaryVectorF32(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case BinaryOp.add:
      return f32x4.add(a, b);
    case BinaryOp.sub:
      return f32x4.sub(a, b);
    case BinaryOp.mul:
      return f32x4.mul(a, b);
    case BinaryOp.div:
      return f32x4.div(a, b);
    case BinaryOp.maximum:
      return f32x4.max(a, b);
    case BinaryOp.minimum:
      return f32x4.min(a, b);
    case BinaryOp.gt:
      return v128.and(f32x4.gt(a, b), one);
    case BinaryOp.ge:
      return v128.and(f32x4.ge(a, b), one);
    case BinaryOp.lt:
      return v128.and(f32x4.lt(a, b), one);
    case BinaryOp.le:
      return v128.and(f32x4.le(a, b), one);
    case BinaryOp.eq:
      return v128.and(f32x4.eq(a, b), one);
    default:
      return v128.and(f32x4.ne(a, b), one);
  }
}

// @ts-ignore: decorator
@inline function binaryScalarI32(op: i32, a: i32, b: i32): i32 {
  switch (op) {
    case BinaryOp.add:
      return a + b;
    case BinaryOp.sub:
      return a - b;
    case BinaryOp.mul:
      return a * b;
    case BinaryOp.div:
      return toInt32(<f64>a / <f64>b);
    case BinaryOp.pow:
      return toInt32(powC(<f64>a, <f64>b));
    case BinaryOp.maximum:
      return max<i32>(a, b);
    case BinaryOp.minimum:
      return min<i32>(a, b);
    case BinaryOp.gt:
      return <i32>(a > b);
    case BinaryOp.ge:
      return <i32>(a >= b);
    case BinaryOp.lt:
      return <i32>(a < b);
    case BinaryOp.le:
      return <i32>(a <= b);
    case BinaryOp.eq:
      return <i32>(a == b);
    default:
      return <i32>(a != b);
  }
}

// @ts-ignore: decorator
@inline function binaryVectorI32(op: i32, a: v128, b: v128): v128 {
  const one = i32x4.splat(1);
  switch (op) {
    case BinaryOp.add:
      return i32x4.add(a, b);
    case BinaryOp.sub:
      return i32x4.sub(a, b);
    case BinaryOp.mul:
      return i32x4.mul(a, b);
    case BinaryOp.maximum:
      return i32x4.max_s(a, b);
    case BinaryOp.minimum:
      return i32x4.min_s(a, b);
    case BinaryOp.gt:
      return v128.and(i32x4.gt_s(a, b), one);
    case BinaryOp.ge:
      return v128.and(i32x4.ge_s(a, b), one);
    case BinaryOp.lt:
      return v128.and(i32x4.lt_s(a, b), one);
    case BinaryOp.le:
      return v128.and(i32x4.le_s(a, b), one);
    case BinaryOp.eq:
      return v128.and(i32x4.eq(a, b), one);
    default:
      return v128.and(i32x4.ne(a, b), one);
  }
}

// @ts-ignore: decorator
@inline function binaryRow(isInt: bool, op: i32, n: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize): void {
  let i = 0;
  const simd = op != BinaryOp.pow && !(isInt && op == BinaryOp.div);
  if (sa == 1 && sb == 1) {
    if (ASC_FEATURE_SIMD) {
      if (simd) {
        for (; i + 8 <= n; i += 8) {
          const a0 = v128.load(at(a, i));
          const a1 = v128.load(at(a, i + 4));
          const b0 = v128.load(at(b, i));
          const b1 = v128.load(at(b, i + 4));
          v128.store(at(o, i), isInt ? binaryVectorI32(op, a0, b0) : binaryVectorF32(op, a0, b0));
          v128.store(at(o, i + 4), isInt ? binaryVectorI32(op, a1, b1) : binaryVectorF32(op, a1, b1));
        }
        for (; i + 4 <= n; i += 4) {
          const va = v128.load(at(a, i));
          const vb = v128.load(at(b, i));
          v128.store(at(o, i), isInt ? binaryVectorI32(op, va, vb) : binaryVectorF32(op, va, vb));
        }
      }
    }
    if (isInt) for (; i < n; i++) store<i32>(at(o, i), binaryScalarI32(op, load<i32>(at(a, i)), load<i32>(at(b, i))));
    else for (; i < n; i++) store<f32>(at(o, i), binaryScalarF32(op, load<f32>(at(a, i)), load<f32>(at(b, i))));
  } else if (sa == 1 && sb == 0) {
    if (ASC_FEATURE_SIMD) {
      if (simd) {
        const vb = v128.load32_splat(b);
        for (; i + 4 <= n; i += 4) {
          const va = v128.load(at(a, i));
          v128.store(at(o, i), isInt ? binaryVectorI32(op, va, vb) : binaryVectorF32(op, va, vb));
        }
      }
    }
    if (isInt) {
      const sbv = load<i32>(b);
      for (; i < n; i++) store<i32>(at(o, i), binaryScalarI32(op, load<i32>(at(a, i)), sbv));
    } else {
      const sbv = load<f32>(b);
      for (; i < n; i++) store<f32>(at(o, i), binaryScalarF32(op, load<f32>(at(a, i)), sbv));
    }
  } else if (sa == 0 && sb == 1) {
    if (ASC_FEATURE_SIMD) {
      if (simd) {
        const va = v128.load32_splat(a);
        for (; i + 4 <= n; i += 4) {
          const vb = v128.load(at(b, i));
          v128.store(at(o, i), isInt ? binaryVectorI32(op, va, vb) : binaryVectorF32(op, va, vb));
        }
      }
    }
    if (isInt) {
      const sav = load<i32>(a);
      for (; i < n; i++) store<i32>(at(o, i), binaryScalarI32(op, sav, load<i32>(at(b, i))));
    } else {
      const sav = load<f32>(a);
      for (; i < n; i++) store<f32>(at(o, i), binaryScalarF32(op, sav, load<f32>(at(b, i))));
    }
  } else if (isInt) {
    for (; i < n; i++) store<i32>(at(o, i), binaryScalarI32(op, load<i32>(at(a, i * sa)), load<i32>(at(b, i * sb))));
  } else {
    for (; i < n; i++) store<f32>(at(o, i), binaryScalarF32(op, load<f32>(at(a, i * sa)), load<f32>(at(b, i * sb))));
  }
}

// @ts-ignore: decorator
@inline function binaryRowDispatch(isInt: bool, op: i32, n: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize): void {
  switch (op) {
    case BinaryOp.add: binaryRow(isInt, BinaryOp.add, n, a, sa, b, sb, o); break;
    case BinaryOp.sub: binaryRow(isInt, BinaryOp.sub, n, a, sa, b, sb, o); break;
    case BinaryOp.mul: binaryRow(isInt, BinaryOp.mul, n, a, sa, b, sb, o); break;
    case BinaryOp.div: binaryRow(isInt, BinaryOp.div, n, a, sa, b, sb, o); break;
    case BinaryOp.pow: binaryRow(isInt, BinaryOp.pow, n, a, sa, b, sb, o); break;
    case BinaryOp.maximum: binaryRow(isInt, BinaryOp.maximum, n, a, sa, b, sb, o); break;
    case BinaryOp.minimum: binaryRow(isInt, BinaryOp.minimum, n, a, sa, b, sb, o); break;
    case BinaryOp.gt: binaryRow(isInt, BinaryOp.gt, n, a, sa, b, sb, o); break;
    case BinaryOp.ge: binaryRow(isInt, BinaryOp.ge, n, a, sa, b, sb, o); break;
    case BinaryOp.lt: binaryRow(isInt, BinaryOp.lt, n, a, sa, b, sb, o); break;
    case BinaryOp.le: binaryRow(isInt, BinaryOp.le, n, a, sa, b, sb, o); break;
    case BinaryOp.eq: binaryRow(isInt, BinaryOp.eq, n, a, sa, b, sb, o); break;
    default: binaryRow(isInt, BinaryOp.ne, n, a, sa, b, sb, o); break;
  }
}

/** The rows of a binary op on float32 data (a separate function so that it stays specialized). */
function binaryRowsF32(op: i32, rows: i32, nd: i32, desc: usize, n: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize): void {
  for (let r = 0; r < rows; r++) {
    binaryRowDispatch(false, op, n, at(a, rowOffset(desc, nd, 1)), sa, at(b, rowOffset(desc, nd, 2)), sb, at(o, rowOffset(desc, nd, 0)));
    nextRow(nd, desc);
  }
}

/** The rows of a binary op on int32 data. */
function binaryRowsI32(op: i32, rows: i32, nd: i32, desc: usize, n: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize): void {
  for (let r = 0; r < rows; r++) {
    binaryRowDispatch(true, op, n, at(a, rowOffset(desc, nd, 1)), sa, at(b, rowOffset(desc, nd, 2)), sb, at(o, rowOffset(desc, nd, 0)));
    nextRow(nd, desc);
  }
}

/** out = a ∘ b; operand 0 is out (contiguous), operands 1 and 2 are a and b. */
export function binary(isInt: bool, op: i32, nd: i32, desc: usize, a: usize, b: usize, o: usize): void {
  const rows = startRows(nd, desc);
  const n = shapeAt(desc, nd - 1);
  const sa = strideAt(desc, nd, 1, nd - 1);
  const sb = strideAt(desc, nd, 2, nd - 1);
  if (isInt) binaryRowsI32(op, rows, nd, desc, n, a, sa, b, sb, o);
  else binaryRowsF32(op, rows, nd, desc, n, a, sa, b, sb, o);
}

// ---------------------------------------------------------------- where

// @ts-ignore: decorator
@inline function whereRow(condInt: bool, n: i32, c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (sc == 1 && sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) {
        const vc = v128.load(at(c, i));
        const mask = condInt ? i32x4.ne(vc, i32x4.splat(0)) : f32x4.ne(vc, f32x4.splat(0));
        v128.store(at(o, i), v128.bitselect(v128.load(at(a, i)), v128.load(at(b, i)), mask));
      }
    }
  }
  for (; i < n; i++) {
    const take = condInt ? load<i32>(at(c, i * sc)) != 0 : load<f32>(at(c, i * sc)) != 0;
    store<i32>(at(o, i), take ? load<i32>(at(a, i * sa)) : load<i32>(at(b, i * sb)));
  }
}

/** out = cond ≠ 0 ? a : b over 4-byte values; operands: 0 out, 1 cond, 2 a, 3 b. */
export function where(condInt: bool, nd: i32, desc: usize, c: usize, a: usize, b: usize, o: usize): void {
  const rows = startRows(nd, desc);
  const n = shapeAt(desc, nd - 1);
  const sc = strideAt(desc, nd, 1, nd - 1);
  const sa = strideAt(desc, nd, 2, nd - 1);
  const sb = strideAt(desc, nd, 3, nd - 1);
  for (let r = 0; r < rows; r++) {
    const po = at(o, rowOffset(desc, nd, 0));
    const pc = at(c, rowOffset(desc, nd, 1));
    const pa = at(a, rowOffset(desc, nd, 2));
    const pb = at(b, rowOffset(desc, nd, 3));
    if (condInt) whereRow(true, n, pc, sc, pa, sa, pb, sb, po);
    else whereRow(false, n, pc, sc, pa, sa, pb, sb, po);
    nextRow(nd, desc);
  }
}
