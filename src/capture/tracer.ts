/**
 * The recorder of a step: while the step runs eagerly, every call it makes to its backends is seen
 * here (intercept.ts), executed, and recorded as a pre-bound call that a replay repeats.
 *
 * - Kernels and constant writes are recorded with their arguments (the data of a write is copied).
 * - Memory: a buffer allocated during the trace, or released during it, belongs to the trace. A
 *   release does not go back to the backend's pool, where something outside could take it between
 *   replays; it goes to the trace's own pool, from which later allocations of the trace are served
 *   (the step's peak memory, not the sum of its temporaries).
 * - Host effects (host_effects.ts): a `hostWrite` is recorded with its producer, a `hostCheck` with
 *   its spec (deferred at replay as eagerly where the backend reads only asynchronously); the reads
 *   inside a check are allowed and its own kernels are not recorded (a replay runs the check, which
 *   runs them again).
 * - Anything that would make a replay differ from an eager step stops the trace: a read outside a
 *   check (the step's control flow may depend on the value), a method returning a value, a write
 *   into a parameter (an optimizer update inside the step, whose scalars change every step). The
 *   trace then gets out of the way at once: the step finishes eagerly on the real backend, and
 *   `poison` says why.
 */
import type { Backend, BufferHandle } from '../backend/backend.js';
import type { TypedArray } from '../tensor/dtype.js';
import { writtenBuffers } from './call_buffers.js';
import {
  type HostCheck,
  type HostEffectRecorder,
  runHostCheck,
  setHostEffectRecorder,
} from './host_effects.js';
import { type Interception, intercept, type Method } from './intercept.js';

/** One call of a replay: `fn` applied to `self` with `args`, all bound when the trace was made. */
export interface RecordedCall {
  /** The backend method's name, or 'hostWrite' / 'hostCheck'. */
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  readonly self: unknown;
  readonly args: readonly unknown[];
  /** For a host check: the buffers it read when traced. */
  readonly reads?: ReadonlySet<BufferHandle>;
}

/** A buffer and the backend it goes back to. */
export interface OwnedBuffer {
  readonly backend: Backend;
  readonly buffer: BufferHandle;
}

/** Methods that only describe the backend: called as they are, never recorded. */
const QUERIES = new Set(['supports', 'bytesInUse', 'availableBytes', 'memoryBytes', 'heapBytes']);
/** Methods that hand data to the host. */
const READS = new Set(['read', 'readAsync', 'view']);

/** dtype:length of an allocation, from `allocate(dtype, length)` or a spec object; null if neither. */
function allocationKey(args: readonly unknown[]): string | null {
  const [first, second] = args;
  if (typeof first === 'string' && typeof second === 'number') return `${first}:${second}`;
  const spec = first as { dtype?: unknown; length?: unknown } | null;
  if (
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec.dtype === 'string' &&
    typeof spec.length === 'number'
  ) {
    return `${spec.dtype}:${spec.length}`;
  }
  return null;
}

function replayWrite(write: Method, backend: Backend, buffer: BufferHandle, produce: () => TypedArray): void {
  write.call(backend, buffer, produce());
}

export class Tracer implements HostEffectRecorder {
  readonly calls: RecordedCall[] = [];
  readonly checks: (() => void)[] = [];
  /** Buffers allocated during the trace and not released since: the step's results, or memory it kept. */
  readonly live = new Map<BufferHandle, Backend>();
  /** Where each buffer was allocated during the trace: the number of calls recorded before, per allocation. */
  readonly allocatedAt = new Map<BufferHandle, number[]>();
  /** Why the step cannot be captured; null while the trace goes on. */
  poison: string | null = null;
  /** Buffers released during the trace, by backend, dtype and length: the trace owns them now. */
  private readonly pool = new Map<Backend, Map<string, BufferHandle[]>>();
  private readonly interceptions: Interception[] = [];
  private previousRecorder: HostEffectRecorder | null = null;
  /** Inside a host effect: the backend's methods run as they are, unrecorded (the replay redoes the effect). */
  private inHostEffect = 0;
  /** The buffers the host check running now has read. */
  private checkReads: Set<BufferHandle> | null = null;
  private active = false;

  /** `params`: the parameters' buffers, which a step must not write. */
  constructor(private readonly params: ReadonlySet<BufferHandle>) {}

