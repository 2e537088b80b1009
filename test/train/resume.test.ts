/**
 * Training states: a run resumed from the state saved after epoch 2 (through bytes, as the CLI's
 * --resume reads a file) ends with exactly the weights and history of the uninterrupted run — with
 * dropout (the random generator), a shuffling DataLoader, Adam's moments, a schedule, BatchNorm's
 * buffers and EarlyStopping's best weights in play.
 */
import { describe, expect, it } from 'vitest';
import { TensorDataset } from '../../src/data/dataset.js';
import { DataLoader } from '../../src/data/loader.js';
import {
  Adam,
  BatchNorm1d,
  Dropout,
  getDefaultGenerator,
  Linear,
  manualSeed,
  ReLU,
  Sequential,
  SGD,
  StepLR,
} from '../../src/index.js';
import {
  type Callback,
  captureTrainingState,
  EarlyStopping,
  fit,
  parseTrainingState,
  restoreTrainingState,
  serializeTrainingState,
  type TrainingState,
} from '../../src/train/index.js';
import { asTensors, blobs, untimed, weightsOf } from './helpers.js';

function build(seed: number) {
  manualSeed(seed);
  const model = new Sequential(
    new Linear(2, 8),
    new BatchNorm1d(8),
    new ReLU(),
    new Dropout(0.3),
    new Linear(8, 2),
  );
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  const schedule = new StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
  const a = blobs(60, 5, 1.2);
  const loader = new DataLoader(new TensorDataset(a.x, a.y, { sampleShape: [2] }), {
    batchSize: 8,
    shuffle: true,
    seed: 9,
  });
  return { model, optimizer, schedule, loader };
}

