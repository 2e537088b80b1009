/**
 * Fused layer kernels: the epilogue of a linear layer (bias and activation over the product), the
 * activation's backward from its output, training-mode batch normalization forward and backward, and
 * softmax cross-entropy forward and backward. Each replaces several elementwise passes (and as many
 * calls from TypeScript) by one; src/backend/reference/fused.ts states what each computes, down to
 * the order of the float32 roundings, and the parity tests hold these to it.
 *
 * Statistics (batch norm sums, the softmax denominator) are summed in float64 in index order, so they
 * do not depend on the SIMD width.
 */
import { expf, sigmoidf, sigmoidf4, tanhf, tanhf4 } from './math';
import { fill32 } from './elementwise';
import { endInside, firstInside } from './im2col';
import { FusedActivation } from './opcodes';
import { at } from './strided';

// @ts-ignore: decorator
@inline function activate(act: i32, v: f32): f32 {
  if (act == FusedActivation.relu) return v < 0 ? 0 : v; // −0 stays −0, as in PyTorch
  if (act == FusedActivation.sigmoid) return sigmoidf(v);
  if (act == FusedActivation.tanh) return tanhf(v);
  return v;
}

// @ts-ignore: decorator
@inline function activate4(act: i32, v: v128): v128 {
  if (act == FusedActivation.relu) return v128.bitselect(f32x4.splat(0), v, f32x4.lt(v, f32x4.splat(0)));
  if (act == FusedActivation.sigmoid) return sigmoidf4(v);
  if (act == FusedActivation.tanh) return tanhf4(v);
  return v;
}

// @ts-ignore: decorator
@inline function biasActivationRows(act: i32, c: usize, m: i32, n: i32, bias: usize, hasBias: bool): void {
  for (let i = 0; i < m; i++) {
    const row = at(c, i * n);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= n; j += 4) {
        let v = v128.load(at(row, j));
        if (hasBias) v = f32x4.add(v, v128.load(at(bias, j)));
        v128.store(at(row, j), activate4(act, v));
      }
    }
    for (; j < n; j++) {
      let v = load<f32>(at(row, j));
      if (hasBias) v += load<f32>(at(bias, j));
      store<f32>(at(row, j), activate(act, v));
    }
  }
}

/** c[i, j] = act(c[i, j] + bias[j]) over a row-major [m, n] product, in place. */
export function biasActivation(c: usize, m: i32, n: i32, bias: usize, hasBias: bool, act: i32): void {
  switch (act) {
    case FusedActivation.relu: biasActivationRows(FusedActivation.relu, c, m, n, bias, hasBias); break;
    case FusedActivation.sigmoid: biasActivationRows(FusedActivation.sigmoid, c, m, n, bias, hasBias); break;
    case FusedActivation.tanh: biasActivationRows(FusedActivation.tanh, c, m, n, bias, hasBias); break;
    default: biasActivationRows(FusedActivation.none, c, m, n, bias, hasBias); break;
  }
}

// @ts-ignore: decorator
@inline function activationBackwardRun(act: i32, g: usize, y: usize, o: usize, len: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1);
    const zero = f32x4.splat(0);
    for (; i + 4 <= len; i += 4) {
      const gv = v128.load(at(g, i));
      const yv = v128.load(at(y, i));
      let r = gv;
      // Zero where y ≤ 0, not "g where y > 0": a NaN passes its gradient through (PyTorch).
      if (act == FusedActivation.relu) r = v128.bitselect(zero, gv, f32x4.le(yv, zero));
      else if (act == FusedActivation.sigmoid) r = f32x4.mul(gv, f32x4.mul(yv, f32x4.sub(one, yv)));
      else if (act == FusedActivation.tanh) r = f32x4.mul(gv, f32x4.sub(one, f32x4.mul(yv, yv)));
      v128.store(at(o, i), r);
    }
  }
  for (; i < len; i++) {
    const gv = load<f32>(at(g, i));
    const yv = load<f32>(at(y, i));
    let r = gv;
    if (act == FusedActivation.relu) r = yv <= 0 ? 0 : gv;
    else if (act == FusedActivation.sigmoid) r = gv * (yv * (1 - yv));
    else if (act == FusedActivation.tanh) r = gv * (1 - yv * yv);
    store<f32>(at(o, i), r);
  }
}

