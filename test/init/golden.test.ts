/**
 * Initializers against PyTorch 1.13 (test/fixtures/init.json, from test/fixtures/gen/gen_init.py):
 * the gain table, fans, the exact bound/std each Kaiming/Xavier initializer uses, and the orthogonal
 * factor for a given Gaussian matrix.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manualSeed, zeros } from '../../src/index.js';
import {
  calculateFanInAndFanOut,
  calculateGain,
  type KaimingOptions,
  kaimingNormal_,
  kaimingUniform_,
  type Nonlinearity,
  xavierNormal_,
  xavierUniform_,
} from '../../src/init/index.js';
import { kaimingStd } from '../../src/init/kaiming.js';
import { orthogonalFactor } from '../../src/init/orthogonal.js';
import { xavierStd } from '../../src/init/xavier.js';

interface Fixture {
  gains: { torch: string; name: Nonlinearity; param: number | null; gain: number }[];
  fans: { shape: number[]; fanIn: number; fanOut: number }[];
  scales: {
    init: 'kaimingUniform_' | 'kaimingNormal_' | 'xavierUniform_' | 'xavierNormal_';
    shape: number[];
    options: KaimingOptions & { gain?: number };
    bound?: number;
    std?: number;
  }[];
  orthogonal: { rows: number; cols: number; gain: number; a: number[]; q: number[] }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/init.json', import.meta.url), 'utf8'),
) as Fixture;

describe('calculateGain matches torch.nn.init.calculate_gain', () => {
  it.each(fixture.gains)('$torch (param $param) → $gain', ({ name, param, gain }) => {
    expect(calculateGain(name, param ?? undefined)).toBeCloseTo(gain, 14);
  });
});

describe('calculateFanInAndFanOut matches torch', () => {
  it.each(fixture.fans)('shape $shape → [$fanIn, $fanOut]', ({ shape, fanIn, fanOut }) => {
    expect(calculateFanInAndFanOut(zeros(shape))).toEqual([fanIn, fanOut]);
  });
});

describe('Kaiming and Xavier scales match the arguments torch passes to uniform_/normal_', () => {
  const fns = { kaimingUniform_, kaimingNormal_, xavierUniform_, xavierNormal_ };
  it.each(fixture.scales)('$init $shape $options', (c) => {
    const t = zeros(c.shape);
    const std = c.init.startsWith('kaiming')
      ? kaimingStd(c.init, t, c.options)
      : xavierStd(c.init, t, c.options.gain ?? 1);
    if (c.bound !== undefined) expect(Math.sqrt(3) * std).toBeCloseTo(c.bound, 12);
    else expect(std).toBeCloseTo(c.std!, 12);
    // The initializer itself stays within the uniform bound (float32 rounding allowed).
    if (c.bound !== undefined) {
      manualSeed(3);
      const w = fns[c.init](t, c.options);
      const values = w.data();
      let maxAbs = 0;
      for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
      expect(maxAbs).toBeLessThanOrEqual(c.bound * (1 + 1e-7));
    }
  });
});

describe('orthogonalFactor matches torch.nn.init.orthogonal_ for the same Gaussian matrix', () => {
  it.each(fixture.orthogonal)('$rows×$cols, gain $gain', ({ rows, cols, gain, a, q }) => {
    const ours = orthogonalFactor(Float64Array.from(a), rows, cols);
    for (let i = 0; i < q.length; i++) expect(ours[i]! * gain).toBeCloseTo(q[i]!, 12);
  });
});
