/**
 * A backend that reads only asynchronously, as a GPU does: the reference backend without `read`, its
 * `readAsync` resolving on a later macrotask (so nothing can lean on the promise being settled at
 * once). It counts its reads, so a test can prove that a loop reads rarely (the trainer: at epoch ends
 * and every `logEvery` steps, never per step).
 *
 * Every other member is the reference backend's, looked up on each access (a Proxy, not a list of
 * methods), so the helper keeps working as the Backend interface grows optional kernels.
 */
import { type Backend, ReferenceBackend } from '../../src/index.js';

export interface AsyncOnlyBackend extends Backend {
  /** Calls of `readAsync` so far. */
  readonly reads: number;
}

export function asyncOnlyBackend(name = 'async-only'): AsyncOnlyBackend {
  const inner = new ReferenceBackend();
  let reads = 0;
  const readAsync: Backend['readAsync'] = (buffer) => {
    reads += 1;
    const data = inner.read(buffer);
    return new Promise((resolve) => setTimeout(() => resolve(data), 0));
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'read') return undefined;
      if (key === 'readAsync') return readAsync;
      if (key === 'name') return name;
      if (key === 'reads') return reads;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has(target, key) {
      return key !== 'read' && (key === 'reads' || Reflect.has(target, key));
    },
  }) as unknown as AsyncOnlyBackend;
}
