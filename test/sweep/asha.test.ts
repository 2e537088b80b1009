/**
 * ASHA's decisions on hand-built rung tables. The expected verdicts follow the paper's rule (Li et al.
 * 2020): at a rung holding n results, a trial goes on only if it is in the top ⌊n/η⌋ (at least the best).
 */
import { describe, expect, it } from 'vitest';
import { Asha, rungEpochs, rungVerdict } from '../../src/sweep/asha.js';

describe('rungEpochs', () => {
  it('places rungs at minEpochs·η^k below the last epoch', () => {
    expect(rungEpochs({ minEpochs: 1, reductionFactor: 3 }, 27)).toEqual([1, 3, 9]);
    expect(rungEpochs({ minEpochs: 2, reductionFactor: 2 }, 20)).toEqual([2, 4, 8, 16]);
    expect(rungEpochs({ minEpochs: 5, reductionFactor: 3 }, 5)).toEqual([]);
  });
});

describe('rungVerdict', () => {
  const max = { reductionFactor: 3, mode: 'max' as const };
  it('keeps the first result at a rung (the top 1 of 1)', () => {
    expect(rungVerdict({ ...max, value: 0.1, rung: [0.1] })).toBe('continue');
  });

  it('keeps only the best while a rung holds fewer than η results', () => {
    // n = 2 < η = 3: ⌊2/3⌋ = 0, so the top 1.
    expect(rungVerdict({ ...max, value: 0.5, rung: [0.9, 0.5] })).toBe('prune');
    expect(rungVerdict({ ...max, value: 0.95, rung: [0.9, 0.95] })).toBe('continue');
  });

  it('keeps the top ⌊n/η⌋ of n results', () => {
    // n = 9, η = 3: the top 3 go on.
    const rung = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    expect(rungVerdict({ ...max, value: 0.7, rung })).toBe('continue');
    expect(rungVerdict({ ...max, value: 0.6, rung })).toBe('prune');
    // n = 6, η = 2: the top 3.
    const six = [1, 2, 3, 4, 5, 6];
    expect(rungVerdict({ value: 4, rung: six, reductionFactor: 2, mode: 'max' })).toBe('continue');
    expect(rungVerdict({ value: 3, rung: six, reductionFactor: 2, mode: 'max' })).toBe('prune');
  });

  it('rounds the top 1/η down: 4 or 5 results at η = 3 keep only the best', () => {
    expect(rungVerdict({ ...max, value: 0.8, rung: [0.9, 0.8, 0.1, 0.2] })).toBe('prune');
    expect(rungVerdict({ ...max, value: 0.8, rung: [0.9, 0.8, 0.1, 0.2, 0.3] })).toBe('prune');
    expect(rungVerdict({ ...max, value: 0.9, rung: [0.9, 0.8, 0.1, 0.2, 0.3] })).toBe('continue');
  });

  it('ranks a loss from the lowest when minimizing', () => {
    const rung = [0.3, 0.5, 0.9, 1.2, 2.0, 0.4];
    expect(rungVerdict({ value: 0.4, rung, reductionFactor: 3, mode: 'min' })).toBe('continue');
    expect(rungVerdict({ value: 0.5, rung, reductionFactor: 3, mode: 'min' })).toBe('prune');
  });

  it('ranks ties in the trial’s favour and NaN below every number', () => {
    expect(rungVerdict({ ...max, value: 0.9, rung: [0.9, 0.9, 0.1] })).toBe('continue');
    expect(rungVerdict({ ...max, value: Number.NaN, rung: [Number.NaN] })).toBe('continue');
    expect(rungVerdict({ ...max, value: Number.NaN, rung: [0.1, Number.NaN, 0.2] })).toBe('prune');
  });

  it('prunes nothing while the rung holds fewer than grace results', () => {
    expect(rungVerdict({ ...max, value: 0.1, rung: [0.9, 0.1], grace: 3 })).toBe('continue');
    expect(rungVerdict({ ...max, value: 0.1, rung: [0.9, 0.5, 0.1], grace: 3 })).toBe('prune');
  });
});

describe('Asha', () => {
  const options = {
    method: 'asha' as const,
    minEpochs: 1,
    reductionFactor: 3,
    grace: 0,
    mode: 'max' as const,
  };

  it('judges only at rung epochs below the trial’s last epoch, against the results recorded so far', () => {
    const asha = new Asha(options);
    const report = (trialId: string, epoch: number, value: number) =>
      asha.report({ trialId, epoch, value, maxEpochs: 9 });
    expect(report('a', 1, 0.5)).toBe('continue');
    expect(report('b', 1, 0.4)).toBe('prune');
    expect(report('a', 2, 0.1)).toBe('continue'); // not a rung
    expect(report('c', 1, 0.6)).toBe('continue');
    expect(report('a', 3, 0.7)).toBe('continue');
    expect(report('a', 9, 0.0)).toBe('continue'); // the last epoch: the trial has finished anyway
    expect([...asha.rung(1).entries()]).toEqual([
      ['a', 0.5],
      ['b', 0.4],
      ['c', 0.6],
    ]);
  });

  it('counts a resumed sweep’s recorded trials at their rungs', () => {
    const asha = new Asha(options);
    asha.record({
      trialId: 'a',
      values: new Map([
        [1, 0.9],
        [2, 0.95],
        [3, 0.97],
        [9, 0.99],
      ]),
      maxEpochs: 9,
    });
    expect([...asha.rung(3).keys()]).toEqual(['a']);
    expect(asha.rung(2).size).toBe(0);
    expect(asha.rung(9).size).toBe(0);
    expect(asha.report({ trialId: 'b', epoch: 1, value: 0.5, maxEpochs: 9 })).toBe('prune');
  });

  it('records a resumed trial only at the rungs of its own length, as the live sweep judged it', () => {
    // A 3-epoch trial is judged at epoch 1 only (rungs lie below the last epoch): its last value must
    // not join rung 3, where a 9-epoch trial would then be ranked against it after a resume only.
    const asha = new Asha(options);
    asha.record({
      trialId: 'short',
      values: new Map([
        [1, 0.9],
        [2, 0.95],
        [3, 0.99],
      ]),
      maxEpochs: 3,
    });
    expect([...asha.rung(1).keys()]).toEqual(['short']);
    expect(asha.rung(3).size).toBe(0);
    expect(asha.report({ trialId: 'long', epoch: 3, value: 0.5, maxEpochs: 9 })).toBe('continue');
  });
});
