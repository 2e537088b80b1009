/**
 * transfer (the lecture's four cases): frozen layers stay bit-identical and out of the optimizer, the
 * pre-trained network is never changed, each case trains what it says; on the small similar dataset
 * the transferred features beat training from scratch; the tasks are cut as documented; the result is
 * complete and finite, deterministic, presented in both languages; the CLI writes it and its report;
 * bad options are refused by name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TensorDataset } from '../../src/data/dataset.js';
import { loadMnist } from '../../src/data/node.js';
import { fitRecorded } from '../../src/experiments/pretraining_fit.js';
import { seeded } from '../../src/experiments/seeded.js';
import { poolImages } from '../../src/experiments/train_test_data.js';
import { transfer } from '../../src/experiments/transfer.js';
import { shiftImages, transferTasks, transposeImages } from '../../src/experiments/transfer_data.js';
import { transferNet } from '../../src/experiments/transfer_model.js';
import { mlp } from '../../src/nn/builders/mlp.js';
import { Linear } from '../../src/nn/linear.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { runCli } from '../cli/run_cli.js';

const data = loadMnist();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-transfer-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const copyOf = (ps: Tensor[]) => ps.map((p) => Float32Array.from(p.data() as Float32Array));
const same = (ps: Tensor[], before: Float32Array[]) =>
  ps.every((p, i) => (p.data() as Float32Array).every((v, j) => Object.is(v, before[i]![j])));
/** Whether two datasets hold the same features (a loop: toEqual on long typed arrays is slow). */
const sameFeatures = (a: TensorDataset, b: TensorDataset) =>
  a.features.length === b.features.length && a.features.every((v, i) => v === b.features[i]);
const allChanged = (ps: Tensor[], before: Float32Array[]) =>
  ps.every((p, i) => (p.data() as Float32Array).some((v, j) => v !== before[i]![j]));

describe('transferNet', () => {
  const architecture = { sizes: [196, 40, 30, 20, 10], activation: 'relu' as const };
  const train = poolImages('t', data.train.slice(0, 200), 2);
  const test = poolImages('t', data.test.slice(0, 100), 2);

  /** Fine-tunes a case's network for two epochs; what changed where. */
  function fineTune(keep: number, tune: number) {
    return seeded(0, () => {
      const pretrained = mlp(architecture);
      const source = copyOf(pretrained.parameters());
      const net = transferNet({ pretrained, architecture, keep, tune, classes: 10, lr: 1e-2, tuneLr: 1e-3 });
      const frozen = copyOf(net.frozen);
      const tuned = copyOf(net.tuned);
      const head = copyOf(net.head);
      fitRecorded({ ...net, train, test, epochs: 2, batchSize: 20, seed: 0 });
      return { pretrained, source, net, frozen, tuned, head };
    });
  }

  it('keeps frozen layers bit-identical and out of the optimizer; fine-tunes the top layer at tuneLr', () => {
    const r = fineTune(3, 1);
    expect(r.net.frozen).toHaveLength(4); // layers 1 and 2: weight and bias each
    expect(r.net.frozen.every((p) => !p.requiresGrad)).toBe(true);
    expect(same(r.net.frozen, r.frozen)).toBe(true);
    const optimized = r.net.optimizer.paramGroups.flatMap((g) => g.params);
    expect(r.net.frozen.some((p) => optimized.includes(p))).toBe(false);
    expect(r.net.optimizer.paramGroups.map((g) => [g.params.length, g.lr])).toEqual([
      [2, 1e-2], // the head
      [2, 1e-3], // the top hidden layer
    ]);
    expect(allChanged(r.net.tuned, r.tuned)).toBe(true);
    expect(allChanged(r.net.head, r.head)).toBe(true);
    // The pre-trained network is copied, never trained.
    expect(same(r.pretrained.parameters(), r.source)).toBe(true);
  });

  it('starts from the pre-trained weights and replaces the output layer by a new head', () => {
    seeded(1, () => {
      const pretrained = mlp(architecture);
      const net = transferNet({
        pretrained,
        architecture,
        keep: 2,
        tune: 0,
        classes: 5,
        lr: 1e-2,
        tuneLr: 1e-3,
      });
      expect(net.model.length).toBe(5); // Linear, ReLU, Linear, ReLU, head
      expect([...net.model.stateDict().keys()].slice(0, 4)).toEqual([
        '0.weight',
        '0.bias',
        '2.weight',
        '2.bias',
      ]);
      for (const k of ['0.weight', '2.bias']) {
        expect(Array.from(net.model.stateDict().get(k)!.data())).toEqual(
          Array.from(pretrained.stateDict().get(k)!.data()),
        );
      }
      const head = net.model.at(4) as Linear;
      expect(head).toBeInstanceOf(Linear);
      expect([head.inFeatures, head.outFeatures]).toEqual([30, 5]);
      expect(net.optimizer.paramGroups).toHaveLength(1); // nothing tuned: the head alone
    });
  });

  it('a linear classifier on frozen early features trains the head alone; tuning all freezes nothing', () => {
    const early = fineTune(1, 0);
    expect(same(early.net.frozen, early.frozen)).toBe(true);
    expect(early.net.tuned).toHaveLength(0);
    expect(allChanged(early.net.head, early.head)).toBe(true);
    const all = fineTune(3, 3);
    expect(all.net.frozen).toHaveLength(0);
    expect(allChanged(all.net.tuned, all.tuned)).toBe(true);
  });

  it('refuses layers it cannot keep or tune', () => {
    const spec = { pretrained: mlp(architecture), architecture, classes: 5, lr: 1e-2, tuneLr: 1e-3 };
    expect(() => transferNet({ ...spec, keep: 4, tune: 0 })).toThrow(
      /keep must be an integer in \[1, 3\], got 4/,
    );
    expect(() => transferNet({ ...spec, keep: 2, tune: 3 })).toThrow(
      /tune must be an integer in \[0, 2\], got 3/,
    );
  });
});

