/**
 * mlp's `residual` option (the lecture's 残差连接): a hidden block whose widths agree becomes
 * x + block(x); one that changes the width stays plain; the parameters are the plain network's.
 */
import { describe, expect, it } from 'vitest';
import { crossEntropy, manualSeed, randn, scope, tensor } from '../../src/index.js';
import { zeros_ } from '../../src/init/index.js';
import { Dropout, Linear, mlp, Residual, Sequential } from '../../src/nn/index.js';

const count = (model: ReturnType<typeof mlp>) =>
  model.parameters().reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);

/** The first Linear's weight-gradient norm of `model` on a fixed batch. */
function firstGradNorm(model: ReturnType<typeof mlp>): number {
  return scope(() => {
    manualSeed(1);
    const x = randn([32, 2]);
    const y = tensor(
      Array.from({ length: 32 }, (_, i) => i % 2),
      { dtype: 'int32' },
    );
    crossEntropy(model.call(x), y).backward();
    const first = model.parameters()[0]!;
    return Math.sqrt(first.grad!.square().sum().item());
  });
}

describe('mlp residual', () => {
  it('wraps each equal-width hidden block in a Residual and keeps width-changing blocks plain', () => {
    const model = mlp({ sizes: [2, 16, 16, 8, 3], residual: true, dropout: 0.1 });
    const children = [...model];
    expect(children.map((m) => m.constructor)).toEqual([Sequential, Residual, Sequential, Linear]);
    const inner = (children[1] as Residual).fn as Sequential;
    expect([...inner].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Dropout']);
    expect([...inner][2]).toBeInstanceOf(Dropout);
    expect([...model.stateDict().keys()]).toContain('1.fn.0.weight');
  });

  it('has exactly the plain network’s parameter count (identity shortcuts, no projection)', () => {
    const plain = mlp({ sizes: [4, 10, 10, 6, 3], batchNorm: true });
    const res = mlp({ sizes: [4, 10, 10, 6, 3], batchNorm: true, residual: true });
    // 4·10+10 + 2·10 (BN) + 10·10+10 + 2·10 + 10·6+6 + 2·6 + 6·3+3
    expect(count(plain)).toBe(299);
    expect(count(res)).toBe(299);
  });

  it('adds the input: a residual block with zeroed weights is the identity (relu(0) = 0)', () => {
    const model = mlp({ sizes: [5, 5, 5], residual: true });
    const block = [...model][0] as Residual;
    for (const p of block.parameters()) zeros_(p);
    scope(() => {
      const x = randn([3, 5]);
      expect(block.call(x).toArray()).toEqual(x.toArray());
    });
  });

  it('leaves the plain network unchanged without the option (flat children, PyTorch indices)', () => {
    const model = mlp({ sizes: [2, 4, 4, 2] });
    expect([...model].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear', 'ReLU', 'Linear']);
  });

  it('lets the gradient reach the first layer of a deep sigmoid mlp (no vanishing through the skips)', () => {
    const sizes = [2, ...Array<number>(12).fill(8), 2];
    manualSeed(0);
    const plain = firstGradNorm(mlp({ sizes, activation: 'sigmoid' }));
    manualSeed(0);
    const res = firstGradNorm(mlp({ sizes, activation: 'sigmoid', residual: true }));
    expect(res).toBeGreaterThan(100 * plain);
  });

  it('refuses a residual that is not a boolean, by name', () => {
    expect(() => mlp({ sizes: [2, 2], residual: 'yes' as never })).toThrow(
      /mlp: residual must be true or false, got "yes"/,
    );
  });
});
