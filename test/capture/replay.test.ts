/**
 * A replay allocates nothing and runs none of the step's JavaScript; its results live until the next run;
 * dispose gives the memory back.
 */
import { describe, expect, it, vi } from 'vitest';
import { withBackend } from '../../src/backend/registry.js';
import { capture } from '../../src/capture/capture.js';
import { crossEntropy, Linear, ReLU, scope, type Tensor } from '../../src/index.js';
import { backends } from '../backends.js';
import { batches, bits, Counting, lossStep, small, trainee } from './helpers.js';

/** A step that returns an object with an array of views and a parameter. */
const structured = (t: ReturnType<typeof trainee>) => (x: Tensor, y: Tensor) => {
  t.optimizer.zeroGrad();
  const logits = t.model.call(x);
  const loss = crossEntropy(logits, y);
  loss.backward();
  return { loss, parts: [logits.index(':', '1:'), logits.t()], weight: t.model.parameters()[0]! };
};

/** Each run's result, as bits and shapes, with the optimizer update after it. */
const collect = (t: ReturnType<typeof trainee>, run: ReturnType<typeof structured>) =>
  batches([4, 4, 4, 4], [6], 3).map(({ x, y }) =>
    scope(() => {
      const r = run(x, y);
      const out = { loss: bits(r.loss), parts: r.parts.map(bits), shapes: r.parts.map((p) => p.shape) };
      expect(r.weight).toBe(t.model.parameters()[0]);
      t.optimizer.step();
      return out;
    }),
  );

describe.each(backends)('a captured step on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('replays without allocating, without autograd and without running the step', () =>
    on(() => {
      const t = trainee(() => new Counting(new Linear(6, 8), new ReLU(), new Linear(8, 3)));
      const step = capture({ step: lossStep(t), params: t.model.parameters() });
      const data = batches([5, 5, 5, 5, 5], [6], 3);
      let loss: Tensor | null = null;
      const allocate = vi.spyOn(backend, 'allocate');
      const allocations: number[] = [];
      const growth: number[] = [];
      for (const { x, y } of data) {
        scope(() => {
          allocate.mockClear();
          const before = backend.bytesInUse();
          loss = step.run(x, y);
          growth.push(backend.bytesInUse() - before);
          allocations.push(allocate.mock.calls.length);
          t.optimizer.step();
        });
      }
      allocate.mockRestore();
      expect(step.stats).toEqual({ traces: 1, replays: 3, eagerSteps: 1, fallback: null });
      expect((t.model as Counting).calls).toBe(2);
      expect(allocations[0]).toBeGreaterThan(0);
      expect(allocations.slice(2)).toEqual([0, 0, 0]);
      expect(growth.slice(2)).toEqual([0, 0, 0]);
      expect(loss!.gradFn).toBeNull();
      step.dispose();
    }));

  it('hands out a structured result: objects and arrays rebuilt, views kept, a parameter as it is', () =>
    on(() => {
      const a = trainee(small);
      const eager = collect(a, structured(a));
      const b = trainee(small);
      const step = capture({ step: structured(b), params: b.model.parameters() });
      expect(collect(b, (x, y) => step.run(x, y))).toEqual(eager);
      expect(step.stats.replays).toBe(2);
    }));

  it('gives results valid until the next run, and refuses the old ones after it', () =>
    on(() => {
      const t = trainee(small);
      const step = capture({ step: lossStep(t), params: t.model.parameters() });
      const data = batches([4, 4, 4, 4], [6], 3);
      const losses = data.map(({ x, y }) => scope(() => step.run(x, y)));
      expect(step.stats.replays).toBe(2);
      expect(() => losses[2]!.item()).toThrow(/was used after its memory was released/);
      expect(Number.isFinite(losses[3]!.item())).toBe(true);
      step.dispose();
    }));

  it('gives its memory back on dispose', () =>
    on(() => {
      const t = trainee(small);
      const step = capture({ step: lossStep(t), params: t.model.parameters() });
      const data = batches([4, 4, 4], [6], 3);
      scope(() => step.run(data[0]!.x, data[0]!.y)); // creates the gradients
      const before = backend.bytesInUse();
      scope(() => step.run(data[1]!.x, data[1]!.y));
      expect(backend.bytesInUse()).toBeGreaterThan(before);
      step.dispose();
      expect(backend.bytesInUse()).toBe(before);
      expect(() => step.run(data[2]!.x, data[2]!.y)).toThrow(
        'capture: run() after dispose(); capture the step again',
      );
    }));
});