describe('transfer tasks', () => {
  // Two 2×2 images: [a b; c d].
  const ds = new TensorDataset(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), new Int32Array([0, 1]));

  it('transposes and shifts square images', () => {
    expect(Array.from(transposeImages('t', ds).features)).toEqual([1, 3, 2, 4, 5, 7, 6, 8]);
    expect(Array.from(shiftImages('t', ds, 1).features)).toEqual([0, 0, 0, 1, 0, 0, 0, 5]);
    expect(() => transposeImages('t', new TensorDataset(new Float32Array(3), new Int32Array([0])))).toThrow(
      /t: transposing needs square images; samples have 3 features/,
    );
  });

  it('cuts the targets from digits the source never saw; the different target is the similar one transposed', () => {
    const train = poolImages('t', data.train, 2);
    const test = poolImages('t', data.test, 2);
    const t = transferTasks('t', {
      train,
      test,
      sourceSize: 1000,
      largeSize: 300,
      smallSize: 30,
      testSize: 100,
      shift: 0,
    });
    expect(sameFeatures(t.source.train, train.slice(0, 1000))).toBe(true);
    expect(sameFeatures(t.similar.large.train, train.slice(1000, 1300))).toBe(true);
    expect(sameFeatures(t.similar.small.train, train.slice(1000, 1030))).toBe(true);
    expect(sameFeatures(t.different.large.train, transposeImages('t', train.slice(1000, 1300)))).toBe(true);
    expect(sameFeatures(t.different.small.test, transposeImages('t', test.slice(0, 100)))).toBe(true);
    expect(sameFeatures(t.different.large.train, t.similar.large.train)).toBe(false);
  });
});

