/** Sampling a spec's trials: grid order, seeded random draws, stable ids, each config checked. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTrials, draw, gridPoints, sampleParams, trialId } from '../../src/sweep/sampling.js';
import { checkSweepSpec } from '../../src/sweep/spec.js';
import { Generator } from '../../src/tensor/random.js';

describe('sampling', () => {
  it('walks the grid with the last axis fastest and numbers the trials in that order', () => {
    expect(gridPoints({ lr: [0.01, 0.1], seed: [0, 1] })).toEqual([
      { lr: 0.01, seed: 0 },
      { lr: 0.01, seed: 1 },
      { lr: 0.1, seed: 0 },
      { lr: 0.1, seed: 1 },
    ]);
    const trials = buildTrials(
      checkSweepSpec({ base: { data: 'spirals' }, grid: { lr: [0.01, 0.1], seed: [0, 1] } }),
    );
    expect(trials.map((t) => [t.id, t.params])).toEqual([
      ['t0000', { lr: 0.01, seed: 0 }],
      ['t0001', { lr: 0.01, seed: 1 }],
      ['t0002', { lr: 0.1, seed: 0 }],
      ['t0003', { lr: 0.1, seed: 1 }],
    ]);
    const job = trials[3]!.job;
    expect(job.kind === 'train' && [job.config.data, job.config.lr, job.config.seed]).toEqual([
      'spirals',
      0.1,
      1,
    ]);
    expect(trialId(12345)).toBe('t12345');
  });

  it('draws `trials` random points per grid point, the same ones for the same seed', () => {
    const s = checkSweepSpec({
      grid: { optimizer: ['sgd', 'adam'] },
      random: { lr: { logUniform: [1e-4, 1] }, batchSize: { intUniform: [16, 18] } },
      trials: 3,
      seed: 7,
    });
    const params = sampleParams(s);
    expect(params.map((p) => p.optimizer)).toEqual(['sgd', 'sgd', 'sgd', 'adam', 'adam', 'adam']);
    expect(sampleParams(s)).toEqual(params);
    expect(sampleParams({ ...s, seed: 8 })).not.toEqual(params);
    expect(new Set(params.map((p) => p.lr)).size).toBe(6);
  });

  it('keeps every draw inside its range (log-uniform, uniform, both ends of intUniform, choice)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = new Generator(seed);
        const lr = draw({ logUniform: [1e-5, 1e-2] }, rng) as number;
        const u = draw({ uniform: [-1, 2] }, rng) as number;
        const n = draw({ intUniform: [3, 4] }, rng) as number;
        const c = draw({ choice: ['a', 'b'] }, rng);
        return (
          lr >= 1e-5 && lr <= 1e-2 && u >= -1 && u < 2 && (n === 3 || n === 4) && (c === 'a' || c === 'b')
        );
      }),
      { numRuns: 200 },
    );
    const rng = new Generator(0);
    const ints = new Set(Array.from({ length: 200 }, () => draw({ intUniform: [3, 4] }, rng)));
    expect([...ints].sort()).toEqual([3, 4]);
  });

  it('spreads log-uniform draws evenly over the decades', () => {
    const rng = new Generator(1);
    const draws = Array.from({ length: 4000 }, () => draw({ logUniform: [1e-4, 1] }, rng) as number);
    const below = draws.filter((x) => x < 1e-2).length / draws.length;
    expect(below).toBeGreaterThan(0.46);
    expect(below).toBeLessThan(0.54);
  });

  it('refuses a trial whose configuration the run schema refuses, naming the trial and its values', () => {
    const s = checkSweepSpec({ base: { data: 'spirals' }, grid: { optimizer: ['adam', 'adamm'] } });
    expect(() => buildTrials(s, 'lr.yaml')).toThrow(
      /^lr\.yaml: trial t0001 \(optimizer="adamm"\): optimizer must be one of sgd, /,
    );
    const bad = checkSweepSpec({ base: { data: 'spirals' }, grid: { dropout: [0.5, 1.5] } });
    expect(() => buildTrials(bad, 'd.yaml')).toThrow(
      /trial t0001 \(dropout=1\.5\): dropout must be a probability in \[0, 1\), got 1\.5/,
    );
  });

  it('refuses a validation metric when a trial has no validation split', () => {
    const s = checkSweepSpec({ base: { data: 'spirals' }, grid: { validation: [0.1, 0] } });
    expect(() => buildTrials(s, 'v.yaml')).toThrow(
      /^v\.yaml: trial t0001 \(validation=0\): metric valAccuracy is measured on the validation split, and validation is 0/,
    );
  });

  it('refuses a spec that makes more trials than a sweep runs', () => {
    const s = checkSweepSpec({
      grid: {
        seed: Array.from({ length: 1000 }, (_, i) => i),
        epochs: Array.from({ length: 101 }, (_, i) => i + 1),
      },
    });
    expect(() => sampleParams(s)).toThrow(
      /the spec makes 101,000 trials \(101,000 grid points × 1\); a sweep runs at most 100,000/,
    );
  });
});
