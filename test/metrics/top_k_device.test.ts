/**
 * topKAccuracyMetric counts on the device: its value equals topKAccuracy's on the same rows (ties by
 * the argmax order, one-hot targets, NaN scores), nothing is read per batch, `computeAsync` reads once
 * where reads are asynchronous only, and a class index out of range is refused with its message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, withBackend } from '../../src/index.js';
import { topKAccuracy, topKAccuracyMetric } from '../../src/metrics/index.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';

describe('topKAccuracyMetric on the device', () => {
  it('equals topKAccuracy over batches, ties and NaN scores included (fuzz)', () => {
    const row = (c: number) =>
      fc.array(fc.constantFrom(0, 1, 2, 0.5, Number.NaN), { minLength: c, maxLength: c });
    const batches = (c: number) =>
      fc.array(fc.array(fc.tuple(row(c), fc.nat(c - 1)), { minLength: 1, maxLength: 6 }), {
        minLength: 1,
        maxLength: 3,
      });
    const spec = fc
      .integer({ min: 2, max: 5 })
      .chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: c }), batches(c)));
    fc.assert(
      fc.property(spec, ([, k, bs]) => {
        const m = topKAccuracyMetric(k);
        for (const b of bs) {
          m.update(
            tensor(b.map(([r]) => r)),
            tensor(
              b.map(([, t]) => t),
              { dtype: 'int32' },
            ),
          );
        }
        const rows = bs.flat();
        const expected = topKAccuracy({ scores: rows.map(([r]) => r), targets: rows.map(([, t]) => t), k });
        expect(m.compute()).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('reads one-hot targets as their class', () => {
    const m = topKAccuracyMetric(1);
    m.update(
      tensor([
        [3, 2, 1],
        [0, 1, 5],
      ]),
      tensor([
        [1, 0, 0],
        [0, 1, 0],
      ]),
    );
    expect(m.compute()).toBe(0.5);
  });

  it('reads nothing per batch: one read in computeAsync where reads are asynchronous only', async () => {
    const backend = asyncOnlyBackend();
    const m = topKAccuracyMetric(2);
    withBackend(backend, () => {
      for (let i = 0; i < 3; i++)
        m.update(
          tensor([
            [3, 2, 1],
            [1, 2, 3],
          ]),
          tensor([
            [0, 1, 0], // class 1, second of three: a hit
            [1, 0, 0], // class 0, last: a miss
          ]),
        );
    });
    const before = backend.reads;
    expect(await m.computeAsync!()).toBe(0.5);
    expect(backend.reads - before).toBe(1);
  });

  it('refuses a class index out of range, naming the metric and the row', () => {
    const m = topKAccuracyMetric(2);
    expect(() => m.update(tensor([[3, 2, 1]]), tensor([3], { dtype: 'int32' }))).toThrow(
      'top2Accuracy: target[0] is 3, not a class index in [0, 3)',
    );
  });
});
