/**
 * The fused kernels (linear with bias and activation, activation backward, batch norm forward and
 * backward, max pooling forward and backward, softmax cross-entropy forward and backward) of every WebAssembly build against the
 * reference backend, at sizes that hit the SIMD bodies and their scalar tails.
 *
 * What is promised: batch norm, max pooling and the activation backward are bit-identical (the same float64 sums
 * in the same order, the same float32 roundings); softmax cross-entropy within the
 * relative error of float32 exp; linear within float32 accumulation error of the product, plus the activation's ulps.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BufferHandle, FusedActivation, View } from '../../src/backend/backend.js';
import { ReferenceBackend } from '../../src/index.js';
import { expectBits, flat, rng, wasmBackends } from './wasm_helpers.js';

const reference = new ReferenceBackend();
const SIZES = [0, 1, 3, 4, 5, 17, 33, 100, 257];

function floats(n: number, seed: number, scale = 2): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

function upload(backend: Backend, data: Float32Array | Int32Array): BufferHandle {
  const b = backend.allocate(data instanceof Int32Array ? 'int32' : 'float32', data.length);
  backend.write(b, data);
  return b;
}

/** Runs `fn` on a backend with the inputs uploaded; returns what it read back. */
function on(
  backend: Backend,
  inputs: (Float32Array | Int32Array)[],
  fn: (views: View[]) => BufferHandle[],
): Float32Array[] {
  const views = inputs.map((d) => flat(upload(backend, d)));
  return fn(views).map((b) => backend.read!(b) as Float32Array);
}

