/**
 * The shared presenter: it joins an experiment's section text and its builders into one presentation
 * in the language asked for, and every experiment's strings table has text in both languages.
 */
import { describe, expect, it } from 'vitest';
import { ADAM_THEN_SGD_STRINGS } from '../../src/experiments/adam_then_sgd_strings.js';
import { BATCHNORM_STRINGS } from '../../src/experiments/batchnorm_strings.js';
import { BN_BATCH_SIZE_STRINGS } from '../../src/experiments/bn_batch_size_strings.js';
import { BN_PLACEMENT_STRINGS } from '../../src/experiments/bn_placement_strings.js';
import { DEPTH_STRINGS } from '../../src/experiments/depth_strings.js';
import { DROPOUT_ENSEMBLE_STRINGS } from '../../src/experiments/dropout_ensemble_strings.js';
import { EXPERIMENTS } from '../../src/experiments/index.js';
import { INIT_STRINGS } from '../../src/experiments/init_strings.js';
import { LR_SWEEP_STRINGS } from '../../src/experiments/lr_sweep_strings.js';
import { OPTIMIZERS_2D_STRINGS, SURFACE_TITLES } from '../../src/experiments/optimizers_2d_strings.js';
import { OPTIMIZERS_MNIST_STRINGS } from '../../src/experiments/optimizers_mnist_strings.js';
import { OVERFITTING_STRINGS } from '../../src/experiments/overfitting_strings.js';
import { presenter } from '../../src/experiments/present.js';
import { PRETRAINING_STRINGS } from '../../src/experiments/pretraining_strings.js';
import { TRANSFER_STRINGS } from '../../src/experiments/transfer_strings.js';

const text = { title: { en: 'Title', zh: '标题' }, shows: { en: 'Shows', zh: '展示' } };
const result = { n: 3 };

describe('presenter', () => {
  const present = presenter<typeof result>(text, {
    figures: (r) => [{ mark: 'point', data: { values: [{ n: r.n }] } }],
    findings: (r, lang) => [lang === 'en' ? `n is ${r.n}` : `n 为 ${r.n}`, 'second'],
    table: (r, lang) => ({ header: [lang], rows: [[r.n]] }),
  });

  it('takes the title, what it shows, the findings and the table in the language asked for', () => {
    const zh = present(result, 'zh');
    expect(zh.title).toBe('标题');
    expect(zh.shows).toBe('展示');
    expect(zh.findings).toEqual(['n 为 3', 'second']);
    expect(zh.table).toEqual({ header: ['zh'], rows: [[3]] });
    const en = present(result, 'en');
    expect([en.title, en.shows, en.findings[0]]).toEqual(['Title', 'Shows', 'n is 3']);
    expect(en.figures).toEqual([{ mark: 'point', data: { values: [{ n: 3 }] } }]);
  });

  it('leaves the table out when the experiment has no table builder', () => {
    const p = presenter<typeof result>(text, { figures: () => [], findings: () => [] })(result, 'en');
    expect(p).not.toHaveProperty('table');
    expect(p).toEqual({ title: 'Title', shows: 'Shows', findings: [], figures: [] });
  });
});

/** Every `{ en, zh }` leaf of a strings table (functions are sentences, checked through the sections). */
function bilingualLeaves(table: object, path = ''): [string, unknown, unknown][] {
  const out: [string, unknown, unknown][] = [];
  for (const [key, value] of Object.entries(table)) {
    if (typeof value !== 'object' || value === null) continue;
    if ('en' in value && 'zh' in value) out.push([`${path}${key}`, value.en, value.zh]);
    else out.push(...bilingualLeaves(value, `${path}${key}.`));
  }
  return out;
}

describe('the experiments’ strings tables', () => {
  const tables = {
    'adam-then-sgd': ADAM_THEN_SGD_STRINGS,
    batchnorm: BATCHNORM_STRINGS,
    'bn-batch-size': BN_BATCH_SIZE_STRINGS,
    'bn-placement': BN_PLACEMENT_STRINGS,
    depth: DEPTH_STRINGS,
    'dropout-ensemble': DROPOUT_ENSEMBLE_STRINGS,
    init: INIT_STRINGS,
    'lr-sweep': LR_SWEEP_STRINGS,
    'optimizers-2d': { ...OPTIMIZERS_2D_STRINGS, surfaces: SURFACE_TITLES },
    'optimizers-mnist': OPTIMIZERS_MNIST_STRINGS,
    overfitting: OVERFITTING_STRINGS,
    pretraining: PRETRAINING_STRINGS,
    transfer: TRANSFER_STRINGS,
  };

  it('cover every registered experiment, whose title is its table’s', () => {
    expect(Object.keys(tables).sort()).toEqual(EXPERIMENTS.map((e) => e.name).sort());
    for (const e of EXPERIMENTS) expect(e.title, e.name).toBe(tables[e.name as keyof typeof tables].title);
  });

  it.each(Object.entries(tables))('%s has non-empty text in both languages for every label', (_, table) => {
    const leaves = bilingualLeaves(table);
    expect(leaves.length).toBeGreaterThan(2);
    for (const [key, en, zh] of leaves) {
      for (const t of [en, zh]) {
        const items = Array.isArray(t) ? t : [t];
        expect(items.length, key).toBeGreaterThan(0);
        for (const item of items) expect(typeof item === 'string' && item.length > 0, key).toBe(true);
      }
      // The Chinese text is a translation, not a copy, wherever the English has words in it.
      if (typeof en === 'string' && /[a-z]{4,}/.test(en) && !/^[A-Z]/.test(en)) expect(zh, key).not.toBe(en);
    }
  });
});
