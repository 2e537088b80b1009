/** Reading sweep specs: YAML and JSON, the defaults, and every refusal by its message. */
import { describe, expect, it } from 'vitest';
import { checkSweepSpec, parseSweepSpecText } from '../../src/sweep/spec.js';

const spec = (value: unknown) => () => checkSweepSpec(value, 'spec.yaml');

describe('sweep spec', () => {
  it('reads the issue’s example and fills in the defaults', () => {
    const s = checkSweepSpec({
      base: { data: 'spirals', epochs: 2 },
      grid: { lr: [0.01, 0.1], seed: [0, 1] },
      metric: 'valAccuracy',
      mode: 'max',
    });
    expect(s).toEqual({
      base: { data: 'spirals', epochs: 2 },
      grid: { lr: [0.01, 0.1], seed: [0, 1] },
      random: {},
      trials: 1,
      metric: 'valAccuracy',
      mode: 'max',
      seed: 0,
      prune: null,
    });
  });

  it('reads YAML, minimizes a loss by default and fills in ASHA’s defaults', () => {
    const s = parseSweepSpecText(
      'base: { data: spirals }\nrandom:\n  lr: { logUniform: [1.0e-5, 1] }\ntrials: 4\nmetric: valLoss\nprune: { method: asha }\n',
      { source: 'a.yaml' },
    );
    expect(s.random).toEqual({ lr: { logUniform: [1e-5, 1] } });
    expect(s.mode).toBe('min');
    expect(s.prune).toEqual({ method: 'asha', minEpochs: 1, reductionFactor: 3, grace: 0 });
  });

  it('refuses text that is not YAML or JSON, naming the file', () => {
    expect(() => parseSweepSpecText('base: [', { source: 'a.yaml' })).toThrow(/^a\.yaml: not valid YAML/);
    expect(() => parseSweepSpecText('{"base": }', { source: 'a.json', json: true })).toThrow(
      /^a\.json: not valid JSON/,
    );
    expect(spec([1, 2])).toThrow(/^spec\.yaml: expected a mapping such as/);
  });

  it('refuses unknown keys with their path and what is accepted', () => {
    expect(spec({ grids: {} })).toThrow(
      /^spec\.yaml: unknown key 'grids'; accepted: base, grid, random, trials/,
    );
    expect(spec({ prune: { method: 'asha', rungs: 3 } })).toThrow(
      /unknown key 'prune\.rungs'; accepted: method, minEpochs, reductionFactor, grace/,
    );
    expect(spec({ random: { lr: { logUniformm: [1, 2] } } })).toThrow(
      /random\.lr must be one of \{ logUniform: \[lo, hi\] \}, \{ uniform: \[lo, hi\] \}, \{ choice: \[\.\.\.\] \}, \{ intUniform: \[lo, hi\] \}/,
    );
    expect(spec({ base: { epoch: 2 } })).toThrow(/^spec\.yaml: base: unknown key 'epoch'; accepted: data,/);
  });

  it('refuses bad values of the base and of the spec’s own keys by path', () => {
    expect(spec({ base: { epochs: 0 } })).toThrow(/base\.epochs must be an integer from 1 to/);
    expect(spec({ grid: { lr: [] } })).toThrow(/^spec\.yaml: grid\.lr: /);
    expect(spec({ random: { lr: { uniform: [1, 0] } } })).toThrow(/random\.lr/);
    expect(spec({ metric: 'accuracy' })).toThrow(/^spec\.yaml: metric: /);
    expect(spec({ prune: { method: 'asha', reductionFactor: 1 } })).toThrow(/prune\.reductionFactor/);
  });

  it('refuses axes that are not run configuration keys, or that the sweep sets itself', () => {
    expect(spec({ grid: { learningRate: [0.1] } })).toThrow(
      /^spec\.yaml: grid\.learningRate: not a run configuration key; an axis is one of data, labels/,
    );
    expect(spec({ grid: { out: ['a', 'b'] } })).toThrow(
      /grid\.out: the sweep sets each trial's run directory/,
    );
    expect(spec({ base: { threads: 2 } })).toThrow(/base\.threads: the sweep sets each trial's threads/);
    expect(spec({ grid: { lr: [0.1] }, random: { lr: { uniform: [0, 1] } } })).toThrow(
      /lr is both a grid and a random axis; give it once/,
    );
  });

  it('refuses a trial count without random axes, and ASHA on a metric known only at the end', () => {
    expect(spec({ grid: { lr: [0.1] }, trials: 3 })).toThrow(
      /trials: 3 counts random samples, and the spec has no random axes/,
    );
    expect(spec({ metric: 'testAccuracy', prune: { method: 'asha' } })).toThrow(
      /prune: ASHA compares trials at each epoch, and metric testAccuracy is known only when a trial ends/,
    );
  });
});