/** o = g · act′ from the activation's output y. */
export function activationBackward(act: i32, g: usize, y: usize, o: usize, len: i32): void {
  switch (act) {
    case FusedActivation.relu: activationBackwardRun(FusedActivation.relu, g, y, o, len); break;
    case FusedActivation.sigmoid: activationBackwardRun(FusedActivation.sigmoid, g, y, o, len); break;
    case FusedActivation.tanh: activationBackwardRun(FusedActivation.tanh, g, y, o, len); break;
    default: activationBackwardRun(FusedActivation.none, g, y, o, len); break;
  }
}

// ---------------------------------------------------------------- batch norm

/** Σ over (outer, inner) of channel c, in float64, in index order; with `center`, Σ (x − center)². */
function channelSum(x: usize, outer: i32, channels: i32, inner: i32, c: i32, squares: bool, center: f64): f64 {
  let s: f64 = 0;
  for (let o = 0; o < outer; o++) {
    const base = at(x, (o * channels + c) * inner);
    for (let i = 0; i < inner; i++) {
      const v = <f64>load<f32>(at(base, i));
      if (squares) {
        const d = v - center;
        s += d * d;
      } else s += v;
    }
  }
  return s;
}

/**
 * acc[c] = Σ_o x[o, c] (or, with `squares`, Σ_o (x[o, c] − means[c])²) over
 * an [outer, channels] block, in float64, each channel in row order.
 */
function rowSums(x: usize, outer: i32, channels: i32, acc: usize, squares: bool, means: usize): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 2 <= channels; c += 2) {
      const slot = acc + (<usize>c << 3);
      const mu = squares ? v128.load(means + (<usize>c << 3)) : f64x2.splat(0);
      let s = f64x2.splat(0);
      for (let o = 0; o < outer; o++) {
        const v = f64x2.promote_low_f32x4(v128.load64_zero(at(x, o * channels + c)));
        if (squares) {
          const d = f64x2.sub(v, mu);
          s = f64x2.add(s, f64x2.mul(d, d));
        } else s = f64x2.add(s, v);
      }
      v128.store(slot, s);
    }
  }
  for (; c < channels; c++) {
    const slot = acc + (<usize>c << 3);
    const mu = squares ? load<f64>(means + (<usize>c << 3)) : 0;
    let s: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const v = <f64>load<f32>(at(x, o * channels + c));
      if (squares) {
        const d = v - mu;
        s += d * d;
      } else s += v;
    }
    store<f64>(slot, s);
  }
}

/**
 * out = x·s + t per channel, s and t from the batch statistics; writes mean and (biased) variance,
 * and with hasRunning updates the running averages (see Backend.batchNormForward).
 * `scratch` holds 2·channels float32 (s and t per channel) and then 2·channels float64 (sums).
 */
