/**
 * Errors: a replayed host check refuses bad data as eagerly, a traced step that throws leaves nothing
 * behind, and bad arguments are named.
 */
import { describe, expect, it } from 'vitest';
import { withBackend } from '../../src/backend/registry.js';
import { capture } from '../../src/capture/capture.js';
import { crossEntropy, Linear, type Module, scope, type Tensor } from '../../src/index.js';
import { backends } from '../backends.js';
import { batches, lossStep, small, trainee } from './helpers.js';

describe.each(backends)('a captured step on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('replays a host check: a bad target in a replayed step is refused as eagerly', () =>
    on(() => {
      const t = trainee(small);
      const step = capture({ step: lossStep(t), params: t.model.parameters() });
      const data = batches([4, 4, 4], [6], 3);
      for (const { x, y } of data) scope(() => step.run(x, y));
      expect(step.stats.replays).toBe(1);
      const bad = batches([4], [6], 3)[0]!;
      bad.y.assign(7);
      expect(() => scope(() => step.run(bad.x, bad.y))).toThrow(/target index 7 is out of range/);
    }));

  it('leaves nothing behind when the traced step throws', () =>
    on(() => {
      const t = trainee(small);
      let fail = false;
      const inner = lossStep(t);
      const step = capture({
        step: (x: Tensor, y: Tensor) => {
          const loss = inner(x, y);
          if (fail) throw new Error('boom');
          return loss;
        },
        params: t.model.parameters(),
      });
      const data = batches([4, 4, 4], [6], 3);
      scope(() => step.run(data[0]!.x, data[0]!.y));
      const before = backend.bytesInUse();
      fail = true;
      expect(() => scope(() => step.run(data[1]!.x, data[1]!.y))).toThrow('boom');
      expect(backend.bytesInUse()).toBe(before);
      fail = false;
      scope(() => step.run(data[2]!.x, data[2]!.y));
      // The step that threw left no trace behind: the next run traced it afresh.
      expect(step.stats).toEqual({ traces: 1, replays: 0, eagerSteps: 1, fallback: null });
    }));
});

describe('capture refuses bad arguments', () => {
  const model: Module = new Linear(2, 2);
  const step = (x: Tensor, y: Tensor) => crossEntropy(model.call(x), y);

  it('names a missing step, bad params and unknown options', () => {
    expect(() => capture({ params: [] } as never)).toThrow('capture: spec.step must be a function');
    expect(() => capture({ step, params: [1] } as never)).toThrow(
      'capture: spec.params must be an array of tensors',
    );
    expect(() => capture({ step, params: [], steps: 3 } as never)).toThrow("capture: unknown option 'steps'");
  });

  it('names an input that is not a tensor or requires a gradient', () => {
    const c = capture({ step, params: model.parameters(), name: 'mine' });
    const [b] = batches([2], [2], 2);
    expect(() => c.run(b!.x, 3 as never)).toThrow("capture 'mine': run() takes tensors; input 1 is number");
    b!.x.requiresGrad = true;
    expect(() => c.run(b!.x, b!.y)).toThrow("capture 'mine': input 0 requires a gradient");
  });
});
