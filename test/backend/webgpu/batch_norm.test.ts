/**
 * The WebGPU batch-norm kernels against the reference backend: the statistics (μ, σ², the running
 * averages) and the backward's sums in df64 round as the reference's float64 does, and the per-element
 * passes are its float32 operations, so on these inputs every output has the reference's bits; with
 * and without γ, β, running statistics, dγ and dβ; channels of 1 to 1000+ elements (across the
 * workgroup's 256 invocations), inner 1 and > 1.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BatchNormSpec } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectBits, floats, type Input, reference, runOn } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

const SPECS: BatchNormSpec[] = [
  { outer: 1, channels: 1, inner: 1, eps: 1e-5 },
  { outer: 2, channels: 3, inner: 1, eps: 1e-5 },
  { outer: 4, channels: 2, inner: 5, eps: 1e-3 },
  { outer: 3, channels: 5, inner: 17, eps: 1e-5 },
  { outer: 2, channels: 1, inner: 300, eps: 0.1 },
  { outer: 7, channels: 2, inner: 150, eps: 1e-5 },
];

interface Flags {
  gamma: boolean;
  beta: boolean;
  running: boolean;
}

function forwardOn(backend: Backend, spec: BatchNormSpec, inputs: Input[], flags: Flags) {
  const { outer, channels, inner } = spec;
  return runOn(backend, inputs, ([x, gamma, beta, rm, rv], alloc) => {
    const out = alloc('float32', outer * channels * inner);
    const mean = alloc('float32', channels);
    const variance = alloc('float32', channels);
    const running = flags.running ? { mean: rm!, variance: rv!, momentum: 0.1 } : null;
    backend.batchNormForward!({
      x: x!,
      gamma: flags.gamma ? gamma! : null,
      beta: flags.beta ? beta! : null,
      spec,
      out,
      mean,
      variance,
      running,
    });
    return [out, mean, variance, rm!.buffer, rv!.buffer];
  });
}

function inputsFor(spec: BatchNormSpec, seed: number, shift: number): Input[] {
  const n = spec.outer * spec.channels * spec.inner;
  const x = floats(n, seed, 3).map((v) => v + shift);
  return [
    { data: x, offset: 3 },
    { data: floats(spec.channels, seed + 1, 2), offset: 1 },
    { data: floats(spec.channels, seed + 2, 2) },
    { data: floats(spec.channels, seed + 3, 1), offset: 2 },
    { data: floats(spec.channels, seed + 4, 1).map(Math.abs) },
  ];
}

const FORWARD_FLAGS: Flags[] = [
  { gamma: true, beta: true, running: true },
  { gamma: false, beta: false, running: false },
  { gamma: true, beta: false, running: true },
  { gamma: false, beta: true, running: false },
];
const BACKWARD_FLAGS = [
  [true, true, true],
  [false, false, false],
  [true, false, true],
  [false, true, false],
] as const;

const NAMES = ['out', 'mean', 'variance', 'running mean', 'running variance'];

describe('webgpu batch norm', () => {
  it.skipIf(!gpu)(
    `forward: output, batch statistics and running statistics have the reference's bits, every γ/β/running combination${skip}`,
    async () => {
      for (const [k, spec] of SPECS.entries()) {
        // A large common offset: the two-pass variance must not cancel it away.
        const inputs = inputsFor(spec, 10 * k, k % 2 === 0 ? 0 : 1000);
        // Two of the four combinations per shape, each combination on three shapes.
        for (const flags of [FORWARD_FLAGS[k % 4]!, FORWARD_FLAGS[(k + 1) % 4]!]) {
          const actual = await forwardOn(gpu!, spec, inputs, flags);
          const expected = await forwardOn(reference, spec, inputs, flags);
          for (const [i, a] of actual.entries()) {
            expectBits(a, expected[i]!, `${NAMES[i]} of ${JSON.stringify({ spec, flags })}`);
          }
        }
      }
    },
  );

  it.skipIf(!gpu)(
    `forward: one element per channel gives variance 0 and a NaN running variance (0/0), as the reference${skip}`,
    async () => {
      const spec = SPECS[0]!;
      const [, , variance, , rv] = await forwardOn(gpu!, spec, inputsFor(spec, 5, 0), {
        gamma: true,
        beta: true,
        running: true,
      });
      expect(variance![0]).toBe(0);
      expect(rv![0]).toBeNaN();
    },
  );

  it.skipIf(!gpu)(
    `backward: dx, dγ and dβ have the reference's bits, with and without γ, dγ, dβ${skip}`,
    async () => {
      for (const [k, spec] of SPECS.entries()) {
        const n = spec.outer * spec.channels * spec.inner;
        const x = floats(n, 200 + k, 3);
        // The saved statistics as the forward leaves them (the reference's).
        const stats = await forwardOn(reference, spec, [{ data: x }, ...inputsFor(spec, 1, 0).slice(1)], {
          gamma: false,
          beta: false,
          running: false,
        });
        const inputs: Input[] = [
          { data: floats(n, 300 + k, 1), offset: 1 },
          { data: x, offset: 2 },
          { data: stats[1] as Float32Array, offset: 3 },
          { data: stats[2] as Float32Array },
          { data: floats(spec.channels, 400 + k, 2), offset: 1 },
        ];
        for (const [gamma, dGamma, dBeta] of [BACKWARD_FLAGS[k % 4]!, BACKWARD_FLAGS[(k + 1) % 4]!]) {
          const run = (backend: Backend) =>
            runOn(backend, inputs, ([g, xv, mean, variance, gm], alloc) => {
              const dx = alloc('float32', n);
              const dg = alloc('float32', spec.channels);
              const db = alloc('float32', spec.channels);
              backend.fill(dg, 7);
              backend.fill(db, 7);
              backend.batchNormBackward!({
                g: g!,
                x: xv!,
                mean: mean!,
                variance: variance!,
                gamma: gamma ? gm! : null,
                spec,
                dx,
                dGamma: dGamma ? dg : null,
                dBeta: dBeta ? db : null,
              });
              return [dx, dg, db];
            });
          const actual = await run(gpu!);
          const expected = await run(reference);
          const what = JSON.stringify({ spec, gamma, dGamma, dBeta });
          expectBits(actual[0]!, expected[0]!, `dx of ${what}`);
          expectBits(actual[1]!, expected[1]!, `dγ of ${what}`);
          expectBits(actual[2]!, expected[2]!, `dβ of ${what}`);
        }
      }
    },
  );
});