function expectClose(
  actual: Float32Array,
  expected: Float32Array,
  atol: number,
  rtol: number,
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(actual[i]! - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, the reference has ${e}`);
    }
  }
}

const ACTIVATIONS: FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];

describe.each(wasmBackends)('fused kernels of the $variant build against the reference', ({ backend }) => {
  it('linear: act(x·Wᵀ + b) for every activation, with and without bias', () => {
    for (const [m, n, k] of [
      [0, 3, 4],
      [1, 1, 1],
      [3, 5, 4],
      [4, 17, 33],
      [17, 100, 5],
      [33, 257, 17],
    ] as const) {
      const x = floats(m * k, 1 + m);
      const w = floats(n * k, 2 + n);
      const b = floats(n, 3 + k);
      for (const activation of ACTIVATIONS) {
        for (const withBias of [true, false]) {
          const run = (be: Backend) =>
            on(be, [x, w, b], ([vx, vw, vb]) => {
              const out = be.allocate('float32', m * n);
              be.linear!({ x: vx!, weight: vw!, bias: withBias ? vb! : null, m, n, k, activation, out });
              return [out];
            })[0]!;
          expectClose(
            run(backend),
            run(reference),
            1e-5 * k,
            1e-5,
            `linear ${m}×${n}×${k} ${activation} bias ${withBias}`,
          );
        }
      }
    }
  });

  it('activationBackward is bit-identical', () => {
    for (const size of SIZES) {
      const g = floats(size, 10 + size);
      for (const activation of ACTIVATIONS) {
        // Outputs in the activation's range, with exact zeros for relu's boundary.
        const y = floats(size, 20 + size).map((v, i) =>
          activation === 'relu' ? (i % 5 === 0 ? 0 : v) : activation === 'sigmoid' ? (v + 2) / 4 : v / 2,
        );
        const run = (be: Backend) =>
          on(be, [g, y], ([vg, vy]) => {
            const out = be.allocate('float32', size);
            be.activationBackward!({ activation, g: vg!, y: vy!, out });
            return [out];
          })[0]!;
        expectBits(run(backend), run(reference), `activationBackward ${activation} size ${size}`);
      }
    }
  });

  it('batch norm forward (running averages included) and backward are bit-identical, with and without γ, β', () => {
    for (const [outer, channels, inner] of [
      [2, 1, 1],
      [3, 4, 1],
      [5, 17, 1],
      [64, 100, 1],
      [2, 3, 5],
      [4, 5, 17],
      [2, 2, 33],
    ] as const) {
      const size = outer * channels * inner;
      const x = floats(size, 30 + size, 3).map((v, i) => v + (i % channels));
      const g = floats(size, 40 + size);
      const gamma = floats(channels, 50 + channels);
      const beta = floats(channels, 60 + channels);
      const spec = { outer, channels, inner, eps: 1e-5 };
      // Running averages with values of their own; updated only in the affine runs.
      const runningMean = floats(channels, 70 + channels);
      const runningVar = floats(channels, 80 + channels).map((v) => v * v);
      for (const affine of [true, false]) {
        const run = (be: Backend) =>
          on(be, [x, g, gamma, beta, runningMean, runningVar], ([vx, vg, vgamma, vbeta, vrm, vrv]) => {
            const out = be.allocate('float32', size);
            const mean = be.allocate('float32', channels);
            const variance = be.allocate('float32', channels);
            be.batchNormForward!({
              x: vx!,
              gamma: affine ? vgamma! : null,
              beta: affine ? vbeta! : null,
              spec,
              out,
              mean,
              variance,
              running: affine ? { mean: vrm!, variance: vrv!, momentum: 0.1 } : null,
            });
            const dx = be.allocate('float32', size);
            const dGamma = be.allocate('float32', channels);
            const dBeta = be.allocate('float32', channels);
            be.batchNormBackward!({
              g: vg!,
              x: vx!,
              mean: flat(mean),
              variance: flat(variance),
              gamma: affine ? vgamma! : null,
              spec,
              dx,
              dGamma,
              dBeta,
            });
            return [out, mean, variance, dx, dGamma, dBeta, vrm!.buffer, vrv!.buffer];
          });
        const got = run(backend);
        const want = run(reference);
        // Without the update the running buffers keep their values; with it, they move.
        expect(got[6]!.some((v, c) => v !== Math.fround(runningMean[c]!))).toBe(affine);
        ['out', 'mean', 'variance', 'dx', 'dGamma', 'dBeta', 'runningMean', 'runningVar'].forEach(
          (name, i) => {
            expectBits(
              got[i]!,
              want[i]!,
              `batchNorm ${name} [${outer}, ${channels}, ${inner}] affine ${affine}`,
            );
          },
        );
      }
    }
  });

  it('im2col and col2im in the KNL layout ([C·kh·kw, N, L]) are bit-identical', () => {
    for (const [batch, channels, size, k, stride, pad] of [
      [1, 1, 3, 1, 1, 0],
      [2, 3, 5, 3, 1, 1],
      [3, 2, 7, 2, 2, 0],
      [2, 4, 17, 5, 1, 2],
    ] as const) {
      const out = Math.floor((size + 2 * pad - k) / stride) + 1;
      const spec = {
        batch,
        channels,
        height: size,
        width: size,
        kernel: [k, k] as [number, number],
        stride: [stride, stride] as [number, number],
        padding: [pad, pad] as [number, number],
        dilation: [1, 1] as [number, number],
        outHeight: out,
        outWidth: out,
        columnLayout: 'KNL' as const,
      };
      const n = batch * channels * size * size;
      const m = batch * channels * k * k * out * out;
      const x = floats(n, 100 + n);
      const cols = floats(m, 101 + m);
      const run = (be: Backend) =>
        on(be, [x, cols], ([vx, vc]) => {
          const unfolded = be.allocate('float32', m);
          be.im2col({ x: vx!, spec, padValue: 0, out: unfolded });
          const folded = be.allocate('float32', n);
          be.col2im({ cols: vc!, spec, out: folded });
          return [unfolded, folded];
        });
      const got = run(backend);
      const want = run(reference);
      expectBits(got[0]!, want[0]!, `im2col KNL ${JSON.stringify(spec)}`);
      expectBits(got[1]!, want[1]!, `col2im KNL ${JSON.stringify(spec)}`);
    }
  });

  it('max pooling forward (values and winners, ties and NaN included) and backward are bit-identical', () => {
    for (const [batch, channels, height, width, k, stride, pad, dil] of [
      [1, 1, 1, 1, 1, 1, 0, 1],
      [2, 3, 4, 4, 2, 2, 0, 1],
      [1, 2, 5, 5, 3, 2, 1, 1],
      [2, 1, 7, 5, 3, 1, 1, 1],
      [1, 2, 9, 9, 2, 1, 0, 2],
      [3, 4, 17, 17, 2, 2, 0, 1],
      // 2×2 windows, stride 2, no padding: the kernels' register path, four windows wide, and its tail.
      [2, 3, 28, 28, 2, 2, 0, 1],
      [2, 2, 10, 11, 2, 2, 0, 1],
      [1, 1, 3, 9, 2, 2, 0, 1],
    ] as const) {
      const spec = {
        batch,
        channels,
        height,
        width,
        kernel: [k, k] as [number, number],
        stride: [stride, stride] as [number, number],
        padding: [pad, pad] as [number, number],
        dilation: [dil, dil] as [number, number],
        outHeight: Math.floor((height + 2 * pad - dil * (k - 1) - 1) / stride) + 1,
        outWidth: Math.floor((width + 2 * pad - dil * (k - 1) - 1) / stride) + 1,
      };
      const size = batch * channels * height * width;
      const outSize = batch * channels * spec.outHeight * spec.outWidth;
      // Rounded to a coarse grid so that windows have ties, with a NaN now and then.
      const x = floats(size, 90 + size).map((v, i) => (i % 23 === 7 ? Number.NaN : Math.round(v * 2) / 2));
      const g = floats(outSize, 91 + outSize);
      const run = (be: Backend) =>
        on(be, [x, g], ([vx, vg]) => {
          const out = be.allocate('float32', outSize);
          const indices = be.allocate('int32', outSize);
          be.maxPool2dForward!({ x: vx!, spec, out, indices });
          const dx = be.allocate('float32', size);
          be.maxPool2dBackward!({ g: vg!, indices: flat(indices), spec, out: dx });
          return [out, indices, dx];
        });
      const got = run(backend);
      const want = run(reference);
      ['out', 'indices', 'dx'].forEach((name, i) => {
        expectBits(got[i]!, want[i]!, `maxPool2d ${name} ${JSON.stringify(spec)}`);
      });
    }
  });

  it('softmax cross-entropy forward within the relative error of float32 exp, backward bit-identical given the probabilities', () => {
    for (const rows of [0, 1, 3, 17, 64]) {
      for (const classes of [1, 3, 4, 10, 33]) {
        const logits = floats(rows * classes, 70 + rows * classes, 8);
        const r = rng(rows + 100 * classes);
        const target = Int32Array.from({ length: rows }, () => Math.floor(r() * classes));
        const g = floats(rows, 80 + rows);
        const run = (be: Backend) =>
          on(be, [logits, target], ([vl, vt]) => {
            const probs = be.allocate('float32', rows * classes);
            const losses = be.allocate('float32', rows);
            be.softmaxCrossEntropy!({ logits: vl!, target: vt!, rows, classes, probs, losses });
            return [probs, losses];
          });
        const [p, l] = run(backend);
        const [pr, lr] = run(reference);
        // The declared relative tolerance; probabilities take one more rounding (the division).
        const { rtol, atol } = backend.precision;
        expectClose(p!, pr!, 0, 2 * rtol, `probs ${rows}×${classes}`);
        expectClose(l!, lr!, atol, rtol, `losses ${rows}×${classes}`);
        // Backward from the same probabilities on both backends: exact.
        const back = (be: Backend) =>
          on(be, [pr!, target, g], ([vp, vt, vg]) => {
            const out = be.allocate('float32', rows * classes);
            be.softmaxCrossEntropyBackward!({ probs: vp!, target: vt!, g: vg!, rows, classes, out });
            return [out];
          })[0]!;
        expectBits(back(backend), back(reference), `softmaxCrossEntropyBackward ${rows}×${classes}`);
      }
    }
  });
});
