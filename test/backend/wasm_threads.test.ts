/**
 * Matrix products and direct convolutions on worker threads (descent/node's useWasmThreads): the result
 * is bit-identical to the single-threaded backend's for every thread count, every transpose
 * combination, row, image and channel counts that do not split evenly; and a whole training step gives
 * the same bits too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MatmulSpec } from '../../src/backend/backend.js';
import { closeWasmThreads, createThreadedWasmBackend } from '../../src/backend/wasm/threads_node.js';
import type { HelperPool } from '../../src/backend/wasm/threads_protocol.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { conv2d, Generator, randn, scope, withBackend } from '../../src/index.js';
import { training } from '../browser/scenario.js';
import { rng } from './wasm_helpers.js';

const single = new WasmBackend({ variant: 'simd' });
const threaded = [2, 3, 4].map((threads) => createThreadedWasmBackend({ threads, variant: 'simd' }));
afterAll(() => {
  for (const b of threaded) closeWasmThreads(b);
});

/** Waits (synchronously, up to 5 s) until the workers have started, so that they take part. */
function warm(backend: WasmBackend): void {
  const pool = (backend as unknown as { parallel: HelperPool }).parallel;
  const start = Date.now();
  while (!pool.ready() && Date.now() - start < 5000) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

function product(
  backend: WasmBackend,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): number[] {
  const r = rng(m * 131 + n * 7 + k);
  const a = backend.allocate('float32', m * k);
  const b = backend.allocate('float32', k * n);
  backend.write(
    a,
    Float32Array.from({ length: m * k }, () => r() * 2 - 1),
  );
  backend.write(
    b,
    Float32Array.from({ length: k * n }, () => r() * 2 - 1),
  );
  const o = backend.allocate('float32', m * n);
  const spec: MatmulSpec = { m, n, k, transA, transB, batchShape: [], aBatchStrides: [], bBatchStrides: [] };
  backend.matmul(
    { buffer: a, shape: [m * k], strides: [1], offset: 0 },
    { buffer: b, shape: [k * n], strides: [1], offset: 0 },
    spec,
    o,
  );
  const out = Array.from(backend.read!(o));
  for (const h of [a, b, o]) backend.release(h);
  return out;
}

describe('matrix products on worker threads', () => {
  it('give the same bits for 1, 2, 3 and 4 threads, with the helper threads taking part', () => {
    for (const b of threaded) warm(b);
    expect(threaded.map((b) => b.threads)).toEqual([2, 3, 4]);
    const helperTotal = (b: WasmBackend) =>
      (b as unknown as { parallel: HelperPool }).parallel.helperChunks().reduce((x, y) => x + y, 0);
    const before = threaded.map(helperTotal);
    for (const [m, n, k] of [
      [257, 33, 100],
      [64, 100, 784],
      [100, 784, 64],
      [37, 37, 257],
      [130, 9, 1000],
      // Large enough for every thread of a pool of four (thread_policy.ts: a million multiply-adds each).
      [257, 256, 300],
    ] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const expected = product(single, m, n, k, transA, transB);
          for (const b of threaded) {
            expect(
              product(b, m, n, k, transA, transB),
              `${b.threads} threads ${m}×${n}×${k} ${transA} ${transB}`,
            ).toEqual(expected);
          }
        }
      }
    }
    // Every pool's helpers computed product chunks: equal bits are not from the caller doing it all.
    threaded.forEach((b, i) => {
      expect(helperTotal(b), `${b.threads} threads: chunks the helpers computed`).toBeGreaterThan(before[i]!);
    });
  });

  it('direct convolutions (forward, input and weight gradients) give the same bits for 1 to 4 threads', () => {
    for (const b of threaded) warm(b);
    const pool = (threaded[2] as unknown as { parallel: HelperPool }).parallel;
    const chunksBefore = pool.helperChunks().reduce((a, b) => a + b, 0);
    const convolve = (backend: WasmBackend, shape: number[], outChannels: number, padding: number) =>
      withBackend(backend, () =>
        scope(() => {
          const g = new Generator(shape[0]! * 31 + outChannels);
          const x = randn(shape, { generator: g }).requiresGrad_();
          const w = randn([outChannels, shape[1]!, 5, 5], { generator: g }).requiresGrad_();
          const b = randn([outChannels], { generator: g }).requiresGrad_();
          const y = conv2d(x, w, b, { padding });
          y.mul(randn(y.shape, { generator: g }))
            .sum()
            .backward();
          return [y, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data()));
        }),
      );
    for (const [shape, outChannels, padding] of [
      [[16, 1, 28, 28], 6, 2],
      [[13, 6, 14, 14], 16, 0],
      [[9, 3, 9, 11], 7, 1],
      // 7.9 million multiply-adds over 33 images: split over all four threads.
      [[33, 3, 20, 20], 8, 2],
    ] as const) {
      const expected = convolve(single, [...shape], outChannels, padding);
      for (const b of threaded) {
        expect(convolve(b, [...shape], outChannels, padding), `${b.threads} threads ${shape}`).toEqual(
          expected,
        );
      }
    }
    // The helpers took convolution chunks (which thread takes which is up to the scheduler).
    expect(pool.helperChunks().reduce((a, b) => a + b, 0)).toBeGreaterThan(chunksBefore);
  });

  it('training steps (an MLP with batch norm, LeNet-5) give the same bits on one thread and on several', () => {
    // The browser scenario's training: its losses, then every parameter.
    const expected = training(single);
    expect(training(threaded[1]!)).toEqual(expected);
  });
});
