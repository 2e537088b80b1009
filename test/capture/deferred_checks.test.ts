/**
 * Host checks on a backend that reads only asynchronously (a GPU, modelled by asyncOnlyBackend): the
 * check's reads start at once and it runs when they arrive; the first failure is thrown at the next
 * read point (`settleHostChecks()`, which `dataAsync()` and the async trainer await), as CUDA's
 * device-side asserts surface at the next synchronisation. On backends that read synchronously the
 * same checks still throw at once, with the same messages.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type Backend,
  capture,
  crossEntropy,
  fit,
  fitAsync,
  gather,
  type History,
  hostCheck,
  type Module,
  manualSeed,
  mlp,
  nllLoss,
  ReferenceBackend,
  scope,
  setBackend,
  settleHostChecks,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { backends } from '../backends.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';
import { messageOf } from '../helpers/thrown.js';
import { quadrants, untimed } from '../train/helpers.js';

/** Runs `f` with `backend` as the default backend. */
async function on<T>(backend: Backend, f: () => T | Promise<T>): Promise<T> {
  const previous = setBackend(backend);
  try {
    return await f();
  } finally {
    setBackend(previous);
  }
}

/** The rejection's message of `p`, after checking its class. */
async function rejection(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
): Promise<string> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return (error as Error).message;
}

async function weights(model: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of model.stateDict()) out[name] = Array.from(await t.dataAsync());
  return out;
}

/** 2-D points with class indices (int32 [N]), 26 of them: batches of 8 and a last one of 2. */
function points(labels?: (y: Int32Array) => void): { x: Tensor; y: Tensor } {
  const { x, y } = quadrants(26, 3);
  labels?.(y);
  return { x: tensor(x, { shape: [26, 2] }), y: tensor(y, { shape: [26] }) };
}

interface Trained {
  history: History;
  weights: Record<string, number[]>;
}

/** The course network (BatchNorm, sigmoid, Adam) on class indices, shuffled, 3 epochs. */
async function train(run: typeof fit | typeof fitAsync, capture: boolean): Promise<Trained> {
  manualSeed(7);
  const model = mlp({ sizes: [2, 16, 16, 2], activation: 'sigmoid', batchNorm: true });
  const history = await run(model, points(), {
    loss: 'crossEntropy',
    optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    epochs: 3,
    batchSize: 8,
    shuffle: true,
    metrics: ['accuracy'],
    capture,
  });
  return { history, weights: await weights(model) };
}

describe('fitAsync on a backend that reads only asynchronously, with class-index targets', () => {
  it.each([true, false])(
    'trains bit-identically to fit on the reference backend, shuffled (capture: %s)',
    async (capture) => {
      const expected = await on(new ReferenceBackend(), () => train(fit, capture));
      const actual = await on(asyncOnlyBackend(), () => train(fitAsync, capture));
      expect(actual.weights).toEqual(expected.weights);
      expect(untimed(actual.history.epochs)).toEqual(untimed(expected.history.epochs));
      expect(actual.history.stepLosses).toEqual(expected.history.stepLosses);
      if (capture) {
        expect(actual.history.capture?.fallback).toBeNull();
        expect(actual.history.capture?.replays).toBeGreaterThan(0);
      }
    },
  );

  it.each([true, false])(
    'rejects a class index out of range with crossEntropy’s message, at the next read point (capture: %s)',
    async (capture) => {
      const message = await on(asyncOnlyBackend(), async () => {
        manualSeed(7);
        const model = mlp({ sizes: [2, 4, 2] });
        // The 20th sample's class is 5 of 2: the steps run on, and the epoch's first read refuses it.
        const data = points((y) => {
          y[19] = 5;
        });
        const options = { loss: 'crossEntropy', optimizer: new Adam(model.parameters()), epochs: 2 } as const;
        return rejection(fitAsync(model, data, { ...options, batchSize: 8, capture }), RangeError);
      });
      expect(message).toContain(
        'crossEntropy: target index 5 is out of range for axis 1 of size 2; indices must lie in [0, 1] or equal ignoreIndex (-100)',
      );
    },
  );
});

