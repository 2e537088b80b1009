/**
 * batchnorm (Ioffe & Szegedy 2015, figure 1): the evidence — at the larger learning rate the BN network
 * ends at least 20 points above the plain one — plus determinism, the percentile capture, the
 * presentation in both languages and the errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { batchnorm } from '../../src/experiments/batchnorm.js';

const data = loadMnist();

describe('batchnorm experiment', () => {
  // 100 SGD steps of batch 60 per run (4 runs), the paper's 784-100-100-100-10 sigmoid network.
  const result = batchnorm.run({ data, steps: 100, evalEvery: 50, trainSize: 3000, testSize: 500, seed: 0 });

  it('at the larger learning rate the BN network ends ≥ 20 points above the plain one', () => {
    const plain = result.runs.find((r) => r.lr === result.largeLr && !r.batchNorm)!;
    const bn = result.runs.find((r) => r.lr === result.largeLr && r.batchNorm)!;
    expect(result.largeLr / result.lr).toBeGreaterThanOrEqual(5);
    expect(bn.finalTestAccuracy - plain.finalTestAccuracy).toBeGreaterThanOrEqual(0.2);
    expect(plain.finalTestAccuracy).toBeLessThan(0.2); // chance level: its sigmoids saturate
  });

  it('at the shared learning rate BN learns faster', () => {
    const plain = result.runs.find((r) => r.lr === result.lr && !r.batchNorm)!;
    const bn = result.runs.find((r) => r.lr === result.lr && r.batchNorm)!;
    expect(bn.finalTestAccuracy).toBeGreaterThan(plain.finalTestAccuracy);
  });

  it('measures accuracy and ordered percentiles at step 0 and every evalEvery steps', () => {
    expect(result.layers).toEqual({ plain: '4', batchNorm: '7' }); // the Linear, then the BatchNorm1d
    for (const r of result.runs) {
      expect(r.steps).toEqual([0, 50, 100]);
      r.steps.forEach((_, i) => {
        expect(r.p15[i]!).toBeLessThanOrEqual(r.p50[i]!);
        expect(r.p50[i]!).toBeLessThanOrEqual(r.p85[i]!);
      });
    }
    // Same initial weights, and BN's running statistics start at 0 and 1: the same function at step 0.
    const at0 = result.runs.map((r) => [r.testAccuracy[0], r.p50[0]]);
    for (const v of at0) expect(v[0]).toBeCloseTo(at0[0]![0]!, 6);
    for (const v of at0) expect(v[1]).toBeCloseTo(at0[0]![1]!, 4);
  });

  it('is deterministic: the same seed gives the same JSON', () => {
    const small = { data, steps: 6, evalEvery: 3, trainSize: 600, testSize: 100, seed: 3 };
    expect(JSON.stringify(batchnorm.run(small))).toBe(JSON.stringify(batchnorm.run(small)));
  });

  it('presents bilingual text, a table and Vega-Lite figures with the numbers', () => {
    const en = batchnorm.present(result, 'en');
    const zh = batchnorm.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(en.shows).toMatch(/Ioffe & Szegedy 2015/);
    expect(en.findings).toHaveLength(3);
    expect(zh.findings).toHaveLength(3);
    const bn = result.runs.find((r) => r.lr === result.largeLr && r.batchNorm)!;
    expect(en.findings[2]).toContain(`${(100 * bn.finalTestAccuracy).toFixed(1)}%`);
    expect(en.figures).toHaveLength(4);
    for (const f of en.figures) expect(f.$schema).toMatch(/vega-lite/);
    expect(en.table?.rows).toHaveLength(4);
  });

  it('says what is missing or wrong', () => {
    expect(() => batchnorm.run({})).toThrow(/batchnorm: options.data is required/);
    expect(() => batchnorm.run({ data, unit: 100 })).toThrow(/unit must be an integer in \[0, 100\)/);
    expect(() => batchnorm.run({ data, testSize: 5000 })).toThrow(/testSize = 5000 exceeds the 2000 samples/);
  });
});
