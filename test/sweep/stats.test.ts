/**
 * The statistics of `--seeds` against values computed elsewhere: t quantiles from the textbook
 * table (any statistics book's two-sided 95% column), Welch's test from numpy with the p-value
 * integrated numerically (test/fixtures/gen/gen_sweep_stats.py), Holm's adjustment worked by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holm, meanInterval, studentTCdf, studentTQuantile, welchTTest } from '../../src/sweep/stats.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sweep_stats.json', import.meta.url), 'utf8'),
) as {
  welch: { a: number[]; b: number[]; t: number; df: number; p: number }[];
};

describe('Student t', () => {
  // t_{0.975, df} as printed in the tables (three decimals).
  const table: [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [4, 2.776],
    [9, 2.262],
    [10, 2.228],
    [30, 2.042],
    [120, 1.98],
  ];
  it.each(table)('the 0.975 quantile with %i degrees of freedom is the table value', (df, value) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(value, 3);
    expect(studentTQuantile(0.025, df)).toBeCloseTo(-value, 3);
  });

  it('one-sided 0.95 quantiles match the table (t_{0.95,5} = 2.015, t_{0.95,20} = 1.725)', () => {
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 3);
    expect(studentTQuantile(0.95, 20)).toBeCloseTo(1.725, 3);
  });

  it('the CDF is 1/2 at 0, symmetric, and with one degree of freedom is the Cauchy CDF', () => {
    expect(studentTCdf(0, 3.7)).toBeCloseTo(0.5, 14);
    expect(studentTCdf(1.3, 6.2) + studentTCdf(-1.3, 6.2)).toBeCloseTo(1, 14);
    for (const t of [-5, -0.5, 0.3, 2, 40]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
    }
  });

  it('refuses a non-positive df and a p outside (0, 1), naming them', () => {
    expect(() => studentTCdf(1, 0)).toThrow('studentTCdf: df must be > 0, got 0');
    expect(() => studentTQuantile(1, 4)).toThrow('studentTQuantile: p must be in (0, 1), got 1');
    expect(() => studentTQuantile(0.5, -2)).toThrow('studentTQuantile: df must be > 0, got -2');
  });
});

describe('meanInterval', () => {
  it('five seeds: mean ± t_{0.975,4} · s/√5 with the table value 2.776', () => {
    const xs = [97.1, 97.4, 96.9, 97.3, 97.0];
    const m = 97.14;
    const s = Math.sqrt(((-0.04) ** 2 + 0.26 ** 2 + (-0.24) ** 2 + 0.16 ** 2 + (-0.14) ** 2) / 4);
    const r = meanInterval(xs);
    expect(r.n).toBe(5);
    expect(r.mean).toBeCloseTo(m, 12);
    expect(r.sd).toBeCloseTo(s, 12);
    expect(r.interval![0]).toBeCloseTo(m - (2.776 * s) / Math.sqrt(5), 3);
    expect(r.interval![1]).toBeCloseTo(m + (2.776 * s) / Math.sqrt(5), 3);
  });

  it('one seed has a mean but no interval', () => {
    expect(meanInterval([0.5])).toEqual({ n: 1, mean: 0.5, sd: null, interval: null });
  });

  it('refuses no values and non-finite values', () => {
    expect(() => meanInterval([])).toThrow('meanInterval: needs at least 1 value(s), got 0');
    expect(() => meanInterval([1, Number.NaN])).toThrow(
      'meanInterval: values must be finite numbers, got NaN',
    );
  });
});

describe('welchTTest', () => {
  it.each(fixture.welch.map((c, i) => ({ ...c, i: `#${i}` })))(
    'case $i: t, Welch–Satterthwaite df and two-sided p equal numpy’s and the numerical integral',
    (c) => {
      const r = welchTTest(c.a, c.b);
      expect(r.t).toBeCloseTo(c.t, 9);
      expect(r.df).toBeCloseTo(c.df, 9);
      expect(Math.abs(r.p - c.p)).toBeLessThan(1e-9 + 1e-7 * c.p);
    },
  );

  it('samples without spread: p = 1 for equal means, 0 for different ones', () => {
    expect(welchTTest([1, 1, 1], [1, 1]).p).toBe(1);
    expect(welchTTest([1, 1, 1], [2, 2]).p).toBe(0);
  });

  it('needs two values per sample, and says which sample is short', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(
      'welchTTest (first sample): needs at least 2 value(s), got 1',
    );
    expect(() => welchTTest([1, 2], [3])).toThrow(
      'welchTTest (second sample): needs at least 2 value(s), got 1',
    );
  });
});

describe('holm', () => {
  it('adjusts step-down and keeps the input order (worked example)', () => {
    // sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max so far 0.06
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.03, 0.06, 0.06, 0.02];
    for (const [i, p] of adjusted.entries()) expect(p).toBeCloseTo(expected[i]!, 12);
  });

  it('caps at 1 and leaves a single p alone', () => {
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
    expect(holm([0.2])).toEqual([0.2]);
  });

  it('refuses a p outside [0, 1]', () => {
    expect(() => holm([0.2, 1.5])).toThrow('holm: p-values must be in [0, 1], got 1.5');
  });
});
