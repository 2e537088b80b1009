/**
 * Clipping by norm on the device (src/optim/clip_norm.ts): clipGradNorm_ and clipByGlobalNorm read
 * nothing on the host, always multiply by the clamped coefficient as PyTorch 1.13 does (a NaN norm
 * makes every gradient NaN), and otherwise give the bits of the host computation they replace (each
 * tensor's norm read as a number, the squares rounded to float32 and summed in float64, the
 * coefficient divided in float64 and rounded once, the gradients scaled only when it is below 1).
 */
import { describe, expect, it } from 'vitest';
import {
  clipByGlobalNorm,
  clipGradNorm_,
  globalNorm,
  type Tensor,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import { rng } from '../backend/wasm_helpers.js';
import { backends } from '../backends.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';

type DType = 'float32' | 'float64';

/** Gradients of sizes 1, 3, 17 and 33 with seeded values of the given scale (some exact zeros). */
function grads(seed: number, scale: number, dtype: DType, shapes = [[1], [3], [17], [3, 11]]): Tensor[] {
  const next = rng(seed);
  return shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, () => (next() < 0.1 ? 0 : (next() - 0.5) * scale));
    return tensor(values, { shape, dtype });
  });
}

/** Parameters whose gradients are `gs`. */
function withGrads(gs: Tensor[]): Tensor[] {
  return gs.map((g) => {
    const p = zeros(g.shape, { dtype: g.dtype as DType, requiresGrad: true });
    p.grad = g;
    return p;
  });
}

/** The host computation clipGradNorm_ did before it moved to the device: its norm and clipped gradients. */
function hostClip(gs: Tensor[], maxNorm: number, normType: 2 | number): { total: number; out: Tensor[] } {
  const total =
    normType === 2
      ? Math.fround(
          Math.sqrt(
            gs.map((g) => g.square().sum().sqrt().item()).reduce((acc, n) => acc + Math.fround(n * n), 0),
          ),
        )
      : Math.max(0, ...gs.map((g) => (g.size === 0 ? 0 : g.abs().max().item())));
  const coef = Math.fround(maxNorm / (total + 1e-6));
  return { total, out: gs.map((g) => (coef < 1 ? g.mul(coef) : g)) };
}

function expectSameBits(actual: Tensor, expected: Tensor, where: string): void {
  const [a, b] = [actual.data(), expected.data()];
  expect(a.length, where).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Object.is(a[i], b[i]), `${where} [${i}]: ${a[i]} vs ${b[i]}`).toBe(true);
}

describe.each(backends)('clipping by norm on the device, on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);
  const dtypes: DType[] = backend.supports('float64') ? ['float32', 'float64'] : ['float32'];

  it('clipGradNorm_ gives the bits of the host computation it replaces, clipping or not, for both norms', () =>
    on(() => {
      let clipped = 0;
      for (const dtype of dtypes) {
        for (const [seed, scale] of [
          [1, 1e-3],
          [2, 0.3],
          [3, 4],
          [4, 1e3],
        ] as const) {
          for (const normType of [2, Number.POSITIVE_INFINITY]) {
            for (const maxNorm of [0, 0.5, 1, 25]) {
              const gs = grads(seed, scale, dtype);
              const expected = hostClip(gs, maxNorm, normType);
              if (expected.out[0] !== gs[0]) clipped += 1;
              const params = withGrads(gs.map((g) => g.clone()));
              const total = clipGradNorm_(params, maxNorm, normType);
              const where = `${dtype}, scale ${scale}, norm ${normType}, maxNorm ${maxNorm}`;
              expect(total.shape, where).toEqual([]);
              // The norm comes back as float32 (the host returned a float64 max norm of float64 gradients as is).
              expect(total.item(), where).toBe(Math.fround(expected.total));
              params.forEach((p, i) => {
                expectSameBits(p.grad!, expected.out[i]!, `${where}, gradient ${i}`);
              });
            }
          }
        }
      }
      // Not vacuous: both sides of the clip coefficient's min(1, ·) were taken.
      expect(clipped).toBeGreaterThan(10);
      expect(clipped).toBeLessThan(dtypes.length * 32);
    }));

  it('a NaN gradient makes every gradient NaN (PyTorch multiplies by the NaN coefficient)', () =>
    on(() => {
      const params = withGrads([tensor([1, Number.NaN, 2]), tensor([[3, 4]])]);
      const total = clipGradNorm_(params, 1);
      expect(Number.isNaN(total.item())).toBe(true);
      for (const p of params) expect(Array.from(p.grad!.data()).every(Number.isNaN)).toBe(true);
    }));

  it('an infinite gradient makes the coefficient 0: finite gradients become 0, infinite ones NaN', () =>
    on(() => {
      const params = withGrads([tensor([1, Number.POSITIVE_INFINITY]), tensor([-3])]);
      expect(clipGradNorm_(params, 1).item()).toBe(Number.POSITIVE_INFINITY);
      expect(Array.from(params[0]!.grad!.data())).toEqual([0, Number.NaN]);
      expect(Object.is(params[1]!.grad!.data()[0], -0)).toBe(true);
    }));

  it('clipByGlobalNorm scales by min(1, maxNorm/(‖u‖ + 1e-6)) rounded once to each update’s dtype', () =>
    on(() => {
      for (const dtype of dtypes) {
        for (const maxNorm of [0.01, 1, 1e4]) {
          const us = grads(7, 2, dtype);
          const total = globalNorm(us).item();
          const coef = Math.min(1, maxNorm / (total + 1e-6));
          const out = clipByGlobalNorm(maxNorm).update(us, [null, null, null, null], us);
          out.forEach((u, i) => {
            expectSameBits(u, us[i]!.mul(coef), `${dtype}, maxNorm ${maxNorm}, update ${i}`);
          });
        }
      }
    }));

  it('globalNorm and clipGradNorm_ of nothing are a 0-d zero, and no gradient changes', () =>
    on(() => {
      expect(globalNorm([]).item()).toBe(0);
      expect(clipGradNorm_([zeros([2], { requiresGrad: true })], 1).item()).toBe(0);
      const empty = withGrads([tensor([], { shape: [0] })]);
      expect(clipGradNorm_(empty, 1, Number.POSITIVE_INFINITY).item()).toBe(0);
    }));
});

it('clipGradNorm_ and clipByGlobalNorm read nothing on the host (a backend that reads only asynchronously)', async () => {
  const backend = asyncOnlyBackend();
  const { total, clippedUpdate } = withBackend(backend, () => {
    const params = withGrads(grads(3, 4, 'float32'));
    const t = clipGradNorm_(params, 0.5);
    const us = grads(5, 4, 'float32');
    return { total: t, clippedUpdate: clipByGlobalNorm(0.5).update(us, [null, null, null, null], us)[3]! };
  });
  expect(backend.reads).toBe(0);
  // The norm was clipped to 0.5 jointly, so one update's norm is below it.
  expect(await total.itemAsync()).toBeGreaterThan(0.5);
  const values = await clippedUpdate.dataAsync();
  expect(Math.hypot(...values)).toBeLessThan(0.5);
});
