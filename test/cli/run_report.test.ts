/**
 * The run report's content: results (with the stop reason), warnings only when there are some, the
 * validation curves only for a run with a validation split, histograms of the named 2-D activations,
 * the per-layer table and the configuration, in both languages (the one asked for shown first).
 */
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/cli/run_config.js';
import { buildRunReport } from '../../src/cli/run_report.js';
import type { FinalSummary } from '../../src/run/records.js';
import type { History } from '../../src/train/history.js';
import type { LayerStats } from '../../src/train/layer_stats.js';

const epochs = [1, 2].map((epoch) => ({
  epoch,
  trainLoss: 1 / epoch,
  trainAccuracy: 0.5 + epoch / 10,
  valLoss: 1.2 / epoch,
  valAccuracy: 0.4 + epoch / 10,
  seconds: 1,
  samplesPerSec: 100,
}));
const layer = (name: string, shape: number[]) => ({
  name,
  type: 'Linear',
  shape,
  mean: 0.123456,
  std: 1.5,
  saturatedFraction: 0,
  deadFraction: 0.25,
  gradStd: 1e-3,
  histogram: { edges: [0, 1, 2], counts: [3, 4] },
});
const final: FinalSummary = {
  status: 'completed',
  testLoss: 0.54321,
  testAccuracy: 0.9,
  bestEpoch: 2,
  epochs: 2,
  wallSeconds: 3.21,
  samplesPerSec: 1234.5,
  steadySamplesPerSec: 4321.4,
  warmupSeconds: 0.876,
};
const config = { arch: 'mlp', optimizer: 'adam', data: 'mnist', hidden: [3, 4] } as unknown as RunConfig;

function report(o: {
  validation: boolean;
  stopReason?: string;
  warnings?: string[];
  lang?: 'en' | 'zh';
  final?: FinalSummary;
}) {
  const history = {
    epochs: o.validation ? epochs : epochs.map(({ valLoss, valAccuracy, ...e }) => e),
    stepLrs: [0.1, 0.05],
    stepLosses: [2, 1],
    stopReason: o.stopReason,
    warnings: (o.warnings ?? []).map((message) => ({ message })),
  } as unknown as History;
  const layers = [layer('0', [8, 4]), layer('1', [8]), layer('', [8, 2])] as unknown as LayerStats[];
  return buildRunReport({ config, history, final: o.final ?? final, layers, lang: o.lang ?? 'en' });
}

describe('buildRunReport', () => {
  it('lists the results with the stop reason, the warnings, the layer table and the configuration', async () => {
    const html = await report({
      validation: true,
      stopReason: 'early stopping at epoch 2',
      warnings: ['lr too high'],
    });
    expect(html).toContain('stopped because');
    expect(html).toContain('early stopping at epoch 2');
    expect(html).toContain('0.5432'); // test loss to 4 significant digits
    expect(html).toContain('1235'); // samples/s rounded
    expect(html).toMatch(/samples\/s after the first epoch<\/td>\s*<td[^>]*>4321</);
    expect(html).toMatch(/first epoch’s warm-up \(s\)<\/td>\s*<td[^>]*>0\.88</);
    expect(html).toContain('Warnings');
    expect(html).toContain('lr too high');
    expect(html).toContain('0.1235'); // a layer's mean, 4 significant digits
    expect(html).toContain('3,4'); // the configuration's list joined by commas
    expect(html).toContain('validation');
    expect(html).toContain('Activation histograms per layer');
  });

  it('leaves out the stop reason, the warnings, the validation curves and the steady speed a run does not have', async () => {
    const html = await report({
      validation: false,
      final: { ...final, steadySamplesPerSec: null, warmupSeconds: null },
    });
    expect(html).not.toContain('after the first epoch');
    expect(html).not.toContain('warm-up');
    expect(html).not.toContain('stopped because');
    expect(html).not.toContain('Warnings');
    expect(html).not.toContain('validation');
    expect(html).toContain('Training curves');
  });

  it('holds both languages and opens in the one asked for', async () => {
    const zh = await report({ validation: true, stopReason: 'x', lang: 'zh' });
    for (const text of ['训练报告', '停止原因', '验证集', 'Training curves', 'stopped because'])
      expect(zh).toContain(text);
    expect(zh).toMatch(/id="lang-zh"[^>]*checked/);
    expect(zh).not.toMatch(/id="lang-en"[^>]*checked/);
    const en = await report({ validation: true, lang: 'en' });
    expect(en).toMatch(/id="lang-en"[^>]*checked/);
    expect(en).toContain('训练报告');
  });

  it('heads the configuration table "setting / value", the results table "metric / value"', async () => {
    const html = await report({ validation: false });
    const heads = [...html.matchAll(/<thead><tr>(.*?)<\/tr><\/thead>/g)].map((m) =>
      [...m[1]!.matchAll(/<th>([^<]*)<\/th>/g)].map((h) => h[1]),
    );
    expect(heads).toContainEqual(['metric', 'value']);
    expect(heads).toContainEqual(['setting', 'value']);
    expect(heads).toContainEqual(['设置项', '数值']);
    expect(heads.filter((h) => h[0] === 'metric')).toHaveLength(1);
  });
});
