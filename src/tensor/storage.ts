/**
 * Storage and its lifetime.
 *
 * A Storage is one backend buffer; tensors are views onto it (shape, strides, offset), and several
 * views may share one storage. Memory outside the JavaScript heap (WebAssembly, GPU) is not reclaimed
 * by the garbage collector in time, so storages are released deterministically by scopes:
 *
 * - `scope(fn)` runs fn; every storage allocated inside it is released when it returns, except the
 *   storages of the tensors fn returns and those passed to `keep()`. These move to the enclosing scope.
 * - The trainer runs each training step in a scope, so users of the training API never dispose anything.
 * - Outside any scope a storage lives until `dispose()` or until its last tensor is garbage-collected
 *   (a FinalizationRegistry is the safety net, not the mechanism).
 * - Gradients of leaf tensors are owned by the leaf: backward writes them into the leaf's existing
 *   `.grad` buffer in place, so a steady-state training step allocates nothing that outlives it.
 *
 * Using a tensor whose storage was released throws an error that says so.
 */
import type { Backend, BufferHandle } from '../backend/backend.js';
import type { DType } from './dtype.js';

interface Held {
  backend: Backend;
  buffer: BufferHandle;
}

const finalizer = new FinalizationRegistry<Held>((held) => {
  releaseListener?.(held.buffer);
  held.backend.release(held.buffer);
});

let releaseListener: ((buffer: BufferHandle) => void) | null = null;

/**
 * Installs the function told of every buffer a storage hands back to its backend (null removes it).
 * A captured step (src/capture/) replays kernels on buffers it does not own, parameters and their
 * gradients among them; this is how it learns that one of them was freed (a gradient dropped, a
 * layer replaced) and that it must trace again.
 */
export function setReleaseListener(listener: ((buffer: BufferHandle) => void) | null): void {
  releaseListener = listener;
}

export class Storage {
  released = false;
  scope: Scope | null = null;
  /** Whether the safety net holds it: only storages outside every scope need it. */
  private guarded = false;

  /**
   * A borrowed storage (`borrowed` true) wraps a buffer that something else owns, a captured step's
   * result buffers: no scope adopts it, no finalizer frees it, and `release()` only ends its use (the
   * tensors over it throw from then on) without handing the buffer back.
   */
  constructor(
    readonly backend: Backend,
    readonly buffer: BufferHandle,
    readonly borrowed = false,
  ) {
    if (borrowed) return;
    const top = scopes[scopes.length - 1];
    if (top) top.adopt(this);
    else this.guard();
  }

  /**
   * Registers with the FinalizationRegistry. A scope releases what it owns deterministically, so a
   * storage is registered only once it lives outside every scope (registering costs about as much as
   * the rest of a small op, and a training step creates hundreds of temporaries).
   */
  guard(): void {
    if (this.guarded || this.released || this.borrowed) return;
    this.guarded = true;
    finalizer.register(this, { backend: this.backend, buffer: this.buffer }, this);
  }

  get dtype(): DType {
    return this.buffer.dtype;
  }

  get length(): number {
    return this.buffer.length;
  }

  release(): void {
    if (this.released) return;
    this.detach();
    if (this.borrowed) return;
    releaseListener?.(this.buffer);
    this.backend.release(this.buffer);
  }

  /**
   * Gives the buffer up without releasing it: a captured step takes over the buffers of the tensors
   * its traced step returned (it reuses them at every replay). This storage and its tensors are dead
   * from now on, as after `release()`.
   */
  relinquish(): void {
    if (!this.released) this.detach();
  }

  private detach(): void {
    this.released = true;
    if (this.guarded) finalizer.unregister(this);
    this.guarded = false;
    this.scope?.storages.delete(this);
    this.scope = null;
  }
}

class Scope {
  readonly storages = new Set<Storage>();

  adopt(s: Storage): void {
    s.scope?.storages.delete(s);
    s.scope = this;
    this.storages.add(s);
  }

  /** Detaches a storage from this scope: it moves to `parent`, or becomes unscoped when there is none. */
  promote(s: Storage, parent: Scope | undefined): void {
    if (s.scope !== this) return;
    this.storages.delete(s);
    s.scope = null;
    if (parent) parent.adopt(s);
    else s.guard();
  }
}

const scopes: Scope[] = [];

/** Anything that holds tensors: a tensor, or arrays and plain objects of them, nested. */
interface HasStorage {
  readonly storage: Storage;
}

function collect(value: unknown, out: Set<Storage>, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if ('storage' in value && (value as HasStorage).storage instanceof Storage) {
    out.add((value as HasStorage).storage);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map) {
    const values = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const v of values) collect(v, out, depth + 1);
  }
}

/**
 * Runs fn in a new memory scope. Storages allocated inside are released when fn returns, except those
 * reachable from its result (a tensor, or arrays/plain objects/Maps of tensors) and those kept with
 * `keep()`; these belong to the enclosing scope afterwards.
 */
export function scope<T>(fn: () => T): T {
  const s = new Scope();
  scopes.push(s);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    for (const storage of [...s.storages]) storage.release();
    throw error;
  }
  scopes.pop();
  if (result instanceof Promise) {
    throw new TypeError(
      'scope: fn must be synchronous; await outside the scope and run each synchronous step inside one',
    );
  }
  const parent = scopes[scopes.length - 1];
  const keepers = new Set<Storage>();
  collect(result, keepers);
  for (const storage of [...s.storages]) {
    if (keepers.has(storage)) s.promote(storage, parent);
    else storage.release();
  }
  return result;
}

/** Whether `storage` belongs to the innermost open scope: made there, and not kept out of it. */
export function inCurrentScope(storage: Storage): boolean {
  const current = scopes[scopes.length - 1];
  return current !== undefined && storage.scope === current;
}

/** Takes a tensor's storage out of the current scope so that it outlives it (it becomes unscoped). */
export function keepStorage(storage: Storage): void {
  storage.scope?.promote(storage, undefined);
}

/**
 * The opposite of `keepStorage` for memory something owned until now (a gradient that `.grad` held
 * and no longer does): the current scope adopts it and releases it when it ends, so references taken
 * during the step stay valid until then. Outside any scope it stays unscoped, freed when collected.
 */
export function disownStorage(storage: Storage): void {
  const current = scopes[scopes.length - 1];
  if (current !== undefined && storage.scope === null && !storage.released && !storage.borrowed) {
    current.adopt(storage);
  }
}
