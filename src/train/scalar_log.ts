/**
 * Scalars a loop makes on the device (each training step's loss, each evaluation batch's loss),
 * copied on the device into one buffer and read as a block: one read per block instead of one per
 * value, which is what lets a GPU run many steps ahead of the host and a captured step replay
 * without a read between steps. The values come back exactly as `item()` would have read them, in
 * the order pushed.
 *
 * The buffer takes the dtype and backend of the first value pushed (a later value of another dtype is
 * converted to it, as `assign` converts); it doubles when full and is unscoped: it outlives the step
 * scopes that push into it, until `dispose()`.
 */
import { slice } from '../ops/shape_ops.js';
import { empty } from '../ops/util.js';
import { keepStorage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { dataOf, type Reads, read } from './reads.js';

export class ScalarLog {
  private buffer: Tensor | null = null;
  private count = 0;

  /** `capacity`: the values the first buffer holds (a loop that reads every N values passes N). */
  constructor(private readonly capacity = 64) {}

  /** Values pushed since the last `take`. */
  get length(): number {
    return this.count;
  }

  /** Appends the value of a single-element tensor (a copy on the device; nothing is read). */
  push(value: Tensor): void {
    const buffer = this.room(value);
    slice(buffer, 0, this.count, this.count + 1).assign(value.detach().reshape([1]));
    this.count += 1;
  }

  /** Reads the values pushed since the last `take` (one read) and empties the log. */
  *take(): Reads<number[]> {
    const n = this.count;
    if (n === 0 || this.buffer === null) return [];
    this.count = 0;
    const data = yield* read(dataOf(this.buffer));
    return Array.from(data.subarray(0, n));
  }

  /** Releases the buffer (the log can be used again: the next push allocates a new one). */
  dispose(): void {
    this.buffer?.dispose();
    this.buffer = null;
    this.count = 0;
  }

  /** The buffer, grown (doubled, the values kept) when full. */
  private room(value: Tensor): Tensor {
    const old = this.buffer;
    if (old !== null && this.count < old.size) return old;
    const length = old === null ? Math.max(1, this.capacity) : 2 * old.size;
    const dtype = old?.dtype ?? value.dtype;
    const grown = empty([length], dtype, old?.backend ?? value.backend);
    keepStorage(grown.storage);
    if (old !== null) {
      slice(grown, 0, 0, old.size).assign(old);
      old.dispose();
    }
    this.buffer = grown;
    return grown;
  }
}
