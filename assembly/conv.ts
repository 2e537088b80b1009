/**
 * Direct 2-D convolution for stride 1, dilation 1 and one group, without unfolding (im2col): the
 * forward pass, the input gradient (a scatter of Σ_o w·g runs into the padded input gradient) and the
 * weight gradient.
 *
 * The trick that keeps the inner loops free of row boundaries: each image is copied into a zero-padded
 * scratch plane of row stride wp = W + 2·pw, and the output is computed on that stride too, as one
 * flat run of outH·wp positions q. Tap (c, i, j) of output q then reads xp[c][q + i·wp + j], a fixed
 * shift per tap, so a run of SIMD lanes needs one unaligned load per tap. The wp − outW positions at
 * the end of each row are junk (windows that wrap into the next row): the forward kernel drops them
 * when it copies the run into the output, and both gradients hold zeros of the output gradient there.
 *
 * Summation order, fixed by the shapes only: each output of the forward kernel is ((0 + t₀) + t₁) + …
 * over its taps t in (c, i, j) order, the bias added last; the input gradient's order is given at
 * conv2dInputGrad. Each weight-gradient element is summed in four lanes — lane l takes the positions
 * q ≡ l (mod 4) of every image, images in order — and the lanes are added as (l₀ + l₁) + (l₂ + l₃).
 * The scalar build follows the same orders, so it computes the SIMD build's bits; the relaxed-SIMD
 * build fuses each multiply-add, as gemm does.
 *
 * One consequence of the junk positions: they pair zero gradients with real values, so an infinite
 * input (or weight) can turn an infinite weight (or input) gradient element into NaN (0·∞).
 */
import { at } from './strided';

/** Output channels per block of the forward kernel. */
const OB = 2;
/** SIMD vectors per output channel in the forward kernel's register block (6 × 4 positions). */
const CHUNK = 24;
/** Output channels × taps per block of the weight-gradient kernel. */
const GO = 3;
const GT = 4;

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline function roundUp(n: i32, m: i32): i32 {
  return ((n + m - 1) / m) * m;
}

/** Floats of zeros a padded image needs past its last plane, for the over-reading of the last run. */
// @ts-ignore: decorator
@inline function tailFloats(run: i32, runPadded: i32, kw: i32): i32 {
  return runPadded - run + kw + 4;
}

/** dst[0:n] = src[0:n] in float32, plus `bias` when hasBias (one rounding per element). */
// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, n: i32, bias: f32, hasBias: bool): void {
  let i = 0;
  if (hasBias) {
    if (ASC_FEATURE_SIMD) {
      const b = f32x4.splat(bias);
      for (; i + 4 <= n; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(src, i)), b));
    }
    for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)) + bias);
  } else {
    if (ASC_FEATURE_SIMD) {
      for (; i + 4 <= n; i += 4) v128.store(at(dst, i), v128.load(at(src, i)));
    }
    for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
  }
}

/**
 * Where each tap (c, i, j) of a kh×kw kernel over padded planes of `plane` floats and row stride wp
 * reads, in bytes past the output position: shifts[t] = 4·(c·plane + i·wp + j) for t < C·kh·kw, and 0
 * for the padding taps up to `count`.
 */
function tapShifts(channels: i32, kh: i32, kw: i32, plane: i32, wp: i32, count: i32, shifts: usize): void {
  let t = 0;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, t++) store<i32>(at(shifts, t), (c * plane + i * wp + j) << 2);
    }
  }
  for (; t < count; t++) store<i32>(at(shifts, t), 0);
}

/**
 * Copies the image x [C, H, W] into xp [C, H + 2·ph, wp] with zero margins (wp ≥ W + 2·pw: data at
 * column pw), followed by `tail` zeros.
 */
function padImage(x: usize, channels: i32, height: i32, width: i32, ph: i32, pw: i32, wp: i32, tail: i32, xp: usize): void {
  const hp = height + 2 * ph;
  const plane = hp * wp;
  memory.fill(xp, 0, <usize>(channels * plane + tail) << 2);
  for (let c = 0; c < channels; c++) {
    for (let r = 0; r < height; r++) {
      copyRow(at(xp, c * plane + (r + ph) * wp + pw), at(x, (c * height + r) * width), width, 0, false);
    }
  }
}

