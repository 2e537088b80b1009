/**
 * The host side of a training step, as a captured step must see it.
 *
 * A captured step (src/capture/) records the kernels a step runs and replays them without running the
 * step's JavaScript again. Two things a step does on the host must run again at every replay, so the
 * code that does them announces them here instead of calling the backend directly:
 *
 * - `hostWrite(buffer, produce)`: data made on the host for each step (dropout masks and other random
 *   draws from the seeded generator). Eagerly it writes `produce()`; under a trace it also records the
 *   producer, and each replay calls it again, so the generator advances exactly as in an eager step.
 * - `hostCheck(check)`: a validation that reads step data (class indices in range, say). Eagerly it
 *   runs `check()`; under a trace it also records it, and each replay runs it after the kernels that
 *   precede it, so bad data is refused by a replayed step as by an eager one.
 *
 * Any other read of the backend during a trace makes the step uncapturable (its control flow could
 * depend on the value); the tracer refuses it and `fit` falls back to eager steps.
 *
 * The recorder itself lives in src/capture/; this module is only the seam, so that src/tensor and
 * src/ops depend on nothing heavier than it.
 */
import type { Backend, BufferHandle } from '../backend/backend.js';
import type { TypedArray } from '../tensor/dtype.js';

/**
 * What a tracer does with host effects while it records a step. It runs the effect itself (a write
 * through the backend's own method, a check with reads allowed) so that the effect is not mistaken
 * for a constant write or a forbidden read, and records it for the replays.
 */
export interface HostEffectRecorder {
  hostWrite(backend: Backend, buffer: BufferHandle, produce: () => TypedArray): void;
  hostCheck(check: () => void): void;
}

let active: HostEffectRecorder | null = null;

/** Installs the recorder of a trace (null ends it); returns the one it replaced. Used by src/capture/ only. */
export function setHostEffectRecorder(recorder: HostEffectRecorder | null): HostEffectRecorder | null {
  const previous = active;
  active = recorder;
  return previous;
}

/** Whether a step is being traced now. */
export function isTracing(): boolean {
  return active !== null;
}

/** Writes `produce()` into `buffer`; a replay of a captured step produces and writes it again. */
export function hostWrite(backend: Backend, buffer: BufferHandle, produce: () => TypedArray): void {
  if (active !== null) active.hostWrite(backend, buffer, produce);
  else backend.write(buffer, produce());
}

/**
 * Runs `check`; a replay of a captured step runs it again at the same point. A check only validates
 * (it throws or returns nothing): data it computes must not flow into the step, which the replays
 * would not see, and it reads only tensors that outlive the step (its inputs, the parameters), since
 * the step's temporaries are gone when a replay runs it.
 */
export function hostCheck(check: () => void): void {
  if (active !== null) active.hostCheck(check);
  else check();
}
