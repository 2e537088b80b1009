/**
 * `summary(model, inputShape)` against PyTorch: per-layer output shapes and parameter counts (total,
 * trainable, own) of every model `descent train` builds, as test/fixtures/gen/gen_summary.py records
 * them from the PyTorch twins; and the summary's own behaviour (no side effects, folding by depth,
 * the table, errors).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Dropout,
  getDefaultGenerator,
  Linear,
  Module,
  mlp,
  ReLU,
  Sequential,
  type Tensor,
} from '../../src/index.js';
import { summary } from '../../src/nn/summary.js';
import { buildModel } from '../../src/run/build_model.js';
import { parseRunConfig } from '../../src/run/run_config.js';

interface GoldenLayer {
  name: string;
  type: string;
  outputShapes: number[][];
  params: number;
  trainableParams: number;
  ownParams: number;
}

interface GoldenCase {
  name: string;
  config: Record<string, unknown>;
  sampleShape: number[];
  classes: number;
  freeze: string[];
  model: string;
  inputShape: number[];
  outputShape: number[];
  layers: GoldenLayer[];
  totalParams: number;
  trainableParams: number;
  frozenParams: number;
}

const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/summary.json', import.meta.url), 'utf8')) as {
  cases: GoldenCase[];
};

function build(c: GoldenCase): Module {
  const model = buildModel(parseRunConfig(c.config), c.sampleShape, c.classes);
  for (const path of c.freeze) model.getSubmodule(path).requiresGrad(false);
  return model;
}

describe.each(fixture.cases)('summary of $name equals PyTorch’s', (c) => {
  it('every module with its class, output shapes per call and parameter counts, in PyTorch’s order', () => {
    const s = summary(build(c), c.sampleShape, { depth: Infinity });
    const rows = s.layers.map(({ name, type, outputShapes, params, trainableParams, ownParams }) => ({
      name,
      type,
      outputShapes,
      params,
      trainableParams,
      ownParams,
    }));
    expect(rows).toEqual(c.layers);
  });

  it('the input and output shapes and the total, trainable and frozen counts', () => {
    const s = summary(build(c), c.sampleShape);
    expect([s.model, s.inputShape, s.outputShape]).toEqual([c.model, c.inputShape, c.outputShape]);
    expect([s.totalParams, s.trainableParams, s.frozenParams]).toEqual([
      c.totalParams,
      c.trainableParams,
      c.frozenParams,
    ]);
  });
});

describe('summary', () => {
  it('leaves no trace: modes, running statistics, the random stream and gradients are as before', () => {
    const model = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU(), new Dropout(0.5));
    model.at(1).eval();
    const before = [...model.modules()].map((m) => m.training);
    const stats = model.buffers().map((b) => [...b.data()]);
    const rng = getDefaultGenerator().getState();
    summary(model, [4], { batchSize: 2 });
    expect([...model.modules()].map((m) => m.training)).toEqual(before);
    expect(model.buffers().map((b) => [...b.data()])).toEqual(stats);
    expect(getDefaultGenerator().getState()).toEqual(rng);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('a batch of one passes batch norm, which in training mode would need two samples', () => {
    const model = mlp({ sizes: [5, 4, 2], batchNorm: true });
    expect(summary(model, [5]).outputShape).toEqual([1, 2]);
    expect(summary(model, [5], { batchSize: 3 }).inputShape).toEqual([3, 5]);
  });

  it('shows each activation after a Linear (the hooks turn off Sequential’s fusion) and removes its hooks', () => {
    const model = mlp({ sizes: [3, 4, 2], activation: 'relu' });
    const s = summary(model, [3]);
    expect(s.layers.map((l) => [l.name, l.type, l.outputShapes])).toEqual([
      ['0', 'Linear', [[1, 4]]],
      ['1', 'ReLU', [[1, 4]]],
      ['2', 'Linear', [[1, 2]]],
    ]);
    expect([...model.modules()].some((m) => m.hasHooks())).toBe(false);
  });

  it('depth folds deeper modules into their ancestor: the rows’ parameter column still sums to the total', () => {
    const model = mlp({ sizes: [4, 6, 6, 2], residual: true, batchNorm: true });
    const shallow = summary(model, [4], { depth: 1 });
    expect(shallow.layers.map((l) => [l.name, l.type, l.params, l.expanded])).toEqual([
      ['0', 'Sequential', 30 + 12, false],
      ['1', 'Residual', 42 + 12, false],
      ['2', 'Linear', 14, false],
    ]);
    const deep = summary(model, [4], { depth: 2 });
    expect(deep.layers.map((l) => l.name)).toEqual(['0', '0.0', '0.1', '0.2', '1', '1.fn', '2']);
    const shown = deep.layers.reduce((n, l) => n + (l.expanded ? l.ownParams : l.params), 0);
    expect(shown).toBe(deep.totalParams);
  });

  it('formats a Keras-style table with each row, the totals, the bytes and frozen parameters marked', () => {
    const model = mlp({ sizes: [784, 100, 10], activation: 'relu' });
    model.at(0).requiresGrad(false);
    const text = String(summary(model, [784]));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: Sequential (input [1, 784], output [1, 10])');
    expect(lines).toContain(
      lines.find((l) => l.startsWith('0 (Linear)') && /\[1, 100\]\s+78,500 \(frozen\)$/.test(l)),
    );
    expect(lines.some((l) => /^1 \(ReLU\)\s+\[1, 100\]\s+0$/.test(l))).toBe(true);
    expect(lines.some((l) => /^2 \(Linear\)\s+\[1, 10\]\s+1,010$/.test(l))).toBe(true);
    expect(lines).toContain('Total params: 79,510 (310.6 KiB)');
    expect(lines).toContain('Trainable params: 1,010');
    expect(lines).toContain('Non-trainable params: 78,500');
  });

  it('a module called twice shows both calls; one never called shows --', () => {
    class Twice extends Module {
      readonly act = this.registerModule('act', new ReLU());
      readonly unused = this.registerModule('unused', new Linear(2, 2));
      forward(x: Tensor): Tensor {
        return this.act.call(this.act.call(x));
      }
    }
    const s = summary(new Twice(), [3]);
    expect(s.layers.map((l) => l.outputShapes)).toEqual([
      [
        [1, 3],
        [1, 3],
      ],
      [],
    ]);
    const text = String(s);
    expect(text).toMatch(/act \(ReLU\)\s+\[1, 3\] ×2/);
    expect(text).toMatch(/unused \(Linear\)\s+--\s+6/);
  });

  it('refuses a model that is not a Module, a bad input shape and bad options, naming each', () => {
    const model = new Linear(2, 2);
    expect(() => summary({} as Module, [2])).toThrow('summary: model must be a Module, got object');
    expect(() => summary(model, [0, 2])).toThrow(
      'summary: inputShape must be the shape of one sample without the batch axis, a list of positive integers such as [784] or [1, 28, 28]; got [0,2]',
    );
    expect(() => summary(model, [2], { depth: 0 })).toThrow(
      'summary: depth must be a positive integer, got 0',
    );
    expect(() => summary(model, [2], { batchSize: 1.5 })).toThrow(
      'summary: batchSize must be a positive integer, got 1.5',
    );
    expect(() => summary(model, [2], { bogus: 1 } as never)).toThrow(
      "summary: unknown option 'bogus'; accepted: batchSize, depth",
    );
  });

  it('a forward pass that fails names the input shape and the module it failed in', () => {
    const model = new Sequential(new Linear(4, 3), new Linear(4, 2));
    expect(() => summary(model, [4])).toThrow(
      /^summary: the forward pass on zeros of shape \[1, 4\] failed in '1' \(Linear\): /,
    );
  });
});