describe('transfer experiment', () => {
  const options = {
    data,
    hidden: [60, 40, 30],
    sourceSize: 2000,
    sourceEpochs: 3,
    smallSize: 50,
    largeSize: 200,
    testSize: 300,
    epochs: 15,
    largeEpochs: 3,
    seed: 0,
  };
  const result = transfer.run(options);
  const caseOf = (id: string) => result.cases.find((c) => c.id === id)!;
  const runOf = (id: string, strategy: string) => caseOf(id).runs.find((r) => r.strategy === strategy)!;

  it('runs the four cases with the layers each keeps and tunes, against training from scratch', () => {
    expect(result.cases.map((c) => [c.id, c.size, c.target, c.keep, c.tune, c.trainSize])).toEqual([
      ['a', 'small', 'similar', 3, 0, 50],
      ['b', 'large', 'similar', 3, 1, 200],
      ['c', 'large', 'different', 3, 3, 200],
      ['d', 'small', 'different', 1, 0, 50],
    ]);
    expect(caseOf('d').runs.map((r) => r.strategy)).toEqual(['transfer', 'scratch', 'top-features']);
    // 196-60-40-30 hidden layers, heads of 10: frozen and trained weight counts per case.
    const hidden = [196 * 60 + 60, 60 * 40 + 40, 40 * 30 + 30];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(runOf('a', 'transfer').frozenWeights).toBe(sum(hidden));
    expect(runOf('a', 'transfer').trainedWeights).toBe(30 * 10 + 10);
    expect(runOf('b', 'transfer').frozenWeights).toBe(hidden[0]! + hidden[1]!);
    expect(runOf('c', 'transfer').frozenWeights).toBe(0);
    expect(runOf('d', 'transfer').frozenWeights).toBe(hidden[0]!);
    expect(runOf('d', 'scratch').trainedWeights).toBe(hidden[0]! + 60 * 10 + 10);
    expect(result.tuneLr).toBeCloseTo(transfer.defaults.lr * transfer.defaults.tuneLrScale, 15);
  });

  it('on the small similar dataset a linear classifier on the frozen top features beats training from scratch', () => {
    expect(result.source.testAccuracy).toBeGreaterThan(0.8);
    expect(runOf('a', 'transfer').testAccuracy - runOf('a', 'scratch').testAccuracy).toBeGreaterThan(0.1);
  });

  it('records finite numbers per epoch for every run', () => {
    for (const c of result.cases) {
      expect(c.epochs).toBe(c.size === 'small' ? options.epochs : options.largeEpochs);
      for (const r of c.runs) {
        expect(r.epochs).toHaveLength(c.epochs + 1);
        for (const e of r.epochs) {
          expect(Number.isFinite(e.testLoss), `${c.id} ${r.strategy}`).toBe(true);
          expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(e.testAccuracy).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('is deterministic: the same seed gives the same JSON', () => {
    const tiny = {
      ...options,
      cases: ['a' as const, 'd' as const],
      sourceSize: 300,
      sourceEpochs: 1,
      epochs: 2,
      testSize: 50,
    };
    expect(JSON.stringify(transfer.run(tiny))).toBe(JSON.stringify(transfer.run(tiny)));
  });

  it('presents figures, findings and a table in both languages, every string filled in', () => {
    const en = transfer.present(result, 'en');
    const zh = transfer.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    for (const p of [en, zh]) {
      // The source, one per case, and (d)'s early against top features.
      expect(p.findings).toHaveLength(6);
      expect(p.figures).toHaveLength(2);
      for (const f of p.figures) expect(f.$schema).toMatch(/vega-lite/);
      expect(p.table?.rows).toHaveLength(9);
      for (const text of [...p.findings, ...p.table!.header, ...p.table!.rows.flat().map(String)]) {
        expect(text).not.toMatch(/undefined|NaN|\[object/);
      }
    }
    expect(en.findings[1]).toContain(`${(100 * runOf('a', 'transfer').testAccuracy).toFixed(1)}%`);
    expect(zh.findings[4]).toContain(`${(100 * runOf('d', 'scratch').testAccuracy).toFixed(1)}%`);
    expect(zh.findings.join('')).toMatch(/[\u4e00-\u9fff]/);
  });

  it('says what is missing or wrong', () => {
    expect(() => transfer.run({})).toThrow(/transfer: options.data is required/);
    expect(() => transfer.run({ data, cases: ['e' as 'a'] })).toThrow(
      /transfer: cases must list some of a, b, c, d, got \["e"\]/,
    );
    expect(() => transfer.run({ data, smallSize: 600, largeSize: 500 })).toThrow(
      /transfer: smallSize must be a positive integer no larger than largeSize \(500\), got 600/,
    );
    expect(() => transfer.run({ data, sourceSize: 7800, largeSize: 500 })).toThrow(
      /largeSize = 500 \(after the first 7800\) exceeds the 8000 samples/,
    );
    expect(() => transfer.run({ data, tuneLrScale: 0 })).toThrow(
      /tuneLrScale must be a positive number, got 0/,
    );
    expect(() => transfer.run({ data, shift: -1 })).toThrow(
      /shift must be a non-negative integer \(pixels\), got -1/,
    );
  });
});

describe('descent experiment transfer', () => {
  it('writes results.json and the bilingual report with the figures', async () => {
    const out = path.join(tmp, 'report');
    const r = await runCli(['experiment', 'transfer', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(a\) small, similar/);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as {
      transfer: ReturnType<typeof transfer.run>;
    };
    expect(results.transfer.cases.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('迁移学习');
    const pngs = fs.readdirSync(path.join(out, 'figures')).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(4); // two figures, in two languages
  });
});
