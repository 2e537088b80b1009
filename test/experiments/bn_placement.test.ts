/**
 * bn-placement: BN on z and BN on a both train much faster than no BN and end close to each other
 * ("对z、a做BN均可"); the networks differ only in where BatchNorm1d sits and start as the same
 * function; determinism, presentation and errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { bnPlacement, placementNetwork } from '../../src/experiments/bn_placement.js';
import { BatchNorm1d, Linear, ReLU, Sigmoid } from '../../src/nn/index.js';

const data = loadMnist();

describe('bn-placement experiment', () => {
  // Half the default budget (200 SGD steps per network, 3 networks; ~2 s).
  const result = bnPlacement.run({ data, steps: 200, evalEvery: 50, seed: 0 });
  const run = (p: 'none' | 'pre' | 'post') => result.runs.find((r) => r.placement === p)!;

  it('both placements end ≥ 15 points above the network without BN and within 5 points of each other', () => {
    expect(run('pre').finalTestAccuracy - run('none').finalTestAccuracy).toBeGreaterThanOrEqual(0.15);
    expect(run('post').finalTestAccuracy - run('none').finalTestAccuracy).toBeGreaterThanOrEqual(0.15);
    expect(Math.abs(run('pre').finalTestAccuracy - run('post').finalTestAccuracy)).toBeLessThan(0.05);
  });

  it('the networks differ only in where BatchNorm1d sits', () => {
    const kinds = (p: 'none' | 'pre' | 'post') =>
      [...placementNetwork(p, [6, 5, 4, 3], 'sigmoid')].map((m) => m.constructor);
    expect(kinds('none')).toEqual([Linear, Sigmoid, Linear, Sigmoid, Linear]);
    expect(kinds('pre')).toEqual([Linear, BatchNorm1d, Sigmoid, Linear, BatchNorm1d, Sigmoid, Linear]);
    expect(kinds('post')).toEqual([Linear, Sigmoid, BatchNorm1d, Linear, Sigmoid, BatchNorm1d, Linear]);
    expect(run('post').layer).toEqual(['Linear', 'ReLU', 'BatchNorm1d']);
    expect([...placementNetwork('post', [6, 5, 3], 'relu')][1]).toBeInstanceOf(ReLU);
  });

  it('measures every evalEvery steps from the same function at step 0 (BN starts as the identity)', () => {
    for (const r of result.runs) {
      expect(r.steps).toEqual([0, 50, 100, 150, 200]);
      expect(r.stepLosses).toHaveLength(200);
      expect(r.testAccuracy[0]).toBe(run('none').testAccuracy[0]);
    }
    expect(run('pre').testAccuracy[1]).toBeGreaterThan(run('pre').testAccuracy[0]! + 0.3);
  });

  it('is deterministic: the same seed gives the same JSON', () => {
    const small = { data, steps: 6, evalEvery: 3, trainSize: 200, testSize: 50, seed: 4 };
    expect(JSON.stringify(bnPlacement.run(small))).toBe(JSON.stringify(bnPlacement.run(small)));
  });

  it('presents both languages: two figures with every placement, three findings with the numbers, a table', () => {
    const en = bnPlacement.present(result, 'en');
    const zh = bnPlacement.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(zh.shows).toContain('对z、a做BN均可');
    for (const p of [en, zh]) {
      expect(p.findings).toHaveLength(3);
      expect(p.figures).toHaveLength(2);
      expect(p.table?.rows).toHaveLength(3);
    }
    expect(en.findings[0]).toContain(
      `BN on a (after the activation) ${(100 * run('post').finalTestAccuracy).toFixed(1)}%`,
    );
    expect(en.findings[1]).toMatch(/either placement works/);
    expect(zh.findings[1]).toMatch(/对 z、a 做 BN 均可/);
    const values = (en.figures[0] as { data: { values: { series: string }[] } }).data.values;
    expect(new Set(values.map((v) => v.series)).size).toBe(3);
    expect(en.table?.rows[1]?.[1]).toBe('Linear → BatchNorm1d → ReLU');
  });

  it('says what is missing or wrong', () => {
    expect(() => bnPlacement.run({})).toThrow(/bn-placement: options.data is required/);
    expect(() => bnPlacement.run({ data, placements: ['pre', 'middle' as 'pre'] })).toThrow(
      "bn-placement: unknown placement 'middle'; accepted: none, pre, post",
    );
    expect(() => bnPlacement.run({ data, placements: [] })).toThrow(
      'bn-placement: placements must list at least one of none, pre, post',
    );
    expect(() => bnPlacement.run({ data, activation: 'gelu' as 'relu' })).toThrow(
      "bn-placement: unknown activation 'gelu'; accepted: relu, sigmoid, tanh",
    );
    expect(() => bnPlacement.run({ data, batchSize: 1 })).toThrow(
      'bn-placement: batchSize must be at least 2 (BN needs two values per feature)',
    );
    expect(() => bnPlacement.run({ data, evalEvery: 0 })).toThrow(
      'bn-placement: evalEvery must be a positive integer, got 0',
    );
  });
});
