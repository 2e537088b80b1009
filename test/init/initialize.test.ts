/**
 * `initialize(model, scheme)`: each named scheme reaches every Linear and Conv2d weight (nested ones
 * included) with the right variance, biases follow the `bias` option, BatchNorm is left alone; and the
 * course's experiment in miniature: through 10 tanh layers 'little-random' makes activations vanish,
 * 'random' saturates them, 'xavier' keeps them alive; through 10 ReLU layers 'he' keeps their scale.
 *
 * Variance tolerance: 4% (≥ 5 standard errors for the 18432-element conv weight; see statistics.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, noGrad, randn, type Tensor, withBackend } from '../../src/index.js';
import { calculateFanInAndFanOut, initialize, type Scheme } from '../../src/init/index.js';
import { BatchNorm2d, Conv2d, Flatten, Linear, mlp, ReLU, Sequential, Tanh } from '../../src/nn/index.js';
import { backends } from '../backends.js';

function stats(t: Tensor): { mean: number; variance: number; maxAbs: number; meanAbs: number } {
  const d = t.data();
  let s = 0;
  let sa = 0;
  let maxAbs = 0;
  for (const v of d) {
    s += v;
    sa += Math.abs(v);
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / d.length;
  let ss = 0;
  for (const v of d) ss += (v - mean) ** 2;
  return { mean, variance: ss / (d.length - 1), maxAbs, meanAbs: sa / d.length };
}

/** A model with a conv, a BatchNorm, and a Linear nested one level down. */
function model(): Sequential {
  return new Sequential(
    new Conv2d(32, 64, 3),
    new BatchNorm2d(64),
    new ReLU(),
    new Flatten(),
    new Sequential(new Linear(512, 256), new ReLU()),
  );
}

const expectedVariance: Record<string, (fanIn: number, fanOut: number) => number> = {
  'little-random': () => 1e-4,
  random: () => 1,
  xavier: (i, o) => 2 / (i + o),
  he: (i, o) => 4 / (i + o),
  kaiming: (i) => 2 / i,
  lecun: (i) => 1 / i,
  default: (i) => 1 / (3 * i),
};

