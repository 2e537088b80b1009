/**
 * The meaning of the fused kernels (src/backend/backend.ts), in plain TypeScript over typed arrays:
 * the specification the WebAssembly kernels (assembly/fused.ts) are held to. Float32 data is rounded
 * after every operation where the kernels round (Math.fround), so that float32 results match the
 * WebAssembly ones except where a transcendental function (exp, log, tanh) is involved; float64 data
 * (gradient checks) is computed without rounding.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type { BatchNormSpec, FusedActivation, WindowSpec } from '../backend.js';
import { relu, sigmoid } from './math.js';
import { windows } from './windows.js';

/** Rounds to float32 when the data is float32, leaves float64 alone. */
export function rounder(data: TypedArray): (v: number) => number {
  return data instanceof Float32Array ? Math.fround : (v) => v;
}

/** out[i] = act(out[i] + bias[i mod n]) over an [m, n] row-major block holding the product. */
export function biasActivation(
  out: TypedArray,
  m: number,
  n: number,
  bias: TypedArray | null,
  biasOffset: number,
  activation: FusedActivation,
): void {
  const r = rounder(out);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const q = i * n + j;
      const v = bias === null ? out[q]! : r(out[q]! + bias[biasOffset + j]!);
      out[q] =
        activation === 'relu'
          ? relu(v)
          : activation === 'sigmoid'
            ? r(sigmoid(v))
            : activation === 'tanh'
              ? r(Math.tanh(v))
              : v;
    }
  }
}

export function activationBackward(
  activation: FusedActivation,
  g: TypedArray,
  gOffset: number,
  y: TypedArray,
  yOffset: number,
  out: TypedArray,
): void {
  const r = rounder(out);
  for (let i = 0; i < out.length; i++) {
    const gv = g[gOffset + i]!;
    const yv = y[yOffset + i]!;
    out[i] =
      activation === 'relu'
        ? yv <= 0 // not yv > 0: a NaN passes its gradient through, as in PyTorch
          ? 0
          : gv
        : activation === 'sigmoid'
          ? r(gv * r(yv * r(1 - yv)))
          : activation === 'tanh'
            ? r(gv * r(1 - r(yv * yv)))
            : gv;
  }
}

/** 1/√(σ² + ε) from the stored variance, in float64 (both directions use this same value). */
export function invStdOf(variance: number, eps: number): number {
  return 1 / Math.sqrt(variance + eps);
}

export function batchNormForward(
  x: TypedArray,
  xOffset: number,
  gamma: TypedArray | null,
  gammaOffset: number,
  beta: TypedArray | null,
  betaOffset: number,
  spec: BatchNormSpec,
  out: TypedArray,
  mean: TypedArray,
  variance: TypedArray,
  running: {
    mean: TypedArray;
    meanOffset: number;
    variance: TypedArray;
    varianceOffset: number;
    momentum: number;
  } | null,
): void {
  const { outer, channels, inner, eps } = spec;
  const r = rounder(out);
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let o = 0; o < outer; o++) {
      const base = xOffset + (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) sum += x[base + i]!;
    }
    const mu = sum / count;
    let squares = 0;
    for (let o = 0; o < outer; o++) {
      const base = xOffset + (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const d = x[base + i]! - mu;
        squares += d * d;
      }
    }
    mean[c] = r(mu);
    variance[c] = r(squares / count);
    if (running !== null) {
      const m = running.momentum;
      const rm = running.meanOffset + c;
      const rv = running.varianceOffset + c;
      running.mean[rm] = r(m * mu + (1 - m) * running.mean[rm]!);
      running.variance[rv] = r(m * (squares / (count - 1)) + (1 - m) * running.variance[rv]!);
    }
    const invStd = invStdOf(variance[c]!, eps);
    const scale = r((gamma === null ? 1 : gamma[gammaOffset + c]!) * invStd);
    const shift = r((beta === null ? 0 : beta[betaOffset + c]!) - mu * scale);
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = r(r(x[xOffset + base + i]! * scale) + shift);
    }
  }
}

