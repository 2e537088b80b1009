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
 * safetensors file (version 2):
 *
 * - every tensor is a tensor: the model's under their state-dict names (so `loadModel(file, model,
 *   { strict: false })` reads the weights), and every typed array inside the optimizer, schedule and
 *   callback states (Adam's moments, EarlyStopping's best weights…) under its path, e.g.
 *   `optimizer.state.3.2.expAvg`, replaced in the JSON by `{ "$tensor": "<name>" }`;
 * - the metadata key `descent.trainingState` holds the rest as small JSON (NaN and ±Infinity written
 *   as strings), whatever the model's size: an 11.6M-parameter Adam run has a header of a few kB;
 * - the metadata key `descent.checksum` holds a CRC-32 (src/io/crc32.ts, pure TypeScript so that the
 *   core stays browser-safe) of that JSON and of every tensor's name, dtype, shape and bytes, checked on
 *   parse: a flipped bit anywhere is refused instead of resumed. It detects corruption, not forgery.
 *
 * `context` is what the caller says the state depends on (the CLI stores its configuration and a
 * fingerprint of its data, and refuses to resume a run whose configuration or data differ); the library
 * stores it and never interprets it.
 *
 * Reading accepts version 1 too (descent 0.1.0 before this format: everything but the model as JSON,
 * no checksum, no context); it comes back as a version-2 state with `context: null`. Every problem with
 * the bytes, the JSON or the shape of the state is a `FormatError` naming the source and the field.
 *
 * @example
 * // in a callback's onCheckpoint: const bytes = serializeTrainingState(ctx.trainingState());
 * const history = fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 10, resume: parseTrainingState(bytes) });
 */

import { crc32, crc32Hex } from '../io/crc32.js';
import { FormatError } from '../io/format_error.js';
import { type ArrayTensor, decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { tensor } from '../tensor/creation.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import { type Generator, getDefaultGenerator } from '../tensor/random.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback } from './callbacks/callback.js';
import { decodeNonFinite, encodeNonFinite, History, type HistoryJSON } from './history.js';
import { checkParsedState } from './training_state_check.js';

export const TRAINING_STATE_FORMAT = 'descent.trainingState';
/** The on-disk version `serializeTrainingState` writes; `parseTrainingState` reads 1 and 2. */
const TRAINING_STATE_VERSION = 2;
const CHECKSUM_KEY = 'descent.checksum';
/** The JSON stand-in for a typed array stored as a tensor of the file. */
const TENSOR_REF = '$tensor';

/** A tensor as plain data. */
export interface SavedTensor {
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

export interface TrainingState {
  format: typeof TRAINING_STATE_FORMAT;
  version: typeof TRAINING_STATE_VERSION;
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
  /** What the caller says the state depends on (JSON; the CLI: configuration and data fingerprint), or null. */
  context?: Record<string, unknown> | null;
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
  progress: { epoch: number; step: number; history?: History; context?: Record<string, unknown> | null },
): TrainingState {
  const model: Record<string, SavedTensor> = {};
  for (const [name, t] of parts.model.stateDict()) {
    model[name] = { shape: [...t.shape], dtype: t.dtype, data: t.data() };
  }
  return {
    format: TRAINING_STATE_FORMAT,
    version: TRAINING_STATE_VERSION,
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
    context: progress.context === undefined ? null : structuredClone(progress.context),
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
  if (state.version !== TRAINING_STATE_VERSION) {
    throw new RangeError(
      `restoreTrainingState: unsupported TrainingState version ${state.version}; this descent reads version ${TRAINING_STATE_VERSION}`,
    );
  }
}

/** A state as the bytes of one safetensors file (see the module comment). */
export function serializeTrainingState(state: TrainingState): Uint8Array {
  checkTrainingState(state);
  const { model, ...rest } = state;
  const tensors = new Map<string, ArrayTensor>();
  for (const [name, t] of Object.entries(model))
    tensors.set(name, { shape: t.shape, dtype: t.dtype, data: t.data });
  const json = JSON.stringify(encodeNonFinite(extractTensors(rest, '', tensors, null)));
  const checksum = `crc32:${crc32Hex(checksumOf(json, tensors))}`;
  return encodeSafetensors(tensors, { [TRAINING_STATE_FORMAT]: json, [CHECKSUM_KEY]: checksum });
}

/**
 * Deep copy of `value` where each float32/float64/int32 typed array becomes `{ "$tensor": name }` and
 * goes into `out` under its path (`optimizer.state.3.2.expAvg`: a trailing `.data` is dropped, and the
 * sibling `shape` is used when it fits).
 */
function extractTensors(
  value: unknown,
  path: string,
  out: Map<string, ArrayTensor>,
  parent: Record<string, unknown> | null,
): unknown {
  if (ArrayBuffer.isView(value)) {
    const dtype = dtypeOfArray(value, path);
    const name = path.replace(/\.data$/, '');
    if (out.has(name))
      throw new RangeError(
        `serializeTrainingState: two tensors would be named '${name}' (a model tensor and an optimizer, schedule or callback array?)`,
      );
    const data = value as TypedArray;
    const shape = parent?.shape;
    const fits = Array.isArray(shape) && shape.reduce((a: number, d: number) => a * d, 1) === data.length;
    out.set(name, { shape: fits ? [...(shape as number[])] : [data.length], dtype, data });
    return { [TENSOR_REF]: name };
  }
  if (Array.isArray(value))
    return value.map((v, i) => extractTensors(v, `${path}${path ? '.' : ''}${i}`, out, null));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(record).map(([k, v]) => [
        k,
        extractTensors(v, `${path}${path ? '.' : ''}${k}`, out, record),
      ]),
    );
  }
  return value;
}

function dtypeOfArray(value: ArrayBufferView, path: string): DType {
  if (value instanceof Float32Array) return 'float32';
  if (value instanceof Float64Array) return 'float64';
  if (value instanceof Int32Array) return 'int32';
  throw new TypeError(
    `serializeTrainingState: ${path} is a ${value.constructor.name}; a state's arrays must be Float32Array, Float64Array or Int32Array (or plain numbers)`,
  );
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** CRC-32 of the JSON and of every tensor (name, dtype, shape, little-endian bytes), in name order. */
function checksumOf(json: string, tensors: ReadonlyMap<string, ArrayTensor>): number {
  const text = new TextEncoder();
  let crc = crc32(text.encode(json));
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    crc = crc32(text.encode(`\0${name}\0${t.dtype}\0${t.shape.join(',')}\0`), crc);
    crc = crc32(littleEndianBytes(t.data), crc);
  }
  return crc;
}

