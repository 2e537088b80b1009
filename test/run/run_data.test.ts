/** The run data of a synthetic set: the CLI's points by default, the lab's choices of size, noise and test fraction. */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/io/format_error.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { syntheticRunData, syntheticSplits } from '../../src/run/run_data.js';
import { messageOf } from '../helpers/thrown.js';

describe('syntheticRunData', () => {
  it('draws 1,000 points split 800/200, then 10% of the training points for validation', () => {
    const d = syntheticRunData(parseRunConfig({ data: 'moons' }));
    expect([d.train.length, d.validation?.length, d.test.length]).toEqual([720, 80, 200]);
    expect(d.name).toBe('moons');
  });

  it('takes the number of points, the noise and the test fraction; the seed moves the points', () => {
    const c = parseRunConfig({ data: 'circles', validation: 0 });
    const d = syntheticRunData(c, { n: 400, testFraction: 0.5 });
    expect([d.train.length, d.validation, d.test.length]).toEqual([200, null, 200]);
    const calm = syntheticSplits(c, { noise: 0 }).train;
    const radii = Array.from({ length: calm.length }, (_, i) =>
      Math.hypot(calm.features[2 * i]!, calm.features[2 * i + 1]!),
    );
    // Without noise every point lies on one of the two circles (radius 1 and 0.5).
    expect(radii.every((r) => Math.abs(r - 1) < 1e-6 || Math.abs(r - 0.5) < 1e-6)).toBe(true);
    const noisy = syntheticSplits(c).train.features;
    expect(noisy).not.toEqual(calm.features);
    const other = syntheticSplits(parseRunConfig({ data: 'circles', validation: 0, seed: 1 })).train.features;
    expect(other).not.toEqual(noisy);
  });

  it('standardizes with the training part’s statistics when the configuration says so', () => {
    const d = syntheticRunData(parseRunConfig({ data: 'blobs', standardize: true }));
    const xs = Array.from({ length: d.train.length }, (_, i) => d.train.features[2 * i]!);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
  });

  it('refuses an image architecture, a name that is not a synthetic set, and a test fraction outside (0, 1)', () => {
    expect(
      messageOf(() => syntheticSplits(parseRunConfig({ data: 'xor', arch: 'lenet5' })), FormatError),
    ).toBe('--arch lenet5 needs image data; synthetic 2-D sets work with --arch mlp');
    expect(messageOf(() => syntheticSplits(parseRunConfig({ data: 'mnist' })), FormatError)).toBe(
      'data "mnist" is not a synthetic set; accepted: spirals, moons, circles, xor, blobs',
    );
    expect(
      messageOf(() => syntheticSplits(parseRunConfig({ data: 'xor' }), { testFraction: 1 }), RangeError),
    ).toBe('syntheticSplits: testFraction must be in (0, 1), got 1');
  });

  it('refuses a validation split with no sample in it, naming the setting', () => {
    const c = parseRunConfig({ data: 'xor', validation: 0.001 });
    expect(messageOf(() => syntheticRunData(c, { n: 100 }), FormatError)).toContain(
      '--validation 0.001: the validation split of 80 training samples is empty',
    );
  });
});

describe('trainSize', () => {
  /** The training samples as strings of their features, to compare sets of samples. */
  const samples = (d: ReturnType<typeof syntheticRunData>['train']): string[] =>
    Array.from({ length: d.length }, (_, i) => `${d.features[2 * i]},${d.features[2 * i + 1]}`);

  it('keeps a seeded random subset of that many training samples; validation and test stay the same', () => {
    const all = syntheticRunData(parseRunConfig({ data: 'spirals' }));
    const some = syntheticRunData(parseRunConfig({ data: 'spirals', trainSize: 100 }));
    expect([some.train.length, some.validation?.length, some.test.length]).toEqual([100, 80, 200]);
    expect(some.validation?.features).toEqual(all.validation?.features);
    expect(some.test.features).toEqual(all.test.features);
    const pool = new Set(samples(all.train));
    expect(samples(some.train).every((s) => pool.has(s))).toBe(true);
    // Not the first 100 in order: a random subset (spirals are generated arm by arm).
    expect(samples(some.train)).not.toEqual(samples(all.train).slice(0, 100));
    const again = syntheticRunData(parseRunConfig({ data: 'spirals', trainSize: 100 }));
    expect(again.train.features).toEqual(some.train.features);
    const otherSeed = syntheticRunData(parseRunConfig({ data: 'spirals', trainSize: 100, seed: 3 }));
    expect(otherSeed.train.features).not.toEqual(some.train.features);
  });

  it('refuses more samples than the training split holds, with both counts', () => {
    const msg = messageOf(
      () => syntheticRunData(parseRunConfig({ data: 'spirals', trainSize: 721 })),
      FormatError,
    );
    expect(msg).toMatch(/--train-size 721: the training split holds only 720 samples/);
    expect(() => parseRunConfig({ data: 'spirals', trainSize: 0 })).toThrow(/trainSize/);
  });
});
