/** Synthetic 2-D sets: sizes, balance, determinism by seed, geometry, and argument errors. */
import { describe, expect, it } from 'vitest';
import {
  blobs,
  circles,
  moons,
  spirals,
  syntheticDataset,
  syntheticNames,
  xor,
} from '../../src/data/index.js';

describe('synthetic sets', () => {
  it.each(syntheticNames)('%s: n samples of shape [2], balanced, seeded', (name) => {
    const a = syntheticDataset(name, { n: 101, seed: 4 });
    const b = syntheticDataset(name, { n: 101, seed: 4 });
    const c = syntheticDataset(name, { n: 101, seed: 5 });
    expect(a.length).toBe(101);
    expect(a.sampleShape).toEqual([2]);
    expect([...a.features]).toEqual([...b.features]);
    expect([...a.features]).not.toEqual([...c.features]);
    const counts = a.classCounts();
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(a.features.every(Number.isFinite)).toBe(true);
    // Shuffled: the first ten samples are not all of one class.
    expect(new Set(a.labels.slice(0, 10)).size).toBeGreaterThan(1);
  });

  it('noiseless geometry is right', () => {
    const c = circles({ n: 40, noise: 0, factor: 0.3 });
    for (let i = 0; i < c.length; i++) {
      const r = Math.hypot(c.features[2 * i]!, c.features[2 * i + 1]!);
      expect(r).toBeCloseTo(c.labels[i] === 0 ? 1 : 0.3, 5);
    }
    const x = xor({ n: 100 });
    for (let i = 0; i < x.length; i++) {
      const p = x.features[2 * i]! * x.features[2 * i + 1]!;
      expect(p < 0 ? 1 : 0).toBe(x.labels[i]);
    }
    const m = moons({ n: 50, noise: 0 });
    for (let i = 0; i < m.length; i++) {
      const [px, py] = [m.features[2 * i]!, m.features[2 * i + 1]!];
      const r = m.labels[i] === 0 ? Math.hypot(px, py) : Math.hypot(1 - px, 0.5 - py);
      expect(r).toBeCloseTo(1, 5);
    }
    const s = spirals({ n: 30, classes: 3, noise: 0 });
    expect(s.numClasses).toBe(3);
    const b = blobs({
      n: 60,
      centers: [
        [5, 5],
        [-5, -5],
      ],
      noise: 0.1,
    });
    for (let i = 0; i < b.length; i++) expect(Math.sign(b.features[2 * i]!)).toBe(b.labels[i] === 0 ? 1 : -1);
  });

  it('rejects bad arguments', () => {
    expect(() => moons({ n: 0 })).toThrow(/moons: n must be a positive integer, got 0/);
    expect(() => spirals({ noise: -1 })).toThrow(/spirals: noise must be finite and ≥ 0/);
    expect(() => circles({ factor: 1.5 })).toThrow(/factor must be in \(0, 1\)/);
    expect(() => blobs({ centers: [[1, Number.NaN]] })).toThrow(/centre 0 must be two finite numbers/);
    expect(() => syntheticDataset('waves' as never)).toThrow(
      /unknown set "waves"; expected one of spirals, moons/,
    );
  });
});
