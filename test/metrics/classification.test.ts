/**
 * Classification metrics: scikit-learn's documented examples as goldens, a fuzz comparison with an
 * independent per-sample implementation written here (counts by definition, top-k by sorting), the
 * zero-division convention, the accumulator against the pure functions, and every error message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  confusionMatrix,
  perClassMetrics,
  topKAccuracy,
  topKAccuracyMetric,
} from '../../src/metrics/index.js';
import { tensor } from '../../src/tensor/creation.js';

/** Independent: precision/recall/F1/support of class k by counting samples, not through a matrix. */
function byDefinition(targets: number[], predictions: number[], k: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  targets.forEach((t, i) => {
    const p = predictions[i]!;
    if (t === k && p === k) tp++;
    else if (p === k) fp++;
    else if (t === k) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: tp + fn };
}

/** Independent: top-k by sorting the class indices by score (descending), ties by index. */
function topKBySorting(scores: number[][], targets: number[], k: number): number {
  const hits = scores.filter((row, i) => {
    const order = row.map((_, j) => j).sort((a, b) => row[b]! - row[a]! || a - b);
    return order.slice(0, k).includes(targets[i]!);
  });
  return hits.length / scores.length;
}

describe('golden values from scikit-learn documentation', () => {
  it('confusionMatrix matches sklearn.metrics.confusion_matrix example', () => {
    expect(
      confusionMatrix({ targets: [2, 0, 2, 2, 0, 1], predictions: [0, 0, 2, 2, 0, 2], numClasses: 3 }),
    ).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  it('perClassMetrics matches precision_recall_fscore_support example (per class and macro)', () => {
    const m = perClassMetrics(
      confusionMatrix({ targets: [0, 1, 2, 0, 1, 2], predictions: [0, 2, 1, 0, 0, 1], numClasses: 3 }),
    );
    expect(m.precision).toEqual([2 / 3, 0, 0]);
    expect(m.recall).toEqual([1, 0, 0]);
    expect(m.f1.map((v) => v.toFixed(6))).toEqual(['0.800000', '0.000000', '0.000000']);
    expect(m.support).toEqual([2, 2, 2]);
    // sklearn: average='macro' → (0.2222…, 0.3333…, 0.2666…); 'weighted' is the same with equal support.
    expect(m.macro.precision).toBeCloseTo(0.222222, 6);
    expect(m.macro.recall).toBeCloseTo(0.333333, 6);
    expect(m.macro.f1).toBeCloseTo(0.266667, 6);
    expect(m.weighted.f1).toBeCloseTo(0.266667, 6);
  });

  it('topKAccuracy matches top_k_accuracy_score example (k = 2 gives 0.75)', () => {
    const scores = [
      [0.5, 0.2, 0.2],
      [0.3, 0.4, 0.2],
      [0.2, 0.4, 0.3],
      [0.7, 0.2, 0.1],
    ];
    expect(topKAccuracy({ scores, targets: [0, 1, 2, 2], k: 2 })).toBe(0.75);
    expect(topKAccuracy({ scores, targets: [0, 1, 2, 2], k: 1 })).toBe(0.5);
    expect(topKAccuracy({ scores, targets: [0, 1, 2, 2], k: 3 })).toBe(1);
  });
});

describe('zero division', () => {
  it('a class never predicted gets precision 0 and is listed in neverPredicted', () => {
    // Class 1 has samples but is never predicted; class 2 is predicted but has no samples.
    const m = perClassMetrics(
      confusionMatrix({ targets: [0, 0, 1, 1], predictions: [0, 2, 0, 0], numClasses: 3 }),
    );
    expect(m.precision).toEqual([1 / 3, 0, 0]);
    expect(m.neverPredicted).toEqual([1]);
    expect(m.recall).toEqual([0.5, 0, 0]);
    expect(m.absent).toEqual([2]);
    expect(m.f1[2]).toBe(0);
  });

  it('the weighted average ignores classes without samples; the macro average counts them as 0', () => {
    const m = perClassMetrics([
      [1, 0],
      [0, 0],
    ]);
    expect(m.weighted.recall).toBe(1);
    expect(m.macro.recall).toBe(0.5);
  });
});

describe('against an independent implementation (fuzz)', () => {
  const labelled = fc.integer({ min: 1, max: 6 }).chain((c) =>
    fc.tuple(
      fc.constant(c),
      fc.array(fc.tuple(fc.integer({ min: 0, max: c - 1 }), fc.integer({ min: 0, max: c - 1 })), {
        minLength: 1,
        maxLength: 40,
      }),
    ),
  );

  it('per-class precision, recall, F1 and support equal the per-sample counts', () => {
    fc.assert(
      fc.property(labelled, ([c, pairs]) => {
        const targets = pairs.map((p) => p[0]);
        const predictions = pairs.map((p) => p[1]);
        const m = perClassMetrics(confusionMatrix({ targets, predictions, numClasses: c }));
        for (let k = 0; k < c; k++) {
          const want = byDefinition(targets, predictions, k);
          expect(m.precision[k]).toBeCloseTo(want.precision, 12);
          expect(m.recall[k]).toBeCloseTo(want.recall, 12);
          expect(m.f1[k]).toBeCloseTo(want.f1, 12);
          expect(m.support[k]).toBe(want.support);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the accumulator over batches of logits equals the pure functions, and top-1 equals accuracy', () => {
    const rows = fc.integer({ min: 2, max: 6 }).chain((c) =>
      fc.tuple(
        fc.constant(c),
        fc.array(
          fc.tuple(
            // Few distinct values, so ties are common.
            fc.array(fc.integer({ min: -2, max: 2 }), { minLength: c, maxLength: c }),
            fc.integer({ min: 0, max: c - 1 }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 1, max: c }),
      ),
    );
    fc.assert(
      fc.property(rows, ([c, samples, k]) => {
        const scores = samples.map((s) => s[0]);
        const targets = samples.map((s) => s[1]);
        const m = classificationMetrics({ numClasses: c, topK: k });
        const half = Math.ceil(samples.length / 2);
        for (const [lo, hi] of [
          [0, half],
          [half, samples.length],
        ] as const) {
          if (hi > lo)
            m.update(tensor(scores.slice(lo, hi)), tensor(targets.slice(lo, hi), { dtype: 'int32' }));
        }
        const r = m.report();
        const argmaxes = scores.map((row) => row.indexOf(Math.max(...row)));
        expect(r.confusionMatrix).toEqual(confusionMatrix({ targets, predictions: argmaxes, numClasses: c }));
        expect(r.topK?.accuracy).toBeCloseTo(topKBySorting(scores, targets, k), 12);
        expect(topKAccuracy({ scores, targets, k: 1 })).toBeCloseTo(m.compute(), 12);
        const plain = tensor(scores)
          .argmax(1)
          .eq(tensor(targets, { dtype: 'int32' }))
          .sum()
          .item();
        expect(r.accuracy).toBeCloseTo(plain / samples.length, 12);
      }),
      { numRuns: 150 },
    );
  });
});

describe('accumulator and metric', () => {
  it('reads one-hot targets by their first maximum and resets', () => {
    const m = classificationMetrics({ numClasses: 2 });
    m.update(
      tensor([
        [2, 1],
        [0, 3],
      ]),
      tensor([
        [1, 0],
        [1, 0],
      ]),
    );
    expect(m.report().confusionMatrix).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expect(m.report().topK).toBeNull();
    m.reset();
    expect(m.compute()).toBeNaN();
  });

  it('topKAccuracyMetric is named top{k}Accuracy and counts hits over batches', () => {
    const m = topKAccuracyMetric(2);
    expect(m.name).toBe('top2Accuracy');
    m.update(tensor([[3, 2, 1]]), tensor([1], { dtype: 'int32' }));
    m.update(tensor([[3, 2, 1]]), tensor([2], { dtype: 'int32' }));
    expect(m.compute()).toBe(0.5);
  });
});

describe('errors name the argument and what is accepted', () => {
  it('confusionMatrix refuses a label outside [0, numClasses) naming its index', () => {
    expect(() => confusionMatrix({ targets: [0, 3], predictions: [0, 1], numClasses: 3 })).toThrow(
      'confusionMatrix: targets[1] is 3, not a class index in [0, 3)',
    );
    expect(() => confusionMatrix({ targets: [0], predictions: [0.5], numClasses: 3 })).toThrow(
      'predictions[0] is 0.5',
    );
  });

  it('confusionMatrix refuses lengths that differ, a bad numClasses and a missing spec', () => {
    expect(() => confusionMatrix({ targets: [0, 1], predictions: [0], numClasses: 2 })).toThrow(
      '2 targets but 1 predictions',
    );
    expect(() => confusionMatrix({ targets: [], predictions: [], numClasses: 0 })).toThrow(
      'numClasses must be a positive integer, got 0',
    );
    expect(() => confusionMatrix(undefined as never)).toThrow(
      'expected { targets, predictions, numClasses }',
    );
  });

  it('perClassMetrics refuses a matrix that is not square', () => {
    expect(() => perClassMetrics([[1, 2]])).toThrow(
      'must be square C × C with C ≥ 1, got rows of lengths [2]',
    );
  });

  it('topKAccuracy refuses k outside 1..C and ragged rows', () => {
    expect(() => topKAccuracy({ scores: [[1, 2]], targets: [0], k: 3 })).toThrow(
      'k must be an integer from 1 to the number of classes (2), got 3',
    );
    expect(() => topKAccuracy({ scores: [[1, 2], [1]], targets: [0, 0], k: 1 })).toThrow(
      'scores[1] has 1 classes, scores[0] has 2',
    );
    expect(() => topKAccuracy({ scores: [], targets: [], k: 1 })).toThrow('0 score rows and 0 targets');
  });

  it('the accumulator refuses outputs that are not [N, C] scores, another class count and an early report', () => {
    const m = classificationMetrics({ numClasses: 3 });
    expect(() => m.update(tensor([1, 2]), tensor([0, 1], { dtype: 'int32' }))).toThrow(
      'needs class scores of shape [N, C] with C ≥ 2, got output [2], target [2]',
    );
    expect(() => m.update(tensor([[1, 2]]), tensor([0], { dtype: 'int32' }))).toThrow(
      'the output has 2 classes, numClasses is 3',
    );
    expect(() => m.update(tensor([[1, 2, 3]]), tensor([[0, 1]]))).toThrow(
      'targets must be int32 class indices [N] or one-hot / probabilities [N, C]',
    );
    expect(() => m.update(tensor([[1, 2, 3]]), tensor([5], { dtype: 'int32' }))).toThrow(
      'target[0] is 5, not a class index in [0, 3)',
    );
    expect(() => m.report()).toThrow('report() before any sample was counted');
    expect(() => classificationMetrics({ numClasses: 3, topK: 4 })).toThrow(
      'topK: k must be an integer from 1',
    );
    expect(() => topKAccuracyMetric(0)).toThrow('k must be a positive integer, got 0');
  });
});
