/**
 * Library messages for clumsy input (issue 12, item 17): each names what was wrong and what is
 * accepted, instead of a raw TypeError, a SyntaxError from BigInt, a fractional sample shape or
 * JSON's "null" for NaN. Each test reads the message in full.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  crossEntropy,
  Demon,
  Generator,
  Linear,
  manualSeed,
  SGD,
  TensorDataset,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import { backends } from '../backends.js';

describe.each(backends)('crossEntropy with float labels on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('says the labels are floats and how to cast them, and the advice works', () =>
    on(() => {
      const logits = zeros([4, 3]);
      const labels = tensor([0, 2, 1, 2]);
      expect(() => crossEntropy(logits, labels)).toThrow(
        "crossEntropy: the labels are float32 (shape [4]); class labels must be int32: cast them with labels.int() or create them with { dtype: 'int32' } (a float target is read as class probabilities, shaped like the logits [4, 3])",
      );
      expect(crossEntropy(logits, labels.int()).item()).toBeCloseTo(Math.log(3), 5);
      expect(crossEntropy(logits, tensor([0, 2, 1, 2], { dtype: 'int32' })).item()).toBeCloseTo(
        Math.log(3),
        5,
      );
    }));

  it('says the same of float labels for spatial logits [N, C, d]', () =>
    on(() => {
      expect(() => crossEntropy(zeros([2, 3, 5]), zeros([2, 5]))).toThrow(
        'crossEntropy: the labels are float32 (shape [2, 5]); class labels must be int32',
      );
    }));
});

describe('loadStateDict with something that is not a state dict', () => {
  const expected =
    'loadStateDict: expected a Map or a record of tensors keyed by parameter name (as stateDict() returns), got';

  it.each([
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', 3, 'a number'],
    ['a string', 'weights.safetensors', 'a string'],
    ['an array', [], 'an array'],
  ])('refuses %s with a TypeError naming what is expected', (_what, value, got) => {
    const model = new Linear(2, 1);
    expect(() => model.loadStateDict(value as never)).toThrow(TypeError);
    expect(() => model.loadStateDict(value as never)).toThrow(`${expected} ${got}`);
  });

  it('refuses a single tensor, naming its shape', () => {
    const model = new Linear(2, 1);
    expect(() => model.loadStateDict(zeros([1, 2]) as never)).toThrow(`${expected} a Tensor of shape [1, 2]`);
  });

  it('still loads what stateDict() returns, as a Map and as a record', () => {
    const source = new Linear(2, 1);
    const model = new Linear(2, 1);
    model.loadStateDict(source.stateDict());
    expect(model.weight.toArray()).toEqual(source.weight.toArray());
    const other = new Linear(2, 1);
    model.loadStateDict(Object.fromEntries(other.stateDict()));
    expect(model.weight.toArray()).toEqual(other.weight.toArray());
  });
});

describe('manualSeed with a seed that is not an integer', () => {
  const expected = 'manualSeed: a seed is an integer (a safe integer number, e.g. 42) or a bigint, got';

  it("refuses 'abc' with its own TypeError instead of BigInt's SyntaxError", () => {
    expect(() => manualSeed('abc' as never)).toThrow(TypeError);
    expect(() => manualSeed('abc' as never)).toThrow(`${expected} the string "abc"`);
    expect(() => new Generator('abc' as never)).toThrow(`${expected} the string "abc"`);
  });

  it("refuses a numeric string such as '12' rather than parsing it", () => {
    expect(() => manualSeed('12' as never)).toThrow(`${expected} the string "12"`);
  });

  it('refuses null, a fraction and Infinity, and accepts numbers and bigints', () => {
    expect(() => manualSeed(null as never)).toThrow(`${expected} null`);
    expect(() => manualSeed(0.5)).toThrow(`${expected} 0.5`);
    expect(() => manualSeed(Number.POSITIVE_INFINITY)).toThrow(`${expected} Infinity`);
    expect(new Generator(12n).uniform24()).toBe(new Generator(12).uniform24());
    expect(new Generator(2n ** 70n).uniform24()).toBeGreaterThanOrEqual(0);
  });
});

describe('TensorDataset given features that do not divide into its labels', () => {
  it('says the counts instead of a fractional sample shape', () => {
    expect(() => new TensorDataset(new Float32Array(7), new Int32Array(4))).toThrow(
      'TensorDataset: 7 features cannot be split evenly among 4 labels (7 / 4 is not a whole number of features per sample); give one label per sample, or options.sampleShape',
    );
  });

  it('still infers the sample size when the counts divide', () => {
    expect(new TensorDataset(new Float32Array(8), new Int32Array(4)).sampleShape).toEqual([2]);
  });
});

describe('optimizer options that are NaN or infinite', () => {
  const params = () => [tensor([1, 2], { requiresGrad: true })];

  it('prints NaN and Infinity as they are, not as null', () => {
    expect(() => new SGD(params(), { lr: Number.NaN })).toThrow(
      'SGD: lr must be a non-negative number, got NaN',
    );
    expect(() => new SGD(params(), { lr: 0.1, momentum: Number.POSITIVE_INFINITY })).toThrow(
      'SGD: momentum must be a non-negative number, got Infinity',
    );
    expect(() => new Adam(params(), { betas: [0.9, Number.NaN] })).toThrow(
      'Adam: betas[1] must be in [0, 1), got NaN',
    );
    expect(() => new Adam(params(), { betas: [0.9, Number.NaN, 1] as never })).toThrow(
      'Adam: betas must be a pair [β1, β2] of numbers in [0, 1), got [0.9, NaN, 1]',
    );
    expect(() => new Demon(params(), { lr: 0.1, totalSteps: Number.NaN })).toThrow(
      'Demon: totalSteps must be a positive integer, got NaN',
    );
  });
});
