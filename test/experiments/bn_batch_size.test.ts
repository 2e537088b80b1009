/**
 * bn-batch-size: BN breaks down at tiny batches while the plain network (with the learning rate scaled
 * to the batch) does not; the train/eval statistics mismatch grows as the batch shrinks; the batch-
 * statistics measurement leaves the model as it was; determinism, presentation and errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { batchStatsAccuracy, bnBatchSize } from '../../src/experiments/bn_batch_size.js';
import { seeded } from '../../src/experiments/seeded.js';
import { poolImages } from '../../src/experiments/train_test_data.js';
import { mlp } from '../../src/nn/builders/mlp.js';
import { evaluate } from '../../src/train/trainer.js';

const data = loadMnist();

describe('bn-batch-size experiment', () => {
  // The default set-up at the two ends of the batch range (3 epochs of 2000 digits each; ~3 s).
  const result = bnBatchSize.run({ data, batchSizes: [2, 128], seed: 0 });
  const run = (bn: boolean, b: number) => result.runs.find((r) => r.batchNorm === bn && r.batchSize === b)!;

  it('BN at batch 2 ends ≥ 15 points below BN at batch 128 and below the plain network at batch 2', () => {
    expect(run(true, 128).testAccuracy - run(true, 2).testAccuracy).toBeGreaterThanOrEqual(0.15);
    expect(run(false, 2).testAccuracy - run(true, 2).testAccuracy).toBeGreaterThanOrEqual(0.1);
    // With the learning rate scaled to the batch the plain network is a flat baseline.
    expect(Math.abs(run(false, 2).testAccuracy - run(false, 128).testAccuracy)).toBeLessThan(0.1);
    expect(run(true, 128).testAccuracy).toBeGreaterThan(run(false, 128).testAccuracy);
  });

  it('the train/eval statistics mismatch is large at batch 2 and small at batch 128', () => {
    const gap = (b: number) => Math.abs(run(true, b).trainAccuracyBatchStats! - run(true, b).trainAccuracy);
    expect(gap(2)).toBeGreaterThan(0.1);
    expect(gap(128)).toBeLessThan(0.03);
    expect(run(false, 2).trainAccuracyBatchStats).toBeNull();
  });

  it('scales the learning rate with the batch and counts the steps of every epoch', () => {
    expect(run(true, 2).lr).toBeCloseTo((0.05 * 2) / 32, 12);
    expect(run(true, 128).lr).toBeCloseTo((0.05 * 128) / 32, 12);
    expect(run(true, 2).steps).toBe(3 * 1000);
    expect(run(true, 128).steps).toBe(3 * Math.ceil(2000 / 128));
    const fixed = bnBatchSize.run({
      data,
      batchSizes: [4],
      scaleLr: false,
      epochs: 1,
      trainSize: 200,
      testSize: 50,
    });
    expect(fixed.runs.map((r) => r.lr)).toEqual([0.05, 0.05]);
  });

  it('batchStatsAccuracy puts the running statistics back, and equals evaluation mode without BN', () => {
    const ds = poolImages('t', data.train.slice(0, 300), 2);
    seeded(1, () => {
      const bn = mlp({ sizes: [196, 20, 10], batchNorm: true });
      const before = bn.buffers().map((b) => [...b.data()]);
      batchStatsAccuracy(bn, ds, 8);
      expect(bn.buffers().map((b) => [...b.data()])).toEqual(before);
      expect(bn.training).toBe(true);
      const plain = mlp({ sizes: [196, 20, 10] }).eval();
      expect(batchStatsAccuracy(plain, ds, 7)).toBe(evaluate(plain, ds, { loss: 'crossEntropy' }).accuracy);
      expect(plain.training).toBe(false);
    });
  });

  it('is deterministic: the same seed gives the same JSON', () => {
    const small = { data, batchSizes: [2, 16], epochs: 1, trainSize: 100, testSize: 50, seed: 3 };
    expect(JSON.stringify(bnBatchSize.run(small))).toBe(JSON.stringify(bnBatchSize.run(small)));
  });

  it('presents both languages: the accuracy and mismatch figures, four findings with the numbers, a table', () => {
    const en = bnBatchSize.present(result, 'en');
    const zh = bnBatchSize.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(zh.shows).toContain('较大的batch size');
    for (const p of [en, zh]) {
      expect(p.findings).toHaveLength(4);
      expect(p.figures).toHaveLength(2);
      expect(p.table?.rows).toHaveLength(4);
      for (const f of p.figures) expect(f.$schema).toMatch(/vega-lite/);
    }
    expect(en.findings[0]).toContain(`2 → ${(100 * run(true, 2).testAccuracy).toFixed(1)}%`);
    expect(en.findings[1]).toMatch(/BN breaks down at tiny batches/);
    expect(zh.findings[1]).toMatch(/BN 失效/);
    const values = (en.figures[1] as { data: { values: { series: string; x: number }[] } }).data.values;
    expect(values.filter((v) => v.series.includes('batch statistics')).map((v) => v.x)).toEqual([2, 128]);
  });

  it('says what is missing or wrong', () => {
    expect(() => bnBatchSize.run({})).toThrow(/bn-batch-size: options.data is required/);
    expect(() => bnBatchSize.run({ data, batchSizes: [1, 8] })).toThrow(
      'bn-batch-size: each batch size must be an integer ≥ 2 (BN needs two values per feature), got 1',
    );
    expect(() => bnBatchSize.run({ data, batchSizes: [] })).toThrow(
      'bn-batch-size: batchSizes must list at least one size, got []',
    );
    expect(() => bnBatchSize.run({ data, momentum: 1 })).toThrow(
      'bn-batch-size: momentum must be in [0, 1), got 1',
    );
    expect(() => bnBatchSize.run({ data, scaleLr: 'yes' as unknown as boolean })).toThrow(
      'bn-batch-size: scaleLr must be true or false, got "yes"',
    );
    expect(() => bnBatchSize.run({ data, trainSize: 9000 })).toThrow(
      /trainSize = 9000 exceeds the 8000 samples/,
    );
  });
});
