/**
 * The WebGPU softmax kernel against the reference backend: softmax and log-softmax within a few ulps
 * (float32 exp and log of df64 sums, SOFTMAX_ULPS), across the serial and workgroup-tree launches,
 * inner 1 and > 1, rows with large logits, ±∞ and NaN.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectUlps, floats, type Input, reference, runOn, ulpDistance } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

/** The bound the kernel keeps here (2 ulps was the worst measured on these inputs). */
const SOFTMAX_ULPS = 4;
/**
 * Log-softmax near 0 (the winner of a confident row) is −log(1 + tiny): the reference's float64 sum
 * 1 + tiny is itself rounded to 2⁻⁵², which df64 (1 and tiny kept apart) is not, so the two differ by
 * up to a few 2⁻⁵³ absolutely there (seen: −4.577e-15 here against the reference's −4.663e-15, whose
 * sum rounded e^−33.02 to 21·2⁻⁵²).
 */
const LOG_ATOL = 4e-16;

interface Shape {
  outer: number;
  length: number;
  inner: number;
}

function softmaxOn(backend: Backend, x: Input, shape: Shape, log: boolean) {
  return runOn(backend, [x], ([xv], alloc) => {
    const out = alloc('float32', shape.outer * shape.length * shape.inner);
    backend.softmax({ x: xv!, ...shape, log, out });
    return [out];
  });
}

async function compare(x: Input, shape: Shape, log: boolean): Promise<number> {
  const [actual] = await softmaxOn(gpu!, x, shape, log);
  const [expected] = await softmaxOn(reference, x, shape, log);
  const what = `${log ? 'logSoftmax' : 'softmax'} over ${JSON.stringify(shape)}`;
  expectUlps(actual!, expected!, SOFTMAX_ULPS, what, log ? LOG_ATOL : 0);
  let worst = 0;
  for (let i = 0; i < actual!.length; i++) {
    if (!(log && Math.abs(actual![i]! - expected![i]!) <= LOG_ATOL)) {
      worst = Math.max(worst, ulpDistance(actual![i]!, expected![i]!));
    }
  }
  return worst;
}

const SHAPES: Shape[] = [
  { outer: 2, length: 1, inner: 1 },
  { outer: 3, length: 3, inner: 1 },
  { outer: 2, length: 17, inner: 3 },
  { outer: 4, length: 64, inner: 1 },
  { outer: 2, length: 65, inner: 2 },
  { outer: 1, length: 257, inner: 1 },
  { outer: 2, length: 1000, inner: 1 },
  { outer: 1, length: 1500, inner: 3 },
];

describe('webgpu softmax', () => {
  it.skipIf(!gpu)(
    `softmax and log-softmax within ${SOFTMAX_ULPS} ulps of the reference, every launch shape${skip}`,
    async () => {
      let worst = 0;
      for (const [k, shape] of SHAPES.entries()) {
        const n = shape.outer * shape.length * shape.inner;
        for (const log of [false, true]) {
          worst = Math.max(worst, await compare({ data: floats(n, 40 + k, 8), offset: 3 }, shape, log));
          // Logits in the hundreds: the shift by the maximum must be exact.
          worst = Math.max(worst, await compare({ data: floats(n, 60 + k, 300) }, shape, log));
        }
      }
      expect(worst).toBeLessThanOrEqual(SOFTMAX_ULPS);
    },
  );

  it.skipIf(!gpu)(
    `a confident row: log-softmax of the winner is a tiny negative number, not 0 or a rounding error${skip}`,
    async () => {
      const data = new Float32Array([20, 0, 0, 0, 1, -3, 2]);
      const shape = { outer: 1, length: 7, inner: 1 };
      const [actual] = await softmaxOn(gpu!, { data }, shape, true);
      expect(actual![0]).toBeLessThan(0);
      await compare({ data }, shape, true);
      await compare({ data }, shape, false);
    },
  );

  it.skipIf(!gpu)(
    `rows with NaN, +∞ or only −∞ are NaN; a −∞ logit gets probability 0 (${'as PyTorch'})${skip}`,
    async () => {
      const inf = Number.POSITIVE_INFINITY;
      const data = new Float32Array([1, Number.NaN, 2, 1, inf, 2, -inf, -inf, -inf, 1, -inf, 2]);
      for (const log of [false, true]) {
        const [actual] = await softmaxOn(gpu!, { data }, { outer: 4, length: 3, inner: 1 }, log);
        expect(Array.from(actual!.slice(0, 9)).every(Number.isNaN)).toBe(true);
        expect(actual![10]).toBe(log ? -inf : 0);
        await compare({ data }, { outer: 4, length: 3, inner: 1 }, log);
      }
    },
  );
});
