import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/node.js';
import { optimizersMnist } from '../../src/experiments/optimizers_mnist.js';

const data = loadMnist();

describe('optimizers-mnist: the Adam paper’s comparison at a small size', () => {
  // A reduced size for the test (the default is 4,000 digits for 5 epochs).
  const small = { data, trainSize: 256, testSize: 200, epochs: 3, batchSize: 32, seed: 1 };
  const result = optimizersMnist.run(small);

  it('trains every optimizer of Kingma & Ba’s figure 2, each lowering its training loss', () => {
    expect(result.runs.map((r) => r.label)).toEqual([
      'SGD + Nesterov',
      'AdaGrad',
      'RMSProp',
      'AdaDelta',
      'Adam',
    ]);
    expect(result.stepsPerEpoch).toBe(8);
    for (const r of result.runs) {
      expect(r.epochLosses).toHaveLength(3);
      expect(r.stepLosses).toHaveLength(24);
      expect(r.epochLosses[2]!).toBeLessThan(r.epochLosses[0]!);
      expect(r.testAccuracy!).toBeGreaterThan(0.3);
      expect(r.warnings).toEqual([]);
    }
  });

  it('is deterministic for a seed and JSON-safe', () => {
    const json = JSON.stringify(result);
    expect(JSON.stringify(optimizersMnist.run(small))).toBe(json);
    expect(json).not.toMatch(/NaN|Infinity/);
  });

  it('presents per-epoch and per-step curves and a table in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      const p = optimizersMnist.present(result, lang);
      expect(p.figures).toHaveLength(2);
      expect(p.table!.rows).toHaveLength(5);
      expect(p.findings.length).toBe(3);
    }
  });

  it('checks its sizes against the data', () => {
    expect(() => optimizersMnist.run({ data, trainSize: 10 ** 6 })).toThrow(/trainSize = 1000000 exceeds/);
    expect(() => optimizersMnist.run({})).toThrow(/options.data is required/);
  });
});
