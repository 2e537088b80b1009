/**
 * The Module system: names and order (against PyTorch's key lists), train/eval, freezing, hooks,
 * gradient capture, state dicts and their errors, and memory across scoped training steps.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crossEntropy,
  manualSeed,
  noGrad,
  ones,
  randn,
  relu,
  scope,
  type Tensor,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import {
  BasicBlock,
  BatchNorm1d,
  BatchNorm2d,
  Dropout,
  densenet,
  Linear,
  lenet5,
  Module,
  mlp,
  plainNet,
  ReLU,
  registerGradHook,
  resnet,
  Sequential,
} from '../../src/nn/index.js';
import { backends } from '../backends.js';

interface Structure {
  name: string;
  builder: 'mlp' | 'lenet5' | 'resnet' | 'plainNet' | 'densenet';
  // biome-ignore lint/suspicious/noExplicitAny: builder options are free-form JSON
  options: any;
  keys: [string, number[]][];
  parameters: string[];
  numParameters: number;
}

const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/nn.json', import.meta.url), 'utf8')) as {
  structures: Structure[];
};
const builders = { mlp, lenet5, resnet, plainNet, densenet };

const numel = (ts: Iterable<Tensor>): number => [...ts].reduce((n, t) => n + t.size, 0);

class TwoLayer extends Module {
  readonly fc1 = this.registerModule('fc1', new Linear(3, 4));
  readonly bn = this.registerModule('bn', new BatchNorm1d(4));
  readonly fc2 = this.registerModule('fc2', new Linear(4, 2));
  forward(x: Tensor): Tensor {
    return this.fc2.call(relu(this.bn.call(this.fc1.call(x))));
  }
}

describe.each(backends)('Module on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe.each(fixture.structures)('$name has PyTorch’s state-dict names, order and shapes', (s) => {
    it('stateDict, namedParameters and the parameter count', () =>
      on(() => {
        const model = builders[s.builder](s.options);
        expect([...model.stateDict()].map(([k, t]) => [k, [...t.shape]])).toEqual(s.keys);
        expect([...model.namedParameters()].map(([k]) => k)).toEqual(s.parameters);
        expect(numel(model.parameters())).toBe(s.numParameters);
      }));
  });

  it('nested names: parameters, then buffers, then children, in registration order', () =>
    on(() => {
      const net = new TwoLayer();
      expect([...net.stateDict().keys()]).toEqual([
        'fc1.weight',
        'fc1.bias',
        'bn.weight',
        'bn.bias',
        'bn.running_mean',
        'bn.running_var',
        'bn.num_batches_tracked',
        'fc2.weight',
        'fc2.bias',
      ]);
      expect([...net.namedBuffers()].map(([k]) => k)).toEqual([
        'bn.running_mean',
        'bn.running_var',
        'bn.num_batches_tracked',
      ]);
      expect(net.buffers().map((b) => b.dtype)).toEqual(['float32', 'float32', 'int32']);
      expect([...net.namedChildren()].map(([k]) => k)).toEqual(['fc1', 'bn', 'fc2']);
      expect([...net.namedModules()].map(([k]) => k)).toEqual(['', 'fc1', 'bn', 'fc2']);
      expect(net.getSubmodule('bn')).toBe(net.bn);
      expect(() => net.getSubmodule('bn.x')).toThrow("BatchNorm1d has no child named 'x' (path 'bn.x')");
      expect(net.parameters().every((p) => p.requiresGrad && p.isLeaf)).toBe(true);
    }));

  it('registration checks names', () =>
    on(() => {
      const net = new TwoLayer();
      expect(() => net.registerModule('fc1', new ReLU())).toThrow(
        "registerModule: the name 'fc1' is already used in this TwoLayer",
      );
      expect(() => net.registerParameter('a.b', zeros([1]))).toThrow('no dots');
      expect(() => net.registerParameter('k', zeros([1], { dtype: 'int32' }))).toThrow(
        "registerParameter: 'k' must be a floating-point tensor, got int32",
      );
    }));

  it('train() and eval() propagate to every descendant', () =>
    on(() => {
      const model = resnet({ depth: 8, width: 2 });
      expect([...model.modules()].every((m) => m.training)).toBe(true);
      expect(model.eval()).toBe(model);
      expect([...model.modules()].every((m) => !m.training)).toBe(true);
      model.train();
      expect([...model.modules()].every((m) => m.training)).toBe(true);
      model.layer2.train(false);
      expect(model.getSubmodule('layer2.0.bn1').training).toBe(false);
      expect(model.getSubmodule('layer1.0.bn1').training).toBe(true);
    }));

  it('freezing a sub-module excludes its parameters from gradients', () =>
    on(() => {
      const net = new TwoLayer();
      net.fc1.requiresGrad(false);
      const loss = net.call(randn([5, 3])).sum();
      loss.backward();
      expect(net.fc1.weight.grad).toBeNull();
      expect(net.fc1.bias!.grad).toBeNull();
      expect(net.bn.weight!.grad).not.toBeNull();
      expect(net.fc2.weight.grad).not.toBeNull();
      net.requiresGrad(false);
      expect(net.call(randn([5, 3])).requiresGrad).toBe(false);
      net.requiresGrad();
      expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
    }));

  it('zeroGrad zeroes every gradient in place, or drops them with setToNone', () =>
    on(() => {
      const net = new TwoLayer();
      net
        .call(randn([4, 3]))
        .sum()
        .backward();
      const g = net.fc1.weight.grad!;
      net.zeroGrad();
      expect(net.fc1.weight.grad).toBe(g);
      expect(net.parameters().every((p) => p.grad!.abs().sum().item() === 0)).toBe(true);
      net.zeroGrad({ setToNone: true });
      expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    }));

  it('forward hooks capture activations, may replace the output, and can be removed', () =>
    on(() => {
      const model = mlp({ sizes: [3, 5, 2] });
      const seen: [string, number[]][] = [];
      const handles = [...model.namedChildren()].map(([name, m]) =>
        m.registerForwardHook((_mod, input, output) => {
          seen.push([name, [...input.shape, ...output.shape]]);
        }),
      );
      model.call(randn([4, 3]));
      expect(seen).toEqual([
        ['0', [4, 3, 4, 5]],
        ['1', [4, 5, 4, 5]],
        ['2', [4, 5, 4, 2]],
      ]);
      for (const h of handles) h.remove();
      model.call(randn([4, 3]));
      expect(seen.length).toBe(3);
      const h = model.at(2).registerForwardHook(() => zeros([4, 2]));
      expect(
        model
          .call(randn([4, 3]))
          .abs()
          .sum()
          .item(),
      ).toBe(0);
      h.remove();
      const fromZeros = model.call(zeros([4, 3])).toArray();
      const pre = model.registerForwardPreHook((_m, x) => x.mul(0));
      expect(model.call(randn([4, 3])).toArray()).toEqual(fromZeros);
      pre.remove();
      expect(model.call(ones([4, 3])).toArray()).not.toEqual(fromZeros);
    }));

  it('output-gradient hooks capture ∂loss/∂output per layer during backward', () =>
    on(() => {
      manualSeed(3);
      const model = mlp({ sizes: [3, 4, 2] });
      const grads = new Map<string, number[]>();
      const handles = [...model.namedChildren()].map(([name, m]) =>
        m.registerOutputGradHook((_m, g) => grads.set(name, Array.from(g.data()))),
      );
      const x = randn([5, 3]);
      const out = model.call(x);
      out.sum().backward();
      // ∂Σy/∂y = 1; through Linear 2: 1·W₂; through ReLU: masked by h > 0.
      expect(grads.get('2')).toEqual(Array(10).fill(1));
      const w2 = (model.at(2) as Linear).weight;
      const expected = noGrad(() => ones([5, 2]).matmul(w2));
      expect(grads.get('1')).toEqual(Array.from(expected.data()));
      const h = noGrad(() => model.at(0).call(x));
      const mask = Array.from(h.gt(0).data());
      // Masked entries are +0, as PyTorch's threshold_backward gives (not g·0, which could be −0).
      expect(grads.get('0')).toEqual(Array.from(expected.data()).map((v, i) => (mask[i] ? v : 0)));
      expect(out.grad).toBeNull(); // hooks keep no gradient alive
      grads.clear();
      noGrad(() => model.call(x));
      for (const hd of handles) hd.remove();
      model.call(x).sum().backward();
      expect(grads.size).toBe(0);
    }));

  it('registerGradHook on a parameter sees each backward’s gradient while .grad accumulates', () =>
    on(() => {
      const fc = new Linear(2, 1);
      const seen: number[][] = [];
      const h = registerGradHook(fc.weight, (g) => seen.push(Array.from(g.data())));
      const x = tensor([[1, 2]]);
      fc.call(x).sum().backward();
      fc.call(x).sum().backward();
      expect(seen).toEqual([
        [1, 2],
        [1, 2],
      ]);
      expect(Array.from(fc.weight.grad!.data())).toEqual([2, 4]);
      h.remove();
      fc.call(x).sum().backward();
      expect(seen.length).toBe(2);
      expect(() => registerGradHook(zeros([1]), () => {})).toThrow('does not require grad');
    }));

  it('stateDict shares memory with the model; a loaded copy computes the same function', () =>
    on(() => {
      const a = mlp({ sizes: [4, 6, 3], batchNorm: true });
      a.call(randn([8, 4])); // moves the running statistics away from their initial values
      const b = mlp({ sizes: [4, 6, 3], batchNorm: true });
      const result = b.loadStateDict(a.stateDict());
      expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
      a.eval();
      b.eval();
      const x = randn([5, 4]);
      expect(b.call(x).toArray()).toEqual(a.call(x).toArray());
      expect(b.stateDict().get('1.num_batches_tracked')!.item()).toBe(1);
      const sd = a.stateDict();
      (a.at(0) as Linear).weight.assign(0);
      expect(sd.get('0.weight')!.abs().sum().item()).toBe(0);
    }));

  it('loadStateDict reports every missing, unexpected and mis-shaped key at once and copies nothing', () =>
    on(() => {
      const model = mlp({ sizes: [4, 3, 2] });
      const before = Array.from(model.stateDict().get('0.weight')!.data());
      const sd = new Map(model.stateDict());
      sd.delete('0.bias');
      sd.delete('2.weight');
      sd.set('0.weight', zeros([4, 3]));
      sd.set('2.bias', zeros([3]));
      sd.set('extra.weight', zeros([1]));
      sd.set('3.bias', zeros([1]));
      let message = '';
      try {
        model.loadStateDict(sd);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(
        [
          'loadStateDict: 4 problems loading into Sequential (nothing was copied):',
          '  missing keys: 0.bias, 2.weight',
          '  unexpected keys: extra.weight, 3.bias',
          '  size mismatch for 0.weight: the state dict has shape [4, 3], the model has [3, 4]',
          '  size mismatch for 2.bias: the state dict has shape [3], the model has [2]',
        ].join('\n'),
      );
      expect(Array.from(model.stateDict().get('0.weight')!.data())).toEqual(before);
      // Non-strict: missing and unexpected keys are reported, shape mismatches are still errors.
      expect(() => model.loadStateDict(sd, { strict: false })).toThrow(
        'loadStateDict: 2 problems loading into Sequential',
      );
      const partial = { '0.weight': ones([3, 4]), extra: ones([2]) };
      expect(model.loadStateDict(partial, { strict: false })).toEqual({
        missingKeys: ['0.bias', '2.weight', '2.bias'],
        unexpectedKeys: ['extra'],
      });
      expect(Array.from(model.stateDict().get('0.weight')!.data())).toEqual(Array(12).fill(1));
      expect(() => model.loadStateDict({ '0.weight': [1] as unknown as Tensor }, { strict: false })).toThrow(
        "value of '0.weight' is not a Tensor",
      );
    }));

  it('loadStateDict converts dtypes (a float counter into int32 num_batches_tracked)', () =>
    on(() => {
      const bn = new BatchNorm2d(2);
      bn.loadStateDict({
        weight: ones([2]),
        bias: zeros([2]),
        running_mean: zeros([2]),
        running_var: ones([2]),
        num_batches_tracked: tensor(7),
      });
      expect(bn.numBatchesTracked!.dtype).toBe('int32');
      expect(bn.numBatchesTracked!.item()).toBe(7);
    }));

  it('a model built inside a scope outlives it, and scoped training steps keep memory flat', () =>
    on(() => {
      manualSeed(0);
      const model = scope(() => {
        scope(() => randn([3]));
        return mlp({ sizes: [6, 8, 3], batchNorm: true, dropout: 0.2 });
      });
      const x = randn([16, 6]);
      const y = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], { dtype: 'int32' });
      const step = (): number =>
        scope(() => {
          model.zeroGrad();
          const loss = crossEntropy(model.call(x), y);
          loss.backward();
          for (const p of model.parameters()) p.assign(p.sub(p.grad!.mul(0.1)));
          return loss.item();
        });
      const first = step();
      const bytes = backend.bytesInUse();
      let last = first;
      for (let i = 0; i < 20; i++) last = step();
      expect(backend.bytesInUse()).toBe(bytes);
      expect(last).toBeLessThan(first);
      expect((model.at(1) as BatchNorm1d).numBatchesTracked!.item()).toBe(21);
    }));

  it('toString prints a nested summary', () =>
    on(() => {
      const model = new Sequential(new Linear(4, 3), new ReLU(), new Sequential(new Dropout(0.1)));
      expect(model.toString()).toBe(
        [
          'Sequential(',
          '  (0): Linear(inFeatures=4, outFeatures=3, bias=true)',
          '  (1): ReLU()',
          '  (2): Sequential(',
          '    (0): Dropout(p=0.1)',
          '  )',
          ')',
        ].join('\n'),
      );
      expect(new BasicBlock(2, 2, { shortcut: false }).toString().split('\n').slice(0, 3)).toEqual([
        'BasicBlock(',
        '  shortcut=false',
        '  (conv1): Conv2d(2, 2, kernelSize=[3,3], padding=1, bias=false)',
      ]);
    }));

  it('apply visits children before their parent', () =>
    on(() => {
      const order: string[] = [];
      new TwoLayer().apply((m) => order.push(m.constructor.name));
      expect(order).toEqual(['Linear', 'BatchNorm1d', 'Linear', 'TwoLayer']);
    }));
});

class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** A module whose children share tensors: `tied` holds fc1's weight and bn's running mean again. */
class Tied extends Module {
  readonly inner = this.registerModule('inner', new TwoLayer());
  readonly tied = this.registerModule('tied', new Identity());
  constructor() {
    super();
    this.tied.registerParameter('weight', this.inner.fc1.weight);
    this.tied.registerBuffer('mean', this.inner.bn.runningMean);
  }
  forward(x: Tensor): Tensor {
    return this.inner.call(x);
  }
}

describe('shared tensors', () => {
  it('a parameter or buffer registered in two modules is listed once, under its first name (as PyTorch’s named_parameters)', () => {
    const m = new Tied();
    const inner = [...new TwoLayer().namedParameters()].map(([k]) => `inner.${k}`);
    expect([...m.namedParameters()].map(([k]) => k)).toEqual(inner);
    expect(m.parameters()).toHaveLength(inner.length);
    expect([...m.namedBuffers()].map(([k]) => k)).toEqual([
      'inner.bn.running_mean',
      'inner.bn.running_var',
      'inner.bn.num_batches_tracked',
    ]);
    expect(m.buffers()).toHaveLength(3);
  });
});
