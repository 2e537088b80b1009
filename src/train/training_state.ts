/**
 * TrainingState: everything needed to continue a run from the end of an epoch so that it ends with
 * the same weights as a run that was never interrupted (the CLI's `--resume`):
 *
 * | field | what | restored into |
 * | --- | --- | --- |
 * | `model` | parameters and persistent buffers (state-dict names), as typed arrays | `model.loadStateDict` |
 * | `optimizer` | `optimizer.stateDict()` (moments, step counts, group options incl. lr) | `optimizer.loadStateDict` |
 * | `schedule` | the lr schedule's `stateDict()` (counters, base lrs), or null | `schedule.loadStateDict` |
 * | `rng` | the default generator's `getState()` (dropout masks, random ops) | `setState` |
 * | `epoch`, `step` | epochs completed, optimizer steps taken | where `fit` continues |
 * | `history` | `history.toJSON()` so far | the resumed `History` |
 * | `callbacks` | the `stateDict()` of each callback that has one (EarlyStopping's best value and weights…), in order | `loadStateDict` |
 *
 * The data order is not stored: loaders reshuffle from (seed, epoch) through `setEpoch`, which `fit`
 * calls with the epoch index, so a resumed run sees the same batches. A state is plain data; it owns no
 * backend memory, so nothing needs disposing.
 *
 * On disk (`serializeTrainingState`, and `saveTrainingState` in `descent/node`) a state is one
 * safetensors file: the model tensors under their state-dict names, everything else as JSON in the
 * metadata key `descent.trainingState` (NaN and ±Infinity written as strings). The model tensors load
 * into the model directly, e.g. with `loadModel`.
 *
 * @example
 * // in a callback's onCheckpoint: const bytes = serializeTrainingState(ctx.trainingState());
 * const history = fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 10, resume: parseTrainingState(bytes) });
 */

import { parseSafetensors, serializeSafetensors } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { tensor } from '../tensor/creation.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import { type Generator, getDefaultGenerator } from '../tensor/random.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback } from './callbacks/callback.js';
import { decodeNonFinite, encodeNonFinite, History, type HistoryJSON } from './history.js';

export const TRAINING_STATE_FORMAT = 'descent.trainingState';

