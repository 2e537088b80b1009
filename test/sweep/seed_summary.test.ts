/**
 * `--seeds`: each experiment's result becomes (setting, metric, value) rows, and the summary states
 * the mean, the 95% interval and which differences are significant, in words.
 */
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_METRICS } from '../../src/sweep/experiment_metrics.js';
import { summarizeSeeds } from '../../src/sweep/seed_summary.js';

/** An adam-then-sgd result with the given final accuracies (fractions), as its --json has them. */
function adamResult(acc: { adam: number; sgd: number; switch: number; swats: number }) {
  return {
    runs: Object.entries(acc).map(([variant, a]) => ({ variant, finalTestAccuracy: a, testAccuracy: [a] })),
  };
}

describe('EXPERIMENT_METRICS', () => {
  it('adam-then-sgd: one accuracy row per variant in percent, compared against Adam and SGD', () => {
    const m = EXPERIMENT_METRICS['adam-then-sgd']!;
    const rows = m.rows(adamResult({ adam: 0.9, sgd: 0.85, switch: 0.91, swats: 0.88 }));
    expect(rows.map((r) => [r.setting, r.value])).toEqual([
      ['Adam', 90],
      ['SGD', 85],
      ['Adam→SGD', 91],
      ['SWATS', 88],
    ]);
    expect(m.comparisons(rows.map((r) => r.setting)).map((c) => `${c.a}|${c.b}`)).toEqual([
      'Adam→SGD|Adam',
      'SWATS|Adam',
      'SGD|Adam',
      'Adam→SGD|SGD',
    ]);
  });

  it('batchnorm: BN against plain at each learning rate', () => {
    const m = EXPERIMENT_METRICS.batchnorm!;
    const rows = m.rows({
      runs: [
        { batchNorm: false, lr: 1, finalTestAccuracy: 0.8 },
        { batchNorm: true, lr: 1, finalTestAccuracy: 0.9 },
        { batchNorm: false, lr: 10, finalTestAccuracy: 0.106 },
        { batchNorm: true, lr: 10, finalTestAccuracy: 0.866 },
      ],
    });
    expect(rows.find((r) => r.setting === 'BN lr 10')?.value).toBeCloseTo(86.6, 10);
    expect(m.comparisons(rows.map((r) => r.setting))).toEqual([
      { a: 'BN lr 1', b: 'plain lr 1', metric: 'test accuracy (%)' },
      { a: 'BN lr 10', b: 'plain lr 10', metric: 'test accuracy (%)' },
    ]);
  });

  it('depth: a diverged network (finalLoss null) leaves its row out', () => {
    const rows = EXPERIMENT_METRICS.depth!.rows({
      runs: [
        { architecture: 'plain', depth: 64, finalLoss: 2.3 },
        { architecture: 'residual', depth: 64, finalLoss: null },
      ],
    });
    expect(rows).toEqual([{ setting: 'plain depth 64', metric: 'final training loss', value: 2.3 }]);
  });

  it('pretraining: final and 5-epoch accuracy per initialization', () => {
    const run = (init: string, final: number, at5: number) => ({
      init,
      testAccuracy: final,
      epochs: [
        { epoch: 0, testAccuracy: 0.1 },
        { epoch: 5, testAccuracy: at5 },
      ],
    });
    const rows = EXPERIMENT_METRICS.pretraining!.rows({
      runs: [run('pretrained', 0.698, 0.341), run('random', 0.594, 0.104)],
    });
    expect(rows.map((r) => [r.setting, r.metric, Number(r.value.toFixed(6))])).toEqual([
      ['pretrained', 'test accuracy (%)', 69.8],
      ['pretrained', 'test accuracy after 5 epochs (%)', 34.1],
      ['random', 'test accuracy (%)', 59.4],
      ['random', 'test accuracy after 5 epochs (%)', 10.4],
    ]);
  });

  it('covers the experiments whose numbers the README states', () => {
    expect(Object.keys(EXPERIMENT_METRICS).sort()).toEqual(
      [
        'adam-then-sgd',
        'batchnorm',
        'bn-batch-size',
        'bn-placement',
        'depth',
        'dropout-ensemble',
        'init',
        'overfitting',
        'pretraining',
        'transfer',
      ].sort(),
    );
  });
});

