/**
 * layerStats: per-layer activation and gradient statistics through forward hooks and output-gradient
 * hooks — on the course's 10-layer tanh network, small random weights make the activations shrink
 * layer after layer, large ones saturate them; ReLU leaves about half the units dead. No side effects.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  getDefaultGenerator,
  initialize,
  Linear,
  manualSeed,
  mlp,
  ReLU,
  randint,
  randn,
  Sequential,
  tensor,
} from '../../src/index.js';
import { layerStats } from '../../src/train/index.js';
import { weightsOf } from './helpers.js';

/** The experiment's network: 10 Linear layers of width 64 with tanh between them. */
function tenLayers(activation: 'tanh' | 'relu') {
  return mlp({ sizes: [64, ...new Array(9).fill(64), 10], activation });
}

describe('layerStats', () => {
  it("small random weights (N(0, 0.01²)): each tanh layer's std is smaller than the one before", () => {
    manualSeed(1);
    const net = tenLayers('tanh');
    initialize(net, 'little-random');
    const x = randn([128, 64]);
    const y = randint(0, 10, [128]);
    const stats = layerStats(net, x, { y, loss: 'crossEntropy', range: [-1, 1], bins: 20 });
    expect(stats.map((s) => s.type)).toEqual([...new Array(9).fill(['Linear', 'Tanh']).flat(), 'Linear']);
    expect(stats.map((s) => s.name).slice(0, 3)).toEqual(['0', '1', '2']);
    const tanh = stats.filter((s) => s.type === 'Tanh');
    expect(tanh).toHaveLength(9);
    for (let i = 1; i < tanh.length; i++) {
      expect(tanh[i]!.std).toBeLessThan(tanh[i - 1]!.std * 0.2);
    }
    expect(tanh[0]!.std).toBeGreaterThan(0.05);
    expect(tanh[0]!.std).toBeLessThan(0.15);
    for (const s of tanh) {
      expect(s.shape).toEqual([128, 64]);
      expect(s.saturatedFraction).toBe(0);
      expect(s.histogram.edges).toHaveLength(21);
      expect(s.histogram.edges[0]).toBe(-1);
      expect(s.histogram.edges[20]).toBe(1);
      expect(s.histogram.counts.reduce((a, b) => a + b, 0) + s.histogram.outside).toBe(128 * 64);
      expect(Math.abs(s.mean)).toBeLessThan(3 * s.std);
    }
    // deep layers: everything in the two bins around 0
    expect(tanh[8]!.histogram.counts[9]! + tanh[8]!.histogram.counts[10]!).toBe(128 * 64);
    // gradients vanish on the way back: the first layers get far smaller gradients than the last
    expect(tanh[0]!.gradStd).toBeGreaterThan(0);
    expect(tanh[0]!.gradStd!).toBeLessThan(tanh[8]!.gradStd! * 1e-6);
  });

  it('large random weights (N(0, 1)) saturate tanh units at ±1', () => {
    manualSeed(2);
    const net = tenLayers('tanh');
    initialize(net, 'random');
    const stats = layerStats(net, randn([64, 64])).filter((s) => s.type === 'Tanh');
    for (const s of stats) {
      expect(s.saturatedFraction).toBeGreaterThan(0.7);
      expect(s.std).toBeGreaterThan(0.9);
      expect(s.min).toBeGreaterThanOrEqual(-1);
      expect(s.max).toBeLessThanOrEqual(1);
      expect(s.gradStd).toBeUndefined();
    }
  });

  it('ReLU layers have about half their units dead (exactly 0)', () => {
    manualSeed(3);
    const net = tenLayers('relu');
    initialize(net, 'kaiming');
    const stats = layerStats(net, randn([128, 64])).filter((s) => s.type === 'ReLU');
    for (const s of stats) {
      expect(s.deadFraction).toBeGreaterThan(0.3);
      expect(s.deadFraction).toBeLessThan(0.7);
      expect(s.min).toBe(0);
    }
  });

  it('computes exact values on a known activation', () => {
    const net = new Sequential(new Linear(1, 1));
    net.loadStateDict({ '0.weight': tensor([[1]]), '0.bias': tensor([0]) });
    const [s] = layerStats(net, tensor([[0], [0], [0.995], [-1], [0.5]]), { bins: 4 });
    expect(s!.mean).toBeCloseTo(0.099, 6);
    const m = 0.099;
    const expectedStd = Math.sqrt([0, 0, 0.995, -1, 0.5].reduce((a, v) => a + (v - m) ** 2, 0) / 5);
    expect(s!.std).toBeCloseTo(expectedStd, 6);
    expect(s!.deadFraction).toBe(0.4);
    expect(s!.saturatedFraction).toBe(0.4);
    expect(s!.histogram.edges.map((e) => Number(e.toFixed(6)))).toEqual([
      -1, -0.50125, -0.0025, 0.49625, 0.995,
    ]);
    expect(s!.histogram.counts).toEqual([1, 0, 2, 2]);
    expect(s!.histogram.outside).toBe(0);
    expect(layerStats(net, tensor([[2], [0]]), { bins: 2, range: [-1, 1] })[0]!.histogram).toEqual({
      edges: [-1, 0, 1],
      counts: [0, 1],
      outside: 1,
    });
  });

  it('has no side effects: BatchNorm statistics, gradients, generator and modes are left as they were', () => {
    manualSeed(4);
    const net = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
    const weights = weightsOf(net);
    const x = randn([8, 3]);
    const y = randint(0, 2, [8]);
    const rng = getDefaultGenerator().getState();
    const stats = layerStats(net, x, { y, loss: 'crossEntropy' });
    expect(stats).toHaveLength(4);
    expect(stats.every((s) => typeof s.gradStd === 'number')).toBe(true);
    expect(weightsOf(net)).toEqual(weights);
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    expect(getDefaultGenerator().getState()).toEqual(rng);
    net.eval();
    layerStats(net, x, { mode: 'train' });
    expect(net.training).toBe(false);
    expect(weightsOf(net)).toEqual(weights);
  });

  it('selects layers with a predicate and checks its options', () => {
    const net = mlp({ sizes: [2, 3, 2] });
    const x = randn([4, 2]);
    expect(layerStats(net, x, { layers: (name) => name === '' }).map((s) => s.name)).toEqual(['']);
    expect(() => layerStats(net, x, { bins: 0 })).toThrow(
      'layerStats: bins must be a positive integer, got 0',
    );
    expect(() => layerStats(net, x, { range: [1, 1] })).toThrow(
      'layerStats: range must be [low, high] with low < high, got an array of 2',
    );
    expect(() => layerStats(net, x, { loss: 'crossEntropy' })).toThrow(
      'layerStats: gradient statistics need both y (a Tensor) and loss; y is undefined',
    );
    expect(() => layerStats(net, x, { y: tensor([0, 1, 0, 1]) })).toThrow(
      'layerStats: options.loss is required',
    );
    expect(() => layerStats(net, [1] as never)).toThrow('layerStats: x must be a Tensor, got an array of 1');
  });
});