/** A tensor as plain data. */
export interface SavedTensor {
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

export interface TrainingState {
  format: typeof TRAINING_STATE_FORMAT;
  version: 1;
  /** Epochs completed; a resumed fit starts at epoch `epoch + 1`. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** The model's state dict (names in state-dict order). */
  model: Record<string, SavedTensor>;
  optimizer: unknown;
  schedule: unknown;
  /** The default generator's state, or null when it was not captured. */
  rng: number[] | null;
  history: HistoryJSON;
  /** For each callback with a `stateDict()`, in order: its class name and state. */
  callbacks: { name: string; state: unknown }[];
}

/** What a state is taken from and restored into. */
export interface TrainingParts {
  model: Module;
  optimizer: OptimizerLike;
  /** An lr schedule (`LrScheduler` or `ReduceLROnPlateau`), if the run has one. */
  schedule?: { stateDict(): unknown; loadStateDict(state: never): void } | null;
  callbacks?: readonly Callback[];
  /** The generator whose state is saved; default: the default generator (`manualSeed`'s). */
  generator?: Generator;
}

/** A snapshot of a run after `epoch` epochs and `step` steps (deep copies: later training does not change it). */
export function captureTrainingState(
  parts: TrainingParts,
  progress: { epoch: number; step: number; history?: History },
): TrainingState {
  const model: Record<string, SavedTensor> = {};
  for (const [name, t] of parts.model.stateDict()) {
    model[name] = { shape: [...t.shape], dtype: t.dtype, data: t.data() };
  }
  return {
    format: TRAINING_STATE_FORMAT,
    version: 1,
    epoch: progress.epoch,
    step: progress.step,
    model,
    optimizer: structuredClone(parts.optimizer.stateDict()),
    schedule: parts.schedule ? structuredClone(parts.schedule.stateDict()) : null,
    rng: (parts.generator ?? getDefaultGenerator()).getState(),
    history: (progress.history ?? new History()).toJSON(),
    callbacks: stateful(parts.callbacks).map((c) => ({
      name: nameOf(c),
      state: structuredClone(c.stateDict!()),
    })),
  };
}

/**
 * Puts a state back: model weights and buffers, optimizer, schedule, generator and callbacks. Checks
 * the state's shape first; the model and optimizer report their own mismatches. Returns where training
 * continues and the history so far.
 */
export function restoreTrainingState(
  state: TrainingState,
  parts: TrainingParts,
): { epoch: number; step: number; history: History } {
  checkTrainingState(state);
  const callbacks = stateful(parts.callbacks);
  const names = callbacks.map(nameOf);
  const savedNames = state.callbacks.map((c) => c.name);
  if (names.join() !== savedNames.join()) {
    throw new RangeError(
      `restoreTrainingState: the state holds callbacks with state [${savedNames.join(', ')}], this run has [${names.join(', ')}]; pass the same callbacks in the same order`,
    );
  }
  if ((state.schedule === null) !== !parts.schedule) {
    throw new RangeError(
      `restoreTrainingState: the state ${state.schedule === null ? 'has no' : 'has a'} schedule but this run ${parts.schedule ? 'has one' : 'has none'}`,
    );
  }
  scope(() => {
    const tensors = new Map<string, Tensor>();
    for (const [name, t] of Object.entries(state.model)) {
      tensors.set(name, tensor(t.data, { shape: t.shape, dtype: t.dtype }));
    }
    parts.model.loadStateDict(tensors);
  });
  parts.optimizer.loadStateDict(structuredClone(state.optimizer) as never);
  if (parts.schedule && state.schedule !== null)
    parts.schedule.loadStateDict(structuredClone(state.schedule) as never);
  if (state.rng !== null) (parts.generator ?? getDefaultGenerator()).setState(state.rng);
  state.callbacks.forEach((saved, i) => {
    callbacks[i]!.loadStateDict?.(structuredClone(saved.state));
  });
  return { epoch: state.epoch, step: state.step, history: History.fromJSON(state.history) };
}

/** The callbacks whose state a training state carries: those with `stateDict()`. */
function stateful(callbacks: readonly Callback[] | undefined): Callback[] {
  return (callbacks ?? []).filter((c) => typeof c.stateDict === 'function');
}

function nameOf(c: Callback): string {
  return c.constructor?.name ?? 'Object';
}

function checkTrainingState(state: TrainingState): void {
  const ok =
    state !== null &&
    typeof state === 'object' &&
    state.format === TRAINING_STATE_FORMAT &&
    Number.isInteger(state.epoch) &&
    state.epoch >= 0 &&
    Number.isInteger(state.step) &&
    state.step >= 0 &&
    typeof state.model === 'object' &&
    state.model !== null &&
    Array.isArray(state.callbacks);
  if (!ok) {
    throw new TypeError(
      'restoreTrainingState: expected a TrainingState (from captureTrainingState, ctx.trainingState() or parseTrainingState)',
    );
  }
  if (state.version !== 1) {
    throw new RangeError(
      `restoreTrainingState: unsupported TrainingState version ${state.version}; this descent reads version 1`,
    );
  }
}

/** A state as the bytes of one safetensors file (model tensors + the rest as JSON metadata). */
export function serializeTrainingState(state: TrainingState): Uint8Array {
  checkTrainingState(state);
  const { model, ...rest } = state;
  return scope(() => {
    const tensors = new Map<string, Tensor>();
    for (const [name, t] of Object.entries(model))
      tensors.set(name, tensor(t.data, { shape: t.shape, dtype: t.dtype }));
    return serializeSafetensors(tensors, { [TRAINING_STATE_FORMAT]: JSON.stringify(encodeNonFinite(rest)) });
  });
}

/** Reads what `serializeTrainingState` wrote; `source` names the file in errors. */
export function parseTrainingState(bytes: Uint8Array, source = '<bytes>'): TrainingState {
  return scope(() => {
    const { tensors, metadata } = parseSafetensors(bytes, source);
    const json = metadata[TRAINING_STATE_FORMAT];
    if (json === undefined) {
      throw new RangeError(
        `parseTrainingState: ${source} is a safetensors file without a training state (no '${TRAINING_STATE_FORMAT}' metadata); is it a model file?`,
      );
    }
    let rest: Omit<TrainingState, 'model'>;
    try {
      rest = decodeNonFinite(JSON.parse(json)) as Omit<TrainingState, 'model'>;
    } catch (error) {
      throw new SyntaxError(
        `parseTrainingState: ${source}: the training state is not valid JSON: ${(error as Error).message}`,
      );
    }
    const model: Record<string, SavedTensor> = {};
    for (const [name, t] of tensors) model[name] = { shape: [...t.shape], dtype: t.dtype, data: t.data() };
    const state = { ...rest, model } as TrainingState;
    checkTrainingState(state);
    return state;
  });
}