describe.each(backends)('initialize on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe.each(Object.keys(expectedVariance))('%s', (scheme) => {
    it.each(['normal', 'uniform'] as const)('distribution %s: weights, biases, BatchNorm', (distribution) =>
      on(() => {
        manualSeed(1);
        const m = model();
        expect(initialize(m, scheme as Scheme, { distribution })).toBe(m);
        const conv = m.getSubmodule('0') as Conv2d;
        const fc = m.getSubmodule('4.0') as Linear;
        for (const w of [conv.weight, fc.weight]) {
          const [fanIn, fanOut] = calculateFanInAndFanOut(w);
          const { variance } = stats(w);
          expect(Math.abs(variance / expectedVariance[scheme]!(fanIn, fanOut) - 1)).toBeLessThan(0.04);
        }
        const bn = m.stateDict();
        expect([...bn.get('1.weight')!.data()].every((v) => v === 1)).toBe(true);
        expect([...bn.get('1.bias')!.data()].every((v) => v === 0)).toBe(true);
        expect([...bn.get('1.running_var')!.data()].every((v) => v === 1)).toBe(true);
        if (scheme === 'default') {
          expect(stats(fc.bias!).maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(512));
          expect(stats(fc.bias!).maxAbs).toBeGreaterThan(0);
        } else {
          expect([...conv.bias!.data(), ...fc.bias!.data()].every((v) => v === 0)).toBe(true);
        }
      }),
    );
  });

  it("'orthogonal' makes every weight orthogonal as a matrix", () =>
    on(() => {
      const fc = new Linear(64, 32);
      initialize(new Sequential(fc), 'orthogonal');
      const w = fc.weight;
      const gram = noGrad(() => w.matmul(w.t())).data();
      for (let i = 0; i < 32; i++) {
        for (let j = 0; j < 32; j++)
          expect(Math.abs(gram[i * 32 + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-5);
      }
    }));

  it('bias options: a constant, keep, default', () =>
    on(() => {
      const fc = new Linear(100, 50);
      const m = new Sequential(fc);
      initialize(m, 'xavier', { bias: 0.5 });
      expect([...fc.bias!.data()].every((v) => v === 0.5)).toBe(true);
      initialize(m, 'he', { bias: 'keep' });
      expect([...fc.bias!.data()].every((v) => v === 0.5)).toBe(true);
      initialize(m, 'he', { bias: 'default' });
      const s = stats(fc.bias!);
      expect(s.maxAbs).toBeLessThanOrEqual(0.1);
      expect(s.maxAbs).toBeGreaterThan(0.05);
      initialize(m, 'default', { bias: 'zeros' });
      expect([...fc.bias!.data()].every((v) => v === 0)).toBe(true);
    }));

  it('uniform variants stay within their bounds', () =>
    on(() => {
      const fc = new Linear(300, 100);
      initialize(new Sequential(fc), 'he', { distribution: 'uniform' });
      const bound = Math.sqrt(12 / 400);
      expect(stats(fc.weight).maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-7));
      expect(stats(fc.weight).maxAbs).toBeGreaterThan(bound * 0.99);
    }));

  it('a custom function sees every Linear and Conv2d, depth first', () =>
    on(() => {
      const seen: string[] = [];
      initialize(model(), (w, layer) => {
        seen.push(`${layer.constructor.name}[${w.shape.join(',')}]`);
        w.assign(0.25);
      });
      expect(seen).toEqual(['Conv2d[64,32,3,3]', 'Linear[256,512]']);
    }));

  it('the same generator seed gives the same model', () =>
    on(() => {
      const a = initialize(model(), 'kaiming', { generator: new Generator(5) }).stateDict();
      const b = initialize(model(), 'kaiming', { generator: new Generator(5) }).stateDict();
      for (const [k, v] of a) expect(v.data()).toEqual(b.get(k)!.data());
    }));

  describe("the course's experiment: activations through 10 layers of width 100", () => {
    const depth = 10;
    /** Activations after each hidden activation layer for a unit-variance batch. */
    const activations = (scheme: Scheme, activation: 'tanh' | 'relu'): Tensor[] => {
      manualSeed(0);
      const net = mlp({ sizes: [100, ...new Array(depth).fill(100), 10], activation });
      initialize(net, scheme);
      const out: Tensor[] = [];
      for (const m of net.modules()) {
        if (m instanceof Tanh || m instanceof ReLU) m.registerForwardHook((_m, _x, y) => void out.push(y));
      }
      noGrad(() => net.call(randn([256, 100])));
      expect(out).toHaveLength(depth);
      return out;
    };

    it("tanh + 'little-random': activations shrink towards 0", () =>
      on(() => {
        const last = stats(activations('little-random', 'tanh')[depth - 1]!);
        expect(Math.sqrt(last.variance)).toBeLessThan(1e-6);
      }));

    it("tanh + 'random': units saturate near ±1", () =>
      on(() => {
        const last = stats(activations('random', 'tanh')[depth - 1]!);
        expect(last.meanAbs).toBeGreaterThan(0.9);
      }));

    it("tanh + 'xavier': activations stay spread out", () =>
      on(() => {
        const last = stats(activations('xavier', 'tanh')[depth - 1]!);
        expect(Math.sqrt(last.variance)).toBeGreaterThan(0.1);
        expect(last.meanAbs).toBeLessThan(0.7);
      }));

    it("relu + 'he': the second moment keeps its scale", () =>
      on(() => {
        const acts = activations('he', 'relu');
        const ms = (t: Tensor) => stats(t.square()).mean;
        const ratio = ms(acts[depth - 1]!) / ms(acts[0]!);
        expect(ratio).toBeGreaterThan(0.3);
        expect(ratio).toBeLessThan(3);
      }));
  });
});

describe('initialize errors', () => {
  it('unknown scheme, bias and distribution', () => {
    const m = new Sequential(new Linear(2, 2));
    expect(() => initialize(m, 'glorot' as never)).toThrow(
      `initialize: unknown scheme "glorot"; use one of 'little-random', 'random', 'xavier', 'he', 'kaiming', 'lecun', 'orthogonal', 'default' or a function (weight, layer) => void`,
    );
    expect(() => initialize(m, 'he', { bias: 'none' as never })).toThrow(
      `initialize: bias must be 'zeros', 'default', 'keep' or a finite number, got "none"`,
    );
    expect(() => initialize(m, 'he', { distribution: 'gaussian' as never })).toThrow(
      `initialize: distribution must be 'normal' or 'uniform', got "gaussian"`,
    );
  });
});
