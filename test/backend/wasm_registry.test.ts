/**
 * The WebAssembly backend is the default backend, set up synchronously at import; the asynchronous
 * path that browsers' main threads need (`WasmBackend.load`, `initWasmBackend`) gives the same backend.
 */
import { describe, expect, it } from 'vitest';
import {
  getBackend,
  initWasmBackend,
  ReferenceBackend,
  setBackend,
  tensor,
  WasmBackend,
  withBackend,
} from '../../src/index.js';

describe('the default backend', () => {
  it.skipIf(process.env.DESCENT_BACKEND === 'reference')(
    'is the WebAssembly backend, with the fastest build the runtime validates',
    () => {
      const backend = getBackend();
      expect(backend).toBeInstanceOf(WasmBackend);
      expect(['relaxed-simd', 'simd', 'scalar']).toContain((backend as WasmBackend).variant);
      expect(tensor([1, 2, 3]).backend).toBe(backend);
    },
  );

  it('initWasmBackend keeps a WebAssembly default, and replaces a reference one', async () => {
    const wasm = getBackend();
    expect(await initWasmBackend()).toBe(wasm);
    const previous = setBackend(new ReferenceBackend());
    try {
      const loaded = await initWasmBackend();
      expect(loaded).toBeInstanceOf(WasmBackend);
      expect(getBackend()).toBe(loaded);
      expect(tensor([1, 4, 9]).sqrt().toArray()).toEqual([1, 2, 3]);
    } finally {
      setBackend(previous);
    }
  });

  it('WasmBackend.load compiles asynchronously and computes what the synchronous one does', async () => {
    const loaded = await WasmBackend.load({ variant: 'simd' });
    const sync = new WasmBackend({ variant: 'simd' });
    const run = () =>
      tensor([
        [0.5, -1.25],
        [2, 3],
      ])
        .matmul(
          tensor([
            [1, 2],
            [3, 4],
          ]),
        )
        .exp()
        .sum()
        .item();
    expect(withBackend(loaded, run)).toBe(withBackend(sync, run));
  });
});
