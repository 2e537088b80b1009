/**
 * The WebGPU softmax cross-entropy kernels against the reference backend: the forward's probabilities
 * and losses within a few ulps (float32 exp and log of a df64 sum, as softmax), across the serial and
 * workgroup-tree launches; the backward bit for bit; NaN and ±∞ logits as in PyTorch.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectBits, expectUlps, floats, type Input, reference, rng, runOn } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

const ULPS = 4;
/** A loss near 0 is log(1 + tiny): the reference's float64 sum rounds 1 + tiny to 2⁻⁵² (softmax.test.ts). */
const LOSS_ATOL = 4e-16;

function targets(rows: number, classes: number, seed: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: rows }, () => Math.floor(r() * classes));
}

function forwardOn(backend: Backend, logits: Input, target: Input, rows: number, classes: number) {
  return runOn(backend, [logits, target], ([lv, tv], alloc) => {
    const probs = alloc('float32', rows * classes);
    const losses = alloc('float32', rows);
    backend.softmaxCrossEntropy!({ logits: lv!, target: tv!, rows, classes, probs, losses });
    return [probs, losses];
  });
}

async function compareForward(logits: Input, target: Input, rows: number, classes: number): Promise<void> {
  const [probs, losses] = await forwardOn(gpu!, logits, target, rows, classes);
  const [refProbs, refLosses] = await forwardOn(reference, logits, target, rows, classes);
  expectUlps(probs!, refProbs!, ULPS, `probs of ${rows}×${classes}`);
  expectUlps(losses!, refLosses!, ULPS, `losses of ${rows}×${classes}`, LOSS_ATOL);
}

const SIZES: [number, number][] = [
  [1, 1],
  [3, 3],
  [5, 10],
  [4, 17],
  [2, 64],
  [3, 65],
  [2, 257],
  [2, 1000],
];

describe('webgpu softmax cross-entropy', () => {
  it.skipIf(!gpu)(
    `forward: probabilities and losses within ${ULPS} ulps of the reference${skip}`,
    async () => {
      for (const [k, [rows, classes]] of SIZES.entries()) {
        const target = { data: targets(rows, classes, 70 + k), offset: 1 };
        await compareForward({ data: floats(rows * classes, 80 + k, 6), offset: 3 }, target, rows, classes);
        await compareForward({ data: floats(rows * classes, 90 + k, 200) }, target, rows, classes);
      }
    },
  );

  it.skipIf(!gpu)(
    `forward: a confident correct row has a tiny positive loss; huge equal logits give log 2${skip}`,
    async () => {
      const logits = new Float32Array([30, 0, 0, 1e18, 1e18, -5]);
      const target = new Int32Array([0, 1]);
      const [, losses] = await forwardOn(gpu!, { data: logits }, { data: target }, 2, 3);
      expect(losses![0]).toBeGreaterThan(0);
      expect(losses![1]).toBe(Math.fround(Math.LN2));
      await compareForward({ data: logits }, { data: target }, 2, 3);
    },
  );

  it.skipIf(!gpu)(`forward: rows with NaN or +∞ are NaN; a −∞ logit has probability 0${skip}`, async () => {
    const inf = Number.POSITIVE_INFINITY;
    const logits = new Float32Array([1, Number.NaN, 2, 1, inf, 2, 1, -inf, 2]);
    const target = new Int32Array([0, 0, 0]);
    const [probs, losses] = await forwardOn(gpu!, { data: logits }, { data: target }, 3, 3);
    expect(Array.from(probs!.slice(0, 6)).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(losses![0]!) && Number.isNaN(losses![1]!)).toBe(true);
    expect(probs![7]).toBe(0);
    await compareForward({ data: logits }, { data: target }, 3, 3);
  });

  it.skipIf(!gpu)(`backward: g·(p − onehot) bit for bit${skip}`, async () => {
    for (const [k, [rows, classes]] of SIZES.entries()) {
      const probs = { data: floats(rows * classes, 110 + k, 1), offset: 2 };
      const target = { data: targets(rows, classes, 120 + k) };
      const gData = floats(rows, 130 + k, 3);
      gData[0] = 1e-38; // products below 2⁻¹²⁶: subnormal, which SwiftShader flushes
      const g = { data: gData, offset: 1 };
      const run = (backend: Backend) =>
        runOn(backend, [probs, target, g], ([pv, tv, gv], alloc) => {
          const out = alloc('float32', rows * classes);
          backend.softmaxCrossEntropyBackward!({ probs: pv!, target: tv!, g: gv!, rows, classes, out });
          return [out];
        });
      const [actual] = await run(gpu!);
      const [expected] = await run(reference);
      expectBits(actual!, expected!, `backward of ${rows}×${classes}`);
    }
  });
});
