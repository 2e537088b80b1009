/**
 * distanceToCriticalPoints: the distance to the nearest critical point, which the lab's paths panel
 * plots as convergence next to the loss.
 */
import { describe, expect, it } from 'vitest';
import { distanceToCriticalPoints, getSurface, runTrajectory } from '../../src/index.js';
import { useReferenceBackend } from '../helpers/reference_default.js';
import { messageOf } from '../helpers/thrown.js';

useReferenceBackend();

describe('distanceToCriticalPoints', () => {
  it('measures to the nearest of several minima (Himmelblau has four)', () => {
    const d = distanceToCriticalPoints(getSurface('himmelblau'), [
      [3, 2],
      [3, 5],
      [-2.805118, 0.131312],
      [0, 0],
    ]);
    expect(d[0]).toBe(0);
    expect(d[1]).toBeCloseTo(3, 12);
    expect(d[2]).toBeCloseTo(3, 12);
    // (0, 0) is nearest to (3, 2) of the four: √13.
    expect(d[3]).toBeCloseTo(Math.sqrt(13), 12);
  });

  it('falls towards 0 along a converging run and is NaN at a non-finite point', () => {
    const { trajectory } = runTrajectory({
      fn: 'quadratic',
      optimizer: 'sgd',
      options: { lr: 0.05 },
      steps: 200,
    });
    const d = distanceToCriticalPoints(getSurface('quadratic'), trajectory);
    expect(d).toHaveLength(201);
    expect(d[0]).toBeCloseTo(Math.hypot(-4, 1), 6);
    expect(d[200]!).toBeLessThan(1e-3 * d[0]!);
    expect(distanceToCriticalPoints(getSurface('saddle'), [[Number.NaN, 0]])[0]).toBeNaN();
  });

  it('refuses a surface without critical points, naming it', () => {
    const msg = messageOf(
      () => distanceToCriticalPoints({ name: 'saddle', criticalPoints: [] }, [[0, 0]]),
      RangeError,
    );
    expect(msg).toMatch(/saddle lists no critical points/);
  });
});
