import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../src/run/run_config.js';
import { shellWord, trainCommandLine } from '../../src/sweep/best_command.js';

describe('trainCommandLine', () => {
  it('names only the settings that differ from the defaults, as flags, with one thread', () => {
    const config = parseRunConfig({
      data: 'spirals',
      lr: 0.1,
      hidden: [16, 8],
      batchNorm: false,
      standardize: true,
      optimizer: 'sgd',
      seed: 3,
    });
    expect(trainCommandLine(config)).toBe(
      'descent train --data spirals --standardize --hidden 16,8 --no-batch-norm --optimizer sgd --lr 0.1 --seed 3 --threads 1',
    );
  });

  it('leaves --threads out on the reference backend and adds --out when given', () => {
    const config = parseRunConfig({ data: 'spirals', backend: 'reference' });
    expect(trainCommandLine(config, { out: 'runs/best one' })).toBe(
      "descent train --data spirals --backend reference --out 'runs/best one'",
    );
  });

  it('quotes words a shell would split or expand', () => {
    expect(shellWord('a.csv')).toBe('a.csv');
    expect(shellWord("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
