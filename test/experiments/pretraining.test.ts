/**
 * pretraining (greedy layer-wise autoencoders, then fine-tuning): every layer learns to reconstruct
 * its input, on the codes of the layer below; the pre-trained network learns sooner on few labels;
 * the result is complete and finite, deterministic, presented in both languages; the CLI prints it;
 * bad options are refused by name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { pretraining } from '../../src/experiments/pretraining.js';
import { pretrainLayerwise } from '../../src/experiments/pretraining_layerwise.js';
import { seeded } from '../../src/experiments/seeded.js';
import { poolImages } from '../../src/experiments/train_test_data.js';
import { mlp } from '../../src/nn/builders/mlp.js';
import type { Linear } from '../../src/nn/linear.js';
import { runCli } from '../cli/run_cli.js';

const data = loadMnist();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-pretraining-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The default network and pre-training (2,000 unlabelled digits, 5 epochs per layer), fewer test
// digits and fine-tuning epochs. With less pre-training (800 digits, 3 epochs) it does not help yet.
const small = {
  data,
  unlabelledSize: 2000,
  labelledSize: 100,
  testSize: 300,
  pretrainEpochs: 5,
  epochs: 10,
  seed: 0,
};

describe('pretraining experiment', () => {
  const result = pretraining.run(small);
  const run = (init: string) => result.runs.find((r) => r.init === init)!;

  it('pre-trains layer by layer: each autoencoder lowers the reconstruction error of its input', () => {
    expect(result.layers.map((l) => [l.layer, l.inputSize, l.codeSize])).toEqual([
      [1, 196, 100],
      [2, 100, 100],
      [3, 100, 100],
    ]);
    for (const l of result.layers) {
      expect(l.reconstruction).toHaveLength(small.pretrainEpochs + 1);
      const [first, last] = [l.reconstruction[0]!, l.reconstruction.at(-1)!];
      expect(last, `layer ${l.layer}`).toBeLessThan(first / 3);
    }
  });

  it('with 100 labels the pre-trained network learns sooner than from its random initialization', () => {
    const at = (init: string, epoch: number) => run(init).epochs[epoch]!.testAccuracy;
    // Measured for seeds 0–2: after 5 epochs 27–31% against 11–15%, after 10 49–55% against 27–33%.
    expect(at('pretrained', 5) - at('random', 5)).toBeGreaterThan(0.1);
    expect(run('pretrained').testAccuracy - run('random').testAccuracy).toBeGreaterThan(0.1);
  });

  it('records finite test numbers for both networks, before training and after every epoch', () => {
    expect(result.runs.map((r) => r.init)).toEqual(['pretrained', 'random']);
    expect(result.sizes).toEqual([196, 100, 100, 100, 10]);
    for (const r of result.runs) {
      expect(r.epochs.map((e) => e.epoch)).toEqual([...Array(small.epochs + 1).keys()]);
      expect(r.epochs[0]!.trainLoss).toBeNull();
      for (const e of r.epochs.slice(1)) expect(Number.isFinite(e.trainLoss)).toBe(true);
      for (const e of r.epochs) {
        expect(Number.isFinite(e.testLoss)).toBe(true);
        expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
        expect(e.testAccuracy).toBeLessThanOrEqual(1);
      }
      expect(r.testAccuracy).toBe(r.epochs.at(-1)!.testAccuracy);
    }
  });

  it('is deterministic: the same seed gives the same JSON, another seed other numbers', () => {
    const tiny = {
      ...small,
      hidden: [30, 20],
      unlabelledSize: 200,
      labelledSize: 40,
      testSize: 100,
      pretrainEpochs: 1,
      epochs: 2,
    };
    const a = JSON.stringify(pretraining.run(tiny));
    expect(JSON.stringify(pretraining.run(tiny))).toBe(a);
    expect(JSON.stringify(pretraining.run({ ...tiny, seed: 1 }))).not.toBe(a);
  });

  it('presents figures, findings and a table in both languages, every string filled in', () => {
    const en = pretraining.present(result, 'en');
    const zh = pretraining.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(en.shows).toMatch(/Bengio et al\. 2007/);
    for (const p of [en, zh]) {
      expect(p.findings).toHaveLength(3);
      expect(p.figures).toHaveLength(2);
      for (const f of p.figures) expect(f.$schema).toMatch(/vega-lite/);
      expect(p.table?.rows).toHaveLength(2);
      for (const text of [...p.findings, ...p.table!.header, ...p.table!.rows.flat().map(String)]) {
        expect(text).not.toMatch(/undefined|NaN|\[object/);
      }
    }
    expect(en.findings[1]).toContain(`${(100 * run('pretrained').testAccuracy).toFixed(1)}%`);
    expect(zh.findings[1]).toContain(`${(100 * run('random').testAccuracy).toFixed(1)}%`);
    expect(zh.findings.join('')).toMatch(/[\u4e00-\u9fff]/);
  });

  it('says what is missing or wrong', () => {
    expect(() => pretraining.run({})).toThrow(/pretraining: options.data is required/);
    expect(() => pretraining.run({ data, activation: 'gelu' as 'relu' })).toThrow(
      /pretraining: unknown activation 'gelu'; accepted: sigmoid, tanh, relu/,
    );
    expect(() => pretraining.run({ data, hidden: [] })).toThrow(
      /pretraining: hidden must list at least one positive integer width, got \[\]/,
    );
    expect(() => pretraining.run({ data, epochs: 0 })).toThrow(
      /pretraining: epochs must be a positive integer, got 0/,
    );
    expect(() => pretraining.run({ data, pretrainLr: -1 })).toThrow(
      /pretraining: pretrainLr must be a positive number, got -1/,
    );
    expect(() => pretraining.run({ data, labelledSize: 9000 })).toThrow(
      /labelledSize = 9000 exceeds the 8000 samples/,
    );
  });
});

describe('pretrainLayerwise', () => {
  it('trains the hidden layers in place and leaves the output layer to fine-tuning', () => {
    seeded(0, () => {
      const model = mlp({ sizes: [196, 30, 20, 10], activation: 'sigmoid' });
      const before = model.parameters().map((p) => Float32Array.from(p.data() as Float32Array));
      const inputs = poolImages('t', data.train.slice(0, 200), 2).toTensors().x;
      const layers = [0, 2].map((i) => ({ linear: model.at(i) as Linear, activation: model.at(i + 1) }));
      const out = pretrainLayerwise({ layers, inputs, epochs: 2, batchSize: 20, lr: 3e-3, seed: 0 });
      expect(out.map((l) => l.codeSize)).toEqual([30, 20]);
      const after = model.parameters().map((p) => p.data() as Float32Array);
      const changed = after.map((a, i) => a.some((v, j) => v !== before[i]![j]));
      // 0.weight, 0.bias, 2.weight, 2.bias pre-trained; 4.weight, 4.bias (the output layer) untouched.
      expect(changed).toEqual([true, true, true, true, false, false]);
    });
  });
});

describe('descent experiment pretraining', () => {
  it('prints the result as JSON (the schema of run)', async () => {
    const r = await runCli([
      'experiment',
      'pretraining',
      '--json',
      '--no-report',
      '--out',
      tmp,
      '--seed',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as ReturnType<typeof pretraining.run>;
    expect(j.sizes).toEqual([196, 100, 100, 100, 10]);
    expect(j.layers).toHaveLength(3);
    expect(j.runs.map((x) => x.init)).toEqual(['pretrained', 'random']);
    expect(j.runs[0]!.epochs).toHaveLength(pretraining.defaults.epochs + 1);
    expect(fs.existsSync(path.join(tmp, 'results.json'))).toBe(true);
  });
});