/**
 * The register block of the forward and input-gradient kernels: for the 24 positions from `base`, the
 * sums over k < count of x[base + shifts[k] + position]·w0[k·wStride] and ·w1[k·wStride] (shifts in
 * bytes), each from 0 in order of k, in 12 registers; stored to d0 and d1 (24 floats each), or added
 * to what they hold with `add`; d1 only with `second`. The scalar build computes the same sums one
 * position at a time. (One flat loop over k: nested loops made V8 spill the accumulators. Inlined, so
 * that each call site's constant stride folds away.)
 */
// @ts-ignore: decorator
@inline function sums2x24(
  count: i32,
  base: usize,
  shifts: usize,
  w0: usize,
  w1: usize,
  wStride: i32,
  d0: usize,
  d1: usize,
  add: bool,
  second: bool,
): void {
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    let b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
    for (let k = 0; k < count; k++) {
      const p = base + <usize>load<i32>(at(shifts, k));
      const s = f32x4.splat(load<f32>(at(w0, k * wStride)));
      const u = f32x4.splat(load<f32>(at(w1, k * wStride)));
      const x0 = v128.load(p);
      a0 = madd(x0, s, a0);
      b0 = madd(x0, u, b0);
      const x1 = v128.load(p, 16);
      a1 = madd(x1, s, a1);
      b1 = madd(x1, u, b1);
      const x2 = v128.load(p, 32);
      a2 = madd(x2, s, a2);
      b2 = madd(x2, u, b2);
      const x3 = v128.load(p, 48);
      a3 = madd(x3, s, a3);
      b3 = madd(x3, u, b3);
      const x4 = v128.load(p, 64);
      a4 = madd(x4, s, a4);
      b4 = madd(x4, u, b4);
      const x5 = v128.load(p, 80);
      a5 = madd(x5, s, a5);
      b5 = madd(x5, u, b5);
    }
    storeRun(d0, a0, a1, a2, a3, a4, a5, add);
    if (second) storeRun(d1, b0, b1, b2, b3, b4, b5, add);
  } else {
    const rows = second ? 2 : 1;
    for (let r = 0; r < rows; r++) {
      const wr = r == 0 ? w0 : w1;
      const dr = r == 0 ? d0 : d1;
      for (let position = 0; position < CHUNK; position++) {
        let sum: f32 = 0;
        for (let k = 0; k < count; k++) {
          const x = load<f32>(at(base + <usize>load<i32>(at(shifts, k)), position));
          sum = sum + x * load<f32>(at(wr, k * wStride));
        }
        store<f32>(at(dr, position), add ? load<f32>(at(dr, position)) + sum : sum);
      }
    }
  }
}

/** Stores (or with `add`, adds) six vectors to d[0:24]. */
// @ts-ignore: decorator
@inline function storeRun(d: usize, v0: v128, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128, add: bool): void {
  if (add) {
    v0 = f32x4.add(v128.load(d), v0);
    v1 = f32x4.add(v128.load(d, 16), v1);
    v2 = f32x4.add(v128.load(d, 32), v2);
    v3 = f32x4.add(v128.load(d, 48), v3);
    v4 = f32x4.add(v128.load(d, 64), v4);
    v5 = f32x4.add(v128.load(d, 80), v5);
  }
  v128.store(d, v0);
  v128.store(d, v1, 16);
  v128.store(d, v2, 32);
  v128.store(d, v3, 48);
  v128.store(d, v4, 64);
  v128.store(d, v5, 80);
}

/**
 * One image: out [O, outH, outW] = bias + Σ_t w[o, t]·xp[shift(t) + q] over the padded image xp
 * (row stride wp), taps t = (c, i, j) in order, tap t reading `shifts[t]` bytes past the output
 * position (tapShifts). `block` holds OB runs of runPadded floats.
 */
function convolveImage(
  xp: usize,
  taps: i32,
  shifts: usize,
  w: usize,
  outChannels: i32,
  bias: usize,
  hasBias: bool,
  outH: i32,
  outW: i32,
  wp: i32,
  out: usize,
  block: usize,
  runPadded: i32,
): void {
  for (let o = 0; o < outChannels; o += OB) {
    // Two output channels at a time; an odd last channel repeats itself and its copy is dropped.
    const rows = min<i32>(OB, outChannels - o);
    const w0 = at(w, o * taps);
    const w1 = at(w, (o + rows - 1) * taps);
    for (let q = 0; q < runPadded; q += CHUNK) {
      sums2x24(taps, at(xp, q), shifts, w0, w1, 1, at(block, q), at(block, runPadded + q), false, true);
    }
    for (let r = 0; r < rows; r++) {
      const b = hasBias ? load<f32>(at(bias, o + r)) : <f32>0;
      for (let y = 0; y < outH; y++) {
        copyRow(at(out, ((o + r) * outH + y) * outW), at(block, r * runPadded + y * wp), outW, b, hasBias);
      }
    }
  }
}

