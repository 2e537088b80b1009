import { describe, expect, it } from 'vitest';
import { type InitLayer, type InitOptions, init } from '../../src/experiments/init.js';
import { renderSvg } from '../../src/report/render.js';

// The lecture's set-up at its full size (10 layers of 100 units, a batch of 1,000), seed 0.
const run = (o: Partial<InitOptions>) =>
  init.run({ layers: 10, width: 100, batch: 1000, seed: 0, ...o }).layers;
const stds = (layers: InitLayer[]) => layers.map((l) => l.std);
/** max over layers of max(s_l / s_1, s_1 / s_l). */
const spread = (layers: InitLayer[]) =>
  Math.max(...layers.map((l) => Math.max(l.std / layers[0]!.std, layers[0]!.std / l.std)));

describe('init experiment: the evidence of issue 7', () => {
  it('tanh, little-random: layer-10 std is below 1% of layer 1', () => {
    const layers = run({ activation: 'tanh', init: 'little-random', batchNorm: false });
    expect(layers).toHaveLength(10);
    expect(layers[9]!.std).toBeLessThan(0.01 * layers[0]!.std);
  });

  it('tanh, random: layer std near 0.96, more than 70% saturated from layer 2 on', () => {
    const layers = run({ activation: 'tanh', init: 'random', batchNorm: false });
    for (const s of stds(layers)) expect(s).toBeCloseTo(0.96, 1);
    for (const l of layers.slice(1)) expect(l.saturatedFraction).toBeGreaterThan(0.7);
  });

  it('tanh, xavier: every layer within a factor 4 of layer 1', () => {
    expect(spread(run({ activation: 'tanh', init: 'xavier', batchNorm: false }))).toBeLessThan(4);
  });

  it('tanh with batch norm: every init keeps every layer within a factor 2 of layer 1', () => {
    for (const scheme of ['little-random', 'random', 'xavier', 'he'] as const) {
      expect(spread(run({ activation: 'tanh', init: scheme, batchNorm: true }))).toBeLessThan(2);
    }
  });

  it('relu: he keeps every layer within a factor 3 of layer 1, xavier falls by more than 5 by layer 10', () => {
    expect(spread(run({ activation: 'relu', init: 'he', batchNorm: false }))).toBeLessThan(3);
    const xavier = run({ activation: 'relu', init: 'xavier', batchNorm: false });
    expect(xavier[0]!.std / xavier[9]!.std).toBeGreaterThan(5);
    // Half of the ReLU units are 0.
    for (const l of xavier) expect(l.deadFraction).toBeGreaterThan(0.35);
  });
});

describe('init experiment: the JSON contract and determinism', () => {
  it('returns exactly { layers: [{ layer, mean, std, saturatedFraction, deadFraction, gradStd, histogram, gradHistogram: { edges, counts } }] }', () => {
    const result = init.run({
      activation: 'relu',
      init: 'he',
      batchNorm: true,
      layers: 3,
      width: 8,
      batch: 16,
      seed: 1,
    });
    const json = JSON.parse(JSON.stringify(result));
    expect(Object.keys(json)).toEqual(['layers']);
    expect(json.layers.map((l: InitLayer) => l.layer)).toEqual([1, 2, 3]);
    for (const l of json.layers) {
      expect(Object.keys(l).sort()).toEqual(
        [
          'deadFraction',
          'gradHistogram',
          'gradStd',
          'histogram',
          'layer',
          'mean',
          'saturatedFraction',
          'std',
        ].sort(),
      );
      expect(Object.keys(l.histogram).sort()).toEqual(['counts', 'edges']);
      expect(Object.keys(l.gradHistogram).sort()).toEqual(['counts', 'edges']);
      expect(l.histogram.edges).toHaveLength(l.histogram.counts.length + 1);
      expect(l.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(16 * 8);
      for (const k of ['mean', 'std', 'saturatedFraction', 'deadFraction', 'gradStd']) {
        expect(Number.isFinite(l[k])).toBe(true);
      }
    }
  });

  it('gives the same JSON for the same seed, another for another seed, and leaves the caller’s generator alone', async () => {
    const { randn } = await import('../../src/tensor/creation.js');
    const { manualSeed } = await import('../../src/tensor/random.js');
    const o = {
      activation: 'tanh',
      init: 'xavier',
      batchNorm: false,
      layers: 4,
      width: 16,
      batch: 32,
    } as const;
    manualSeed(7);
    const expected = randn([3]).toArray();
    manualSeed(7);
    const a = JSON.stringify(init.run({ ...o, seed: 3 }));
    expect(randn([3]).toArray()).toEqual(expected);
    expect(JSON.stringify(init.run({ ...o, seed: 3 }))).toBe(a);
    expect(JSON.stringify(init.run({ ...o, seed: 4 }))).not.toBe(a);
  });

  it('rejects unknown settings with messages naming what is accepted', () => {
    expect(() => init.run({ activation: 'sigmoid' as never })).toThrow(
      /activation must be one of tanh, relu/,
    );
    expect(() => init.run({ init: 'glorot' as never })).toThrow(
      'init: init must be one of little-random, random, xavier, he, kaiming, orthogonal, got "glorot"',
    );
    expect(() => init.run({ layers: 0 })).toThrow(/layers must be a positive integer/);
  });

  it('runs the grid and presents it in both languages with renderable figures', async () => {
    const grid = init.all({ layers: 3, width: 8, batch: 32, inits: ['little-random', 'he'] });
    expect(grid.runs).toHaveLength(2 * 2 * 2);
    for (const lang of ['en', 'zh'] as const) {
      const p = init.presentAll(grid, lang);
      expect(p.title.length).toBeGreaterThan(0);
      expect(p.figures.length).toBe(8 + 4);
      expect(p.table!.rows).toHaveLength(8);
    }
    const zh = init.presentAll(grid, 'zh');
    expect(zh.findings.join('')).toMatch(/批正规化/);
    const svg = await renderSvg(zh.figures[0]!);
    expect(svg).toContain('层 3');
    const single = init.present(init.run({ layers: 3, width: 8, batch: 32 }), 'en');
    expect(single.figures).toHaveLength(3);
    expect(single.findings[0]).toMatch(/layer 1/);
  });
});