describe('deferred host checks', () => {
  it('a replayed captured step defers its check too: a bad class index is refused at the next settle', async () => {
    const { message, stats } = await on(asyncOnlyBackend(), async () => {
      manualSeed(1);
      const model = mlp({ sizes: [2, 3, 2] });
      const step = capture({
        step: (x: Tensor, y: Tensor) => {
          const loss = crossEntropy(model.call(x), y);
          loss.backward();
          return loss;
        },
        params: model.parameters(),
      });
      const x = tensor([
        [1, 2],
        [3, 4],
      ]);
      const labels = (a: number, b: number) => tensor([a, b], { dtype: 'int32' });
      for (let i = 0; i < 3; i++) scope(() => step.run(x, labels(0, 1)));
      await settleHostChecks(); // three good steps: eager, traced, replayed
      scope(() => step.run(x, labels(1, 9))); // replayed: its check is queued, nothing throws yet
      return { message: await rejection(settleHostChecks(), RangeError), stats: { ...step.stats } };
    });
    expect(stats).toMatchObject({ traces: 1, replays: 2, fallback: null });
    expect(message).toBe(
      'crossEntropy: target index 9 is out of range for axis 1 of size 2; indices must lie in [0, 1] or equal ignoreIndex (-100)',
    );
  });

  it('a failing check throws from the next settleHostChecks, the first made first, and only once', async () => {
    await on(asyncOnlyBackend(), async () => {
      const t = tensor([1, 2, 3]);
      const seen: number[][] = [];
      hostCheck({ reads: [t], check: ([v]) => void seen.push(Array.from(v!)) });
      hostCheck({
        reads: [t],
        check: () => {
          throw new RangeError('first');
        },
      });
      hostCheck({
        reads: [t],
        check: () => {
          throw new RangeError('second');
        },
      });
      expect(seen).toEqual([]); // nothing has run yet: the reads are in flight
      expect(await rejection(settleHostChecks(), RangeError)).toBe('first');
      expect(seen).toEqual([[1, 2, 3]]);
      await expect(settleHostChecks()).resolves.toBeUndefined();
    });
  });

  it('a check sees the values as they were when it was made, not as later kernels leave them', async () => {
    await on(asyncOnlyBackend(), async () => {
      const t = tensor([1, 2]);
      const seen: number[][] = [];
      hostCheck({ reads: [t], check: ([v]) => void seen.push(Array.from(v!)) });
      t.assign(tensor([7, 8]));
      await settleHostChecks();
      expect(seen).toEqual([[1, 2]]);
    });
  });

  it('dataAsync throws a failed check’s error: a gather at a bad index on an async-only backend', async () => {
    const message = await on(asyncOnlyBackend(), () => {
      const out = gather(tensor([[1, 2, 3]]), 1, tensor([[0, 3]], { dtype: 'int32' }));
      return rejection(out.dataAsync(), RangeError);
    });
    expect(message).toBe('gather: index 3 is out of range for axis 1 of size 3; indices must lie in [0, 2]');
  });

  it('an int32 cast of NaN is refused at the next read point on an async-only backend', async () => {
    const message = await on(asyncOnlyBackend(), () =>
      rejection(tensor([1, Number.NaN]).int().sum().itemAsync(), RangeError),
    );
    expect(message).toMatch(/^cast: /);
    expect(message).toContain('NaN');
  });

  it('nllLoss with a target equal to ignoreIndex is refused at the next read point on an async-only backend, naming the limit', async () => {
    const message = await on(asyncOnlyBackend('gpu-like'), () => {
      const loss = nllLoss(tensor([[-0.5, -1]]), tensor([-100], { dtype: 'int32' }));
      return rejection(loss.dataAsync(), RangeError);
    });
    expect(message).toBe(
      'nllLoss: a target equals ignoreIndex (-100), which the gpu-like backend cannot leave out of the mean: it reads only asynchronously, and the divisor would need the targets on the host before the kernels run; leave such rows out of the batch, or train on a backend that reads synchronously',
    );
  });

  it('crossEntropy with class weights on an async-only backend gives the reference loss within float32 rounding', async () => {
    const make = () => {
      const logits = tensor([
        [1, 2, 0.5],
        [0.1, -1, 2],
        [3, 0, 1],
      ]);
      const weight = tensor([0.2, 1.5, 0.7]);
      return crossEntropy(logits, tensor([1, 2, 0], { dtype: 'int32' }), { weight });
    };
    const expected = await on(new ReferenceBackend(), () => make().item());
    const actual = await on(asyncOnlyBackend(), () => make().itemAsync());
    expect(actual).toBeCloseTo(expected, 6);
  });

  it('hostCheck refuses a spec without reads or check, naming its form', () => {
    const bare = hostCheck as unknown as (spec: unknown) => void;
    expect(messageOf(() => bare(() => undefined), TypeError)).toBe(
      'hostCheck: takes { reads, check }: reads, the tensors it reads; check(values), which validates their values',
    );
  });
});

describe.each(backends)(
  'on the $name backend, which reads synchronously, host checks throw at once',
  ({ backend }) => {
    it('crossEntropy refuses a class index out of range when called, with its message', async () => {
      const message = await on(backend, () =>
        messageOf(() => crossEntropy(tensor([[0, 1]]), tensor([2], { dtype: 'int32' })), RangeError),
      );
      expect(message).toBe(
        'crossEntropy: target index 2 is out of range for axis 1 of size 2; indices must lie in [0, 1] or equal ignoreIndex (-100)',
      );
    });

    it('gather refuses an index out of range when called, with its message', async () => {
      const message = await on(backend, () =>
        messageOf(() => gather(tensor([[1, 2]]), 1, tensor([[2]], { dtype: 'int32' })), RangeError),
      );
      expect(message).toBe(
        'gather: index 2 is out of range for axis 1 of size 2; indices must lie in [0, 1]',
      );
    });

    it('a check made with hostCheck runs before it returns and leaves nothing to settle', async () => {
      await on(backend, async () => {
        const t = tensor([4]);
        const seen: number[][] = [];
        hostCheck({ reads: [t], check: ([v]) => void seen.push(Array.from(v!)) });
        expect(seen).toEqual([[4]]);
        await expect(settleHostChecks()).resolves.toBeUndefined();
      });
    });
  },
);