describe('resume', () => {
  it('a run resumed after epoch 2 ends exactly like the uninterrupted run', () => {
    const validation = asTensors(blobs(20, 6));
    let saved: Uint8Array | null = null;
    const saver = (at: number): Callback => ({
      onCheckpoint: (epoch, _logs, ctx) => {
        if (epoch === at) saved = serializeTrainingState(ctx.trainingState());
      },
    });
    const full = build(1);
    const fullHistory = fit(full.model, full.loader, {
      optimizer: full.optimizer,
      loss: 'crossEntropy',
      epochs: 5,
      schedule: full.schedule,
      validation,
      callbacks: [new EarlyStopping({ patience: 10, restoreBestWeights: true }), saver(2)],
    });
    expect(saved).not.toBeNull();
    const rngAfterFull = getDefaultGenerator().getState();

    const resumed = build(2); // different initial weights and generator: all replaced by the state
    const state = parseTrainingState(saved!, 'state.safetensors');
    expect(state.epoch).toBe(2);
    expect(state.step).toBe(16);
    const history = fit(resumed.model, resumed.loader, {
      optimizer: resumed.optimizer,
      loss: 'crossEntropy',
      epochs: 5,
      schedule: resumed.schedule,
      validation,
      callbacks: [new EarlyStopping({ patience: 10, restoreBestWeights: true }), saver(-1)],
      resume: state,
    });
    expect(weightsOf(resumed.model)).toEqual(weightsOf(full.model));
    expect(JSON.stringify(resumed.optimizer.stateDict())).toBe(JSON.stringify(full.optimizer.stateDict()));
    expect(resumed.optimizer.lr).toBe(full.optimizer.lr);
    expect(untimed(history.epochs)).toEqual(untimed(fullHistory.epochs));
    expect(history.stepLosses).toEqual(fullHistory.stepLosses);
    expect(getDefaultGenerator().getState()).toEqual(rngAfterFull);
  });

  it('captures and restores in memory; the state is plain data that later training does not change', () => {
    const a = build(3);
    fit(a.model, a.loader, { optimizer: a.optimizer, loss: 'crossEntropy', epochs: 1, schedule: a.schedule });
    const state = captureTrainingState(
      { model: a.model, optimizer: a.optimizer, schedule: a.schedule },
      { epoch: 1, step: 8 },
    );
    const weights = weightsOf(a.model);
    const rng = getDefaultGenerator().getState();
    fit(a.model, a.loader, { optimizer: a.optimizer, loss: 'crossEntropy', epochs: 1 });
    expect(Array.from(state.model['0.weight']!.data)).toEqual(weights['0.weight']);

    const b = build(4);
    const where = restoreTrainingState(state, {
      model: b.model,
      optimizer: b.optimizer,
      schedule: b.schedule,
    });
    expect(where.epoch).toBe(1);
    expect(where.step).toBe(8);
    expect(weightsOf(b.model)).toEqual(weights);
    expect(b.schedule.lastEpoch).toBe(a.schedule.lastEpoch);
    expect(b.optimizer.lr).toBe(a.schedule.getLastLr()[0]);
    expect(getDefaultGenerator().getState()).toEqual(rng);
    // and it survives bytes
    const back = parseTrainingState(serializeTrainingState(state));
    expect(back.optimizer).toEqual(state.optimizer);
    expect(back.rng).toEqual(state.rng);
    expect(Object.keys(back.model)).toEqual(Object.keys(state.model));
    expect(back.model['1.num_batches_tracked']!.dtype).toBe('int32');
  });

  it('keeps NaN and infinities in the history through bytes', () => {
    manualSeed(5);
    const model = new Sequential(new Linear(2, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    let calls = 0;
    const history = fit(model, [asTensors(blobs(4, 1)), asTensors(blobs(4, 2))], {
      optimizer,
      loss: (o) => {
        calls += 1;
        const l = o.sub(o).sum().add(o.logSoftmax(1).mean().neg());
        return calls === 2 ? l.mul(Number.NaN) : l;
      },
      epochs: 1,
      metrics: [],
    });
    const state = captureTrainingState({ model, optimizer }, { epoch: 1, step: 2, history });
    const back = parseTrainingState(serializeTrainingState(state));
    expect(back.history.stepLosses[1]).toBeNaN();
    expect(back.history.warnings[0]!.loss).toBeNaN();
    expect(back.history.stopReason).toBe(history.stopReason);
  });

  it('reports mismatches between a state and the run', () => {
    const a = build(6);
    const state = captureTrainingState({ model: a.model, optimizer: a.optimizer }, { epoch: 1, step: 8 });
    const b = build(7);
    expect(() =>
      restoreTrainingState(state, { model: b.model, optimizer: b.optimizer, schedule: b.schedule }),
    ).toThrow('restoreTrainingState: the state has no schedule but this run has one');
    expect(() =>
      restoreTrainingState(state, {
        model: b.model,
        optimizer: b.optimizer,
        callbacks: [new EarlyStopping()],
      }),
    ).toThrow(
      'restoreTrainingState: the state holds callbacks with state [], this run has [EarlyStopping]; pass the same callbacks in the same order',
    );
    const other = new Sequential(new Linear(2, 3));
    expect(() =>
      restoreTrainingState(state, { model: other, optimizer: new SGD(other.parameters(), { lr: 1 }) }),
    ).toThrow(/loadStateDict: .* problems? loading into Sequential/);
    expect(() =>
      restoreTrainingState({ format: 'x' } as never, { model: b.model, optimizer: b.optimizer }),
    ).toThrow(
      'restoreTrainingState: expected a TrainingState (from captureTrainingState, ctx.trainingState() or parseTrainingState)',
    );
    expect(() =>
      restoreTrainingState({ ...state, version: 3 } as never, { model: b.model, optimizer: b.optimizer }),
    ).toThrow('restoreTrainingState: unsupported TrainingState version 3; this descent reads version 2');
    expect(() => parseTrainingState(new Uint8Array(4), 'x.safetensors')).toThrow(/x\.safetensors/);
    const plain = serializeTrainingState(state);
    expect(plain.length).toBeGreaterThan(0);
    const resumeFinished: TrainingState = { ...state, epoch: 3 };
    const h = fit(b.model, b.loader, {
      optimizer: b.optimizer,
      loss: 'crossEntropy',
      epochs: 3,
      resume: resumeFinished,
    });
    expect(h.epochs).toEqual([]);
  });
});
