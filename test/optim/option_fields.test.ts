/**
 * The optimizer option table (src/optim/option_fields.ts) declares exactly the options the optimizers
 * take: the CLI's flags, the configuration schema and the surface command are made from it, so an
 * option missing from it would never reach the command line, and one it lists that no optimizer
 * takes would be a flag every optimizer refuses.
 */
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_OPTION_FIELDS, optimizerOptionRows } from '../../src/optim/option_fields.js';
import { createOptimizer, OPTIMIZER_NAMES } from '../../src/optim/registry.js';
import { OPTIMIZER_OPTIONS } from '../../src/run/optimizer_options.js';
import { tensor } from '../../src/tensor/creation.js';

const takes = new Map(
  OPTIMIZER_NAMES.map((name) => [
    name,
    Object.keys(createOptimizer(name, [tensor([0], { requiresGrad: true })]).defaults),
  ]),
);

describe('the optimizer option table', () => {
  it('declares every option of every optimizer of the registry, and no other', () => {
    const declared = Object.keys(OPTIMIZER_OPTION_FIELDS).sort();
    const taken = [...new Set([...takes.values()].flat())].sort();
    expect(declared).toEqual(taken);
  });

  it('gives the run configuration and the CLI the options with a flag, in its order, each with its kind', () => {
    const rows = optimizerOptionRows();
    expect(OPTIMIZER_OPTIONS).toEqual(rows);
    expect(rows.map((r) => r.name)).toEqual([
      'lr',
      'momentum',
      'dampening',
      'nesterov',
      'weightDecay',
      'lrDecay',
      'initialAccumulatorValue',
      'alpha',
      'centered',
      'rho',
      'betas',
      'eps',
      'amsgrad',
    ]);
    for (const row of rows) {
      const kebab = row.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      expect(row.flag.startsWith(`--${kebab}`), row.name).toBe(true);
      expect(row.flag.includes('<'), row.name).toBe(row.kind !== 'switch');
    }
  });
});
