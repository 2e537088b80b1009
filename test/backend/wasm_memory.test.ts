/**
 * On the WebAssembly backend a training step in steady state takes nothing new from the system: over
 * 10,000 steps of a small BatchNorm MLP trained with Adam, each step in a scope, the bytes in use, the
 * allocator's high-water mark and the WebAssembly memory itself stay exactly where they were after the
 * first steps (released buffers are recycled by size class).
 */
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { Adam, crossEntropy, Generator, mlp, randint, randn, scope, withBackend } from '../../src/index.js';

describe('memory on the wasm backend', () => {
  it('stays flat over 10,000 training steps', () => {
    const backend = new WasmBackend();
    withBackend(backend, () => {
      const g = new Generator(7);
      const model = mlp({ sizes: [12, 16, 16, 3], activation: 'sigmoid', batchNorm: true });
      const opt = new Adam(model.parameters(), { lr: 1e-3 });
      const x = randn([8, 12], { generator: g });
      const y = randint(0, 3, [8], { generator: g });
      const step = (): number =>
        scope(() => {
          opt.zeroGrad();
          const loss = crossEntropy(model.call(x), y);
          loss.backward();
          opt.step();
          return loss.item();
        });
      const first = step();
      for (let i = 0; i < 20; i++) step();
      const warm = { inUse: backend.bytesInUse(), heap: backend.heapBytes(), memory: backend.memoryBytes() };
      let last = first;
      for (let i = 0; i < 10_000; i++) {
        last = step();
        if (i % 1000 === 999) {
          expect(backend.bytesInUse(), `bytes in use after ${i + 21} steps`).toBe(warm.inUse);
          expect(backend.heapBytes(), `heap high-water mark after ${i + 21} steps`).toBe(warm.heap);
          expect(backend.memoryBytes(), `WebAssembly memory after ${i + 21} steps`).toBe(warm.memory);
        }
      }
      expect(last).toBeLessThan(first); // and it trained
    });
  });
});