describe('summarizeSeeds', () => {
  const metrics = EXPERIMENT_METRICS['adam-then-sgd']!;
  // Adam→SGD a hair above Adam (noise); SGD clearly below. Percent values below are exact in binary
  // after ×100 only approximately, so expectations use toBeCloseTo.
  const accs = [
    { adam: 0.971, sgd: 0.95, switch: 0.972, swats: 0.969 },
    { adam: 0.974, sgd: 0.951, switch: 0.976, swats: 0.97 },
    { adam: 0.969, sgd: 0.948, switch: 0.968, swats: 0.972 },
    { adam: 0.973, sgd: 0.952, switch: 0.975, swats: 0.968 },
    { adam: 0.97, sgd: 0.949, switch: 0.973, swats: 0.971 },
  ];
  const runs = accs.map((a, i) => ({ seed: i, result: adamResult(a) }));
  const summary = summarizeSeeds({ experiment: 'adam-then-sgd', runs, metrics });

  it('gives each setting its mean and the 95% t interval over the seeds (t_{0.975,4} = 2.776)', () => {
    const adam = summary.settings.find((s) => s.setting === 'Adam')!;
    const values = [97.1, 97.4, 96.9, 97.3, 97.0];
    const m = 97.14;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / 4);
    expect(adam.seeds).toEqual([0, 1, 2, 3, 4]);
    expect(adam.mean).toBeCloseTo(m, 10);
    expect(adam.interval![1] - adam.mean).toBeCloseTo((2.776 * sd) / Math.sqrt(5), 3);
  });

  it('says a small difference is not significant and a large one is, with Holm over four comparisons', () => {
    const byPair = Object.fromEntries(summary.comparisons.map((c) => [`${c.a}|${c.b}`, c]));
    const sw = byPair['Adam→SGD|Adam']!;
    expect(sw.difference).toBeCloseTo(97.28 - 97.14, 10);
    expect(sw.significant).toBe(false);
    expect(sw.sentence.en).toMatch(
      /^Adam→SGD vs Adam: \+0\.14 points, not significant \(Welch p = 0\.\d+, Holm p = [\d.]+; 5 seeds\)$/,
    );
    expect(sw.sentence.zh).toMatch(/^Adam→SGD 对比 Adam：\+0\.14 个百分点，不显著（Welch p/);
    const sgd = byPair['SGD|Adam']!;
    expect(sgd.significant).toBe(true);
    expect(sgd.sentence.en).toMatch(
      /^SGD vs Adam: −2\.14 points, significant \(Welch p < 0\.001, Holm p < 0\.001; 5 seeds\)$/,
    );
    // Holm: the smallest of four p-values is multiplied by 4.
    const ps = summary.comparisons.map((c) => c.p!);
    const smallest = summary.comparisons[ps.indexOf(Math.min(...ps))]!;
    expect(smallest.pHolm).toBeCloseTo(Math.min(1, 4 * smallest.p!), 12);
    expect(summary.test.en).toContain("Welch's two-sided t-test");
    expect(summary.test.en).toContain("Holm's correction over the experiment's 4 comparisons");
  });

  it('with one seed: means, no interval, no test, and says so', () => {
    const one = summarizeSeeds({ experiment: 'adam-then-sgd', runs: runs.slice(0, 1), metrics });
    expect(one.settings[0]!.interval).toBeNull();
    expect(one.comparisons.every((c) => c.p === null && c.significant === null)).toBe(true);
    expect(one.comparisons[0]!.sentence.en).toBe(
      'Adam→SGD vs Adam: +0.10 points (one seed: no interval, no test)',
    );
    expect(one.test.en).toContain('One seed');
  });

  it('another percentage reads in points of that metric', () => {
    const run = (seed: number, init: string, at5: number) => ({
      init,
      testAccuracy: 0.6,
      epochs: [{ epoch: 5, testAccuracy: at5 + seed / 1000 }],
    });
    // pretrained 34.1 and 34.2, random 10.4 and 10.7: +23.60 points
    const runs = [0, 1].map((seed) => ({
      seed,
      result: { runs: [run(seed, 'pretrained', 0.341), run(seed * 3, 'random', 0.104)] },
    }));
    const s = summarizeSeeds({ experiment: 'pretraining', runs, metrics: EXPERIMENT_METRICS.pretraining! });
    const early = s.comparisons.find((c) => c.metric === 'test accuracy after 5 epochs (%)')!;
    expect(early.sentence.en).toMatch(
      /^pretrained vs random: \+23\.60 points of test accuracy after 5 epochs, /,
    );
    expect(early.sentence.zh).toMatch(
      /^pretrained 对比 random：test accuracy after 5 epochs \+23\.60 个百分点，/,
    );
  });

  it('a loss metric reads as a difference in that metric', () => {
    const depthRuns = [0, 1, 2].map((seed) => ({
      seed,
      result: {
        runs: [
          { architecture: 'plain', depth: 64, finalLoss: 2.3 + seed * 0.001 },
          { architecture: 'residual', depth: 64, finalLoss: 0.56 + seed * 0.05 },
        ],
      },
    }));
    const s = summarizeSeeds({ experiment: 'depth', runs: depthRuns, metrics: EXPERIMENT_METRICS.depth! });
    expect(s.comparisons).toHaveLength(1);
    expect(s.comparisons[0]!.sentence.en).toMatch(
      /^residual depth 64 vs plain depth 64: −1\.69 in final training loss, significant \(Welch p [<=] /,
    );
  });
});
