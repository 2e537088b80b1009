/**
 * adam-then-sgd: the manual switch happens at the chosen epoch with SWATS's learning-rate estimate
 * carried across, SWATS switches by itself, determinism, the presentation and the errors.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { adamThenSgd } from '../../src/experiments/adam_then_sgd.js';

const data = loadMnist();

describe('adam-then-sgd experiment', () => {
  const result = adamThenSgd.run({ data, trainSize: 640, testSize: 300, epochs: 3, switchEpoch: 2, seed: 0 });
  const run = (v: string) => result.runs.find((r) => r.variant === v)!;

  it('trains all four and measures test accuracy after every epoch', () => {
    expect(result.runs.map((r) => r.variant)).toEqual(['adam', 'sgd', 'switch', 'swats']);
    expect(result.stepsPerEpoch).toBe(20);
    for (const r of result.runs) {
      expect(r.testAccuracy).toHaveLength(3);
      expect(r.finalTestAccuracy).toBeGreaterThan(0.5);
    }
    expect(run('adam').switchStep).toBeNull();
    expect(run('sgd').sgdLr).toBeNull();
  });

  it('switches after the chosen epoch, carrying (1 − β₁)·Λ across as the SGD learning rate', () => {
    const s = run('switch');
    expect(s.switchStep).toBe(40);
    expect(s.switchEpoch).toBe(2);
    expect(s.lrEstimate!).toBeGreaterThan(0);
    expect(s.sgdLr!).toBeCloseTo(0.1 * s.lrEstimate!, 12);
  });

  it('SWATS switches by itself once its estimate settles', () => {
    const s = adamThenSgd.run({
      data,
      variants: ['swats'],
      trainSize: 640,
      testSize: 100,
      epochs: 2,
      switchEpoch: 1,
      swatsTolerance: 1e-2,
    }).runs[0]!;
    expect(s.switchStep).not.toBeNull();
    expect(s.sgdLr!).toBeCloseTo(0.1 * s.lrEstimate!, 12);
  });

  it('is deterministic and presents bilingual findings', () => {
    const small = { data, trainSize: 128, testSize: 64, epochs: 2, switchEpoch: 1, seed: 2 };
    expect(JSON.stringify(adamThenSgd.run(small))).toBe(JSON.stringify(adamThenSgd.run(small)));
    const en = adamThenSgd.present(result, 'en');
    const zh = adamThenSgd.present(result, 'zh');
    expect(en.title).not.toBe(zh.title);
    expect(en.findings).toHaveLength(3);
    expect(en.findings[1]).toContain('after step 40');
    expect(zh.findings[1]).toContain('第 40 步');
    expect(en.figures).toHaveLength(2);
    expect(en.table?.rows).toHaveLength(4);
  });

  it('says what is wrong', () => {
    expect(() => adamThenSgd.run({ data, epochs: 3, switchEpoch: 3 })).toThrow(
      /switchEpoch \(3\) must come before the last epoch/,
    );
    expect(() => adamThenSgd.run({ data: { train: data.train } as never })).toThrow(
      /options.data.test must be a TensorDataset/,
    );
  });
});
