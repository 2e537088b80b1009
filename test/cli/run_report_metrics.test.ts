/**
 * The run report's classification section (issue #17): a trained run's report.html holds the per-class
 * table with eval's numbers for the test split and a confusion-matrix figure in both languages; the
 * section states the never-predicted convention and top-k; the heatmap's data is the matrix.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  classificationSections,
  confusionMatrixSpec,
  type RunClassification,
} from '../../src/cli/run_report_metrics.js';
import { classificationMetrics } from '../../src/metrics/classification.js';
import { tensor } from '../../src/tensor/creation.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-report-metrics-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Three classes, class 2 never predicted; top-2 measured. */
function handMade(): RunClassification {
  const m = classificationMetrics({ numClasses: 3, topK: 2 });
  m.update(
    tensor([
      [3, 1, 0],
      [0, 3, 1],
      [2, 1, 0],
      [1, 2, 0],
    ]),
    tensor([0, 1, 2, 2], { dtype: 'int32' }),
  );
  return { report: m.report(), classes: ['cat', 'dog', 'fox'] };
}

describe('run report classification section', () => {
  it('a trained run’s report holds eval’s per-class numbers and a confusion matrix figure in both languages', async () => {
    const out = path.join(tmp, 'run');
    const train = await runCli([
      'train',
      '--data',
      'spirals',
      '--hidden',
      '4',
      '--epochs',
      '1',
      '--json',
      '--out',
      out,
    ]);
    expect(train.code, train.stderr).toBe(0);
    const ev = JSON.parse((await runCli(['eval', '--run', out, '--json'])).stdout) as {
      precision: number[];
      recall: number[];
      support: number[];
    };
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    for (const title of [
      'Per-class metrics (test split)',
      '各类别指标（测试集）',
      'Confusion matrix (test split)',
      '混淆矩阵（测试集）',
    ])
      expect(html).toContain(title);
    const row0 = `<tr><td>0</td><td>${ev.precision[0]!.toFixed(4)}</td><td>${ev.recall[0]!.toFixed(4)}</td>`;
    expect(html).toContain(row0);
    expect(html).toContain(`<td>${ev.support[1]}</td></tr>`);
  });

  it('states the never-predicted convention and the top-k accuracy, in English and Chinese', async () => {
    const c = handMade();
    const [en] = await classificationSections(c, 'en');
    const [zh] = await classificationSections(c, 'zh');
    expect(en!.text).toEqual([
      'Top-2 accuracy: 0.5000.',
      '1 class was never predicted (fox): its precision is 0 by convention (0/0), not measured.',
    ]);
    expect(zh!.text![1]).toBe('1 个类别从未被预测（fox）：其精确率按惯例记为 0（0/0），并非实测。');
    expect(en!.table!.rows[2]).toEqual(['fox', '0.0000', '0.0000', '0.0000', 2]);
    expect(en!.table!.rows.at(-1)![0]).toBe('weighted average');
  });

  it('states that a class without test samples has recall 0 by convention, in English and Chinese', async () => {
    const m = classificationMetrics({ numClasses: 3 });
    m.update(
      tensor([
        [3, 1, 0],
        [0, 3, 1],
      ]),
      tensor([0, 1], { dtype: 'int32' }),
    );
    const c: RunClassification = { report: m.report(), classes: ['cat', 'dog', 'fox'] };
    const [en] = await classificationSections(c, 'en');
    const [zh] = await classificationSections(c, 'zh');
    expect(en!.text).toContain(
      '1 class has no samples in the test split (fox): its recall is 0 by convention (0/0), not measured.',
    );
    expect(zh!.text).toContain('1 个类别在测试集中没有样本（fox）：其召回率按惯例记为 0（0/0），并非实测。');
  });

  it('the heatmap’s cells are the matrix, coloured by the share of their row', () => {
    const c = handMade();
    const spec = confusionMatrixSpec(c, 'en');
    const cells = spec.data.values;
    expect(cells).toHaveLength(9);
    expect(cells.find((v) => v.actual === 'fox' && v.predicted === 'cat')).toEqual({
      actual: 'fox',
      predicted: 'cat',
      count: 1,
      share: 0.5,
    });
    expect(cells.reduce((a, v) => a + v.count, 0)).toBe(4);
  });

  it('renders the heatmap with the class names and counts drawn', async () => {
    const sections = await classificationSections(handMade(), 'en');
    const svg = sections[1]!.figures![0]!;
    expect(svg).toMatch(/<svg/);
    for (const name of ['cat', 'dog', 'fox']) expect(svg).toContain(`>${name}<`);
  });
});
