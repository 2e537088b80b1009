/**
 * dropout-ensemble: MC-dropout averaging is the mean softmax of sampled passes (K = 1 is one sampled
 * pass), leaves every module's mode and BN's statistics as they were; the ensemble is the mean softmax
 * of its members; a single sub-network is worse than the weight-scaled network and averaging many
 * closes the gap; determinism, presentation and errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { dropoutEnsemble } from '../../src/experiments/dropout_ensemble.js';
import {
  accuracyOf,
  ensembleAverage,
  mcDropoutAverage,
} from '../../src/experiments/dropout_ensemble_average.js';
import { seeded } from '../../src/experiments/seeded.js';
import { manualSeed, noGrad, randn, scope, type Tensor } from '../../src/index.js';
import { mlp } from '../../src/nn/builders/mlp.js';
import type { Module } from '../../src/nn/module.js';

const data = loadMnist();

/** softmax(model(x)) with the model in its current modes, as plain numbers. */
const softmaxPass = (model: Module, x: Tensor): number[] =>
  scope(() => noGrad(() => [...model.call(x).softmax(1).data()]));

describe('MC-dropout and ensemble averages', () => {
  it('K = 1 equals one sampled pass, and K = 3 the mean of three, from the same generator state', () =>
    seeded(7, () => {
      const model = mlp({ sizes: [5, 16, 4], dropout: 0.5, inputDropout: 0.2 }).eval();
      const x = randn([6, 5]);
      manualSeed(11);
      const one = mcDropoutAverage(model, x, 1);
      model.train();
      manualSeed(11);
      const passes = [softmaxPass(model, x), softmaxPass(model, x), softmaxPass(model, x)];
      expect([...one.values]).toEqual(passes[0]);
      expect(one.classes).toBe(4);
      expect(passes[1]).not.toEqual(passes[0]); // the masks are sampled anew each pass
      model.eval();
      manualSeed(11);
      const three = mcDropoutAverage(model, x, 3);
      three.values.forEach((v, i) => {
        expect(v).toBeCloseTo((passes[0]![i]! + passes[1]![i]! + passes[2]![i]!) / 3, 12);
      });
      expect(model.training).toBe(false); // modes restored
    }));

  it('keeps BatchNorm in evaluation mode (running statistics untouched) while dropout samples', () =>
    seeded(3, () => {
      const model = mlp({ sizes: [5, 8, 3], batchNorm: true, dropout: 0.5 });
      const x = randn([10, 5]);
      const before = model.buffers().map((b) => [...b.data()]);
      const seen: number[] = [];
      mcDropoutAverage(model, x, 4, (k) => seen.push(k));
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(model.buffers().map((b) => [...b.data()])).toEqual(before);
      expect([...model.modules()].every((m) => m.training)).toBe(true);
    }));

  it('the ensemble average is the mean of the members’ softmax in evaluation mode', () =>
    seeded(5, () => {
      const a = mlp({ sizes: [4, 6, 3], dropout: 0.5 });
      const b = mlp({ sizes: [4, 6, 3] });
      const x = randn([5, 4]);
      const [pa, pb] = [softmaxPass(a.eval(), x), softmaxPass(b.eval(), x)];
      a.train();
      const means: number[][] = [];
      const mean = ensembleAverage([a, b], x, (_m, p) => means.push([...p.values]));
      for (const [i, v] of mean.values.entries()) expect(v).toBeCloseTo((pa[i]! + pb[i]!) / 2, 12);
      expect(means[0]).toEqual(pa);
      expect(a.training).toBe(true);
    }));

  it('accuracyOf takes the most probable class of each row', () => {
    const mean = { values: Float64Array.from([0.1, 0.7, 0.2, 0.5, 0.2, 0.3]), classes: 3 };
    expect(accuracyOf(mean, [1, 0])).toBe(1);
    expect(accuracyOf(mean, [1, 2])).toBe(0.5);
  });

  it('says what is wrong', () => {
    const model = mlp({ sizes: [2, 2] });
    expect(() => mcDropoutAverage(model, randn([1, 2]), 0)).toThrow(
      'mcDropoutAverage: samples must be a positive integer, got 0',
    );
    expect(() => ensembleAverage([], randn([1, 2]))).toThrow(
      'ensembleAverage: models must hold at least one model',
    );
  });
});

