/**
 * The WebGPU fused linear kernel against the reference backend: act(x·Wᵀ + bias) for every
 * activation, with and without bias, on the small and tiled paths. The bound: the product within
 * float32 accumulation (k·accumulation·Σ|xᵢwᵢ|), one more rounding for the bias (2⁻²⁴·(Σ|xᵢwᵢ| + |b|)
 * on each side), carried through the activation (Lipschitz 1, sigmoid ¼), plus the activation's own
 * declared ulps of the result.
 */
import { describe, expect, it } from 'vitest';
import type { FusedActivation, LinearCall } from '../../../src/backend/backend.js';
import { ulpsOf } from '../../../src/backend/precision.js';
import { linear } from '../../../src/backend/webgpu/fused/linear.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { at, expectAccumulated, floats, reference, run } from './matmul_support.js';

const gpu = await testWebGpuBackend();
const accumulation = gpu?.precision.accumulation ?? 2 ** -23;

const ACTIVATIONS: FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];
/** Sizes of the one-thread-per-output path (the epilogue is the same code on the tiled path). */
const SIZES = [
  [0, 3, 4],
  [1, 1, 1],
  [3, 5, 4],
  [17, 65, 33],
] as const;

/** The spacing of float32 values around v (one ulp). */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

interface Run {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly activation: FusedActivation;
  readonly withBias: boolean;
}

/** act(x·Wᵀ + b) on the GPU (the kernel) or the reference, x, W and b from offsets 2, 1 and 3. */
async function apply(on: 'gpu' | 'reference', r: Run, abs = false): Promise<Float32Array> {
  const { m, n, k, activation, withBias } = r;
  const prep = (a: Float32Array, pad: number) =>
    Float32Array.of(...new Array<number>(pad).fill(9), ...a.map((v) => (abs ? Math.abs(v) : v)));
  const backend = on === 'gpu' ? gpu! : reference;
  const [out] = await run(
    backend,
    [prep(floats(m * k, 1 + m, 2), 2), prep(floats(n * k, 2 + n, 2), 1), prep(floats(n, 3 + k, 2), 3)],
    ([x, w, b]) => {
      const o = backend.allocate('float32', m * n);
      const call: LinearCall = {
        x: at(x!, 2),
        weight: at(w!, 1),
        bias: withBias ? at(b!, 3) : null,
        m,
        n,
        k,
        activation,
        out: o,
      };
      if (on === 'gpu') linear(gpu!.context, call);
      else reference.linear(call);
      return [o];
    },
  );
  return out as Float32Array;
}

/** act(x·Wᵀ + b) on the GPU within the bound above of the reference's. */
async function expectLinear(r: Run): Promise<void> {
  const [got, want, magnitude] = await Promise.all([
    apply('gpu', r),
    apply('reference', r),
    apply('reference', { ...r, activation: 'none' }, true),
  ]);
  const { k, activation } = r;
  const slope = activation === 'sigmoid' ? 0.25 : 1;
  const ulps = activation === 'sigmoid' || activation === 'tanh' ? ulpsOf(gpu!.precision, activation) : 0;
  const bound = (i: number) => slope * (k * accumulation + 2 ** -23) * magnitude[i]! + ulps * ulp(want[i]!);
  expectAccumulated(got, want, bound, `linear ${r.m}×${r.n}×${k} ${activation} bias ${r.withBias}`);
}

describe('webgpu linear', () => {
  it.skipIf(!gpu)(
    `act(x·Wᵀ + b) matches the reference for every activation, with and without bias (${webgpuSkipReason})`,
    async () => {
      for (const [m, n, k] of SIZES) {
        for (const activation of ACTIVATIONS) {
          for (const withBias of [true, false]) await expectLinear({ m, n, k, activation, withBias });
        }
      }
    },
  );

  it.skipIf(!gpu)(
    `the tiled path applies the same epilogue, tile edges included (${webgpuSkipReason})`,
    async () => {
      await expectLinear({ m: 65, n: 130, k: 40, activation: 'tanh', withBias: true });
      await expectLinear({ m: 130, n: 70, k: 40, activation: 'relu', withBias: false });
    },
  );

  it.skipIf(!gpu)(
    `relu passes NaN through and clamps negatives to 0, as the reference (${webgpuSkipReason})`,
    async () => {
      // Three rows of k = 1 against W = [1]: the sums are NaN, −1 and 1.
      const x = Float32Array.of(Number.NaN, -1, 1);
      const w = Float32Array.of(1);
      const [got] = await run(gpu!, [x, w], ([bx, bw]) => {
        const o = gpu!.allocate('float32', 3);
        linear(gpu!.context, {
          x: at(bx!),
          weight: at(bw!),
          bias: null,
          m: 3,
          n: 1,
          k: 1,
          activation: 'relu',
          out: o,
        });
        return [o];
      });
      expect(Array.from(got!)).toEqual([Number.NaN, 0, 1]);
    },
  );
});

describe('webgpu linear activation accuracy', () => {
  it.skipIf(!gpu)(
    `sigmoid and tanh of an exact sum are within the declared ulps of the reference (${webgpuSkipReason})`,
    async () => {
      // k = 1 and W = [1]: each sum is x itself, so only the activation differs.
      const x = Float32Array.from({ length: 4001 }, (_, i) => Math.fround((i - 2000) / 100));
      for (const activation of ['sigmoid', 'tanh'] as const) {
        const outs = await Promise.all(
          (['gpu', 'reference'] as const).map(async (on) => {
            const backend = on === 'gpu' ? gpu! : reference;
            const [out] = await run(backend, [x, Float32Array.of(1)], ([bx, bw]) => {
              const o = backend.allocate('float32', x.length);
              const call: LinearCall = {
                x: at(bx!),
                weight: at(bw!),
                bias: null,
                m: x.length,
                n: 1,
                k: 1,
                activation,
                out: o,
              };
              if (on === 'gpu') linear(gpu!.context, call);
              else reference.linear(call);
              return [o];
            });
            return out!;
          }),
        );
        const [got, want] = outs;
        let worst = 0;
        for (let i = 0; i < x.length; i++)
          worst = Math.max(worst, Math.abs(got![i]! - want![i]!) / ulp(want![i]!));
        expect(worst, activation).toBeLessThanOrEqual(ulpsOf(gpu!.precision, activation));
      }
    },
  );
});