export function batchNormForward(
  x: usize,
  gamma: usize,
  hasGamma: bool,
  beta: usize,
  hasBeta: bool,
  outer: i32,
  channels: i32,
  inner: i32,
  eps: f64,
  out: usize,
  mean: usize,
  variance: usize,
  runningMean: usize,
  runningVariance: usize,
  hasRunning: bool,
  momentum: f64,
  scratch: usize,
): void {
  const count = <f64>outer * <f64>inner;
  const scales = scratch;
  const shifts = at(scratch, channels);
  const mus = at(scratch, 2 * channels); // float64 [channels]
  const sqs = mus + (<usize>channels << 3); // float64 [channels]
  if (inner == 1) {
    // Rows hold every channel: accumulate a row at a time, channels side by side (two float64 lanes
    // per vector), which keeps each channel's sum in row order, as channelSum would.
    rowSums(x, outer, channels, mus, false, 0);
    for (let c = 0; c < channels; c++) store<f64>(mus + (<usize>c << 3), load<f64>(mus + (<usize>c << 3)) / count);
    rowSums(x, outer, channels, sqs, true, mus);
  }
  for (let c = 0; c < channels; c++) {
    const mu = inner == 1 ? load<f64>(mus + (<usize>c << 3)) : channelSum(x, outer, channels, inner, c, false, 0) / count;
    const squares = inner == 1 ? load<f64>(sqs + (<usize>c << 3)) : channelSum(x, outer, channels, inner, c, true, mu);
    const var32 = <f32>(squares / count);
    store<f32>(at(mean, c), <f32>mu);
    store<f32>(at(variance, c), var32);
    if (hasRunning) {
      // PyTorch's running averages, from the float64 statistics, rounded once.
      const rm = at(runningMean, c);
      const rv = at(runningVariance, c);
      store<f32>(rm, <f32>(momentum * mu + (1 - momentum) * <f64>load<f32>(rm)));
      store<f32>(rv, <f32>(momentum * (squares / (count - 1)) + (1 - momentum) * <f64>load<f32>(rv)));
    }
    const invStd = 1.0 / Math.sqrt(<f64>var32 + eps);
    const scale = <f32>((hasGamma ? <f64>load<f32>(at(gamma, c)) : 1.0) * invStd);
    const shift = <f32>((hasBeta ? <f64>load<f32>(at(beta, c)) : 0.0) - mu * <f64>scale);
    store<f32>(at(scales, c), scale);
    store<f32>(at(shifts, c), shift);
  }
  for (let o = 0; o < outer; o++) {
    if (inner == 1) {
      // One row holds every channel: run along the channels.
      const xr = at(x, o * channels);
      const orow = at(out, o * channels);
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        for (; c + 4 <= channels; c += 4) {
          const v = f32x4.mul(v128.load(at(xr, c)), v128.load(at(scales, c)));
          v128.store(at(orow, c), f32x4.add(v, v128.load(at(shifts, c))));
        }
      }
      for (; c < channels; c++) {
        store<f32>(at(orow, c), load<f32>(at(xr, c)) * load<f32>(at(scales, c)) + load<f32>(at(shifts, c)));
      }
      continue;
    }
    for (let c = 0; c < channels; c++) {
      const scale = load<f32>(at(scales, c));
      const shift = load<f32>(at(shifts, c));
      const xr = at(x, (o * channels + c) * inner);
      const orow = at(out, (o * channels + c) * inner);
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        const vs = f32x4.splat(scale);
        const vt = f32x4.splat(shift);
        for (; i + 4 <= inner; i += 4) v128.store(at(orow, i), f32x4.add(f32x4.mul(v128.load(at(xr, i)), vs), vt));
      }
      for (; i < inner; i++) store<f32>(at(orow, i), load<f32>(at(xr, i)) * scale + shift);
    }
  }
}

/** Σ_o g[o, c] and Σ_o g[o, c]·(x[o, c] − μ_c) over an [outer, channels] block, in float64, in row order. */
function gradSums(g: usize, x: usize, mean: usize, outer: i32, channels: i32, sumsG: usize, sumsGX: usize): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 2 <= channels; c += 2) {
      const mu = f64x2.promote_low_f32x4(v128.load64_zero(at(mean, c)));
      let sg = f64x2.splat(0);
      let sgx = f64x2.splat(0);
      for (let o = 0; o < outer; o++) {
        const gv = f64x2.promote_low_f32x4(v128.load64_zero(at(g, o * channels + c)));
        const xv = f64x2.promote_low_f32x4(v128.load64_zero(at(x, o * channels + c)));
        sg = f64x2.add(sg, gv);
        sgx = f64x2.add(sgx, f64x2.mul(gv, f64x2.sub(xv, mu)));
      }
      v128.store(sumsG + (<usize>c << 3), sg);
      v128.store(sumsGX + (<usize>c << 3), sgx);
    }
  }
  for (; c < channels; c++) {
    const mu = <f64>load<f32>(at(mean, c));
    let sg: f64 = 0;
    let sgx: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const gv = <f64>load<f32>(at(g, o * channels + c));
      sg += gv;
      sgx += gv * (<f64>load<f32>(at(x, o * channels + c)) - mu);
    }
    store<f64>(sumsG + (<usize>c << 3), sg);
    store<f64>(sumsGX + (<usize>c << 3), sgx);
  }
}

/**
 * dx = a·g + b·(x − μ) + d per channel (see the reference), and dGamma = Σg·x̂, dBeta = Σg.
 * `scratch` holds 3·channels float32 (a, b, d per channel), then 2·channels float64 (sums).
 */
