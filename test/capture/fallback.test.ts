/**
 * What cannot be captured runs eagerly, never wrongly, and says why: a read on the host, a parameter
 * written inside the step, a host check that reads a temporary.
 */
import { describe, expect, it } from 'vitest';
import { withBackend } from '../../src/backend/registry.js';
import { capture } from '../../src/capture/capture.js';
import { hostCheck } from '../../src/capture/host_effects.js';
import { crossEntropy, scope, type Tensor, tensor } from '../../src/index.js';
import { backends } from '../backends.js';
import { batches, lossStep, type Step, small, train, trainee } from './helpers.js';

describe.each(backends)('a captured step on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('falls back with a reason when the step reads a value (.item()), and stays correct', () =>
    on(() => {
      const data = batches([4, 4, 4, 4], [6], 3);
      const reading = (t: ReturnType<typeof trainee>): Step => {
        const inner = lossStep(t);
        return (x, y) => {
          const loss = inner(x, y);
          if (loss.item() > 1e9) throw new Error('unreachable');
          return loss;
        };
      };
      const a = trainee(small);
      const eager = train(a, data, reading(a));
      const b = trainee(small);
      const step = capture({ step: reading(b), params: b.model.parameters(), name: 'reads' });
      const captured = train(b, data, (x, y) => step.run(x, y));
      expect(captured).toEqual(eager);
      expect(step.stats.fallback).toMatch(
        /^capture 'reads': the step reads a tensor on the host \(backend\.read/,
      );
      expect(step.stats.fallback).toMatch(/every later step runs eagerly$/);
      expect(step.stats).toMatchObject({ traces: 1, replays: 0, eagerSteps: 3 });
    }));

  it('falls back when the step updates the parameters itself (the optimizer belongs after run)', () =>
    on(() => {
      const t = trainee(small);
      const inner = lossStep(t);
      const step = capture({
        step: (x: Tensor, y: Tensor) => {
          const loss = inner(x, y);
          t.optimizer.step();
          return loss;
        },
        params: t.model.parameters(),
      });
      for (const { x, y } of batches([4, 4, 4], [6], 3)) scope(() => step.run(x, y));
      expect(step.stats.fallback).toMatch(
        /the step writes a parameter in place \(backend\.\w+\): the optimizer update belongs after run\(\)/,
      );
    }));

  it('falls back when a host check reads a tensor made inside the step (a replay would not have it)', () =>
    on(() => {
      const t = trainee(small);
      const inner = lossStep(t);
      const step = capture({
        step: (x: Tensor, y: Tensor) => {
          const doubled = x.mul(2);
          hostCheck({
            reads: [doubled],
            check: ([values]) => {
              if (!Number.isFinite(values![0]!)) throw new Error('not finite');
            },
          });
          return inner(doubled, y);
        },
        params: t.model.parameters(),
      });
      for (const { x, y } of batches([4, 4, 4], [6], 3)) scope(() => step.run(x, y));
      expect(step.stats.fallback).toMatch(
        /a hostCheck reads a tensor made inside the step, which a replay no longer has \(tensor of shape \[4, 6\] was used after its memory was released/,
      );
      expect(step.stats).toMatchObject({ traces: 1, replays: 0, eagerSteps: 2 });
    }));
});

describe.each(backends)('a captured step on $name, with shapes that keep changing', ({ backend }) => {
  it('falls back after 8 input signatures, and stays correct', () =>
    withBackend(backend, () => {
      const sizes = [2, 3, 4, 5, 6, 7, 8, 9, 10, 2, 3];
      const data = batches(sizes, [6], 3);
      const a = trainee(small);
      const eager = train(a, data, lossStep(a));
      const b = trainee(small);
      const step = capture({ step: lossStep(b), params: b.model.parameters() });
      expect(train(b, data, (x, y) => step.run(x, y))).toEqual(eager);
      expect(step.stats.fallback).toBe(
        'capture: more than 8 input signatures (do the shapes change at every step?); every later step runs eagerly',
      );
      expect(step.stats).toMatchObject({ traces: 0, replays: 0, eagerSteps: 11 });
    }));
});

describe.each(backends)('a captured step on $name, with class weights', ({ backend }) => {
  it('runs a step whose total class weight differs from the traced one eagerly, before any kernel, and stays correct', () =>
    withBackend(backend, () => {
      const data = batches([6, 6, 6, 6, 6], [6], 3);
      const weight = tensor([1, 2, 3]);
      const weighted =
        (t: ReturnType<typeof trainee>): Step =>
        (x, y) => {
          t.optimizer.zeroGrad();
          const loss = crossEntropy(t.model.call(x), y, { weight });
          loss.backward();
          return loss;
        };
      const a = trainee(small);
      const eager = train(a, data, weighted(a));
      const b = trainee(small);
      const step = capture({ step: weighted(b), params: b.model.parameters() });
      expect(train(b, data, (x, y) => step.run(x, y))).toEqual(eager);
      expect(step.stats.fallback).toMatch(
        /^capture: a host check refused to replay this step \(crossEntropy: the ignored targets or the targets' total weight changed/,
      );
    }));
});
