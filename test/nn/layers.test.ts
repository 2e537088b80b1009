/**
 * Layer behaviour beyond the goldens: Dropout statistics, BatchNorm's error paths, skip connections,
 * dense blocks, activations and argument checks (errors read by their messages).
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  batchNormTrain,
  elu,
  Generator,
  gelu,
  leakyRelu,
  logSoftmax,
  manualSeed,
  noGrad,
  ones,
  randn,
  relu,
  scope,
  sigmoid,
  softmax,
  softplus,
  tanh,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import {
  activationLayer,
  BasicBlock,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  convProjection,
  DenseBlock,
  DenseMLPBlock,
  Dropout,
  ELU,
  Flatten,
  GELU,
  GlobalAvgPool2d,
  Identity,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  linearProjection,
  ReLU,
  Residual,
  Sequential,
  Sigmoid,
  Softmax,
  Softplus,
  Tanh,
  Transition,
} from '../../src/nn/index.js';
import { backends } from '../backends.js';

describe.each(backends)('layers on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe('Dropout', () => {
    it('keeps a fraction ≈ 1 − p, scales survivors by 1/(1 − p) and preserves the mean', () =>
      on(() => {
        // n = 100 000, p = 0.3: the keep rate has std √(p(1−p)/n) ≈ 0.0014 and the mean of the
        // output std √(p/((1−p)n)) ≈ 0.0021; the tolerances are about 7 standard deviations.
        const p = 0.3;
        const drop = new Dropout(p, { generator: new Generator(123) });
        const y = Array.from(drop.call(ones([100, 1000])).data());
        const kept = y.filter((v) => v !== 0);
        expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.7)]));
        expect(Math.abs(kept.length / y.length - (1 - p))).toBeLessThan(0.01);
        const m = y.reduce((a, b) => a + b, 0) / y.length;
        expect(Math.abs(m - 1)).toBeLessThan(0.015);
      }));

    it('is seeded: the same generator state gives the same mask; eval and p = 0 are the identity', () =>
      on(() => {
        const x = randn([4, 6]);
        const a = new Dropout(0.5, { generator: new Generator(7) }).call(x).toArray();
        const b = new Dropout(0.5, { generator: new Generator(7) }).call(x).toArray();
        expect(a).toEqual(b);
        manualSeed(11);
        const c = new Dropout(0.5).call(x).toArray();
        manualSeed(11);
        expect(new Dropout(0.5).call(x).toArray()).toEqual(c);
        const drop = new Dropout(0.5);
        expect(drop.eval().call(x)).toBe(x);
        expect(new Dropout(0).call(x)).toBe(x);
      }));

    it('back-propagates through the same mask', () =>
      on(() => {
        const x = randn([3, 5], { requiresGrad: true });
        const y = new Dropout(0.4, { generator: new Generator(1) }).call(x);
        y.sum().backward();
        const scale = Math.fround(1 / 0.6);
        const mask = Array.from(y.data()).map((v, i) => (v === 0 && x.data()[i] !== 0 ? 0 : scale));
        expect(Array.from(x.grad!.data())).toEqual(mask);
      }));

    it('validates p in [0, 1] (1 as PyTorch: test/nn/dropout_p1.test.ts)', () => {
      for (const p of [-0.1, Number.NaN, 1.5]) {
        expect(() => new Dropout(p)).toThrow(
          `Dropout: p is the probability of zeroing an element and must be in [0, 1], got ${JSON.stringify(p)}`,
        );
      }
    });
  });

  describe('BatchNorm', () => {
    it('a training batch with one value per channel is an error; evaluation accepts it', () =>
      on(() => {
        const bn = new BatchNorm1d(3);
        expect(() => bn.call(randn([1, 3]))).toThrow(
          'BatchNorm1d: expected more than 1 value per channel when training, got input of shape [1, 3] (use a batch of at least 2, or eval())',
        );
        expect(() => new BatchNorm2d(2).call(randn([1, 2, 1, 1]))).toThrow(
          'BatchNorm2d: expected more than 1 value per channel when training, got input of shape [1, 2, 1, 1]',
        );
        expect(bn.numBatchesTracked!.item()).toBe(0);
        expect(bn.eval().call(randn([1, 3])).shape).toEqual([1, 3]);
        // Without running statistics, batch statistics are used in evaluation too.
        const untracked = new BatchNorm2d(2, { trackRunningStats: false }).eval();
        expect(() => untracked.call(randn([1, 2, 1, 1]))).toThrow('expected more than 1 value per channel');
        expect([...untracked.stateDict().keys()]).toEqual(['weight', 'bias']);
        // A single sample with spatial extent is fine: the statistics run over H·W too.
        expect(new BatchNorm2d(2).call(randn([1, 2, 2, 2])).shape).toEqual([1, 2, 2, 2]);
      }));

    it('normalizes each channel to mean 0 and variance 1 in training', () =>
      on(() => {
        const bn = new BatchNorm2d(3);
        const y = bn.call(randn([6, 3, 4, 4]).mul(3).add(5));
        const mean = y.mean([0, 2, 3]);
        const v = y.var([0, 2, 3], { correction: 0 });
        for (const m of mean.data()) expect(Math.abs(m)).toBeLessThan(1e-5);
        for (const s of v.data()) expect(Math.abs(s - 1)).toBeLessThan(1e-3);
      }));

    it('checks its input and options', () =>
      on(() => {
        expect(() => new BatchNorm1d(3).call(randn([2, 3, 4, 5]))).toThrow(
          'BatchNorm1d: expected a 2-D or 3-D input (N, C) or (N, C, L), got shape [2, 3, 4, 5]',
        );
        expect(() => new BatchNorm2d(3).call(randn([2, 3, 4]))).toThrow(
          'BatchNorm2d: expected a 4-D input (N, C, H, W), got shape [2, 3, 4]',
        );
        expect(() => new BatchNorm2d(3).call(randn([2, 4, 2, 2]))).toThrow(
          'BatchNorm2d: expected numFeatures = 3 entries along dimension 1, got input of shape [2, 4, 2, 2]',
        );
        expect(() => new BatchNorm1d(3, { momentum: 2 })).toThrow(
          'BatchNorm1d: momentum must be a number in [0, 1] or null, got 2',
        );
        expect(() => new BatchNorm1d(0)).toThrow(
          'BatchNorm1d: numFeatures must be a positive integer, got 0',
        );
      }));

    it('updates running statistics under noGrad too, and resetRunningStats restores them', () =>
      on(() => {
        const bn = new BatchNorm1d(2);
        noGrad(() =>
          bn.call(
            tensor([
              [1, 2],
              [3, 6],
            ]),
          ),
        );
        expect(Array.from(bn.runningMean!.data())).toEqual([0.2, 0.4].map(Math.fround));
        // Unbiased variance of [1, 3] is 2, of [2, 6] is 8.
        expect(Array.from(bn.runningVar!.data())).toEqual([0.9 + 0.2, 0.9 + 0.8].map(Math.fround));
        bn.resetRunningStats();
        expect(Array.from(bn.runningVar!.data())).toEqual([1, 1]);
        expect(bn.numBatchesTracked!.item()).toBe(0);
      }));

    it('momentum null keeps the cumulative average of the batch statistics', () =>
      on(() => {
        const bn = new BatchNorm1d(1, { momentum: null });
        bn.call(tensor([[1], [3]])); // mean 2, unbiased variance 2
        bn.call(tensor([[5], [9]])); // mean 7, unbiased variance 8
        expect(bn.numBatchesTracked!.item()).toBe(2);
        expect(Array.from(bn.runningMean!.data())).toEqual([4.5]);
        expect(Array.from(bn.runningVar!.data())).toEqual([5]);
      }));

    it('batchNormTrain names a running buffer of the wrong shape or dtype, and a batch too small to average', () =>
      on(() => {
        const x = randn([4, 3]);
        const ok = zeros([3]);
        expect(() =>
          batchNormTrain(x, null, null, 1e-5, { mean: zeros([2]), variance: ok, momentum: 0.1 }),
        ).toThrow(
          'batchNorm: the running mean must be a contiguous float32 tensor of shape [3], got float32 [2]',
        );
        expect(() =>
          batchNormTrain(x, null, null, 1e-5, {
            mean: ok,
            variance: zeros([3], { dtype: 'int32' }),
            momentum: 0.1,
          }),
        ).toThrow(
          'batchNorm: the running variance must be a contiguous float32 tensor of shape [3], got int32 [3]',
        );
        expect(() => batchNormTrain(x, null, null, 1e-5, { mean: ok, variance: ok, momentum: 1.5 })).toThrow(
          'batchNorm: momentum must be in [0, 1], got 1.5',
        );
        expect(() =>
          batchNormTrain(randn([1, 3]), null, null, 1e-5, { mean: ok, variance: ok, momentum: 0.1 }),
        ).toThrow(
          'batchNorm: updating running averages needs more than 1 value per channel, got input of shape [1, 3]',
        );
      }));
  });

  describe('skip connections', () => {
    it('Residual adds f(x) to x', () =>
      on(() => {
        const f = new Linear(3, 3);
        const block = new Residual(f);
        const x = randn([2, 3]);
        expect(block.call(x).toArray()).toEqual(add(x, f.call(x)).toArray());
        expect([...block.stateDict().keys()]).toEqual(['fn.weight', 'fn.bias']);
      }));

    it('Residual needs a projection when f changes the shape', () =>
      on(() => {
        const x = randn([2, 3]);
        expect(() => new Residual(new Linear(3, 5)).call(x)).toThrow(
          "Residual: f(x) has shape [2, 5] but x has shape [2, 3]; pass { projection } (e.g. linearProjection or convProjection) to map x to f(x)'s shape",
        );
        const projection = linearProjection(3, 5);
        const block = new Residual(new Linear(3, 5), { projection });
        const y = block.call(x);
        expect(y.shape).toEqual([2, 5]);
        expect(y.toArray()).toEqual(add(block.fn.call(x), x.matmul(projection.weight.t())).toArray());
        expect([...block.stateDict().keys()]).toEqual(['fn.weight', 'fn.bias', 'projection.weight']);
        const conv = new Residual(new Conv2d(2, 4, 3, { stride: 2, padding: 1 }), {
          projection: convProjection(2, 4, { stride: 2 }),
        });
        expect(conv.call(randn([2, 2, 5, 5])).shape).toEqual([2, 4, 3, 3]);
        expect([...conv.stateDict().keys()].filter((k) => k.startsWith('projection'))).toEqual([
          'projection.0.weight',
          'projection.1.weight',
          'projection.1.bias',
          'projection.1.running_mean',
          'projection.1.running_var',
          'projection.1.num_batches_tracked',
        ]);
        expect(() => new Residual(new Linear(3, 5), { projection: linearProjection(3, 4) }).call(x)).toThrow(
          'Residual: f(x) has shape [2, 5] but the projection gives [2, 4]',
        );
      }));

    it('BasicBlock projects only when the stride or the width changes', () =>
      on(() => {
        expect(new BasicBlock(4, 4).downsample).toBeNull();
        expect(new BasicBlock(4, 8).downsample).not.toBeNull();
        expect(new BasicBlock(4, 4, { stride: 2 }).downsample).not.toBeNull();
        expect(new BasicBlock(4, 8, { shortcut: false }).downsample).toBeNull();
        expect(new BasicBlock(2, 4, { stride: 2 }).call(randn([2, 2, 6, 6])).shape).toEqual([2, 4, 3, 3]);
      }));

    it('DenseBlock outputs inChannels + numLayers·growthRate channels, input first', () =>
      on(() => {
        const block = new DenseBlock(3, 4, 5);
        expect(block.outChannels).toBe(19);
        const x = randn([2, 4, 5, 5]);
        const y = block.call(x);
        expect(y.shape).toEqual([2, 19, 5, 5]);
        expect(y.index(':', ':4').toArray()).toEqual(x.toArray());
        expect([...block.namedChildren()].map(([k]) => k)).toEqual([
          'denselayer1',
          'denselayer2',
          'denselayer3',
        ]);
        expect(new Transition(19, 9).call(y).shape).toEqual([2, 9, 2, 2]);
      }));

    it('DenseMLPBlock concatenates features for vectors', () =>
      on(() => {
        const block = new DenseMLPBlock(3, 6, 4, { batchNorm: true, activation: 'tanh' });
        expect(block.outFeatures).toBe(18);
        const x = randn([5, 6]);
        const y = block.call(x);
        expect(y.shape).toEqual([5, 18]);
        expect(y.index(':', ':6').toArray()).toEqual(x.toArray());
        expect([...block.namedParameters()].map(([k]) => k).slice(0, 4)).toEqual([
          'denselayer1.0.weight',
          'denselayer1.0.bias',
          'denselayer1.1.weight',
          'denselayer1.1.bias',
        ]);
        expect((block.getSubmodule('denselayer3.0') as Linear).inFeatures).toBe(14);
      }));
  });

  describe('simple layers', () => {
    it('activation modules compute their ops', () =>
      on(() => {
        const x = tensor([-2, -0.5, 0, 0.5, 3]);
        const pairs: [import('../../src/nn/index.js').Module, number[]][] = [
          [new ReLU(), Array.from(relu(x).data())],
          [new Sigmoid(), Array.from(sigmoid(x).data())],
          [new Tanh(), Array.from(tanh(x).data())],
          [new LeakyReLU(0.2), Array.from(leakyRelu(x, 0.2).data())],
          [new ELU(0.5), Array.from(elu(x, 0.5).data())],
          [new GELU({ approximate: 'tanh' }), Array.from(gelu(x, { approximate: 'tanh' }).data())],
          [new Softplus({ beta: 2 }), Array.from(softplus(x, { beta: 2 }).data())],
          [new Softmax(0), Array.from(softmax(x, 0).data())],
          [new LogSoftmax(-1), Array.from(logSoftmax(x, -1).data())],
          [new Identity(), Array.from(x.data())],
        ];
        for (const [m, want] of pairs) expect(Array.from(m.call(x).data())).toEqual(want);
        expect(activationLayer('gelu')).toBeInstanceOf(GELU);
        expect(activationLayer(() => new Tanh())).toBeInstanceOf(Tanh);
        expect(() => activationLayer('swish' as 'relu')).toThrow(
          'activationLayer: unknown activation "swish"; use one of relu, tanh, sigmoid, leakyRelu, elu, gelu, softplus, identity or a factory () => Module',
        );
      }));

    it('Linear maps the last dimension and checks it', () =>
      on(() => {
        const fc = new Linear(4, 2, { bias: false });
        expect(fc.bias).toBeNull();
        expect(fc.call(randn([3, 5, 4])).shape).toEqual([3, 5, 2]);
        expect(() => fc.call(randn([3, 5]))).toThrow(
          'Linear: expected inFeatures = 4 entries along dimension 1, got input of shape [3, 5]',
        );
        expect(() => new Linear(4.5, 2)).toThrow('Linear: inFeatures must be a positive integer, got 4.5');
        // PyTorch's default initialization: every weight and bias within ±1/√inFeatures.
        const big = new Linear(16, 200);
        const largest = Math.max(...[...big.weight.data(), ...big.bias!.data()].map(Math.abs));
        expect(largest).toBeLessThanOrEqual(0.25);
        expect(largest).toBeGreaterThan(0.24);
      }));

    it('Conv2d checks groups and input channels', () =>
      on(() => {
        expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(
          'Conv2d: groups (2) must divide both inChannels (3) and outChannels (4)',
        );
        expect(() => new Conv2d(3, 4, 3).call(randn([1, 2, 5, 5]))).toThrow(
          'Conv2d: expected inChannels = 3 entries along dimension 1, got input of shape [1, 2, 5, 5]',
        );
        expect(() => new Conv2d(3, 4, 0)).toThrow('Conv2d: kernelSize must be a positive integer, got 0');
        expect(new Conv2d(2, 4, 3, { padding: 'same' }).call(randn([1, 2, 5, 5])).shape).toEqual([
          1, 4, 5, 5,
        ]);
      }));

    it('LayerNorm checks the trailing shape', () =>
      on(() => {
        expect(() => new LayerNorm([3, 4]).call(randn([2, 4, 3]))).toThrow(
          "LayerNorm: the input's last dimensions must be normalizedShape [3, 4], got input of shape [2, 4, 3]",
        );
        const y = new LayerNorm(8).call(randn([3, 8]).mul(4).add(2));
        for (const m of y.mean(1).data()) expect(Math.abs(m)).toBeLessThan(1e-5);
      }));

    it('Flatten, GlobalAvgPool2d and Sequential', () =>
      on(() => {
        expect(new Flatten().call(zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
        expect(new Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
        expect(new GlobalAvgPool2d().call(ones([2, 3, 4, 4])).toArray()).toEqual([
          [1, 1, 1],
          [1, 1, 1],
        ]);
        const seq = new Sequential({ first: new Linear(2, 3), act: new ReLU() });
        expect([...seq.stateDict().keys()]).toEqual(['first.weight', 'first.bias']);
        expect(seq.length).toBe(2);
        expect(seq.at(-1)).toBeInstanceOf(ReLU);
        expect([...seq].length).toBe(2);
        expect(() => seq.at(5)).toThrow('Sequential.at: index 5 is out of range for 2 modules');
        expect(() => new Sequential(new ReLU(), 3 as unknown as ReLU)).toThrow(
          "Sequential: entry '1' is not a Module",
        );
      }));
  });

  it('every layer runs inside noGrad and inside a scope', () =>
    on(() => {
      const x = randn([2, 4, 6, 6]);
      const layers = [
        new Conv2d(4, 4, 3, { padding: 1 }),
        new BatchNorm2d(4),
        new BasicBlock(4, 4),
        new DenseBlock(2, 4, 2),
        new Residual(new Conv2d(4, 4, 1)),
        new Dropout(0.5),
        new LayerNorm([6, 6]),
      ];
      for (const m of layers) {
        expect(noGrad(() => m.call(x)).requiresGrad).toBe(false);
        const before = backend.bytesInUse();
        const shape = scope(() => [...m.call(x).shape]);
        expect(shape[0]).toBe(2);
        expect(backend.bytesInUse()).toBe(before);
      }
    }));
});
