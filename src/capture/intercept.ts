/**
 * Shadowing a backend's methods while a step is traced.
 *
 * The tracer must see every call the step makes to the backend, whatever the kernel and however its
 * arguments are shaped (positional numbers or spec objects), without knowing each kernel: so it
 * replaces every method of the backend instance by a wrapper for the duration of the trace and
 * restores them afterwards. Only calls from outside the backend count: a kernel that calls another
 * of the backend's methods (`linear` calling `matmul`) is one call, replayed as one.
 */
import type { Backend } from '../backend/backend.js';

/** A backend method as the tracer calls it: with the backend as `this`. */
export type Method = (this: Backend, ...args: unknown[]) => unknown;

/** What the tracer does with one call from outside the backend; it calls `original` itself when it should run. */
export type CallHandler = (backend: Backend, name: string, original: Method, args: unknown[]) => unknown;

/** A backend's methods as they were before interception, by name; `restore()` puts them back. */
export interface Interception {
  readonly backend: Backend;
  readonly originals: ReadonlyMap<string, Method>;
  restore(): void;
}

/** The names of the backend's methods: its own function properties and its classes' (not getters). */
function methodNames(backend: Backend): string[] {
  const names = new Set<string>();
  for (let o: object | null = backend; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (name !== 'constructor' && d !== undefined && typeof d.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** Routes every outside call of `backend`'s methods through `handler` until `restore()`. */
export function intercept(backend: Backend, handler: CallHandler): Interception {
  const target = backend as unknown as Record<string, unknown>;
  const originals = new Map<string, Method>();
  const ownBefore = new Map<string, unknown>();
  let depth = 0;
  for (const name of methodNames(backend)) {
    const original = target[name] as Method;
    // A backend may hide a method its class has (a wrapper without `read`, as a GPU reads only asynchronously).
    if (typeof original !== 'function') continue;
    originals.set(name, original);
    if (Object.hasOwn(target, name)) ownBefore.set(name, original);
    target[name] = function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0) return original.apply(backend, args);
      depth++;
      try {
        return handler(backend, name, original, args);
      } finally {
        depth--;
      }
    };
  }
  let restored = false;
  return {
    backend,
    originals,
    restore(): void {
      if (restored) return;
      restored = true;
      for (const name of originals.keys()) {
        if (ownBefore.has(name)) target[name] = ownBefore.get(name);
        else delete target[name];
      }
    },
  };
}