function littleEndianBytes(data: TypedArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST) return bytes;
  const copy = new Uint8Array(bytes.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size)
    for (let b = 0; b < size; b++) copy[i + b] = bytes[i + size - 1 - b]!;
  return copy;
}

/**
 * Reads what `serializeTrainingState` wrote (version 2, or version 1 from an earlier descent);
 * `source` names the file in errors. Everything wrong with the bytes is a `FormatError`: not a
 * safetensors file, no training state in it, a checksum that does not match (a corrupted file),
 * JSON of the wrong shape (a step count of −3, a broken history or random state…).
 */
export function parseTrainingState(bytes: Uint8Array, source = '<bytes>'): TrainingState {
  const fail = (what: string): never => {
    throw new FormatError(source, `parseTrainingState: ${source}: ${what}`);
  };
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const json = metadata[TRAINING_STATE_FORMAT];
  if (json === undefined) {
    fail(
      `a safetensors file without a training state (no '${TRAINING_STATE_FORMAT}' metadata); is it a model file?`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json!);
  } catch (error) {
    fail(`the training state is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    fail('the training state is not a JSON object');
  const version = (parsed as { version?: unknown }).version;
  if (version !== 1 && version !== TRAINING_STATE_VERSION) {
    fail(
      typeof version === 'number' && Number.isInteger(version) && version > TRAINING_STATE_VERSION
        ? `a training state of version ${version}, written by a newer descent; this one reads versions 1 and ${TRAINING_STATE_VERSION}`
        : `version must be 1 or ${TRAINING_STATE_VERSION}, got ${JSON.stringify(version)}`,
    );
  }
  if (version === TRAINING_STATE_VERSION) verifyChecksum(metadata[CHECKSUM_KEY], json!, tensors, fail);
  const rest = decodeNonFinite(parsed) as Record<string, unknown>;
  const used = new Set<string>();
  const resolved = resolveTensors(rest, tensors, used, fail) as Record<string, unknown>;
  const model: Record<string, SavedTensor> = {};
  for (const [name, t] of tensors)
    if (!used.has(name)) model[name] = { shape: t.shape, dtype: t.dtype, data: t.data };
  const state = { ...resolved, version: TRAINING_STATE_VERSION, model } as TrainingState;
  if (version === 1) state.context = null;
  checkParsedState(state, fail);
  return state;
}

function verifyChecksum(
  stored: string | undefined,
  json: string,
  tensors: ReadonlyMap<string, ArrayTensor>,
  fail: (what: string) => never,
): void {
  if (stored === undefined)
    fail(`the '${CHECKSUM_KEY}' metadata is missing (the file was not written by descent, or was edited)`);
  const computed = `crc32:${crc32Hex(checksumOf(json, tensors))}`;
  if (stored !== computed) {
    fail(
      `the checksum does not match (stored ${stored}, computed ${computed}): the file is corrupted or was edited`,
    );
  }
}

/** Replaces each `{ "$tensor": name }` with that tensor's typed array, noting the names used. */
function resolveTensors(
  value: unknown,
  tensors: ReadonlyMap<string, ArrayTensor>,
  used: Set<string>,
  fail: (what: string) => never,
): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveTensors(v, tensors, used, fail));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === TENSOR_REF) {
    const name = record[TENSOR_REF];
    if (typeof name !== 'string' || !tensors.has(name) || used.has(name)) {
      fail(
        `the state refers to tensor ${JSON.stringify(name)}, which the file ${typeof name === 'string' && used.has(name) ? 'uses twice' : 'does not hold'}`,
      );
    }
    used.add(name as string);
    return tensors.get(name as string)!.data;
  }
  return Object.fromEntries(keys.map((k) => [k, resolveTensors(record[k], tensors, used, fail)]));
}