/**
 * Scratch floats of one padded image (plane, tail and run block) for a convolution of a C×H×W image
 * with padding (ph, pw) and a kh×kw kernel, its output run rounded up to `multiple`: the padded image
 * (C planes and the tail) + `blockRows` runs. (No objects here: the module has no heap of its own.)
 */
// @ts-ignore: decorator
@inline function imageFloats(channels: i32, height: i32, width: i32, kh: i32, kw: i32, ph: i32, pw: i32, multiple: i32, blockRows: i32): i32 {
  const wp = width + 2 * pw;
  const run = (height + 2 * ph - kh + 1) * wp;
  const runPadded = roundUp(run, multiple);
  return roundUp(channels * (height + 2 * ph) * wp + tailFloats(run, runPadded, kw), 4) + blockRows * runPadded;
}

/** Bytes of scratch memory conv2dForward and conv2dInputGrad need (the larger of the two). */
export function conv2dScratchBytes(
  channels: i32,
  height: i32,
  width: i32,
  outChannels: i32,
  kh: i32,
  kw: i32,
  ph: i32,
  pw: i32,
): i32 {
  const outH = height + 2 * ph - kh + 1;
  const taps = channels * kh * kw;
  const forwardFloats = roundUp(taps, 4) + imageFloats(channels, height, width, kh, kw, ph, pw, CHUNK, OB);
  // The input gradient: the gradient on the padded row stride, and the padded input planes.
  const wp = width + 2 * pw;
  const runPadded = roundUp(outH * wp, CHUNK);
  const backFloats = roundUp(outChannels, 4) + outChannels * runPadded + channels * roundUp((height + 2 * ph) * wp + runPadded - outH * wp + kw, 4);
  const rowsPadded = roundUp(outChannels, GO);
  const tapsPadded = roundUp(taps, GT);
  const gradFloats =
    imageFloats(channels, height, width, kh, kw, ph, pw, 4, rowsPadded) + rowsPadded * tapsPadded * 4 + tapsPadded;
  return (max<i32>(forwardFloats, max<i32>(backFloats, gradFloats)) << 2) + 64;
}

/**
 * out [N, O, outH, outW] = bias[o] + Σ_(c,i,j) w[o, c, i, j]·x[n, c, y + i − ph, x + j − pw] (zeros
 * outside), for contiguous x [N, C, H, W] and w [O, C, kh, kw]; bias [O] when hasBias.
 */
export function conv2dForward(
  x: usize,
  batch: i32,
  channels: i32,
  height: i32,
  width: i32,
  w: usize,
  outChannels: i32,
  kh: i32,
  kw: i32,
  ph: i32,
  pw: i32,
  bias: usize,
  hasBias: bool,
  out: usize,
  scratch: usize,
): void {
  const wp = width + 2 * pw;
  const plane = (height + 2 * ph) * wp;
  const outH = height + 2 * ph - kh + 1;
  const outW = wp - kw + 1;
  const runPadded = roundUp(outH * wp, CHUNK);
  const tail = tailFloats(outH * wp, runPadded, kw);
  const taps = channels * kh * kw;
  const shifts = (scratch + 15) & ~15;
  const xp = at(shifts, roundUp(taps, 4));
  const block = at(xp, roundUp(channels * plane + tail, 4));
  tapShifts(channels, kh, kw, plane, wp, taps, shifts);
  for (let n = 0; n < batch; n++) {
    padImage(at(x, n * channels * height * width), channels, height, width, ph, pw, wp, tail, xp);
    const image = at(out, n * outChannels * outH * outW);
    convolveImage(xp, taps, shifts, w, outChannels, bias, hasBias, outH, outW, wp, image, block, runPadded);
  }
}

