/**
 * Host checks that read only the step's inputs run before a replay's kernels, not among them.
 *
 * A check can refuse data that the eager step would accept: crossEntropy's class-target check
 * refuses a batch whose ignored targets or total class weight differ from the traced one, since the
 * recording baked them in. Among the kernels, such a refusal would come after some of them had run
 * (running statistics updated), too late to run the step eagerly instead; before them, nothing has
 * run, and the captured step can fall back and run this very step eagerly, which accepts the batch
 * or refuses it as an eager step does. A check qualifies when no earlier call of the step writes a
 * buffer it read while traced: it reads the inputs, or memory from outside the step (a class weight),
 * and sees the same values first as where it was.
 */
import type { BufferHandle } from '../backend/backend.js';
import { writtenBuffers } from './call_buffers.js';
import type { RecordedCall } from './tracer.js';

export interface Hoisted {
  /** The checks to run first, in their recorded order. */
  readonly prechecks: RecordedCall[];
  /** The other calls, in their order. */
  readonly calls: RecordedCall[];
}

export function hoistChecks(recorded: readonly RecordedCall[]): Hoisted {
  const prechecks: RecordedCall[] = [];
  const calls: RecordedCall[] = [];
  const written = new Set<BufferHandle>();
  for (const call of recorded) {
    const reads = call.name === 'hostCheck' ? call.reads : undefined;
    if (reads !== undefined && reads.size > 0 && [...reads].every((b) => !written.has(b))) {
      prechecks.push(call);
      continue;
    }
    for (const b of writtenBuffers(call.name, call.args)) written.add(b);
    calls.push(call);
  }
  return { prechecks, calls };
}
