/**
 * What a captured step promises besides bit-identity: replays allocate nothing and run none of the
 * step's JavaScript; results live until the next run; fallbacks say why and stay correct; watched
 * buffers and invalidate() make it trace again; dispose gives the memory back.
 */
import { describe, expect, it } from 'vitest';
import { withBackend } from '../../src/backend/registry.js';
import { capture } from '../../src/capture/capture.js';
import { hostCheck } from '../../src/capture/host_effects.js';
import {
  crossEntropy,
  full,
  Linear,
  type Module,
  mlp,
  ReLU,
  Sequential,
  scope,
  type Tensor,
} from '../../src/index.js';
import { backends } from '../backends.js';
import { batches, lossStep, type Step, train, trainee } from './helpers.js';

const small = () => mlp({ sizes: [6, 8, 3], activation: 'relu', batchNorm: true });

/** A module that counts its forward calls: the step's JavaScript. */
class Counting extends Sequential {
  calls = 0;
  override forward(x: Tensor): Tensor {
    this.calls++;
    return super.forward(x);
  }
}

describe.each(backends)('a captured step on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('replays without allocating, without autograd and without running the step', () =>
    on(() => {
      const t = trainee(() => new Counting(new Linear(6, 8), new ReLU(), new Linear(8, 3)));
      const step = capture({ step: lossStep(t), params: t.model.parameters() });
      const data = batches([5, 5, 5, 5, 5], [6], 3);
      let loss: Tensor | null = null;
      const usage: number[] = [];
      for (const { x, y } of data) {
        scope(() => {
          loss = step.run(x, y);
          t.optimizer.step();
          usage.push(backend.bytesInUse());
        });
      }
      expect(step.stats).toEqual({ traces: 1, replays: 3, eagerSteps: 1, fallback: null });
      expect((t.model as Counting).calls).toBe(2);
      expect(usage[2]).toBe(usage[3]);
      expect(usage[3]).toBe(usage[4]);
      expect(loss!.gradFn).toBeNull();
      step.dispose();
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

  it('falls back when a host check reads a tensor made inside the step (a replay would not have it)', () =>
    on(() => {
      const t = trainee(small);
      const inner = lossStep(t);
      const step = capture({
        step: (x: Tensor, y: Tensor) => {
          const doubled = x.mul(2);
          hostCheck(() => {
            if (!Number.isFinite(doubled.data()[0]!)) throw new Error('not finite');
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
