/** Which backend new tensors are created on. */
import type { Backend } from './backend.js';
import { ReferenceBackend } from './reference/reference_backend.js';

let current: Backend = new ReferenceBackend();

export function getBackend(): Backend {
  return current;
}

/** Makes `backend` the default for tensors created from now on; returns the previous one. */
export function setBackend(backend: Backend): Backend {
  if (backend === null || typeof backend !== 'object' || typeof backend.allocate !== 'function') {
    throw new TypeError('setBackend: expected a Backend object (for example new ReferenceBackend())');
  }
  const previous = current;
  current = backend;
  return previous;
}

/** Runs fn with `backend` as the default, restoring the previous default afterwards. */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const previous = setBackend(backend);
  try {
    return fn();
  } finally {
    current = previous;
  }
}
