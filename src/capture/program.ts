/**
 * A traced step, ready to replay: the recorded calls, the buffers it owns, the buffers it depends on.
 *
 * A replay copies the new inputs into the trace's input buffers, runs the host checks that read
 * only them (a refusal there leaves the step to run eagerly), applies each recorded call (a
 * pre-bound method and its argument array: no autograd, no allocation, no op dispatch), restores the
 * parameters' deferred-zero flags as the trace left them, and hands out the result over the buffers
 * the traced step returned. The same kernels run on the same buffers in the same order as in the
 * traced step, so the results are the eager step's bit for bit.
 */
import type { Backend, BufferHandle, View } from '../backend/backend.js';
import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { borrowStorages, type OutputTemplate } from './outputs.js';
import { unwatchReleases, type Watcher, watchReleases } from './release_watch.js';
import type { OwnedBuffer, RecordedCall } from './tracer.js';

/** Where one input goes: a contiguous view of a buffer the program owns. */
export interface InputSlot {
  readonly backend: Backend;
  readonly view: View;
}

/** A parameter's gradient as the trace left it. */
export interface GradSlot {
  readonly param: Tensor;
  readonly value: Tensor | null;
  readonly zeroed: boolean;
}

export interface ProgramParts<O> {
  readonly calls: readonly RecordedCall[];
  /** Host checks that read only the inputs (hoist_checks.ts): run before the calls. */
  readonly prechecks: readonly RecordedCall[];
  readonly inputs: readonly InputSlot[];
  readonly output: OutputTemplate<O>;
  /** Buffers the program owns (inputs, the trace's temporaries, the result): released by dispose. */
  readonly owned: readonly OwnedBuffer[];
  /** Buffers it uses but does not own (parameters, gradients, layer buffers): their release makes it stale. */
  readonly external: readonly BufferHandle[];
  readonly grads: readonly GradSlot[];
}

export class Program<O> implements Watcher {
  private stale = false;
  private disposed = false;
  /** The storages of the last result handed out, retired at the next run. */
  private handedOut: Storage[] = [];

  constructor(private readonly parts: ProgramParts<O>) {
    watchReleases(this, parts.external);
  }

  bufferReleased(): void {
    this.stale = true;
  }

  /**
   * Whether a replay would do what the step does: no buffer it depends on was released, and every
   * parameter still has the gradient tensor the trace wrote (not one assigned since).
   */
  valid(): boolean {
    if (this.stale || this.disposed) return false;
    return this.parts.grads.every((g) => g.param.gradState.value === g.value);
  }

  /**
   * Copies the inputs in and runs the checks that read only them; the first refusal's message, or
   * null. Nothing else has run yet, so a refused step can still run eagerly.
   */
  load(inputs: readonly Tensor[]): string | null {
    this.retire();
    const slots = this.parts.inputs;
    for (let i = 0; i < slots.length; i++) slots[i]!.backend.copy(inputs[i]!.strided(), slots[i]!.view);
    for (const c of this.parts.prechecks) {
      try {
        Reflect.apply(c.fn, c.self, c.args);
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }
    return null;
  }

  /** Runs the recorded calls on the inputs `load` copied in. */
  replay(): O {
    const { calls, grads } = this.parts;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i]!;
      Reflect.apply(c.fn, c.self, c.args);
    }
    for (const g of grads) g.param.setGradZeroed(g.zeroed);
    return this.handOut();
  }

  /** The result over the program's buffers, in tensors new to this run. */
  handOut(): O {
    this.handedOut = borrowStorages(this.parts.output);
    return this.parts.output.build(this.handedOut);
  }

  /** Ends the use of the last result's tensors: the next replay overwrites their values. */
  retire(): void {
    for (const s of this.handedOut) s.release();
    this.handedOut = [];
  }

  /** Releases the buffers the program owns; it cannot run again. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.retire();
    unwatchReleases(this, this.parts.external);
    for (const { backend, buffer } of this.parts.owned) backend.release(buffer);
  }
}