/**
 * The gradient of conv2dForward with respect to x, as a scatter: for each input channel c and kernel
 * tap (i, j), the run d = Σ_o w[o, c, i, j]·g[o] (over the output positions q, on the padded row
 * stride) is added into the padded input gradient at q + i·wp + j; the padding is then dropped. Only
 * real output positions are multiplied (the junk ones hold zeros), a third of the work of convolving
 * the zero-padded gradient with the flipped kernel for LeNet's second layer.
 *
 * Order, the same in every build: per channel, taps in pairs (t, t + 1); per pair, runs of 24 positions
 * in order; each run's sums over o start from 0 in order of o, and are added into the gradient tap t's
 * run first, then tap t + 1's.
 */
export function conv2dInputGrad(
  g: usize,
  batch: i32,
  channels: i32,
  height: i32,
  width: i32,
  w: usize,
  outChannels: i32,
  kh: i32,
  kw: i32,
  ph: i32,
  pw: i32,
  dx: usize,
  scratch: usize,
): void {
  const wp = width + 2 * pw;
  const outH = height + 2 * ph - kh + 1;
  const outW = wp - kw + 1;
  const run = outH * wp;
  const runPadded = roundUp(run, CHUNK);
  const taps = kh * kw;
  const weightStride = channels * taps;
  // Each channel's padded gradient plane, with room for the last run's overreach.
  const planeStride = roundUp((height + 2 * ph) * wp + runPadded - run + kw, 4);
  const rowShifts = (scratch + 15) & ~15;
  const gp = at(rowShifts, roundUp(outChannels, 4));
  const dxp = at(gp, outChannels * runPadded);
  // The sums run over o: row o of gp is o·runPadded floats on.
  for (let o = 0; o < outChannels; o++) store<i32>(at(rowShifts, o), (o * runPadded) << 2);
  memory.fill(gp, 0, <usize>(outChannels * runPadded) << 2);
  for (let n = 0; n < batch; n++) {
    const gn = at(g, n * outChannels * outH * outW);
    for (let o = 0; o < outChannels; o++) {
      for (let y = 0; y < outH; y++) {
        copyRow(at(gp, o * runPadded + y * wp), at(gn, (o * outH + y) * outW), outW, 0, false);
      }
    }
    memory.fill(dxp, 0, <usize>(channels * planeStride) << 2);
    for (let c = 0; c < channels; c++) {
      const plane = at(dxp, c * planeStride);
      for (let t = 0; t < taps; t += 2) {
        const pair = t + 1 < taps;
        const t1 = pair ? t + 1 : t;
        const w0 = at(w, c * taps + t);
        const w1 = at(w, c * taps + t1);
        const d0 = at(plane, (t / kw) * wp + (t % kw));
        const d1 = at(plane, (t1 / kw) * wp + (t1 % kw));
        for (let q = 0; q < runPadded; q += CHUNK) {
          sums2x24(outChannels, at(gp, q), rowShifts, w0, w1, weightStride, at(d0, q), at(d1, q), true, pair);
        }
      }
      for (let y = 0; y < height; y++) {
        copyRow(at(dx, ((n * channels + c) * height + y) * width), at(plane, (y + ph) * wp + pw), width, 0, false);
      }
    }
  }
}

/**
 * The gradient of conv2dForward with respect to w: dw[o, c, i, j] = Σ_n Σ_(y,x) g[n, o, y, x]·x[n, c,
 * y + i − ph, x + j − pw], summed in four lanes (see the top of this file), for the output channels
 * o0 ≤ o < o1 (threads split them; each element's sum is the same whoever computes it).
 */
