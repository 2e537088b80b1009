/**
 * The shape of a training state read from outside (`parseTrainingState`): every field a resume relies
 * on, checked before anything is restored, so that a broken or tampered file is refused with a message
 * naming the field instead of failing later with a raw TypeError (a history that is not a list, a
 * random state of the wrong length, a step count of −3). What the optimizer, schedule and callbacks
 * hold is checked by their own `loadStateDict` (for the optimizers: src/optim/saved_state.ts).
 */
import type { TrainingState } from './training_state.js';

type Fail = (what: string) => never;

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
const isNumberList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** Throws through `fail` with the first problem found. */
export function checkParsedState(state: TrainingState, fail: Fail): void {
  if (state.format !== 'descent.trainingState')
    fail(`format must be 'descent.trainingState', got ${JSON.stringify(state.format)}`);
  if (!isCount(state.epoch)) fail(`epoch must be a non-negative integer, got ${JSON.stringify(state.epoch)}`);
  if (!isCount(state.step)) fail(`step must be a non-negative integer, got ${JSON.stringify(state.step)}`);
  if (!isObject(state.optimizer)) fail('optimizer must be an object (an optimizer state dict)');
  if (state.schedule !== null && !isObject(state.schedule))
    fail('schedule must be an object (a schedule state dict) or null');
  checkRng(state.rng, fail);
  checkHistory(state.history, fail);
  if (!Array.isArray(state.callbacks)) fail('callbacks must be a list of { name, state }');
  state.callbacks.forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || !('state' in c))
      fail(`callbacks[${i}] must be { name: string, state }`);
  });
  if (state.context !== undefined && state.context !== null && !isObject(state.context))
    fail('context must be an object or null');
}

function checkRng(rng: unknown, fail: Fail): void {
  if (rng === null) return;
  const ok =
    Array.isArray(rng) &&
    rng.length === 5 &&
    rng.slice(0, 4).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32) &&
    typeof rng[4] === 'number';
  if (!ok)
    fail('rng must be null or the 5 numbers of a generator state (four 32-bit words and a spare normal)');
}

function checkHistory(history: unknown, fail: Fail): void {
  if (!isObject(history))
    fail('history must be an object { epochs, stepLosses, stepLrs, warnings, stopReason }');
  const h = history as Record<string, unknown>;
  if (!Array.isArray(h.epochs)) fail('history.epochs must be a list of epoch logs');
  (h.epochs as unknown[]).forEach((e, i) => {
    if (!isObject(e) || !Number.isSafeInteger(e.epoch) || (e.epoch as number) < 1)
      fail(`history.epochs[${i}] must be an object with an epoch number from 1`);
    for (const [k, v] of Object.entries(e as Record<string, unknown>)) {
      if (typeof v !== 'number') fail(`history.epochs[${i}].${k} must be a number, got ${JSON.stringify(v)}`);
    }
  });
  if (!isNumberList(h.stepLosses)) fail('history.stepLosses must be a list of numbers');
  if (!isNumberList(h.stepLrs)) fail('history.stepLrs must be a list of numbers');
  if (!Array.isArray(h.warnings) || !h.warnings.every((w) => isObject(w) && typeof w.message === 'string'))
    fail('history.warnings must be a list of { kind, message, … }');
  if (h.stopReason !== null && typeof h.stopReason !== 'string')
    fail('history.stopReason must be a string or null');
}
