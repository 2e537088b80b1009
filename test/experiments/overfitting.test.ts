/**
 * overfitting: a small run of every variant — the unregularized network fits its training digits
 * better than the test digits, dropout narrows the gap, early stopping keeps its best epoch —
 * determinism, the presentation and the errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { overfitting } from '../../src/experiments/overfitting.js';

const data = loadMnist();

describe('overfitting experiment', () => {
  const options = {
    data,
    trainSize: 300,
    valSize: 200,
    testSize: 500,
    hidden: [64, 64],
    epochs: 10,
    batchSize: 16,
    lr: 4e-3,
    patience: 2,
    seed: 0,
  };
  const result = overfitting.run(options);
  const run = (v: string) => result.runs.find((r) => r.variant === v)!;

  it('runs every variant; without regularization the training set is fitted far better than the test set', () => {
    expect(result.runs.map((r) => r.variant)).toEqual([
      'none',
      'l2',
      'l1',
      'dropout',
      'early-stopping',
      'all',
    ]);
    expect(run('none').trainAccuracy).toBeGreaterThan(0.97);
    expect(run('none').gap).toBeGreaterThan(0.1);
    expect(run('dropout').gap).toBeLessThan(run('none').gap);
    expect(run('all').gap).toBeLessThan(run('none').gap);
    for (const r of result.runs) {
      expect(r.gap).toBeCloseTo(r.trainAccuracy - r.testAccuracy, 12);
      for (const e of r.epochs) expect(Number.isFinite(e.valLoss)).toBe(true);
    }
  });

  it('early stopping keeps the epoch with the lowest validation loss', () => {
    const es = run('early-stopping');
    const best = es.epochs.reduce((b, e) => (e.valLoss < b.valLoss ? e : b));
    expect(es.bestEpoch).toBe(best.epoch);
    expect(es.valAccuracy).toBeCloseTo(best.valAccuracy, 12);
    expect(run('none').bestEpoch).toBeNull();
  });

  it('is deterministic and presents bilingual findings', () => {
    const small = {
      ...options,
      variants: ['none', 'all'] as const,
      epochs: 2,
      trainSize: 100,
      valSize: 50,
      testSize: 50,
    };
    const a = overfitting.run({ ...small, variants: [...small.variants] });
    expect(JSON.stringify(a)).toBe(
      JSON.stringify(overfitting.run({ ...small, variants: [...small.variants] })),
    );
    const en = overfitting.present(result, 'en');
    const zh = overfitting.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(en.findings[0]).toContain(`${(100 * run('none').testAccuracy).toFixed(1)}%`);
    expect(zh.findings.length).toBe(en.findings.length);
    expect(en.figures).toHaveLength(3);
    expect(en.table?.rows).toHaveLength(6);
  });

  it('says what is wrong', () => {
    expect(() => overfitting.run({ data, variants: ['noise' as 'none'] })).toThrow(/unknown variant 'noise'/);
    expect(() => overfitting.run({ data, trainSize: 7900, valSize: 500 })).toThrow(
      /valSize = 500 \(after the first 7900\) exceeds the 8000 samples/,
    );
  });
});
