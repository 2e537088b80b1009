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
 * - `hostCheck({ reads, check })`: a validation that reads step data (class indices in range, say).
 *   It names the tensors it reads and receives their values. On a backend that reads synchronously it
 *   reads and checks at once; under a trace it also records it, and each replay runs it again at the
 *   same point (or first, hoist_checks.ts), so bad data is refused by a replayed step as by an eager one.
 *
 * On a backend that reads only asynchronously (a GPU), a check cannot run at once without stalling the
 * device. As CUDA's device-side asserts, it is deferred: its reads start at once (the copy reflects
 * every kernel queued before, so it sees the values the step used), the check runs when they arrive,
 * and the first failure is thrown by `settleHostChecks()`, which every async read point awaits
 * (`dataAsync()`, `itemAsync()`, `toArrayAsync()`, the trainer's reads, the end of `fitAsync`). Such an
 * error surfaces a few steps late, never not at all.
 *
 * Any other read of the backend during a trace makes the step uncapturable (its control flow could
 * depend on the value); the tracer refuses it and `fit` falls back to eager steps.
 *
 * The recorder itself lives in src/capture/; this module is only the seam, so that src/tensor and
 * src/ops depend on nothing heavier than it.
 */
import type { Backend, BufferHandle } from '../backend/backend.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';

/**
 * A validation of step data: the tensors it reads and what it does with their values. A check only
 * validates (it throws or returns nothing); it reads only tensors that outlive the step (its inputs,
 * the parameters), since the step's temporaries are gone when a replay runs it.
 */
export interface HostCheck {
  /** The tensors the check reads. */
  readonly reads: readonly Tensor[];
  /** Validates their elements: flat, row-major, one array per entry of `reads`, in order. Throws to refuse. */
  readonly check: (values: readonly TypedArray[]) => void;
}

const HOST_CHECK_KEYS: OptionKeys<HostCheck> = { reads: true, check: true };

/**
 * What a tracer does with host effects while it records a step. It runs the effect itself (a write
 * through the backend's own method, a check with reads allowed) so that the effect is not mistaken
 * for a constant write or a forbidden read, and records it for the replays.
 */
export interface HostEffectRecorder {
  hostWrite(backend: Backend, buffer: BufferHandle, produce: () => TypedArray): void;
  hostCheck(spec: HostCheck): void;
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
 * Checks `spec.reads`' values with `spec.check`: at once on a backend that reads synchronously,
 * deferred to the next `settleHostChecks()` on one that does not (see the module comment). A replay
 * of a captured step checks again at the same point.
 */
export function hostCheck(spec: HostCheck): void {
  if (typeof spec !== 'object' || !Array.isArray(spec?.reads) || typeof spec.check !== 'function') {
    throw new TypeError(
      'hostCheck: takes { reads, check }: reads, the tensors it reads; check(values), which validates their values',
    );
  }
  checkOptions('hostCheck', spec, HOST_CHECK_KEYS);
  if (active !== null) active.hostCheck(spec);
  else runHostCheck(spec);
}

/** A deferred check's outcome: null when it passed. */
type Outcome = { readonly error: unknown } | null;

/** Deferred checks not yet settled, in the order they were made. */
let pending: Promise<Outcome>[] = [];

/**
 * Runs a check now, or starts its reads and defers it where a backend reads only asynchronously.
 * The recorder and the replays of a captured step call it too. The reads start before this returns:
 * a tensor released since throws here, at once.
 */
export function runHostCheck(spec: HostCheck): void {
  const { reads, check } = spec;
  if (reads.every((t) => t.backend.read !== undefined)) {
    check(reads.map((t) => t.data()));
    return;
  }
  const values = Promise.all(reads.map((t) => t.readAsyncNow()));
  // Settled, never rejected: an error waits in the queue for settleHostChecks, not as an unhandled rejection.
  const outcome = values.then((v): Outcome => {
    check(v);
    return null;
  });
  pending.push(outcome.catch((error: unknown) => ({ error })));
}

/**
 * Waits for every deferred host check made so far and throws the first one's error that failed (in
 * the order they were made); the failed batch is dropped. Resolves at once when none is pending (on a
 * backend that reads synchronously, always). The async reads and the async trainer call it.
 */
export async function settleHostChecks(): Promise<void> {
  while (pending.length > 0) {
    const batch = pending;
    pending = [];
    const failed = (await Promise.all(batch)).find((outcome) => outcome !== null);
    if (failed !== undefined && failed !== null) throw failed.error;
  }
}
