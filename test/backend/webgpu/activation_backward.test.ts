/**
 * The WebGPU activationBackward kernel against the reference backend, bit for bit: relu (a NaN output
 * passes its gradient), sigmoid and tanh (y·y rounded before the subtraction), none.
 */
import { describe, it } from 'vitest';
import type { Backend, FusedActivation } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectBits, floats, reference, runOn } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

const ACTIVATIONS: FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];

describe('webgpu activationBackward', () => {
  it.skipIf(!gpu)(
    `every activation gives the reference's bits, with NaN, ±0, ±∞ and subnormal outputs${skip}`,
    async () => {
      for (const n of [1, 3, 17, 257, 1000]) {
        const g = floats(n, n, 3);
        const y = floats(n, n + 1, 1.5);
        const inf = Number.POSITIVE_INFINITY;
        const edge = [Number.NaN, 0, -0, inf, -inf, 1, -1, 1e-40, -1e-40, 1e-20];
        edge.forEach((v, i) => {
          if (i * 2 < n) y[i * 2] = v;
          // Tiny gradients: products below 2⁻¹²⁶ (subnormal, which SwiftShader flushes).
          if (i * 2 + 1 < n) g[i * 2 + 1] = 1e-38;
        });
        for (const activation of ACTIVATIONS) {
          const run = (backend: Backend) =>
            runOn(
              backend,
              [
                { data: g, offset: 1 },
                { data: y, offset: 2 },
              ],
              ([gv, yv], alloc) => {
                const out = alloc('float32', n);
                backend.activationBackward!({ activation, g: gv!, y: yv!, out });
                return [out];
              },
            );
          const [actual] = await run(gpu!);
          const [expected] = await run(reference);
          expectBits(actual!, expected!, `${activation} backward of ${n}`);
        }
      }
    },
  );
});
