/**
 * The thread protocol shared by Node's and the browser's pools (threads_protocol.ts): the caller that
 * may not block (a browser's main thread) spins instead, with the same bits; the helpers take part;
 * thread counts and contexts without workers are refused with messages that say why. The browser pool
 * itself runs in headless Chromium: `npm run test:browser` (test/browser/run.mjs).
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createWebWorkerWasmBackend } from '../../src/backend/wasm/threads_browser.js';
import { closeWasmThreads, createThreadedWasmBackend } from '../../src/backend/wasm/threads_node.js';
import {
  canBlock,
  closeHelpers,
  HelperPool,
  helperSource,
  threadCount,
} from '../../src/backend/wasm/threads_protocol.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { product } from '../browser/scenario.js';

/** A pool of Node workers whose caller spins on Atomics.load, as on a browser's main thread. */
function spinningBackend(helpers: number): { backend: WasmBackend; pool: HelperPool } {
  const backend = new WasmBackend({ variant: 'simd', sharedMemory: true });
  const source = `
const { workerData } = require('node:worker_threads');
${helperSource}
serve(workerData.module, workerData.memory, workerData.control, workerData.slot, () => {});
`;
  const pool = new HelperPool(
    backend,
    helpers,
    (slot, control) => {
      const worker = new Worker(source, {
        eval: true,
        workerData: { module: backend.module, memory: backend.memory, control, slot },
      });
      worker.unref();
      return worker;
    },
    false,
  );
  backend.setParallelKernels(pool);
  return { backend, pool };
}

async function ready(pool: HelperPool): Promise<void> {
  const start = Date.now();
  while (!pool.ready() && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 10));
}

const single = new WasmBackend({ variant: 'simd' });
const spinning = spinningBackend(2);
const blocking = createThreadedWasmBackend({ threads: 3, variant: 'simd' });
afterAll(() => {
  closeHelpers(spinning.backend);
  closeWasmThreads(blocking);
});

describe('the thread protocol', () => {
  it('Node threads may block; the caller blocks there by default', () => {
    expect(canBlock()).toBe(true);
  });

  it('a caller that spins instead of blocking gets the same bits, and the helpers take part', async () => {
    await ready(spinning.pool);
    const pool = (blocking as unknown as { parallel: HelperPool }).parallel;
    await ready(pool);
    for (const [m, n, k] of [
      [300, 64, 129],
      [37, 37, 257],
    ] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const expected = product(single, m, n, k, transA, transB);
          expect(product(spinning.backend, m, n, k, transA, transB)).toEqual(expected);
          expect(product(blocking, m, n, k, transA, transB)).toEqual(expected);
        }
      }
    }
    // Which thread takes a chunk is up to the scheduler; over 16 products some go to the helpers.
    expect(spinning.pool.helperChunks().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(pool.helperChunks().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('helpers that sleep at once and helpers that spin between tasks give the same bits', async () => {
    const pool = (blocking as unknown as { parallel: HelperPool }).parallel;
    await ready(pool);
    expect(pool.spin).toBe(50);
    const expected = product(single, 300, 64, 129, false, true);
    const before = pool.helperChunks().reduce((a, b) => a + b, 0);
    try {
      for (const spin of [0, 2000]) {
        pool.spin = spin;
        for (let i = 0; i < 4; i++) expect(product(blocking, 300, 64, 129, false, true)).toEqual(expected);
      }
    } finally {
      pool.spin = 50;
    }
    expect(pool.helperChunks().reduce((a, b) => a + b, 0)).toBeGreaterThan(before);
  });

  it('closing the helpers leaves a backend that computes on the calling thread', () => {
    const { backend } = spinningBackend(1);
    closeHelpers(backend);
    expect(backend.threads).toBe(1);
    expect(product(backend, 64, 64, 64, true, false)).toEqual(product(single, 64, 64, 64, true, false));
  });

  it('checks the thread count', () => {
    expect(threadCount('useWasmThreads', {}, 8)).toBe(8);
    expect(threadCount('useWasmThreads', {}, 256)).toBe(64);
    expect(() => threadCount('useWasmThreads', { threads: 0 }, 8)).toThrow(
      'useWasmThreads: threads must be a positive integer, got 0',
    );
    expect(() => threadCount('useWebWorkerThreads', { threads: 2.5 }, 8)).toThrow(
      'useWebWorkerThreads: threads must be a positive integer, got 2.5',
    );
    expect(() => createThreadedWasmBackend({ threads: 65 })).toThrow(
      'useWasmThreads: at most 64 threads, got 65',
    );
  });

  it('useWebWorkerThreads says what is missing where there are no Web Workers', async () => {
    await expect(createWebWorkerWasmBackend({ threads: 2 })).rejects.toThrow(
      'useWebWorkerThreads: this context has no Web Workers (Worker is not defined)',
    );
  });

  it('useWebWorkerThreads names the headers a page without cross-origin isolation lacks', async () => {
    vi.stubGlobal('Worker', class {});
    vi.stubGlobal('crossOriginIsolated', false);
    try {
      const error = await createWebWorkerWasmBackend({ threads: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/crossOriginIsolated is false here/);
      expect((error as Error).message).toContain(
        "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'",
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
