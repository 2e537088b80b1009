/**
 * The trainer's read points: a step reads nothing; the step losses are read as a block every
 * `logEvery` steps and at epoch ends (the steps' `onBatchEnd` then, in order); results do not depend
 * on `logEvery`; a divergence is noticed at the next read. `fitAsync` and `evaluateAsync` give the
 * same numbers bit for bit, work on a backend that reads only asynchronously (reading a handful of
 * times per epoch, never per step), and let timers run while training.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type Backend,
  crossEntropy,
  evaluate,
  evaluateAsync,
  type FitOptions,
  fit,
  fitAsync,
  getBackend,
  type History,
  type Module,
  manualSeed,
  mlp,
  ReferenceBackend,
  SGD,
  type StepLogs,
  setBackend,
  type Tensor,
  tensor,
  withBackend,
} from '../../src/index.js';
import { FitLoop } from '../../src/train/index.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';
import { messageOf } from '../helpers/thrown.js';
import { type Arrays, blobs, quadrants, TinyLoader, untimed, weightsOf } from './helpers.js';

/**
 * `a` with one-hot float targets. Cross-entropy on class probabilities checks no class indices, and
 * unshuffled batches are slices, not gathers: class indices and shuffled batches work on a backend
 * without `read` too (their checks are deferred, test/capture/deferred_checks.test.ts), but each
 * starts a read of its indices per step, and these tests count the trainer's own reads.
 */
function oneHot(a: Arrays): { x: Tensor; y: Tensor } {
  const y = new Float32Array(a.n * 2);
  a.y.forEach((c, i) => {
    y[2 * i + c] = 1;
  });
  return { x: tensor(a.x, { shape: [a.n, a.d] }), y: tensor(y, { shape: [a.n, 2] }) };
}

/** A course-like network (BatchNorm, sigmoid, dropout, Adam) on `backend`, its data and options. */
function setup(backend: Backend, extra: Partial<FitOptions> = {}) {
  return withBackend(backend, () => {
    manualSeed(7);
    const model = mlp({ sizes: [2, 8, 8, 2], activation: 'sigmoid', batchNorm: true, dropout: 0.2 });
    const options: FitOptions = {
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
      loss: 'crossEntropy',
      metrics: ['accuracy'],
      epochs: 3,
      batchSize: 6, // 40 samples: six batches of 6 and a last one of 4
      shuffle: false,
      validation: oneHot(blobs(12, 5)),
      ...extra,
    };
    return { model, data: oneHot(quadrants(40, 3)), options };
  });
}

/** Runs `f` with `backend` as the default (the layers draw dropout masks there) until it settles. */
async function onBackend<T>(backend: Backend, f: () => Promise<T>): Promise<T> {
  const previous = setBackend(backend);
  try {
    return await f();
  } finally {
    setBackend(previous);
  }
}

async function weightsAsync(model: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, t] of model.stateDict()) out[k] = Array.from(await (t as Tensor).dataAsync());
  return out;
}

/** The history without its timings: what must not depend on how fit reads. */
function logsOf(history: History) {
  const { epochs, stepLosses, stepLrs, warnings, stopReason } = history;
  return { epochs: untimed(epochs), stepLosses, stepLrs, warnings, stopReason };
}

/** The history and the weights (read synchronously). */
function outcome(history: History, model: Module) {
  return { ...logsOf(history), weights: weightsOf(model) };
}

describe('logEvery: when the losses are read', () => {
  it('gives bit-identical histories and weights whatever logEvery is (1, 4, 50, Infinity)', () => {
    const results = [1, 4, 50, Infinity].map((logEvery) => {
      const { model, data, options } = setup(getBackend(), { logEvery });
      return outcome(fit(model, data, options), model);
    });
    expect(results[0]!.stepLosses).toHaveLength(21);
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });

  it('delivers onBatchEnd in order, in blocks of logEvery steps and at the epoch end', () => {
    manualSeed(1);
    const model = mlp({ sizes: [2, 4, 2] });
    const loader = new TinyLoader(blobs(28, 1), 4); // 7 batches per epoch
    const seen: { step: number; ranSoFar: number }[] = [];
    fit(model, loader, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: 'crossEntropy',
      epochs: 2,
      logEvery: 3,
      callbacks: [
        { onBatchEnd: (logs: StepLogs) => void seen.push({ step: logs.step, ranSoFar: loader.yielded }) },
      ],
    });
    expect(seen.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // steps 1–3 are seen after step 3 ran, 4–6 after step 6, step 7 at the epoch's end; then anew
    expect(seen.map((s) => s.ranSoFar)).toEqual([3, 3, 3, 6, 6, 6, 7, 10, 10, 10, 13, 13, 13, 14]);
  });

  it('notices a divergence at the next read: the warning names the step that diverged, later steps stay in the history', () => {
    manualSeed(4);
    const model = mlp({ sizes: [2, 4, 2] });
    let calls = 0;
    const batchEnds: number[] = [];
    const h = fit(model, new TinyLoader(blobs(16, 4), 4), {
      optimizer: new SGD(model.parameters(), { lr: 0.5 }),
      capture: false, // the loss counts its calls: JavaScript state a replay does not run
      loss: (o, t) => (++calls === 6 ? crossEntropy(o, t).mul(Number.NaN) : crossEntropy(o, t)),
      epochs: 5,
      callbacks: [{ onBatchEnd: (logs: StepLogs) => void batchEnds.push(logs.step) }],
    });
    expect(h.stopReason).toMatch(/^loss became NaN at epoch 2, step 6 with lr 0\.5: /);
    expect(h.warnings).toHaveLength(1);
    // read at the end of epoch 2 (4 steps per epoch, logEvery 50): steps 7 and 8 ran and are logged,
    // but no callback sees a step after the one that stopped training
    expect(h.stepLosses).toHaveLength(8);
    expect(Number.isNaN(h.stepLosses[5]!)).toBe(true);
    expect(batchEnds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.epochs.map((e) => e.steps)).toEqual([4, 4]);
  });

  it('refuses a logEvery that is not a positive integer or Infinity', () => {
    const { model, data, options } = setup(getBackend(), { logEvery: 0 });
    expect(messageOf(() => fit(model, data, options), RangeError)).toBe(
      'fit: logEvery must be a positive integer (steps between two reads of the losses) or Infinity (epoch ends only), got 0',
    );
  });
});

