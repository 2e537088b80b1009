/** Transforms: fitted on the training set only, applied unchanged elsewhere; serialization; one-hot. */
import { describe, expect, it } from 'vitest';
import {
  composeTransforms,
  flattenSamples,
  minMaxScale,
  normalize,
  oneHot,
  scaleToUnit,
  standardize,
  TensorDataset,
  transformFromJSON,
} from '../../src/data/index.js';

const make = (rows: number[][], shape?: number[]): TensorDataset =>
  new TensorDataset(Float32Array.from(rows.flat()), new Int32Array(rows.length), {
    sampleShape: shape ?? [rows[0]!.length],
  });

describe('standardize', () => {
  it('fits mean and std per feature on train and applies them to test', () => {
    const train = make([
      [1, 10, 5],
      [3, 30, 5],
    ]);
    const test = make([[5, 20, 7]]);
    const scaler = standardize().fit(train);
    expect(scaler.mean).toEqual([2, 20, 5]);
    expect(scaler.std).toEqual([1, 10, 1]); // feature 2 has std 0: centred, left unscaled
    expect([...scaler.apply(train).features]).toEqual([-1, -1, 0, 1, 1, 0]);
    // The test set is transformed with the training statistics, not its own.
    expect([...scaler.apply(test).features]).toEqual([3, 0, 2]);
    expect([...train.features]).toEqual([1, 10, 5, 3, 30, 5]); // pure: the input is untouched
  });

  it('gives mean 0 and std 1 on the training set', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [Math.sin(i) * 3 + 7, (i % 13) * 0.5 - 2]);
    const out = standardize().fit(make(rows)).apply(make(rows));
    for (let j = 0; j < 2; j++) {
      const col = Array.from({ length: 200 }, (_, i) => out.features[2 * i + j]!);
      const mean = col.reduce((a, b) => a + b, 0) / 200;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / 200);
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(sd).toBeCloseTo(1, 5);
    }
  });

  it('can pool statistics per channel or over all features', () => {
    const ds = make(
      [
        [0, 2, 10, 30],
        [4, 6, 50, 70],
      ],
      [2, 2],
    );
    const perChannel = standardize({ per: 'channel' }).fit(ds);
    expect(perChannel.mean).toEqual([3, 40]);
    const all = standardize({ per: 'all' }).fit(ds);
    expect(all.mean).toEqual([21.5]);
    expect(() => standardize({ per: 'channel' }).fit(make([[1, 2]]))).toThrow(
      /per-channel statistics need samples of shape \[C, \.\.\.\]/,
    );
    expect(() => standardize().fit(make([[1]]).slice(0, 0))).toThrow(/cannot fit on an empty dataset/);
  });
});

describe('other transforms', () => {
  it('minMaxScale maps the training range to [0, 1]', () => {
    const train = make([
      [0, 5],
      [10, 5],
    ]);
    const t = minMaxScale().fit(train);
    expect([...t.apply(train).features]).toEqual([0, 0, 1, 0]);
    expect([...t.apply(make([[20, 6]])).features]).toEqual([2, 1]);
  });

  it('normalize per channel, as torchvision', () => {
    const ds = make([[1, 1, 2, 2]], [2, 1, 2]);
    expect([...normalize([1, 2], [1, 0.5]).apply(ds).features]).toEqual([0, 0, 0, 0]);
    expect(() => normalize(0, 0)).toThrow(/std must be finite and non-zero, got 0/);
    expect(() => normalize([1, 2], [1, 2, 3])).toThrow(/mean has 2 entries but std has 3/);
  });

  it('scaleToUnit, flattenSamples and composition', () => {
    const ds = make([[0, 51, 255, 102]], [1, 2, 2]);
    const t = composeTransforms(scaleToUnit(), flattenSamples());
    const out = t.apply(ds);
    expect(out.sampleShape).toEqual([4]);
    expect([...out.features]).toEqual([0, 0.2, 1, 0.4].map(Math.fround));
  });

  it('round-trips through JSON', () => {
    const t = composeTransforms(
      standardize().fit(
        make([
          [1, 2],
          [3, 8],
        ]),
      ),
      flattenSamples(),
    );
    const back = transformFromJSON(JSON.parse(JSON.stringify(t)));
    const x = make([[4, 4]]);
    expect([...back.apply(x).features]).toEqual([...t.apply(x).features]);
    expect(() => transformFromJSON({ type: 'rotate' } as never)).toThrow(/unknown transform type "rotate"/);
  });

  it('oneHot turns labels into float targets', () => {
    expect([...oneHot(new Int32Array([2, 0]), 3)]).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([3], 3)).toThrow(/label 0 is 3, outside \[0, 3\)/);
    expect(() => oneHot([0], 0)).toThrow(/numClasses must be a positive integer/);
  });
});