export function batchNormBackward(
  g: TypedArray,
  gOffset: number,
  x: TypedArray,
  xOffset: number,
  mean: TypedArray,
  meanOffset: number,
  variance: TypedArray,
  varianceOffset: number,
  gamma: TypedArray | null,
  gammaOffset: number,
  spec: BatchNormSpec,
  dx: TypedArray,
  dGamma: TypedArray | null,
  dBeta: TypedArray | null,
): void {
  const { outer, channels, inner, eps } = spec;
  const r = rounder(dx);
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    const mu = mean[meanOffset + c]!;
    const invStd = invStdOf(variance[varianceOffset + c]!, eps);
    let sumG = 0;
    let sumGX = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const gv = g[gOffset + base + i]!;
        sumG += gv;
        sumGX += gv * (x[xOffset + base + i]! - mu);
      }
    }
    sumGX *= invStd;
    if (dBeta !== null) dBeta[c] = r(sumG);
    if (dGamma !== null) dGamma[c] = r(sumGX);
    // dx = a·g + b·(x − μ) + d, with a = γ·invStd, b = −a·invStd·Σg·x̂/M, d = −a·Σg/M.
    const a64 = (gamma === null ? 1 : gamma[gammaOffset + c]!) * invStd;
    const a = r(a64);
    const b = r((-a64 * invStd * sumGX) / count);
    const d = r((-a64 * sumG) / count);
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const t = r(x[xOffset + base + i]! - mu);
        dx[base + i] = r(r(r(a * g[gOffset + base + i]!) + r(b * t)) + d);
      }
    }
  }
}

export function softmaxCrossEntropy(
  logits: TypedArray,
  logitsOffset: number,
  target: TypedArray,
  targetOffset: number,
  rows: number,
  classes: number,
  probs: TypedArray,
  losses: TypedArray,
): void {
  const r = rounder(probs);
  for (let row = 0; row < rows; row++) {
    const base = logitsOffset + row * classes;
    let m = Number.NEGATIVE_INFINITY;
    // An infinite maximum is subtracted as it is: a row with +∞ (or only −∞) is NaN, as in PyTorch.
    for (let c = 0; c < classes; c++) m = Math.max(m, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = r(Math.exp(logits[base + c]! - m));
      probs[row * classes + c] = e;
      sum += e;
    }
    const s = r(sum);
    for (let c = 0; c < classes; c++) probs[row * classes + c] = r(probs[row * classes + c]! / s);
    const t = target[targetOffset + row]!;
    // log Σ − (z_t − m), not log Σ + m − z_t: adding log Σ (≥ 0, often log 2) to a huge m first
    // would round it away (a loss of 0 for logits [1e18, 1e18]); z_t − m is small or exact.
    losses[row] = r(Math.log(sum) - (logits[base + t]! - m));
  }
}

export function softmaxCrossEntropyBackward(
  probs: TypedArray,
  probsOffset: number,
  target: TypedArray,
  targetOffset: number,
  g: TypedArray,
  gOffset: number,
  rows: number,
  classes: number,
  out: TypedArray,
): void {
  const r = rounder(out);
  for (let row = 0; row < rows; row++) {
    const t = target[targetOffset + row]!;
    const gv = g[gOffset + row]!;
    for (let c = 0; c < classes; c++) {
      const p = probs[probsOffset + row * classes + c]!;
      out[row * classes + c] = r(gv * (c === t ? r(p - 1) : p));
    }
  }
}

export function maxPool2dForward(
  x: TypedArray,
  xOffset: number,
  spec: WindowSpec,
  out: TypedArray,
  indices: TypedArray,
): void {
  const planeSize = spec.height * spec.width;
  const length = spec.outHeight * spec.outWidth;
  out.fill(Number.NEGATIVE_INFINITY);
  indices.fill(-1);
  // Each window's elements in row-major order: the first maximum wins, and any NaN replaces the best
  // so far, so the last NaN wins (PyTorch's CPU kernel: `val > maxval || isnan(val)`).
  windows(spec, (_col, src, o) => {
    if (src < 0) return;
    const v = x[xOffset + src]!;
    const best = out[o]!;
    if (indices[o]! < 0 || v > best || Number.isNaN(v)) {
      out[o] = v;
      indices[o] = src - Math.floor(o / length) * planeSize;
    }
  });
}

export function maxPool2dBackward(
  g: TypedArray,
  gOffset: number,
  indices: TypedArray,
  indicesOffset: number,
  spec: WindowSpec,
  out: TypedArray,
): void {
  const { batch, channels, height, width, outHeight, outWidth } = spec;
  const r = rounder(out);
  out.fill(0);
  const length = outHeight * outWidth;
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let o = 0; o < length; o++) {
      const q = plane * length + o;
      const index = indices[indicesOffset + q]!;
      // A window entirely in the padding has no winner (−1) and passes no gradient; used as an
      // offset, −1 would land on the previous plane's last element. An index past the plane
      // cannot come from the forward; skipping it keeps the write inside the gradient whatever
      // the indices hold.
      if (index < 0 || index >= height * width) continue;
      const at = plane * height * width + index;
      out[at] = r(out[at]! + g[gOffset + q]!);
    }
  }
}
