/**
 * What the lab's initialization panel reads through the public API (`experiments.init`): the two
 * initializations beyond the grid (PyTorch's Kaiming, orthogonal), gradient histograms per layer, a
 * configurable width, and the same JSON as `descent experiment init --json`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { experiments } from '../../src/index.js';
import { runCli } from '../cli/run_cli.js';

const { init } = experiments;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-init-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const full = { layers: 10, width: 100, batch: 1000, seed: 0, batchNorm: false } as const;

describe('init experiment for the lab panel', () => {
  it('offers the grid four, kaiming and orthogonal', () => {
    expect(experiments.INIT_CHOICES).toEqual([
      'little-random',
      'random',
      'xavier',
      'he',
      'kaiming',
      'orthogonal',
    ]);
  });

  it("kaiming (2/fanIn) equals the course's He (4/(fanIn + fanOut)) on square hidden layers; only the head, and so the gradients, differ", () => {
    const he = init.run({ ...full, activation: 'relu', init: 'he' }).layers;
    const kaiming = init.run({ ...full, activation: 'relu', init: 'kaiming' }).layers;
    expect(kaiming.map((l) => l.histogram)).toEqual(he.map((l) => l.histogram));
    expect(kaiming.map((l) => l.std)).toEqual(he.map((l) => l.std));
    // The head (100 → 10): Var 2/100 against 4/110, so gradients scale by √(0.02 / (4/110)) ≈ 0.74.
    for (let i = 0; i < he.length; i++) {
      expect(kaiming[i]!.gradStd / he[i]!.gradStd).toBeGreaterThan(0.68);
      expect(kaiming[i]!.gradStd / he[i]!.gradStd).toBeLessThan(0.8);
    }
  });

  it('orthogonal at gain 1 keeps tanh unsaturated but lets ReLU activations shrink as Xavier does', () => {
    const tanh = init.run({ ...full, activation: 'tanh', init: 'orthogonal' }).layers;
    expect(tanh[9]!.std).toBeGreaterThan(0.15);
    for (const l of tanh) expect(l.saturatedFraction).toBeLessThan(0.01);
    const relu = init.run({ ...full, activation: 'relu', init: 'orthogonal' }).layers;
    expect(relu[0]!.std / relu[9]!.std).toBeGreaterThan(5);
  });

  it('gives each layer a gradient histogram over the gradient’s own range that agrees with gradStd', () => {
    const o = {
      activation: 'tanh',
      init: 'xavier',
      batchNorm: true,
      layers: 4,
      width: 24,
      batch: 64,
      seed: 2,
    } as const;
    for (const l of init.run(o).layers) {
      const { edges, counts } = l.gradHistogram;
      expect(counts).toHaveLength(40);
      expect(edges).toHaveLength(41);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(64 * 24);
      // [min, max] of the gradient: its smallest and largest values sit in the end bins.
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[39]).toBeGreaterThan(0);
      const mids = counts.map((_, k) => (edges[k]! + edges[k + 1]!) / 2);
      const n = 64 * 24;
      const mean = mids.reduce((s, m, k) => s + m * counts[k]!, 0) / n;
      const sd = Math.sqrt(mids.reduce((s, m, k) => s + (m - mean) ** 2 * counts[k]!, 0) / n);
      expect(sd / l.gradStd).toBeGreaterThan(0.9);
      expect(sd / l.gradStd).toBeLessThan(1.1);
    }
  });

  it('width is configurable: the histograms count batch × width values', () => {
    const layers = init.run({
      activation: 'relu',
      init: 'kaiming',
      batchNorm: false,
      layers: 3,
      width: 7,
      batch: 5,
      seed: 0,
    }).layers;
    for (const l of layers) expect(l.histogram.counts.reduce((a, b) => a + b, 0)).toBe(35);
  });

  it('is what descent experiment init --json prints, for the new initializations too', async () => {
    for (const scheme of ['orthogonal', 'kaiming'] as const) {
      const r = await runCli([
        'experiment',
        'init',
        '--activation',
        'tanh',
        '--init',
        scheme,
        '--batch-norm',
        '--layers',
        '3',
        '--width',
        '20',
        '--batch',
        '50',
        '--seed',
        '4',
        '--json',
        '--no-report',
        '--out',
        path.join(tmp, scheme),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const lib = init.run({
        activation: 'tanh',
        init: scheme,
        batchNorm: true,
        layers: 3,
        width: 20,
        batch: 50,
        seed: 4,
      });
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(lib)));
    }
  });

  it('refuses an initialization outside the choices, on the CLI too', async () => {
    const r = await runCli([
      'experiment',
      'init',
      '--init',
      'glorot',
      '--json',
      '--no-report',
      '--out',
      path.join(tmp, 'bad'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "'glorot' is not one of: little-random, random, xavier, he, kaiming, orthogonal.",
    );
  });
});
