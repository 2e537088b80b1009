/**
 * `descent eval` (issue #17): the run's own splits (validation included, checked against what training
 * measured on it), the classification metrics in --json and as a terminal table, top-k, the evaluation-
 * only --help, and each refusal by its message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-eval-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => path.join(tmp, name);

interface Record {
  split: string;
  samples: number;
  loss: number;
  accuracy: number;
  classes: string[];
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  confusionMatrix: number[][];
  neverPredicted: string[];
  [key: string]: unknown;
}

async function evalJson(args: string[]): Promise<Record> {
  const r = await runCli(['eval', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record;
}

/** Six classes of 2-D points in a CSV file: more than 5 classes, so top-5 is measured by default. */
function sixClassCsv(file: string): void {
  const lines = ['x,y,label'];
  for (let i = 0; i < 300; i++) {
    const k = i % 6;
    lines.push(`${Math.cos(k) * 2 + ((i * 7) % 10) / 10},${Math.sin(k) * 2 + ((i * 3) % 10) / 10},${k}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  const spirals = ['--data', 'spirals', '--hidden', '8', '--epochs', '2', '--json'];
  for (const [dir, flags] of [
    ['run', spirals],
    ['noval', [...spirals, '--validation', '0']],
  ] as const) {
    const r = await runCli(['train', ...flags, '--out', at(dir)]);
    expect(r.code, r.stderr).toBe(0);
  }
  sixClassCsv(at('six.csv'));
  const r = await runCli([
    'train',
    '--data',
    at('six.csv'),
    '--label-column',
    'label',
    '--hidden',
    '8',
    '--epochs',
    '1',
    '--json',
    '--out',
    at('six'),
  ]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('eval --split', () => {
  it('validation is the run’s validation split: its loss and accuracy are the last epoch’s valLoss and valAccuracy', async () => {
    const lines = fs
      .readFileSync(path.join(at('run'), 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const last = JSON.parse(lines.at(-1)!) as { valLoss: number; valAccuracy: number };
    const v = await evalJson(['--run', at('run'), '--split', 'validation']);
    expect(v.samples).toBe(80); // spirals: 800 training samples, 10% held out
    expect(v.loss).toBeCloseTo(last.valLoss, 5);
    expect(v.accuracy).toBeCloseTo(last.valAccuracy, 10);
  });

  it('train, validation and test partition all', async () => {
    const n: { [split: string]: number } = {};
    for (const split of ['train', 'validation', 'test', 'all'])
      n[split] = (await evalJson(['--run', at('run'), '--split', split])).samples;
    expect([n.train, n.validation, n.test]).toEqual([720, 80, 200]);
    expect(n.all).toBe(1000);
  });

  it('refuses validation for a run trained without a validation split', async () => {
    const r = await runCli(['eval', '--run', at('noval'), '--split', 'validation']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--split validation: the run in .*noval has no validation split \(validation 0\); accepted: --split train, test or all/,
    );
  });

  it('blames --validation 0, not the run, when the flag removes the validation split', async () => {
    const r = await runCli(['eval', '--run', at('run'), '--split', 'validation', '--validation', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--split validation: --validation is 0; accepted: --split train, test or all/);
  });

  it('refuses a --validation fraction of 1 or more', async () => {
    const big = await runCli(['eval', '--run', at('run'), '--split', 'train', '--validation', '1']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/--validation 1: accepted: a fraction in \[0, 1\)/);
  });

  it('test of a --standardize run is scaled as the run scaled it: its loss is the run’s testLoss', async () => {
    const out = at('std');
    const r = await runCli([
      'train',
      '--data',
      'moons',
      '--hidden',
      '8',
      '--epochs',
      '1',
      '--standardize',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const final = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      testLoss: number;
      testAccuracy: number;
    };
    const t = await evalJson(['--run', out]);
    expect(t.loss).toBeCloseTo(final.testLoss, 6);
    expect(t.accuracy).toBe(final.testAccuracy);
  });

  it('--validation with --weights says which samples were held out', async () => {
    const w = path.join(at('run'), 'model.safetensors');
    const flags = ['--weights', w, '--data', 'spirals', '--hidden', '8', '--split', 'validation'];
    expect((await evalJson([...flags, '--validation', '0.25'])).samples).toBe(200);
    expect((await evalJson(flags)).samples).toBe(80); // train's default, 0.1
  });
});

describe('eval --json metrics', () => {
  it('per-class arrays, the confusion matrix and accuracy agree with each other', async () => {
    const r = await evalJson(['--run', at('six')]);
    expect(r.classes).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const key of ['precision', 'recall', 'f1', 'support'] as const) expect(r[key]).toHaveLength(6);
    const m = r.confusionMatrix;
    expect(m.flat().reduce((a, v) => a + v, 0)).toBe(r.samples);
    expect(m.map((row) => row.reduce((a, v) => a + v, 0))).toEqual(r.support);
    expect(m.reduce((a, row, k) => a + row[k]!, 0) / r.samples).toBeCloseTo(r.accuracy, 12);
    const predicted = m[0]!.map((_, j) => m.reduce((a, row) => a + row[j]!, 0));
    r.precision.forEach((p, k) => {
      expect(p).toBeCloseTo(predicted[k] === 0 ? 0 : m[k]![k]! / predicted[k]!, 12);
    });
    expect(r.neverPredicted).toEqual(r.classes.filter((_, k) => predicted[k] === 0));
  });

  it('measures top-5 by default above 5 classes, top-k with --top-k, none by default with 2 classes', async () => {
    const six = await evalJson(['--run', at('six')]);
    expect(six.top5Accuracy).toBeGreaterThanOrEqual(six.accuracy);
    expect(six.top5Accuracy).toBeLessThanOrEqual(1);
    const top1 = await evalJson(['--run', at('six'), '--top-k', '1']);
    expect(top1.top1Accuracy).toBe(top1.accuracy);
    expect(top1.top5Accuracy).toBeUndefined();
    const two = await evalJson(['--run', at('run')]);
    expect(Object.keys(two).filter((k) => /^top\d+Accuracy$/.test(k))).toEqual([]);
    expect((await evalJson(['--run', at('run'), '--top-k', '2'])).top2Accuracy).toBe(1);
  });

  it('refuses --top-k above the number of classes', async () => {
    const r = await runCli(['eval', '--run', at('run'), '--top-k', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--top-k 3: the model has 2 classes; accepted: 1 to 2/);
  });
});

describe('eval terminal output', () => {
  it('prints the summary, a per-class table and the confusion matrix with the JSON’s numbers', async () => {
    const j = await evalJson(['--run', at('six')]);
    const r = await runCli(['eval', '--run', at('six')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      `test: accuracy ${j.accuracy.toFixed(4)}  loss ${j.loss.toFixed(4)}  top5Accuracy ${(j.top5Accuracy as number).toFixed(4)}  samples ${j.samples}`,
    );
    expect(lines.some((l) => /^class +precision +recall +f1 +support$/.test(l))).toBe(true);
    const row3 = lines
      .find((l) => l.startsWith('3 '))!
      .trim()
      .split(/\s+/);
    expect(row3).toEqual([
      '3',
      j.precision[3]!.toFixed(4),
      j.recall[3]!.toFixed(4),
      j.f1[3]!.toFixed(4),
      String(j.support[3]),
    ]);
    const header = lines.findIndex((l) => l.startsWith('true \\ predicted'));
    expect(lines[header + 1]!.trim().split(/\s+/)).toEqual(['0', ...j.confusionMatrix[0]!.map(String)]);
  });
});

describe('eval --help', () => {
  it('lists the evaluation flags and none that only act in training', async () => {
    const help = (await import('../../src/cli/eval_command.js')).evalCommand().helpInformation();
    for (const flag of ['--run', '--weights', '--split', '--top-k', '--data', '--arch', '--hidden', '--seed'])
      expect(help).toContain(flag);
    expect(help).toContain('train|validation|test|all');
    for (const flag of ['--init', '--dropout', '--input-dropout', '--epochs', '--optimizer', '--lr', '--out'])
      expect(help).not.toMatch(new RegExp(`${flag}\\b`));
  });

  it('still refuses a training-only flag by name instead of calling it unknown', async () => {
    const r = await runCli(['eval', '--run', at('run'), '--dropout', '0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--dropout only matters in training; eval loads the weights and runs in evaluation mode/,
    );
  });
});
