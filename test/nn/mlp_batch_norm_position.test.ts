/**
 * mlp's batchNormPosition: 'pre' normalizes z (Linear, BN, activation), 'post' normalizes a (Linear,
 * activation, BN) — the two placements the lecture allows ("对z、a做BN均可") — and a position without
 * batchNorm is refused, not ignored.
 */
import { describe, expect, it } from 'vitest';
import { randn, scope } from '../../src/index.js';
import { BatchNorm1d, Dropout, Linear, mlp, ReLU, Tanh } from '../../src/nn/index.js';

const kinds = (model: ReturnType<typeof mlp>) => [...model].map((m) => m.constructor);

describe('mlp batchNormPosition', () => {
  it("'pre' (the default) puts BatchNorm1d between the Linear and the activation", () => {
    const expected = [Linear, BatchNorm1d, ReLU, Linear, BatchNorm1d, ReLU, Linear];
    expect(kinds(mlp({ sizes: [5, 4, 3, 2], batchNorm: true }))).toEqual(expected);
    expect(kinds(mlp({ sizes: [5, 4, 3, 2], batchNorm: true, batchNormPosition: 'pre' }))).toEqual(expected);
  });

  it("'post' puts BatchNorm1d after the activation, before the layer's Dropout", () => {
    const model = mlp({
      sizes: [5, 4, 3, 2],
      activation: 'tanh',
      batchNorm: true,
      batchNormPosition: 'post',
      dropout: 0.5,
    });
    expect(kinds(model)).toEqual([
      Linear,
      Tanh,
      BatchNorm1d,
      Dropout,
      Linear,
      Tanh,
      BatchNorm1d,
      Dropout,
      Linear,
    ]);
    expect((model.at(2) as BatchNorm1d).numFeatures).toBe(4);
    expect((model.at(6) as BatchNorm1d).numFeatures).toBe(3);
  });

  it("'post' normalizes the activation: in training the next Linear sees per-feature mean 0, not ReLU's ≥ 0", () =>
    scope(() => {
      const seen: Record<string, number[]> = {};
      for (const position of ['pre', 'post'] as const) {
        const model = mlp({ sizes: [6, 8, 3], batchNorm: true, batchNormPosition: position });
        const last = model.at(3) as Linear;
        last.registerForwardPreHook((_m, input) => {
          seen[position] = [...input.mean(0).data()];
        });
        model.call(randn([64, 6]));
      }
      for (const m of seen.post!) expect(Math.abs(m)).toBeLessThan(1e-5);
      // After 'pre', the Linear's input is ReLU of a standardized z: mean ≈ φ(0) = 0.40 per feature.
      for (const m of seen.pre!) expect(m).toBeGreaterThan(0.2);
    }));

  it('refuses a position without batchNorm, and an unknown position', () => {
    expect(() => mlp({ sizes: [3, 4, 2], batchNormPosition: 'post' })).toThrow(
      "mlp: batchNormPosition 'post' applies only with batchNorm: true (without it there is no BatchNorm1d to place)",
    );
    expect(() => mlp({ sizes: [3, 4, 2], batchNorm: true, batchNormPosition: 'after' as 'post' })).toThrow(
      `mlp: batchNormPosition must be 'pre' or 'post', got "after"`,
    );
  });
});
