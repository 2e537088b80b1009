/**
 * DataLoader: batch shapes and contents, the last partial batch, dropLast, seeded shuffling that is a
 * permutation and depends only on (seed, epoch), transforms and one-hot targets.
 */
import { describe, expect, it } from 'vitest';
import {
  DataLoader,
  epochPermutation,
  type LoaderBatch,
  normalize,
  TensorDataset,
} from '../../src/data/index.js';
import { Generator, manualSeed } from '../../src/index.js';

/** Sample i has features [i, 100 + i] and label i % 3. */
function rows(n: number): TensorDataset {
  const features = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    features[2 * i] = i;
    features[2 * i + 1] = 100 + i;
  }
  return new TensorDataset(
    features,
    Int32Array.from({ length: n }, (_, i) => i % 3),
    { sampleShape: [2] },
  );
}

/** The sample ids of every batch of one pass, and the batch shapes; disposes the tensors. */
function pass(batches: Iterable<LoaderBatch>) {
  const ids: number[][] = [];
  const shapes: number[][] = [];
  for (const { x, y } of batches) {
    const xs = x.toArray() as number[][];
    const ys = y.toArray() as number[];
    xs.forEach((r, k) => {
      expect(r[1]).toBe(100 + r[0]!);
      expect(ys[k]).toBe(r[0]! % 3);
    });
    ids.push(xs.map((r) => r[0]!));
    shapes.push([...x.shape], [...y.shape]);
    x.dispose();
    y.dispose();
  }
  return { ids, shapes };
}

describe('DataLoader', () => {
  it('cuts batches in order with a last partial batch', () => {
    const loader = new DataLoader(rows(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const { ids, shapes } = pass(loader);
    expect(ids).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(shapes).toEqual([[4, 2], [4], [4, 2], [4], [2, 2], [2]]);
  });

  it('drops the last partial batch with dropLast', () => {
    const loader = new DataLoader(rows(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(pass(loader).ids).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(new DataLoader(rows(8), { batchSize: 4, dropLast: true }).length).toBe(2);
  });

  it('yields x float32 [B, ...sampleShape] and y int32 [B]', () => {
    const ds = rows(6).reshape([1, 2]);
    const [batch] = new DataLoader(ds, { batchSize: 6 });
    expect(batch!.x.shape).toEqual([6, 1, 2]);
    expect(batch!.x.dtype).toBe('float32');
    expect(batch!.y.dtype).toBe('int32');
  });

  it('shuffles into a permutation that depends only on seed and epoch', () => {
    const a = new DataLoader(rows(50), { batchSize: 8, shuffle: true, seed: 11 });
    const b = new DataLoader(rows(50), { batchSize: 8, shuffle: true, seed: 11 });
    const e0 = pass(a).ids.flat();
    const e1 = pass(a).ids.flat(); // the counter advanced to epoch 1
    expect([...e0].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(e1).not.toEqual(e0);
    // A fresh loader jumping straight to epoch 1 (a resumed run) sees the same order.
    b.setEpoch(1);
    expect(pass(b).ids.flat()).toEqual(e1);
    expect(pass(a.iterate(0)).ids.flat()).toEqual(e0);
    expect([...a.order(1)]).toEqual(e1);
    expect([...epochPermutation(50, 11, 1)]).toEqual(e1);
    expect(a.epoch).toBe(2); // iterate() leaves the counter alone
    const other = new DataLoader(rows(50), { batchSize: 8, shuffle: true, seed: 12 });
    expect(pass(other).ids.flat()).not.toEqual(e0);
  });

  it('resumes mid-epoch with startBatch', () => {
    const loader = new DataLoader(rows(20), { batchSize: 6, shuffle: true, seed: 3 });
    const full = pass(loader.iterate(2)).ids;
    expect(pass(loader.iterate(2, { startBatch: 2 })).ids).toEqual(full.slice(2));
  });

  it('takes its seed from a generator, or from manualSeed by default', () => {
    const seedOf = (make: () => DataLoader) => make().seed;
    expect(seedOf(() => new DataLoader(rows(5), { batchSize: 2, generator: new Generator(7) }))).toBe(
      seedOf(() => new DataLoader(rows(5), { batchSize: 2, generator: new Generator(7) })),
    );
    manualSeed(42);
    const first = new DataLoader(rows(30), { batchSize: 30, shuffle: true });
    manualSeed(42);
    const again = new DataLoader(rows(30), { batchSize: 30, shuffle: true });
    expect(again.seed).toBe(first.seed);
    expect(pass(again).ids).toEqual(pass(first).ids);
  });

  it('applies a transform to each batch and can give one-hot targets', () => {
    const loader = new DataLoader(rows(4), { batchSize: 4, transform: normalize(1, 2), targets: 'one-hot' });
    const [batch] = loader;
    expect(batch!.x.toArray()).toEqual([
      [-0.5, 49.5],
      [0, 50],
      [0.5, 50.5],
      [1, 51],
    ]);
    expect(batch!.y.shape).toEqual([4, 3]);
    expect(batch!.y.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('builds batches fast by copying rows', () => {
    const n = 20000;
    const ds = new TensorDataset(new Float32Array(n * 784), new Int32Array(n), { sampleShape: [784] });
    const loader = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 1 });
    const t0 = performance.now();
    for (const { x, y } of loader) {
      x.dispose();
      y.dispose();
    }
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('rejects bad options with a message', () => {
    expect(() => new DataLoader(rows(3), { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
    expect(() => new DataLoader(rows(3), { batchSize: 2, seed: 0.5 })).toThrow(/seed must be a safe integer/);
    expect(() => new DataLoader(rows(3), { batchSize: 2 }).setEpoch(-1)).toThrow(
      /epoch must be a non-negative integer/,
    );
    expect(
      () => new DataLoader(rows(3), { batchSize: 2, targets: 'probabilities' as unknown as 'indices' }),
    ).toThrow(/targets must be 'indices' or 'one-hot'/);
    expect(() => new DataLoader(rows(3), { batchSize: 2, transform: normalize([1, 2, 3], 1) })).toThrow(
      /3 statistics fit neither the 2 features/,
    );
  });
});
