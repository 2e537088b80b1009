/** TensorDataset: construction checks, subsets, views, concatenation and conversion to tensors. */
import { describe, expect, it } from 'vitest';
import { concatDatasets, TensorDataset } from '../../src/data/index.js';

const ds = (): TensorDataset =>
  new TensorDataset(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]), new Int32Array([0, 2, 1, 2]), {
    sampleShape: [2],
  });

describe('TensorDataset', () => {
  it('knows its length, sample size and classes', () => {
    const d = ds();
    expect(d.length).toBe(4);
    expect(d.sampleSize).toBe(2);
    expect(d.numClasses).toBe(3);
    expect(d.classCounts()).toEqual([1, 1, 2]);
    expect([...d.sample(2)]).toEqual([4, 5]);
  });

  it('infers the sample shape from the data', () => {
    const d = new TensorDataset(new Float32Array(6), new Int32Array(3));
    expect(d.sampleShape).toEqual([2]);
  });

  it('subset copies rows in the given order, repeats allowed', () => {
    const s = ds().subset([3, 0, 3]);
    expect([...s.features]).toEqual([6, 7, 0, 1, 6, 7]);
    expect([...s.labels]).toEqual([2, 0, 2]);
    expect(s.numClasses).toBe(3);
  });

  it('slice, reshape (shared arrays) and withFeatures', () => {
    const d = ds();
    expect([...d.slice(1, 3).labels]).toEqual([2, 1]);
    const r = d.reshape([1, 2]);
    expect(r.sampleShape).toEqual([1, 2]);
    expect(r.features).toBe(d.features);
    expect(() => d.reshape([3])).toThrow(/\[2\] have 2 features, \[3\] has 3/);
  });

  it('concatenates datasets', () => {
    const c = concatDatasets([ds(), ds().slice(0, 1)]);
    expect(c.length).toBe(5);
    expect([...c.labels]).toEqual([0, 2, 1, 2, 0]);
    expect(() => concatDatasets([ds(), ds().reshape([1, 2])])).toThrow(/sample shapes differ/);
    expect(() => concatDatasets([])).toThrow(/at least one/);
  });

  it('converts to tensors', () => {
    const { x, y } = ds().toTensors();
    expect(x.shape).toEqual([4, 2]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(y.toArray()).toEqual([0, 2, 1, 2]);
    x.dispose();
    y.dispose();
  });

  it('rejects inconsistent data with messages that say what is wrong', () => {
    expect(() => new TensorDataset(new Float32Array(5), new Int32Array(2), { sampleShape: [2] })).toThrow(
      /2 labels with samples of shape \[2\] need 4 features, got 5/,
    );
    expect(() => new TensorDataset(new Float32Array(2), new Int32Array([-1]))).toThrow(/label 0 is -1/);
    expect(() => new TensorDataset(new Float32Array(2), new Int32Array([3]), { numClasses: 2 })).toThrow(
      /label 3 is out of range for numClasses = 2/,
    );
    expect(() => new TensorDataset([1, 2] as unknown as Float32Array, new Int32Array(1))).toThrow(
      /features must be a Float32Array/,
    );
    expect(() => new TensorDataset(new Float32Array(0), new Int32Array(0))).toThrow(
      /needs options.sampleShape/,
    );
    expect(() => ds().subset([4])).toThrow(/index 4 is out of range for 4 samples/);
    expect(
      () => new TensorDataset(new Float32Array(2), new Int32Array([0]), { numClasses: 2, classNames: ['a'] }),
    ).toThrow(/1 class names given for 2 classes/);
  });
});