export function batchNormBackward(
  g: usize,
  x: usize,
  mean: usize,
  variance: usize,
  gamma: usize,
  hasGamma: bool,
  outer: i32,
  channels: i32,
  inner: i32,
  eps: f64,
  dx: usize,
  dGamma: usize,
  hasDGamma: bool,
  dBeta: usize,
  hasDBeta: bool,
  scratch: usize,
): void {
  const count = <f64>outer * <f64>inner;
  const as = scratch;
  const bs = at(scratch, channels);
  const ds = at(scratch, 2 * channels);
  const sumsG = at(scratch, 3 * channels); // float64 [channels]
  const sumsGX = sumsG + (<usize>channels << 3); // float64 [channels]
  if (inner == 1) gradSums(g, x, mean, outer, channels, sumsG, sumsGX);
  for (let c = 0; c < channels; c++) {
    const mu = <f64>load<f32>(at(mean, c));
    const invStd = 1.0 / Math.sqrt(<f64>load<f32>(at(variance, c)) + eps);
    let sumG: f64 = 0;
    let sumGX: f64 = 0;
    if (inner == 1) {
      sumG = load<f64>(sumsG + (<usize>c << 3));
      sumGX = load<f64>(sumsGX + (<usize>c << 3));
    } else {
      for (let o = 0; o < outer; o++) {
        const off = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) {
          const gv = <f64>load<f32>(at(g, off + i));
          sumG += gv;
          sumGX += gv * (<f64>load<f32>(at(x, off + i)) - mu);
        }
      }
    }
    sumGX *= invStd;
    if (hasDBeta) store<f32>(at(dBeta, c), <f32>sumG);
    if (hasDGamma) store<f32>(at(dGamma, c), <f32>sumGX);
    const a64 = (hasGamma ? <f64>load<f32>(at(gamma, c)) : 1.0) * invStd;
    store<f32>(at(as, c), <f32>a64);
    store<f32>(at(bs, c), <f32>((-a64 * invStd * sumGX) / count));
    store<f32>(at(ds, c), <f32>((-a64 * sumG) / count));
  }
  for (let o = 0; o < outer; o++) {
    if (inner == 1) {
      const off = o * channels;
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        for (; c + 4 <= channels; c += 4) {
          const t = f32x4.sub(v128.load(at(x, off + c)), v128.load(at(mean, c)));
          const r = f32x4.add(
            f32x4.add(f32x4.mul(v128.load(at(as, c)), v128.load(at(g, off + c))), f32x4.mul(v128.load(at(bs, c)), t)),
            v128.load(at(ds, c)),
          );
          v128.store(at(dx, off + c), r);
        }
      }
      for (; c < channels; c++) {
        const t = load<f32>(at(x, off + c)) - load<f32>(at(mean, c));
        const r = load<f32>(at(as, c)) * load<f32>(at(g, off + c)) + load<f32>(at(bs, c)) * t + load<f32>(at(ds, c));
        store<f32>(at(dx, off + c), r);
      }
      continue;
    }
    for (let c = 0; c < channels; c++) {
      const off = (o * channels + c) * inner;
      const mu = load<f32>(at(mean, c));
      const a = load<f32>(at(as, c));
      const b = load<f32>(at(bs, c));
      const d = load<f32>(at(ds, c));
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        const vm = f32x4.splat(mu);
        const va = f32x4.splat(a);
        const vb = f32x4.splat(b);
        const vd = f32x4.splat(d);
        for (; i + 4 <= inner; i += 4) {
          const t = f32x4.sub(v128.load(at(x, off + i)), vm);
          const r = f32x4.add(f32x4.add(f32x4.mul(va, v128.load(at(g, off + i))), f32x4.mul(vb, t)), vd);
          v128.store(at(dx, off + i), r);
        }
      }
      for (; i < inner; i++) {
        const t = load<f32>(at(x, off + i)) - mu;
        store<f32>(at(dx, off + i), a * load<f32>(at(g, off + i)) + b * t + d);
      }
    }
  }
}

// ---------------------------------------------------------------- softmax cross-entropy

/** Per row: probs = softmax(logits), losses[r] = log Σ e^(z − m) − (z[target[r]] − m). */
export function softmaxCrossEntropy(logits: usize, target: usize, rows: i32, classes: i32, probs: usize, losses: usize): void {
  for (let r = 0; r < rows; r++) {
    const z = at(logits, r * classes);
    const p = at(probs, r * classes);
    let m: f32 = -Infinity;
    // An infinite maximum is subtracted as it is: a row with +∞ (or only −∞) is NaN, as in PyTorch.
    for (let c = 0; c < classes; c++) m = max<f32>(m, load<f32>(at(z, c)));
    let sum: f64 = 0;
    for (let c = 0; c < classes; c++) {
      const e = expf(load<f32>(at(z, c)) - m);
      store<f32>(at(p, c), e);
      sum += <f64>e;
    }
    const s = <f32>sum;
    for (let c = 0; c < classes; c++) store<f32>(at(p, c), load<f32>(at(p, c)) / s);
    const t = load<i32>(at(target, r));
    // log Σ − (z_t − m): z_t − m first, so that a huge m does not round log Σ away (reference/fused.ts).
    store<f32>(at(losses, r), <f32>(Math.log(sum) - (<f64>load<f32>(at(z, t)) - <f64>m)));
  }
}

