/**
 * Sequential runs Linear + ReLU/Sigmoid/Tanh as one fused linear op (where the backend has the fused
 * kernel; composed from the core where not): the same values and gradients as the layers run one by
 * one, and no fusion where a hook must see the intermediate result.
 */
import { describe, expect, it } from 'vitest';
import { hasFused } from '../../src/backend/capabilities.js';
import { Generator, Linear, ReLU, randn, Sequential, Sigmoid, Tanh, withBackend } from '../../src/index.js';
import type { Module } from '../../src/nn/module.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { backends } from '../backends.js';

function layerByLayer(layers: Module[], x: Tensor): Tensor {
  let y = x;
  for (const m of layers) y = m.forward(y);
  return y;
}

describe.each(backends)('Sequential fusion on $name', ({ backend }) => {
  const use = <T>(fn: () => T) => withBackend(backend, fn);
  for (const [name, make] of [
    ['relu', () => new ReLU()],
    ['sigmoid', () => new Sigmoid()],
    ['tanh', () => new Tanh()],
  ] as const) {
    it(`Linear + ${name} gives the unfused values and gradients, recorded as one linear op`, () =>
      use(() => {
        const g = new Generator(7);
        const layers = [new Linear(5, 17, { generator: g }), make(), new Linear(17, 3, { generator: g })];
        const net = new Sequential(...layers);
        const x = randn([9, 5], { generator: g });
        const fused = net.call(x);
        if (hasFused(backend, 'linear')) {
          expect(fused.gradFn?.primitive).toBe('linear');
          const hidden = fused.gradFn!.inputs[0]!.gradFn!;
          expect(hidden.primitive).toBe('linear');
          expect((hidden.params as { activation: string }).activation).toBe(name);
        } else {
          // Without the fused kernel (a core-only backend) the op composes: add(matmul(act(…), Wᵀ), b).
          expect(fused.gradFn?.primitive).toBe('add');
          const product = fused.gradFn!.inputs[0]!.gradFn!;
          expect(product.primitive).toBe('matmul');
          expect(product.inputs[0]!.gradFn!.primitive).toBe(name);
        }
        fused.square().sum().backward();
        const fusedGrad = Array.from(layers[0]!.parameters()[0]!.grad!.data());
        for (const p of net.parameters()) p.zeroGrad({ setToNone: true });
        const plain = layerByLayer(layers, x);
        expect(Array.from(fused.data())).toEqual(Array.from(plain.data()));
        plain.square().sum().backward();
        const plainGrad = Array.from(layers[0]!.parameters()[0]!.grad!.data());
        for (let i = 0; i < plainGrad.length; i++) expect(fusedGrad[i]).toBeCloseTo(plainGrad[i]!, 5);
      }));
  }

  it('does not fuse when the activation has a hook, so the hook sees its input and output', () =>
    use(() => {
      const relu = new ReLU();
      const net = new Sequential(new Linear(4, 6, { generator: new Generator(1) }), relu);
      const seen: number[][] = [];
      relu.registerForwardHook((_m, input, output) => {
        seen.push([input.min().item(), output.min().item()]);
      });
      const y = net.call(randn([8, 4], { generator: new Generator(2) }));
      expect(seen).toHaveLength(1);
      expect(seen[0]![0]).toBeLessThan(0);
      expect(seen[0]![1]).toBe(0);
      expect(y.gradFn?.primitive).toBe('relu');
    }));
});