  start(backends: Iterable<Backend>): void {
    for (const b of backends) this.interceptions.push(intercept(b, this.onCall));
    this.previousRecorder = setHostEffectRecorder(this);
    this.active = true;
  }

  /** Puts the backends' methods back; idempotent. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    for (const i of this.interceptions) i.restore();
    setHostEffectRecorder(this.previousRecorder);
  }

  /** The buffers the trace's pool holds (released during the trace), emptied: the caller owns them now. */
  takePool(): OwnedBuffer[] {
    const out: OwnedBuffer[] = [];
    for (const [backend, sizes] of this.pool) {
      for (const list of sizes.values()) for (const buffer of list) out.push({ backend, buffer });
    }
    this.pool.clear();
    return out;
  }

  private readonly onCall = (backend: Backend, name: string, original: Method, args: unknown[]): unknown => {
    if (this.inHostEffect > 0 && READS.has(name)) this.checkReads?.add(args[0] as BufferHandle);
    if (this.inHostEffect > 0 || QUERIES.has(name)) return original.apply(backend, args);
    if (name === 'allocate') return this.allocate(backend, original, args);
    if (name === 'release') return this.release(backend, args[0] as BufferHandle);
    if (READS.has(name)) {
      this.stopWith(
        `the step reads a tensor on the host (backend.${name}: .item(), .data() or .toArray() inside the step, outside hostCheck), so its course may depend on the value`,
      );
      return original.apply(backend, args);
    }
    const result = original.apply(backend, args);
    if (result !== undefined) {
      this.stopWith(`backend.${name} returned a value to the step (a read on the host)`);
    } else if (writtenBuffers(name, args).some((b) => this.params.has(b))) {
      this.stopWith(
        `the step writes a parameter in place (backend.${name}): the optimizer update belongs after run(), its scalars change every step`,
      );
    } else {
      const recorded = name === 'write' ? [args[0], (args[1] as TypedArray).slice()] : args;
      this.calls.push({ name, fn: original, self: backend, args: recorded });
    }
    return result;
  };

  private allocate(backend: Backend, original: Method, args: unknown[]): BufferHandle {
    const key = allocationKey(args);
    const reused = key === null ? undefined : this.pool.get(backend)?.get(key)?.pop();
    const buffer = reused ?? (original.apply(backend, args) as BufferHandle);
    this.live.set(buffer, backend);
    const at = this.allocatedAt.get(buffer);
    if (at === undefined) this.allocatedAt.set(buffer, [this.calls.length]);
    else at.push(this.calls.length);
    return buffer;
  }

  private release(backend: Backend, buffer: BufferHandle): void {
    this.live.delete(buffer);
    let sizes = this.pool.get(backend);
    if (sizes === undefined) {
      sizes = new Map();
      this.pool.set(backend, sizes);
    }
    const key = `${buffer.dtype}:${buffer.length}`;
    const list = sizes.get(key);
    if (list === undefined) sizes.set(key, [buffer]);
    else list.push(buffer);
  }

  hostWrite(backend: Backend, buffer: BufferHandle, produce: () => TypedArray): void {
    const write = this.interceptions.find((i) => i.backend === backend)?.originals.get('write');
    if (write === undefined) {
      this.stopWith(`a host write went to the ${backend.name} backend, which the trace does not watch`);
      backend.write(buffer, produce());
      return;
    }
    this.inHostEffect++;
    try {
      write.call(backend, buffer, produce());
    } finally {
      this.inHostEffect--;
    }
    this.calls.push({
      name: 'hostWrite',
      fn: replayWrite,
      self: undefined,
      args: [write, backend, buffer, produce],
    });
  }

  hostCheck(spec: HostCheck): void {
    const reads = new Set<BufferHandle>();
    this.inHostEffect++;
    this.checkReads = reads;
    try {
      runHostCheck(spec);
    } finally {
      this.inHostEffect--;
      this.checkReads = null;
    }
    // A replay checks as an eager step does: at once, or deferred on a backend that reads only asynchronously.
    const check = () => runHostCheck(spec);
    this.calls.push({ name: 'hostCheck', fn: check, self: undefined, args: [], reads });
    this.checks.push(check);
  }

  /** Gives up: the rest of the step runs on the real backends, and the pool's buffers go back to them. */
  private stopWith(reason: string): void {
    if (this.poison !== null) return;
    this.poison = reason;
    this.stop();
    for (const { backend, buffer } of this.takePool()) backend.release(buffer);
  }
}
