/**
 * PyTorch 1.13 edge values matched after the issue-13 review, on the reference backend and every
 * WebAssembly build: erf keeps the sign of zero (torch.erf(tensor(-0.)) is -0.), gelu(−0) is −0
 * (torch.nn.functional.gelu(tensor(-0.))), and a NaN clamp bound gives NaN everywhere with a zero
 * gradient (torch.clamp(x, float('nan'), 1) → [nan, nan], x.grad → [0, 0]).
 */
import { describe, expect, it } from 'vitest';
import { clamp, erf, gelu, tensor, withBackend } from '../../src/index.js';
import { everyBuild } from '../backend/wasm_helpers.js';

describe.each(everyBuild)('PyTorch edge values on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('erf(±0) is ±0 and gelu(−0) is −0', () =>
    on(() => {
      const [negZero, posZero] = Array.from(erf(tensor([-0, 0])).data());
      expect(Object.is(negZero, -0)).toBe(true);
      expect(Object.is(posZero, 0)).toBe(true);
      expect(Object.is(gelu(tensor([-0])).data()[0], -0)).toBe(true);
    }));

  it('a NaN clamp bound gives NaN everywhere and a zero gradient', () =>
    on(() => {
      const x = tensor([1, 2, -3], { requiresGrad: true });
      const y = clamp(x, Number.NaN, 1);
      expect(Array.from(y.data())).toEqual([Number.NaN, Number.NaN, Number.NaN]);
      expect(Array.from(clamp(x, 0, Number.NaN).data())).toEqual([Number.NaN, Number.NaN, Number.NaN]);
      y.sum().backward();
      expect(Array.from(x.grad!.data())).toEqual([0, 0, 0]);
    }));

  it('a NaN clamp bound still refuses an int32 input, as clamp does', () =>
    on(() => {
      const x = tensor(Int32Array.from([1, 2]), { dtype: 'int32' });
      expect(() => clamp(x, Number.NaN, 1)).toThrow(/^clamp: /);
    }));
});