/** out[r, c] = g[r]·(probs[r, c] − [c = target[r]]). */
export function softmaxCrossEntropyBackward(probs: usize, target: usize, g: usize, rows: i32, classes: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(at(target, r));
    const gv = load<f32>(at(g, r));
    const p = at(probs, r * classes);
    const o = at(out, r * classes);
    for (let c = 0; c < classes; c++) {
      const pv = load<f32>(at(p, c));
      store<f32>(at(o, c), gv * (c == t ? pv - 1 : pv));
    }
  }
}

// ---------------------------------------------------------------- max pooling

/**
 * Max over each window (padding excluded); indices get y·W + x of the winner in its plane: the first
 * maximum, or the last NaN (PyTorch's CPU rule `val > max || isnan(val)`).
 *
 * Run kernel offset by kernel offset over whole output rows (as im2col walks them), keeping the best
 * so far in `out` and `indices`: each window sees its candidates in the same row-major order as a
 * window-by-window loop, so the same element wins, but the inner loop is branch-free and, for
 * strides 1 and 2, four outputs wide.
 */
export function maxPool2dForward(
  x: usize,
  planes: i32,
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
  out: usize,
  indices: usize,
): void {
  // The fast path reads all four candidates of every window: only when each window lies inside the
  // input (no padding, and no partial last window as ceil mode would make).
  const whole = 2 * outH <= height && 2 * outW <= width;
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && whole) {
    maxPool2x2(x, planes, height, width, outH, outW, out, indices);
    return;
  }
  const length = outH * outW;
  fill32(out, planes * length, 0xff800000); // −∞
  fill32(indices, planes * length, -1);
  for (let plane = 0; plane < planes; plane++) {
    const base = at(x, plane * height * width);
    const ob = at(out, plane * length);
    const ib = at(indices, plane * length);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const shiftX = kj * dw - pw;
        const lo = firstInside(shiftX, sw, outW);
        const hi = max<i32>(lo, endInside(shiftX, sw, width, outW));
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * sh - ph + ki * dh;
          if (y < 0 || y >= height) continue;
          const row = at(base, y * width);
          const orow = at(ob, oy * outW);
          const irow = at(ib, oy * outW);
          let ox = lo;
          if (ASC_FEATURE_SIMD) {
            if (sw <= 2) {
              const step = i32x4.splat(sw);
              const lanes = i32x4(0, 1, 2, 3);
              // Loads stay inside the row: with stride 2 the second vector reaches first + 7.
              for (; ox + 4 <= hi && ox * sw + shiftX + 4 * sw <= width; ox += 4) {
                const first = ox * sw + shiftX;
                let v: v128;
                if (sw == 1) v = v128.load(at(row, first));
                else v = v128.shuffle<f32>(v128.load(at(row, first)), v128.load(at(row, first + 4)), 0, 2, 4, 6);
                const best = v128.load(at(orow, ox));
                const where = v128.load(at(irow, ox));
                const take = v128.or(
                  v128.or(i32x4.lt_s(where, i32x4.splat(0)), f32x4.gt(v, best)),
                  f32x4.ne(v, v),
                );
                const idx = i32x4.add(i32x4.splat(y * width + first), i32x4.mul(lanes, step));
                v128.store(at(orow, ox), v128.bitselect(v, best, take));
                v128.store(at(irow, ox), v128.bitselect(idx, where, take));
              }
            }
          }
          for (; ox < hi; ox++) {
            const xx = ox * sw + shiftX;
            const v = load<f32>(at(row, xx));
            const best = load<f32>(at(orow, ox));
            const where = load<i32>(at(irow, ox));
            const take = (<i32>(where < 0) | <i32>(v > best) | <i32>(v != v)) != 0;
            store<f32>(at(orow, ox), select<f32>(v, best, take));
            store<i32>(at(irow, ox), select<i32>(y * width + xx, where, take));
          }
        }
      }
    }
  }
}

