/** Every example spec in examples/sweeps/ reads, and every trial it makes passes the run schema. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTrials } from '../../src/sweep/sampling.js';
import { readSweepSpec } from '../../src/sweep/spec.js';

const dir = fileURLToPath(new URL('../../examples/sweeps/', import.meta.url));
const files = fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('examples/sweeps', () => {
  it('holds the course’s three comparisons', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'lr_optimizer_mnist.yaml',
        'init_activation_batchnorm.yaml',
        'regularizer_train_size.yaml',
      ]),
    );
  });

  it.each(files)('%s reads and every trial’s configuration is valid', (file) => {
    const spec = readSweepSpec(path.join(dir, file));
    const trials = buildTrials(spec, file);
    expect(trials.length).toBeGreaterThan(1);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(trials.length);
  });
});
