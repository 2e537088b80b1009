/**
 * The messages between the blocking WebGPU backend (blocking_backend.ts, on the calling thread) and its
 * worker (bridge_worker.ts, which owns the real WebGpuBackend). Node only.
 *
 * The calling thread names every buffer by a number it assigns itself, so `allocate` returns at once;
 * a call's arguments travel with each BufferHandle replaced by `{ [BUFFER_ID]: id }` (Views, spec
 * objects and arrays are walked), and the worker swaps its own handles back in. Calls are posted in
 * batches; a batch may end with a request (read, flush) that the worker answers when it has run every
 * call before it. Synchronous answers go through a MessagePort the calling thread drains with
 * receiveMessageOnPort after Atomics.wait on a shared flag; asynchronous ones through the worker's
 * ordinary messages.
 */
import type { DType, TypedArray } from '../../../tensor/dtype.js';
import type { Precision } from '../../precision.js';

/** The key that marks an encoded buffer handle in a call's arguments. */
export const BUFFER_ID = '__descentBufferId';

/** A backend method called with its (encoded) arguments. */
export interface MethodCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** `allocate` and `release` carry the calling thread's id of the buffer. */
export type Call =
  | MethodCall
  | { readonly method: 'allocate'; readonly id: number; readonly dtype: DType; readonly length: number }
  | { readonly method: 'release'; readonly id: number };

/** What a batch asks for once its calls have run. */
export type Request =
  | { readonly kind: 'read'; readonly id: number; readonly sync: true }
  | { readonly kind: 'read'; readonly id: number; readonly sync: false; readonly token: number }
  | { readonly kind: 'flush'; readonly sync: true };

export interface Batch {
  readonly type: 'batch';
  readonly calls: readonly Call[];
  readonly request?: Request;
}

/** The worker's error, rebuilt as an Error on the calling thread. */
export interface RemoteError {
  readonly name: string;
  readonly message: string;
  /** The backend method whose call threw (or 'read', 'flush'). */
  readonly kernel: string;
}

/** The answer to a request. */
export type Reply =
  | { readonly ok: true; readonly data?: TypedArray; readonly token?: number }
  | { readonly ok: false; readonly error: RemoteError; readonly token?: number };

/** The worker's first message: what the backend is, or why there is none. */
export type InitReply =
  | {
      readonly type: 'ready';
      readonly name: string;
      readonly adapterName: string;
      readonly precision: Precision;
      /** The dtypes the backend stores. */
      readonly dtypes: readonly DType[];
      /** The fused kernels the worker's backend has (only these become methods). */
      readonly fused: readonly string[];
    }
  | { readonly type: 'failed'; readonly error: RemoteError };

/** Replaces every BufferHandle in `value` by its id (`idOf` returns undefined for other objects). */
export function encodeArgs(value: unknown, idOf: (x: object) => number | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  const id = idOf(value);
  if (id !== undefined) return { [BUFFER_ID]: id };
  if (Array.isArray(value)) return value.map((v) => encodeArgs(v, idOf));
  if (ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encodeArgs(v, idOf);
  return out;
}

/** The inverse of encodeArgs on the worker: `handle(id)` gives the worker's buffer for an id. */
export function decodeArgs(value: unknown, handle: (id: number) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => decodeArgs(v, handle));
  if (ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  if (BUFFER_ID in record) return handle(record[BUFFER_ID] as number);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decodeArgs(v, handle);
  return out;
}

/** An error from the worker as a thrown Error on the calling thread, naming the kernel. */
export function rebuildError(remote: RemoteError, options: { bare?: boolean } = {}): Error {
  // bare: the message as the worker had it (the adapter's own explanation when there is no GPU).
  const message = options.bare ? remote.message : `webgpu worker: ${remote.kernel} failed: ${remote.message}`;
  const Kind = remote.name === 'TypeError' ? TypeError : remote.name === 'RangeError' ? RangeError : Error;
  const error = new Kind(message);
  if (error.name !== remote.name) Object.defineProperty(error, 'name', { value: remote.name });
  return error;
}

/** An Error (or anything thrown) as a RemoteError. */
export function toRemoteError(error: unknown, kernel: string): RemoteError {
  if (error instanceof Error) return { name: error.name, message: error.message, kernel };
  return { name: 'Error', message: String(error), kernel };
}