describe('dropout-ensemble experiment', () => {
  // The default set-up with 2 ensemble members and 3 values of K (3 networks of 320 steps; ~2 s).
  const result = dropoutEnsemble.run({ data, members: 2, samples: [1, 8, 64], seed: 0 });
  const { mcDropout: mc, ensemble: ens, weightScaling: scaled } = result;

  it('one sampled sub-network is ≥ 3 points below weight scaling; 64 averaged come within 2 points', () => {
    expect(mc.count).toEqual([1, 8, 64]);
    expect(scaled.accuracy - mc.accuracy[0]!).toBeGreaterThanOrEqual(0.03);
    expect(Math.abs(scaled.accuracy - mc.accuracy[2]!)).toBeLessThan(0.02);
    expect(mc.loss[2]!).toBeLessThan(mc.loss[0]!);
  });

  it('the ensemble curve runs over M = 1…members, starting at its first member', () => {
    expect(ens.count).toEqual([1, 2]);
    expect(ens.accuracy[0]).toBe(result.memberAccuracy[0]);
    expect(result.memberAccuracy).toHaveLength(2);
    expect(result.stepsPerNetwork).toBe(20 * Math.ceil(500 / 32));
  });

  it('is deterministic: the same seed gives the same JSON', () => {
    const small = { data, trainSize: 100, testSize: 50, epochs: 1, members: 2, samples: [1, 3], seed: 2 };
    expect(JSON.stringify(dropoutEnsemble.run(small))).toBe(JSON.stringify(dropoutEnsemble.run(small)));
  });

  it('presents both languages: accuracy and loss figures, three findings with the numbers, a cost table', () => {
    const en = dropoutEnsemble.present(result, 'en');
    const zh = dropoutEnsemble.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(zh.shows).toContain('可视为一种集成学习');
    for (const p of [en, zh]) {
      expect(p.findings).toHaveLength(3);
      expect(p.figures).toHaveLength(2);
      expect(p.table?.rows).toHaveLength(1 + 3 + 2);
    }
    expect(en.findings[0]).toContain(`scores ${(100 * mc.accuracy[0]!).toFixed(1)}%`);
    expect(en.findings[1]).toContain(`${2 * result.stepsPerNetwork} optimizer steps`);
    expect(en.table?.rows.at(-1)?.slice(0, 3)).toEqual(['(c) ensemble, M = 2', 2, 2]);
    const values = (en.figures[0] as { data: { values: { series: string; x: number }[] } }).data.values;
    expect(values.filter((v) => v.series.startsWith('(b)')).map((v) => v.x)).toEqual([1, 8, 64]);
  });

  it('says what is missing or wrong', () => {
    expect(() => dropoutEnsemble.run({})).toThrow(/dropout-ensemble: options.data is required/);
    expect(() => dropoutEnsemble.run({ data, dropout: 0 })).toThrow(
      'dropout-ensemble: dropout must be in (0, 1): the experiment needs a dropout network, got 0',
    );
    expect(() => dropoutEnsemble.run({ data, samples: [4, 0] })).toThrow(
      'dropout-ensemble: each K in samples must be a positive integer, got 0',
    );
    expect(() => dropoutEnsemble.run({ data, members: 0 })).toThrow(
      'dropout-ensemble: members must be a positive integer, got 0',
    );
    expect(() => dropoutEnsemble.run({ data, inputDropout: 1 })).toThrow(
      'dropout-ensemble: inputDropout must be in [0, 1), got 1',
    );
  });
});
