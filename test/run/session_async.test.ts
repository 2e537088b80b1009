/**
 * TrainingSession through async reads: on a backend that reads only asynchronously (as a GPU), `play`
 * and `summaryAsync` train and evaluate with the reference backend's numbers bit for bit, reading a few
 * times per epoch rather than once per step; the synchronous forms say which async form to use.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { ReferenceBackend } from '../../src/backend/reference/reference_backend.js';
import { setBackend } from '../../src/backend/registry.js';
import type { Module } from '../../src/nn/module.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { syntheticRunData } from '../../src/run/run_data.js';
import { TrainingSession } from '../../src/run/session.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { EpochLogs } from '../../src/train/types.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';
import { messageOf } from '../helpers/thrown.js';

/** Spirals with dropout (the random stream matters), a per-step schedule and validation. */
const SETTINGS = {
  data: 'spirals',
  hidden: [16, 16],
  activation: 'relu',
  dropout: 0.1,
  batchSize: 32,
  lr: 0.01,
  schedule: 'cosine',
  epochs: 3,
} as const;

/** Runs `f` with `backend` as the default backend (the session's model and batches live there). */
async function on<T>(backend: Backend, f: () => Promise<T>): Promise<T> {
  const previous = setBackend(backend);
  try {
    return await f();
  } finally {
    setBackend(previous);
  }
}

function session(): TrainingSession {
  const config = parseRunConfig(SETTINGS);
  return new TrainingSession({ config, data: syntheticRunData(config) });
}

/** Every parameter and buffer by state-dict name, read asynchronously (works on every backend). */
async function weights(model: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of model.stateDict()) out[name] = Array.from(await t.dataAsync());
  return out;
}

const timeless = (logs: readonly EpochLogs[]) =>
  logs.map(({ samplesPerSec: _s, seconds: _t, ...rest }) => rest);

describe('TrainingSession on a backend that reads only asynchronously', () => {
  it('play and summaryAsync give the reference backend’s weights, history and test metrics bit for bit (class-index targets), awaiting few reads', async () => {
    const expected = await on(new ReferenceBackend(), async () => {
      const s = session();
      while (!s.done) s.runEpoch();
      return { s, summary: s.summary(), weights: await weights(s.model) };
    });
    const backend = asyncOnlyBackend();
    const awaited = vi.spyOn(Tensor.prototype, 'dataAsync');
    const actual = await on(backend, async () => {
      const s = session();
      await s.play();
      return { s, summary: await s.summaryAsync(), weights: await weights(s.model) };
    }).finally(() => awaited.mockRestore());
    expect(actual.weights).toEqual(expected.weights);
    expect(timeless(actual.s.history.epochs)).toEqual(timeless(expected.s.history.epochs));
    expect(actual.s.history.stepLosses).toEqual(expected.s.history.stepLosses);
    const { testLoss, testAccuracy, bestEpoch, status } = expected.summary;
    expect(actual.summary).toMatchObject({ testLoss, testAccuracy, bestEpoch, status });
    expect(actual.summary.testAccuracy).toBeGreaterThan(0.5);
    // No awaited read per step: the losses and metrics are read in blocks (and the weights above, once
    // each). The deferred checks of the class targets (src/capture/host_effects.ts) start one read per
    // batch that nothing waits on until those block reads.
    const steps = actual.s.history.stepLosses.length;
    const reads = awaited.mock.calls.length;
    expect(reads - Object.keys(actual.weights).length).toBeLessThan(steps);
    expect(backend.reads).toBeGreaterThan(reads + steps - 1);
  });

  it('the synchronous forms name the async ones', async () => {
    await on(asyncOnlyBackend('gpu-like'), async () => {
      const s = session();
      expect(messageOf(() => s.runEpoch(), Error)).toBe(
        'fit: the gpu-like backend reads only asynchronously; use await fitAsync(model, data, options) (or await loop.runEpochAsync())',
      );
    });
  });
});
