/**
 * The thread policy (src/backend/wasm/thread_policy.ts): which kernels the WebAssembly backend shares
 * with its helper threads, with how many, and in what chunks. Small products stay on the calling
 * thread (sharing them made the course's network slower on two threads than on one); chunks hold
 * whole tiles and cover every item; and the backend follows the policy for products and convolutions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MatmulSpec } from '../../src/backend/backend.js';
import {
  convolutionShare,
  productShare,
  shareOf,
  threadPolicy,
} from '../../src/backend/wasm/thread_policy.js';
import { type ParallelKernels, WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { conv2d, Generator, randn, scope, withBackend } from '../../src/index.js';

describe('the thread policy', () => {
  it("keeps the course network's 100-wide products on the calling thread and shares its 784-wide ones", () => {
    // 784-100-100-100-10 at batch 64: the hidden layers' products are 0.64 million multiply-adds.
    expect(productShare({ m: 64, n: 100, k: 100 }, 2)).toBeNull();
    expect(productShare({ m: 100, n: 100, k: 64 }, 2)).toBeNull();
    expect(productShare({ m: 64, n: 10, k: 100 }, 2)).toBeNull();
    // The first layer's forward product and weight gradient: 5 million each.
    expect(productShare({ m: 64, n: 100, k: 784 }, 2)).toEqual({ threads: 2, chunk: 16 });
    expect(productShare({ m: 100, n: 784, k: 64 }, 2)).toEqual({ threads: 2, chunk: 28 });
  });

  it('gives each taking thread at least a million multiply-adds, so a larger pool may take part only in part', () => {
    // 2.1 million: two threads' worth, on a pool of eight.
    expect(productShare({ m: 256, n: 64, k: 128 }, 8)).toEqual({ threads: 2, chunk: 64 });
    // 784-512-512-10 at batch 128: every hidden product is shared by the whole pool of four.
    expect(productShare({ m: 128, n: 512, k: 784 }, 4)).toEqual({ threads: 4, chunk: 16 });
    // Just under two threads' worth stays on the caller.
    expect(productShare({ m: 64, n: 64, k: 511 }, 2)).toBeNull();
  });

  it('keeps a product of few rows on the calling thread whatever its size', () => {
    // 12 rows: fewer than 8 rows for each of two threads.
    expect(productShare({ m: 12, n: 4096, k: 4096 }, 2)).toBeNull();
    expect(productShare({ m: 16, n: 4096, k: 4096 }, 4)).toEqual({ threads: 2, chunk: 4 });
  });

  it('splits a product into chunks of whole 4-row tiles that cover every row, at most two per thread', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 64 }),
        (m, n, k, pool) => {
          const share = productShare({ m, n, k }, pool);
          const macs = m * n * k;
          const worthTwo =
            pool >= 2 && macs >= 2 * threadPolicy.minMacsPerThread && m >= 2 * threadPolicy.minRowsPerThread;
          expect(share !== null, `${m}×${n}×${k} on ${pool}`).toBe(worthTwo);
          if (share === null) return;
          expect(share.threads).toBeGreaterThanOrEqual(2);
          expect(share.threads).toBeLessThanOrEqual(pool);
          expect(share.chunk % 4).toBe(0);
          expect(Math.ceil(m / share.chunk)).toBeLessThanOrEqual(
            share.threads * threadPolicy.chunksPerThread,
          );
          expect(m / share.threads).toBeGreaterThanOrEqual(threadPolicy.minRowsPerThread);
          expect(macs / share.threads).toBeGreaterThanOrEqual(threadPolicy.minMacsPerThread);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("splits a weight gradient's output channels in the kernel's blocks of three", () => {
    // LeNet-5's second convolution at batch 64: 16 output channels, 15 million multiply-adds.
    expect(convolutionShare({ macs: 15_360_000, items: 16, multiple: 3 }, 2)).toEqual({
      threads: 2,
      chunk: 6,
    });
    // Its first: 6 output channels, two blocks, one per thread.
    expect(convolutionShare({ macs: 7_526_400, items: 6, multiple: 3 }, 4)).toEqual({
      threads: 2,
      chunk: 3,
    });
    // Three channels are one block: nothing to split.
    expect(convolutionShare({ macs: 1e9, items: 3, multiple: 3 }, 4)).toBeNull();
  });

  it('needs two images per taking thread to split a convolution by images', () => {
    expect(convolutionShare({ macs: 1e9, items: 3 }, 2)).toBeNull();
    expect(convolutionShare({ macs: 1e9, items: 64 }, 2)).toEqual({ threads: 2, chunk: 16 });
    expect(shareOf({ macs: 1e9, items: 64, minItems: 2 }, 1)).toBeNull();
  });
});

/** A pool that computes nothing and records what it was handed (the policy's decisions). */
class RecordingPool implements ParallelKernels {
  readonly calls: { kind: number; total: number; size: number }[] = [];
  constructor(readonly threads: number) {}
  run(task: readonly number[], total: number, size: number): void {
    this.calls.push({ kind: task[0]!, total, size });
  }
}

function matmul(backend: WasmBackend, m: number, n: number, k: number): void {
  const a = backend.allocate('float32', m * k);
  const b = backend.allocate('float32', k * n);
  const o = backend.allocate('float32', m * n);
  const spec: MatmulSpec = {
    m,
    n,
    k,
    transA: false,
    transB: false,
    batchShape: [],
    aBatchStrides: [],
    bBatchStrides: [],
  };
  backend.matmul(
    { buffer: a, shape: [m * k], strides: [1], offset: 0 },
    { buffer: b, shape: [k * n], strides: [1], offset: 0 },
    spec,
    o,
  );
  for (const h of [a, b, o]) backend.release(h);
}

describe('the WebAssembly backend follows the thread policy', () => {
  it('hands the pool only the products the policy shares, in its chunks of rows', () => {
    const backend = new WasmBackend({ variant: 'simd' });
    const pool = new RecordingPool(2);
    backend.setParallelKernels(pool);
    matmul(backend, 64, 100, 100);
    expect(pool.calls).toEqual([]);
    matmul(backend, 64, 100, 784);
    expect(pool.calls).toEqual([{ kind: 0, total: 64, size: 16 }]);
  });

  it("hands the pool LeNet-5's convolutions by images and by blocks of output channels", () => {
    const backend = new WasmBackend({ variant: 'simd' });
    const pool = new RecordingPool(2);
    backend.setParallelKernels(pool);
    withBackend(backend, () =>
      scope(() => {
        const g = new Generator(5);
        const x = randn([64, 6, 14, 14], { generator: g }).requiresGrad_();
        const w = randn([16, 6, 5, 5], { generator: g }).requiresGrad_();
        conv2d(x, w).sum().backward();
      }),
    );
    // Forward and input gradient by images (16 a chunk), the weight gradient by channels (6 a chunk).
    // (In whatever order autograd runs the two gradients.)
    expect([...pool.calls].sort((a, b) => a.kind - b.kind)).toEqual([
      { kind: 1, total: 64, size: 16 },
      { kind: 2, total: 64, size: 16 },
      { kind: 3, total: 16, size: 6 },
    ]);
  });
});