export function conv2dWeightGrad(
  g: usize,
  x: usize,
  batch: i32,
  channels: i32,
  height: i32,
  width: i32,
  outChannels: i32,
  kh: i32,
  kw: i32,
  ph: i32,
  pw: i32,
  dw: usize,
  scratch: usize,
  o0: i32,
  o1: i32,
): void {
  const rows = o1 - o0;
  const wp = width + 2 * pw;
  const plane = (height + 2 * ph) * wp;
  const outH = height + 2 * ph - kh + 1;
  const outW = wp - kw + 1;
  const run = roundUp(outH * wp, 4);
  const tail = tailFloats(outH * wp, run, kw);
  const taps = channels * kh * kw;
  const rowsPadded = roundUp(rows, GO);
  const tapsPadded = roundUp(taps, GT);
  const xp = (scratch + 15) & ~15;
  const gp = at(xp, roundUp(channels * plane + tail, 4));
  const acc = at(gp, rowsPadded * run);
  const shifts = at(acc, rowsPadded * tapsPadded * 4);
  // Where each tap reads in xp; the padding taps read tap 0's place, and their sums are dropped.
  tapShifts(channels, kh, kw, plane, wp, tapsPadded, shifts);
  memory.fill(gp, 0, <usize>(rowsPadded * run + rowsPadded * tapsPadded * 4) << 2);
  const outPlane = outH * outW;
  for (let n = 0; n < batch; n++) {
    padImage(at(x, n * channels * height * width), channels, height, width, ph, pw, wp, tail, xp);
    // g[n] on the padded row stride; the junk positions and the padding rows stay zero.
    for (let o = 0; o < rows; o++) {
      for (let y = 0; y < outH; y++) {
        copyRow(at(gp, o * run + y * wp), at(g, (n * outChannels + o0 + o) * outPlane + y * outW), outW, 0, false);
      }
    }
    if (ASC_FEATURE_SIMD) {
      for (let o = 0; o < rowsPadded; o += GO) {
        const g0 = at(gp, o * run);
        const g1 = at(gp, (o + 1) * run);
        const g2 = at(gp, (o + 2) * run);
        for (let t = 0; t < tapsPadded; t += GT) {
          const p0 = xp + <usize>load<i32>(at(shifts, t));
          const p1 = xp + <usize>load<i32>(at(shifts, t + 1));
          const p2 = xp + <usize>load<i32>(at(shifts, t + 2));
          const p3 = xp + <usize>load<i32>(at(shifts, t + 3));
          const s0 = at(acc, (o * tapsPadded + t) * 4);
          const s1 = at(acc, ((o + 1) * tapsPadded + t) * 4);
          const s2 = at(acc, ((o + 2) * tapsPadded + t) * 4);
          let a0 = v128.load(s0), a1 = v128.load(s0, 16), a2 = v128.load(s0, 32), a3 = v128.load(s0, 48);
          let b0 = v128.load(s1), b1 = v128.load(s1, 16), b2 = v128.load(s1, 32), b3 = v128.load(s1, 48);
          let c0 = v128.load(s2), c1 = v128.load(s2, 16), c2 = v128.load(s2, 32), c3 = v128.load(s2, 48);
          for (let q = 0; q < run; q += 4) {
            const u0 = v128.load(at(g0, q));
            const u1 = v128.load(at(g1, q));
            const u2 = v128.load(at(g2, q));
            const x0 = v128.load(at(p0, q));
            a0 = madd(u0, x0, a0);
            b0 = madd(u1, x0, b0);
            c0 = madd(u2, x0, c0);
            const x1 = v128.load(at(p1, q));
            a1 = madd(u0, x1, a1);
            b1 = madd(u1, x1, b1);
            c1 = madd(u2, x1, c1);
            const x2 = v128.load(at(p2, q));
            a2 = madd(u0, x2, a2);
            b2 = madd(u1, x2, b2);
            c2 = madd(u2, x2, c2);
            const x3 = v128.load(at(p3, q));
            a3 = madd(u0, x3, a3);
            b3 = madd(u1, x3, b3);
            c3 = madd(u2, x3, c3);
          }
          v128.store(s0, a0);
          v128.store(s0, a1, 16);
          v128.store(s0, a2, 32);
          v128.store(s0, a3, 48);
          v128.store(s1, b0);
          v128.store(s1, b1, 16);
          v128.store(s1, b2, 32);
          v128.store(s1, b3, 48);
          v128.store(s2, c0);
          v128.store(s2, c1, 16);
          v128.store(s2, c2, 32);
          v128.store(s2, c3, 48);
        }
      }
    } else {
      for (let o = 0; o < rows; o++) {
        for (let t = 0; t < taps; t++) {
          const p = xp + <usize>load<i32>(at(shifts, t));
          const s = at(acc, (o * tapsPadded + t) * 4);
          for (let l = 0; l < 4; l++) {
            let sum = load<f32>(at(s, l));
            for (let q = l; q < run; q += 4) sum = sum + load<f32>(at(gp, o * run + q)) * load<f32>(at(p, q));
            store<f32>(at(s, l), sum);
          }
        }
      }
    }
  }
  for (let o = 0; o < rows; o++) {
    for (let t = 0; t < taps; t++) {
      const s = at(acc, (o * tapsPadded + t) * 4);
      store<f32>(at(dw, (o0 + o) * taps + t), (load<f32>(s) + load<f32>(at(s, 1))) + (load<f32>(at(s, 2)) + load<f32>(at(s, 3))));
    }
  }
}
