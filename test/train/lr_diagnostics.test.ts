/**
 * lrDiagnostics gives, for a sequence of step losses, exactly the learning-rate warnings `fit` records
 * for the same losses (divergence: "very likely too high"; plateau: "may be too low"), with the same
 * stop, and works on an optimizer's path on a surface; bad input is refused with its message.
 */
import { describe, expect, it } from 'vitest';
import { fit, lrDiagnostics, mlp, runTrajectory, SGD, tensor } from '../../src/index.js';
import { messageOf } from '../helpers/thrown.js';

const SAMPLES = 16;
const BATCH = 4;

function train(lr: number, epochs: number) {
  const model = mlp({ sizes: [2, 8, 2], activation: 'relu' });
  const x = tensor(Array.from({ length: SAMPLES }, (_, i) => [Math.sin(i) * 3, Math.cos(i) * 3]));
  const y = tensor(
    Array.from({ length: SAMPLES }, (_, i) => i % 2),
    { dtype: 'int32' },
  );
  return fit(
    model,
    { x, y },
    {
      optimizer: new SGD(model.parameters(), { lr, momentum: 0.9 }),
      loss: 'crossEntropy',
      epochs,
      batchSize: BATCH,
      shuffle: false,
      plateauDetector: { window: 8 },
    },
  );
}

describe('lrDiagnostics', () => {
  it('finds the divergence fit finds, with the same message, suggestion and stop', () => {
    const history = train(1e4, 3);
    expect(history.warnings.map((w) => w.kind)).toContain('divergence');
    const d = lrDiagnostics(history.stepLosses, {
      lr: history.stepLrs,
      stepsPerEpoch: SAMPLES / BATCH,
      plateauDetector: { window: 8 },
    });
    expect(d.warnings).toEqual(history.warnings);
    expect(d.stopReason).toBe(history.stopReason);
    expect(d.stopReason).toContain('the learning rate is very likely too high');
    // fit notices the divergence at its next read of the losses (logEvery): the step that diverged is
    // the one the warning names, which lrDiagnostics stops at
    expect(d.stoppedAt).toBe(history.warnings[0]!.step - 1);
  });

  it('finds the plateau fit finds ("may be too low") and does not stop', () => {
    const history = train(1e-7, 4);
    expect(history.warnings.map((w) => w.kind)).toEqual(['plateau']);
    const d = lrDiagnostics(history.stepLosses, {
      lr: 1e-7,
      stepsPerEpoch: SAMPLES / BATCH,
      plateauDetector: { window: 8 },
    });
    expect(d.warnings).toEqual(history.warnings);
    expect(d.warnings[0]!.message).toContain('the learning rate may be too low; try 1e-6');
    expect(d.stoppedAt).toBeNull();
  });

  it('reads a surface path: SGD above 2/κ on the quadratic is told its lr is too high', () => {
    const { loss } = runTrajectory({ fn: 'quadratic', optimizer: 'sgd', options: { lr: 0.1 }, steps: 40 });
    const d = lrDiagnostics(loss.slice(1), { lr: 0.1 });
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]!.kind).toBe('divergence');
    expect(d.warnings[0]!.suggestedLr).toBeCloseTo(0.01, 12);
    const calm = runTrajectory({ fn: 'quadratic', optimizer: 'sgd', options: { lr: 0.05 }, steps: 40 });
    expect(lrDiagnostics(calm.loss.slice(1), { lr: 0.05 }).warnings).toEqual([]);
  });

  it('refuses a learning-rate list of the wrong length, a bad stepsPerEpoch and unknown options', () => {
    expect(messageOf(() => lrDiagnostics([1, 2, 3], { lr: [0.1, 0.1] }), RangeError)).toBe(
      'lrDiagnostics: lr must be a finite number or an array of 3 finite numbers (one per loss), got an array of 2',
    );
    expect(messageOf(() => lrDiagnostics([1, 2], { lr: 0.1, stepsPerEpoch: 0 }), RangeError)).toBe(
      'lrDiagnostics: stepsPerEpoch must be a positive integer, got 0',
    );
    expect(messageOf(() => lrDiagnostics([1], { lr: 0.1, window: 4 } as never), TypeError)).toBe(
      "lrDiagnostics: unknown option 'window'; accepted: lr, stepsPerEpoch, divergenceGuard, plateauDetector",
    );
    expect(messageOf(() => lrDiagnostics([1], { lr: 0.1, plateauDetector: { window: 3 } }), RangeError)).toBe(
      'PlateauDetector: window must be an even integer ≥ 4, got 3',
    );
  });
});
