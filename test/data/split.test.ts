/** Splits: deterministic by seed, disjoint and covering, stratified with exact proportions. */
import { describe, expect, it } from 'vitest';
import { randomSplit, splitDataset, splitIndices, TensorDataset } from '../../src/data/index.js';

function labelled(counts: number[]): TensorDataset {
  const labels = counts.flatMap((c, k) => new Array<number>(c).fill(k));
  const n = labels.length;
  return new TensorDataset(
    Float32Array.from({ length: n }, (_, i) => i),
    Int32Array.from(labels),
    {
      sampleShape: [1],
    },
  );
}

const sorted = (parts: Int32Array[]): number[] => parts.flatMap((p) => [...p]).sort((a, b) => a - b);

describe('splitIndices', () => {
  it('is deterministic by seed, disjoint and covering', () => {
    const a = splitIndices(100, [70, 20, 10], { seed: 3 });
    const b = splitIndices(100, [70, 20, 10], { seed: 3 });
    const c = splitIndices(100, [70, 20, 10], { seed: 4 });
    expect(a.map((p) => [...p])).toEqual(b.map((p) => [...p]));
    expect(a.map((p) => [...p])).not.toEqual(c.map((p) => [...p]));
    expect(a.map((p) => p.length)).toEqual([70, 20, 10]);
    expect(sorted(a)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('accepts fractions, handing out the remainder from the first part', () => {
    expect(splitIndices(10, [0.55, 0.45]).map((p) => p.length)).toEqual([6, 4]);
    expect(splitIndices(7, [1 / 3, 1 / 3, 1 / 3]).map((p) => p.length)).toEqual([3, 2, 2]);
  });

  it('stratifies exactly: every part keeps each class in proportion', () => {
    const ds = labelled([100, 50, 30, 20]);
    const [train, test] = splitIndices(ds.labels, [160, 40], { seed: 1, stratify: true });
    const count = (idx: Int32Array) => {
      const c = [0, 0, 0, 0];
      for (const i of idx) c[ds.labels[i]!]! += 1;
      return c;
    };
    expect(count(test!)).toEqual([20, 10, 6, 4]);
    expect(count(train!)).toEqual([80, 40, 24, 16]);
    expect(sorted([train!, test!])).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // Parts are shuffled, not grouped by class.
    expect([...test!].map((i) => ds.labels[i]).slice(0, 10)).not.toEqual(new Array(10).fill(0));
  });

  it('stratified allocation keeps exact part sizes with uneven classes (largest remainder)', () => {
    const ds = labelled([7, 5, 3]);
    const parts = splitIndices(ds.labels, [5, 5, 5], { seed: 2, stratify: true });
    expect(parts.map((p) => p.length)).toEqual([5, 5, 5]);
    expect(sorted(parts)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('rejects sizes that do not fit', () => {
    expect(() => splitIndices(10, [5, 4])).toThrow(
      /counts adding up to the 10 samples or fractions adding up to 1/,
    );
    expect(() => splitIndices(10, [-1, 11])).toThrow(/finite and ≥ 0/);
    expect(() => splitIndices(10, [5, 5], { stratify: true })).toThrow(/needs the labels/);
  });
});

describe('randomSplit and splitDataset', () => {
  it('randomSplit returns disjoint subsets', () => {
    const ds = labelled([30, 30]);
    const [a, b] = randomSplit(ds, [0.8, 0.2], { seed: 5 });
    expect(a!.length + b!.length).toBe(60);
    const values = [...a!.features, ...b!.features].sort((x, y) => x - y);
    expect(values).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('splitDataset splits off validation and test parts by seed', () => {
    const ds = labelled([50, 50]);
    const s1 = splitDataset(ds, { validation: 0.1, test: 20, seed: 9, stratify: true });
    const s2 = splitDataset(ds, { validation: 0.1, test: 20, seed: 9, stratify: true });
    expect(s1.train.length).toBe(70);
    expect(s1.validation!.length).toBe(10);
    expect(s1.test!.length).toBe(20);
    expect(s1.validation!.classCounts()).toEqual([5, 5]);
    expect([...s1.test!.features]).toEqual([...s2.test!.features]);
    const all = [...s1.train.features, ...s1.validation!.features, ...s1.test!.features].sort(
      (x, y) => x - y,
    );
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(splitDataset(ds, { validation: 0.25 }).test).toBeUndefined();
  });

  it('splitDataset rejects impossible requests', () => {
    const ds = labelled([5, 5]);
    expect(() => splitDataset(ds, { validation: 8, test: 5 })).toThrow(/need more than the 10 samples/);
    expect(() => splitDataset(ds, { validation: 1.5 })).toThrow(
      /fraction in \[0, 1\) or a whole count, got 1.5/,
    );
  });
});
