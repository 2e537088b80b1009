/**
 * A captured step traces again where a replay would go wrong: after invalidate(), a gradient dropped, a
 * watched tensor freed; and keeps the replayed gradients when zeroGrad runs between runs.
 */
import { describe, expect, it } from 'vitest';
import { withBackend } from '../../src/backend/registry.js';
import { capture } from '../../src/capture/capture.js';
import { full, scope } from '../../src/index.js';
import { backends } from '../backends.js';
import { batches, lossStep, type Step, small, train, trainee } from './helpers.js';

describe.each(backends)('a captured step on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('traces again after invalidate(), and after a gradient is dropped (setToNone)', () =>
    on(() => {
      const t = trainee(small);
      const step = capture({ step: lossStep(t), params: t.model.parameters() });
      const data = batches([4, 4, 4, 4, 4, 4], [6], 3);
      const run = (i: number) => scope(() => step.run(data[i]!.x, data[i]!.y));
      run(0);
      run(1);
      run(2);
      step.invalidate();
      run(3);
      expect(step.stats).toMatchObject({ traces: 2, replays: 1 });
      t.optimizer.zeroGrad({ setToNone: true });
      run(4);
      expect(step.stats).toMatchObject({ traces: 3, replays: 1 });
      run(5);
      expect(step.stats).toMatchObject({ traces: 3, replays: 2 });
    }));

  it('keeps the replayed gradients when zeroGrad runs between runs (its deferred zeros are the step’s)', () =>
    on(() => {
      const data = batches([4, 4, 4, 4], [6], 3);
      const zeroing =
        (t: ReturnType<typeof trainee>, run: Step): Step =>
        (x, y) => {
          t.optimizer.zeroGrad();
          return run(x, y);
        };
      const a = trainee(small);
      const eager = train(a, data, zeroing(a, lossStep(a)));
      const b = trainee(small);
      const step = capture({ step: lossStep(b), params: b.model.parameters() });
      const captured = train(
        b,
        data,
        zeroing(b, (x, y) => step.run(x, y)),
      );
      expect(step.stats.replays).toBe(2);
      expect(captured).toEqual(eager);
    }));

  it('traces again when a tensor the step uses but does not own is freed', () =>
    on(() => {
      const data = batches([4, 4, 4, 4, 4], [6], 3);
      let scale = full([1], 2);
      const scaled = (t: ReturnType<typeof trainee>): Step => {
        const inner = lossStep(t);
        return (x, y) => inner(x.mul(scale), y);
      };
      const a = trainee(small);
      const eagerStep = scaled(a);
      const eager = train(a, data.slice(0, 3), eagerStep);
      const b = trainee(small);
      const step = capture({ step: scaled(b), params: b.model.parameters() });
      const captured = train(b, data.slice(0, 3), (x, y) => step.run(x, y));
      expect(captured).toEqual(eager);
      scale.dispose();
      scale = full([1], -3);
      const after = {
        eager: train(a, data.slice(3), eagerStep),
        captured: train(b, data.slice(3), (x, y) => step.run(x, y)),
      };
      expect(after.captured).toEqual(after.eager);
      expect(step.stats).toEqual({ traces: 2, replays: 2, eagerSteps: 1, fallback: null });
    }));
});

describe.each(backends)('a captured step on $name, after loadStateDict', ({ backend }) => {
  it('replays with the loaded weights and running statistics (loaded in place), as eager steps', () =>
    withBackend(backend, () => {
      const data = batches([4, 4, 4, 4, 4, 4], [6], 3);
      const saved = trainee(small, 11).model.stateDict();
      const a = trainee(small);
      const b = trainee(small);
      const step = capture({ step: lossStep(b), params: b.model.parameters() });
      const before = {
        eager: train(a, data.slice(0, 3), lossStep(a)),
        captured: train(b, data.slice(0, 3), (x, y) => step.run(x, y)),
      };
      a.model.loadStateDict(saved);
      b.model.loadStateDict(saved);
      const after = {
        eager: train(a, data.slice(3), lossStep(a)),
        captured: train(b, data.slice(3), (x, y) => step.run(x, y)),
      };
      expect(before.captured).toEqual(before.eager);
      expect(after.captured).toEqual(after.eager);
      expect(after.captured.losses).not.toEqual(before.captured.losses);
      expect(step.stats).toEqual({ traces: 1, replays: 4, eagerSteps: 1, fallback: null });
    }));
});
