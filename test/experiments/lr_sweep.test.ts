import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { lrSweep } from '../../src/experiments/lr_sweep.js';

const data = loadMnist();

describe('lr-sweep: the trainer diagnoses learning rates that are too high or too low', () => {
  // The default set-up (784-100-100-100-10 ReLU, 1,600 MNIST digits, 150 steps, seed 0) at the
  // extreme rates of the sweep.
  const result = lrSweep.run({ data, lrs: [1, 1e-5] });
  const find = (optimizer: string, lr: number) =>
    result.runs.find((r) => r.optimizer === optimizer && r.lr === lr)!;

  it('the divergence guard fires at the largest rate, for Adam and for SGD with momentum', () => {
    for (const optimizer of ['adam', 'sgd']) {
      const r = find(optimizer, 1);
      expect(r.verdict).toBe('diverged');
      const w = r.warnings.find((q) => q.kind === 'divergence')!;
      expect(w.message).toMatch(/the learning rate is very likely too high; try 0.1 or lower/);
      expect(r.stopReason).toBe(w.message);
      expect(r.stepLosses.length).toBeLessThan(result.steps);
      expect(r.advised).toBe(false);
    }
  });

  it('the plateau warning fires at the smallest rate, for both, inside the course’s advice', () => {
    for (const optimizer of ['adam', 'sgd']) {
      const r = find(optimizer, 1e-5);
      expect(r.verdict).toBe('too slow');
      expect(r.warnings.map((w) => w.kind)).toEqual(['plateau']);
      expect(r.warnings[0]!.message).toMatch(/the learning rate may be too low; try 1e-4/);
      expect(r.stepLosses).toHaveLength(result.steps);
      expect(r.advised).toBe(true);
    }
  });

  it('presents loss curves, the loss against the rate with the advice marked, and every message', () => {
    for (const lang of ['en', 'zh'] as const) {
      const p = lrSweep.present(result, lang);
      expect(p.figures).toHaveLength(3);
      expect(p.table!.rows).toHaveLength(4);
      expect(JSON.stringify(p.figures[2])).toContain('"rect"');
    }
    expect(lrSweep.present(result, 'en').findings.join(' ')).toMatch(
      /Adam: diverged at lr 1; too slow \(plateau warning\) at 1e-5/,
    );
  });

  it('is deterministic: the same seed gives the same JSON', () => {
    const o = {
      data,
      optimizers: ['adam' as const],
      lrs: [1e-3],
      trainSize: 96,
      epochs: 1,
      plateauWindow: 4,
    };
    expect(JSON.stringify(lrSweep.run(o))).toBe(JSON.stringify(lrSweep.run(o)));
  });

  it('asks for its data', () => {
    expect(() => lrSweep.run({})).toThrow(/options.data is required/);
  });
});