describe('fitAsync and evaluateAsync', () => {
  it('fitAsync gives the same history and weights as fit, bit for bit', async () => {
    const a = setup(getBackend()); // each setup seeds the generator that dropout draws from
    const sync = outcome(fit(a.model, a.data, a.options), a.model);
    const b = setup(getBackend());
    const async = outcome(await fitAsync(b.model, b.data, b.options), b.model);
    expect(async).toEqual(sync);
  });

  it('on a backend that reads only asynchronously, fitAsync matches fit on the reference backend', async () => {
    const backend = asyncOnlyBackend();
    const ref = setup(new ReferenceBackend(), { logEvery: 4 });
    const expected = withBackend(ref.model.parameters()[0]!.backend, () =>
      outcome(fit(ref.model, ref.data, ref.options), ref.model),
    );
    const gpu = setup(backend, { logEvery: 4 });
    const history = await onBackend(backend, () => fitAsync(gpu.model, gpu.data, gpu.options));
    expect({ ...logsOf(history), weights: await weightsAsync(gpu.model) }).toEqual(expected);
  });

  it('reads a handful of times per epoch there, never per step', async () => {
    const backend = asyncOnlyBackend();
    const { model, data, options } = setup(backend, { logEvery: Infinity, epochs: 2 });
    const before = backend.reads;
    const history = await onBackend(backend, () => fitAsync(model, data, options));
    expect(history.stepLosses).toHaveLength(14);
    // per epoch: the step losses, the training accuracy, the validation losses and accuracy
    expect(backend.reads - before).toBe(2 * 4);
  });

  it('fit there throws an error that names fitAsync', () => {
    const { model, data, options } = setup(asyncOnlyBackend('gpu-like'));
    expect(messageOf(() => fit(model, data, options), Error)).toBe(
      'fit: the gpu-like backend reads only asynchronously; use await fitAsync(model, data, options) (or await loop.runEpochAsync())',
    );
  });

  it('evaluateAsync gives what evaluate gives, also where reads are asynchronous only', async () => {
    const { model } = setup(getBackend());
    const options = { loss: 'crossEntropy', metrics: ['accuracy'], batchSize: 7 } as const;
    const expected = evaluate(model, oneHot(quadrants(30, 9)), options);
    expect(expected.accuracy).toBeGreaterThan(0);
    expect(await evaluateAsync(model, oneHot(quadrants(30, 9)), options)).toEqual(expected);
    const backend = asyncOnlyBackend();
    const gpu = setup(backend);
    const gpuTest = withBackend(backend, () => oneHot(quadrants(30, 9)));
    expect(await evaluateAsync(gpu.model, gpuTest, options)).toEqual(expected);
  });

  it('lets a timer run while it trains (the event loop gets a turn every ~10 ms)', async () => {
    manualSeed(3);
    const model = mlp({ sizes: [2, 64, 64, 2] });
    let epochsDone = 0;
    const firedAt: number[] = [];
    const timer = setInterval(() => firedAt.push(epochsDone), 1);
    try {
      await fitAsync(model, new TinyLoader(quadrants(2000, 3), 8), {
        optimizer: new SGD(model.parameters(), { lr: 0.05 }),
        loss: 'crossEntropy',
        epochs: 3,
        callbacks: [
          {
            onEpochEnd: () => {
              epochsDone += 1;
            },
          },
        ],
      });
    } finally {
      clearInterval(timer);
    }
    expect(firedAt.filter((e) => e < 3).length).toBeGreaterThan(0);
  });

  it('a loop refuses a second epoch while an async one runs', async () => {
    const { model, data, options } = setup(getBackend());
    const loop = new FitLoop(model, data, options);
    const first = loop.runEpochAsync();
    expect(messageOf(() => loop.runEpoch(), Error)).toBe(
      'fit: an epoch of this loop is already running; await runEpochAsync() before the next',
    );
    await first;
    loop.end();
  });
});
