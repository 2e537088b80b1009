/** The model builders: layouts, output shapes, argument checks, and resnet versus plainNet. */
import { describe, expect, it } from 'vitest';
import { noGrad, randn, scope, type Tensor, withBackend } from '../../src/index.js';
import {
  AvgPool2d,
  BatchNorm1d,
  Dropout,
  densenet,
  Linear,
  lenet5,
  MaxPool2d,
  mlp,
  plainNet,
  ReLU,
  resnet,
  Sigmoid,
  Tanh,
} from '../../src/nn/index.js';
import { backends } from '../backends.js';

const numel = (ts: Iterable<Tensor>): number => [...ts].reduce((n, t) => n + t.size, 0);

describe.each(backends)('builders on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('mlp lays out Linear, [BatchNorm1d], activation, [Dropout] per hidden layer', () =>
    on(() => {
      const model = mlp({
        sizes: [8, 6, 4, 3],
        activation: 'tanh',
        batchNorm: true,
        dropout: 0.5,
        inputDropout: 0.2,
      });
      const kinds = [Dropout, Linear, BatchNorm1d, Tanh, Dropout, Linear, BatchNorm1d, Tanh, Dropout, Linear];
      expect(model.length).toBe(kinds.length);
      for (const [i, kind] of kinds.entries()) expect(model.at(i)).toBeInstanceOf(kind);
      expect(model.call(randn([5, 8])).shape).toEqual([5, 3]);
      const plain = mlp({ sizes: [784, 100, 100, 10] });
      expect([...plain].map((m) => m.constructor.name)).toEqual([
        'Linear',
        'ReLU',
        'Linear',
        'ReLU',
        'Linear',
      ]);
      expect(mlp({ sizes: [3, 2] }).length).toBe(1);
    }));

  it('mlp checks its options', () => {
    expect(() => mlp({ sizes: [3] })).toThrow(
      'mlp: sizes must list at least the input and output widths, e.g. [784, 100, 10], got [3]',
    );
    expect(() => mlp({ sizes: [3, 0, 2] })).toThrow('mlp: sizes[1] must be a positive integer, got 0');
    expect(() => mlp({ sizes: [3, 2], dropout: 1 })).toThrow(
      'mlp: dropout is the probability of zeroing an element and must be in [0, 1), got 1',
    );
    expect(() => mlp({ sizes: [3, 4, 2], activation: 'swish' as 'relu' })).toThrow(
      'mlp: unknown activation "swish"',
    );
  });

  it('lenet5: 28×28 → 400 features → logits; variants', () =>
    on(() => {
      const net = lenet5();
      expect((net.at(7) as Linear).inFeatures).toBe(400);
      expect(net.at(2)).toBeInstanceOf(MaxPool2d);
      expect(net.at(1)).toBeInstanceOf(ReLU);
      expect(noGrad(() => net.call(randn([2, 1, 28, 28]))).shape).toEqual([2, 10]);
      const cifar = lenet5({
        inChannels: 3,
        inputSize: 32,
        classes: 100,
        activation: 'sigmoid',
        pool: 'avg',
      });
      expect((cifar.at(7) as Linear).inFeatures).toBe(576);
      expect(cifar.at(5)).toBeInstanceOf(AvgPool2d);
      expect(cifar.at(4)).toBeInstanceOf(Sigmoid);
      expect(() => lenet5({ inputSize: 10 })).toThrow('lenet5: inputSize must be at least 12, got 10');
      expect(() => lenet5({ pool: 'min' as 'max' })).toThrow(
        "lenet5: pool must be 'max' or 'avg', got \"min\"",
      );
    }));

  it('resnet: depth 6n + 2, three stages, global pooling, logits', () =>
    on(() => {
      const net = resnet({ depth: 14, width: 4, inChannels: 1, classes: 5 });
      expect(net.layer1.length).toBe(2);
      expect(net.getSubmodule('layer2.0.downsample.0')).toBeDefined();
      const y = scope(() => [...net.call(randn([2, 1, 8, 8])).shape]);
      expect(y).toEqual([2, 5]);
      expect(() => resnet({ depth: 10 })).toThrow(
        'resnet: depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, 44, 56, 110), got 10',
      );
      expect(() => plainNet({ depth: 2 })).toThrow('plainNet: depth must be 6n + 2');
    }));

  it('plainNet has resnet’s parameters minus the projection shortcuts, and the same function without them', () =>
    on(() => {
      const res = resnet({ depth: 20 });
      const plain = plainNet({ depth: 20 });
      const projections = [...res.namedParameters()]
        .filter(([k]) => k.includes('downsample'))
        .map(([, p]) => p);
      expect(projections.length).toBe(6); // two stages change shape: conv + BN weight and bias each
      expect(numel(plain.parameters())).toBe(numel(res.parameters()) - numel(projections));
      const plainNames = [...plain.namedParameters()].map(([k]) => k);
      expect(plainNames).toEqual(
        [...res.namedParameters()].map(([k]) => k).filter((k) => !k.includes('downsample')),
      );
      expect(noGrad(() => plainNet({ depth: 8, width: 2 }).call(randn([1, 3, 8, 8]))).shape).toEqual([1, 10]);
    }));

  it('densenet: channels grow by the growth rate and halve at each transition', () =>
    on(() => {
      const net = densenet({
        growthRate: 4,
        blockLayers: [2, 3],
        initChannels: 6,
        inChannels: 1,
        classes: 3,
      });
      // 6 + 2·4 = 14 → transition 7 → 7 + 3·4 = 19.
      expect(net.classifier.inFeatures).toBe(19);
      expect(noGrad(() => net.call(randn([2, 1, 8, 8]))).shape).toEqual([2, 3]);
      expect(() => densenet({ compression: 0 })).toThrow('densenet: compression must be in (0, 1], got 0');
      expect(() => densenet({ blockLayers: [] })).toThrow('densenet: blockLayers must be a non-empty list');
    }));
});