/** Whether candidate v replaces the best so far: greater, or any NaN (first maximum, last NaN wins). */
// @ts-ignore: decorator
@inline function beats(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
}

/**
 * The common case, 2×2 windows with stride 2 and no padding: each window's four candidates are
 * compared in registers in row-major order (the same winner as the general loop), four windows at a
 * time.
 */
function maxPool2x2(x: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32, out: usize, indices: usize): void {
  for (let plane = 0; plane < planes; plane++) {
    const base = at(x, plane * height * width);
    for (let oy = 0; oy < outH; oy++) {
      const top = 2 * oy * width;
      const r0 = at(base, top);
      const r1 = at(base, top + width);
      const orow = at(out, (plane * outH + oy) * outW);
      const irow = at(indices, (plane * outH + oy) * outW);
      let ox = 0;
      if (ASC_FEATURE_SIMD) {
        const lanes = i32x4(0, 2, 4, 6);
        const one = i32x4.splat(1);
        const down = i32x4.splat(width);
        // Four windows at a time; the last group may overlap the one before it, which recomputes
        // the same values. (Loads stay in the row: 2·ox + 8 ≤ 2·outW ≤ width.)
        while (ox < outW && outW >= 4) {
          if (ox + 4 > outW) ox = outW - 4;
          const p0 = v128.load(at(r0, 2 * ox));
          const p1 = v128.load(at(r0, 2 * ox + 4));
          const q0 = v128.load(at(r1, 2 * ox));
          const q1 = v128.load(at(r1, 2 * ox + 4));
          let best = v128.shuffle<f32>(p0, p1, 0, 2, 4, 6);
          const i0 = i32x4.add(i32x4.splat(top + 2 * ox), lanes);
          let where = i0;
          const b = v128.shuffle<f32>(p0, p1, 1, 3, 5, 7);
          let take = beats(b, best);
          best = v128.bitselect(b, best, take);
          where = v128.bitselect(i32x4.add(i0, one), where, take);
          const c = v128.shuffle<f32>(q0, q1, 0, 2, 4, 6);
          take = beats(c, best);
          best = v128.bitselect(c, best, take);
          where = v128.bitselect(i32x4.add(i0, down), where, take);
          const d = v128.shuffle<f32>(q0, q1, 1, 3, 5, 7);
          take = beats(d, best);
          best = v128.bitselect(d, best, take);
          where = v128.bitselect(i32x4.add(i32x4.add(i0, down), one), where, take);
          v128.store(at(orow, ox), best);
          v128.store(at(irow, ox), where);
          ox += 4;
        }
      }
      for (; ox < outW; ox++) {
        const i0 = top + 2 * ox;
        let best = load<f32>(at(base, i0));
        let where = i0;
        for (let k = 1; k < 4; k++) {
          const i = i0 + (k >> 1) * width + (k & 1);
          const v = load<f32>(at(base, i));
          const take = (<i32>(v > best) | <i32>(v != v)) != 0;
          best = select<f32>(v, best, take);
          where = select<i32>(i, where, take);
        }
        store<f32>(at(orow, ox), best);
        store<i32>(at(irow, ox), where);
      }
    }
  }
}

/**
 * out (cleared here) [planes, H·W] += g at the forward's indices, in output order. A window that lies
 * entirely in the padding has no winner (index −1) and passes no gradient: its index is never used
 * as an address, which would land in the previous plane or before the buffer. An index ≥ planeSize
 * (which the forward never writes) is skipped too, so no index can write outside `out`.
 */
export function maxPool2dBackward(g: usize, indices: usize, planes: i32, planeSize: i32, length: i32, out: usize): void {
  memory.fill(out, 0, <usize>planes * <usize>planeSize << 2);
  for (let plane = 0; plane < planes; plane++) {
    const o = at(out, plane * planeSize);
    const q0 = plane * length;
    for (let q = 0; q < length; q++) {
      const i = load<i32>(at(indices, q0 + q));
      // One unsigned compare covers both i < 0 and i >= planeSize.
      if (<u32>i >= <u32>planeSize) continue;
      const p = at(o, i);
      store<f32>(p, load<f32>(p) + load<f32>(at(g, q0 + q)));
    }
  }
}
