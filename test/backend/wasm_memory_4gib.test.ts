/**
 * The WebAssembly backend's memory from 2 GiB to its 4 GiB limit. Addresses from 2³¹ up are negative
 * as signed 32-bit numbers; a signed shift or an Int32Array-held address once sent every tensor there
 * to the wrong place (`zeros([520e6])` made `tensor([1, 2, 3]).add(1)` read [0, 0, 0]).
 *
 * Each build (scalar, SIMD, relaxed SIMD, and SIMD over a shared memory with a helper thread) runs the
 * same computations three times: at the bottom of a fresh memory, with the heap filled up to just
 * below 2 GiB (so the computation's tensors lie on both sides of the boundary, some across it), and
 * with it filled up to a few MiB below 4 GiB; every result must have the bits of the first run. The
 * filler blocks are allocated and never written, so the system lends no pages for them and each build
 * takes about a second.
 */
import { describe, expect, it } from 'vitest';
import type { BufferHandle } from '../../src/backend/backend.js';
import { closeWasmThreads, createThreadedWasmBackend } from '../../src/backend/wasm/threads_node.js';
import type { HelperPool } from '../../src/backend/wasm/threads_protocol.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import {
  Adagrad,
  argmax,
  conv2d,
  Generator,
  gather,
  gt,
  logSoftmax,
  max,
  maxPool2d,
  mul,
  OutOfMemoryError,
  RMSprop,
  randint,
  randn,
  SGD,
  scope,
  softmax,
  sum,
  tensor,
  transpose,
  where,
  withBackend,
  zeros,
} from '../../src/index.js';
import { training } from '../browser/scenario.js';
import { runnableVariants } from './wasm_helpers.js';

type Result = { label: string; value: ArrayLike<number> & { buffer: ArrayBufferLike } };

const GiB = 2 ** 30;

/**
 * Allocates never-written blocks until the heap's high-water mark is `target` (to 16 bytes): powers
 * of two, which are size classes of their own, so nothing is lost to rounding on the way.
 */
function fillTo(backend: WasmBackend, target: number): BufferHandle[] {
  const blocks: BufferHandle[] = [];
  while (target - backend.heapBytes() >= 16) {
    const gap = target - backend.heapBytes();
    blocks.push(backend.allocate('float32', 2 ** Math.floor(Math.log2(gap)) / 4));
  }
  return blocks;
}

/** The kernels the training steps do not reach: softmax, reductions, strided copies, gather and its
 * scatter, where, im2col/col2im (strided, dilated convolution), 3×3 pooling, three more optimizers. */
function ops(backend: WasmBackend): Result[] {
  return withBackend(backend, () =>
    scope(() => {
      const g = new Generator(11);
      const x = randn([37, 29], { generator: g, requiresGrad: true });
      const index = randint(0, 29, [37, 5], { generator: g });
      const image = randn([2, 3, 13, 11], { generator: g, requiresGrad: true });
      const weight = randn([4, 3, 3, 3], { generator: g, requiresGrad: true });
      const picked = gather(x, 1, index);
      const conv = conv2d(image, weight, null, { stride: 2, dilation: 2, padding: 1 });
      const pooled = maxPool2d(image, 3, { stride: 2 });
      sum(mul(picked, picked))
        .add(sum(mul(conv, conv)))
        .add(sum(pooled))
        .backward();
      const out: Result[] = [
        { label: 'softmax', value: softmax(x, 1).data() },
        { label: 'logSoftmax', value: logSoftmax(x, 0).data() },
        { label: 'transpose', value: transpose(x, 0, 1).contiguous().data() },
        { label: 'sum', value: sum(x, 0).data() },
        { label: 'max', value: max(x, 1).data() },
        { label: 'argmax', value: argmax(x, 1).data() },
        { label: 'where', value: where(gt(x, 0), x, mul(x, 2)).data() },
        { label: 'gather', value: picked.data() },
        { label: 'gather grad', value: x.grad!.data() },
        { label: 'conv', value: conv.data() },
        { label: 'conv input grad', value: image.grad!.data() },
        { label: 'conv weight grad', value: weight.grad!.data() },
        { label: 'pool', value: pooled.data() },
      ];
      for (const [name, make] of [
        ['sgd', (p: ReturnType<typeof randn>[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
        ['rmsprop', (p: ReturnType<typeof randn>[]) => new RMSprop(p, { centered: true, momentum: 0.5 })],
        ['adagrad', (p: ReturnType<typeof randn>[]) => new Adagrad(p, { lr: 0.1 })],
      ] as const) {
        const p = randn([1001], { generator: g, requiresGrad: true });
        const opt = make([p]);
        for (let i = 0; i < 3; i++) {
          opt.zeroGrad();
          sum(mul(p, p)).backward();
          opt.step();
        }
        out.push({ label: name, value: p.data() });
      }
      return out;
    }),
  );
}

function run(backend: WasmBackend): Result[] {
  return [...training(backend), ...ops(backend)];
}

function bytes(r: Result): Uint8Array {
  const v = r.value as unknown as ArrayBufferView;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Labels of the results whose bits differ from `expected`'s. */
function differing(expected: Result[], actual: Result[]): string[] {
  return expected.filter((e, i) => Buffer.compare(bytes(e), bytes(actual[i]!)) !== 0).map((e) => e.label);
}

/** Waits (up to 5 s) for a threaded backend's helper to start, so that it takes chunks too. */
function warm(backend: WasmBackend): void {
  const pool = (backend as unknown as { parallel: HelperPool }).parallel;
  const start = Date.now();
  while (!pool.ready() && Date.now() - start < 5000) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

interface Build {
  name: string;
  variant: 'scalar' | 'simd' | 'relaxed-simd';
  make(): WasmBackend;
  close(backend: WasmBackend): void;
}

const builds: Build[] = [
  ...runnableVariants().map((variant) => ({
    name: variant,
    variant,
    make: () => new WasmBackend({ variant }),
    close: () => {},
  })),
  {
    name: 'simd, shared memory, 2 threads',
    variant: 'simd',
    make: () => {
      const b = createThreadedWasmBackend({ threads: 2, variant: 'simd' });
      warm(b);
      return b;
    },
    close: (b) => closeWasmThreads(b),
  },
];

describe.each(builds)('wasm memory from 2 GiB to 4 GiB ($name)', (build) => {
  it('gives the same bits with its tensors across the 2 GiB boundary and just below 4 GiB', () => {
    const expected = run(new WasmBackend({ variant: build.variant }));
    // Below 2 GiB by less than the MLP's 200 kB input, and 24 MiB below the limit.
    for (const start of [2 ** 31 - 100_000, 4 * GiB - 24 * 2 ** 20]) {
      const backend = build.make();
      try {
        fillTo(backend, start);
        const actual = run(backend);
        expect(backend.heapBytes(), 'the high-water mark after the run').toBeGreaterThan(start + 2 ** 20);
        expect(differing(expected, actual), `results that differ from ${start} bytes up`).toEqual([]);
      } finally {
        build.close(backend);
      }
    }
  });

  it('refuses a tensor past 4 GiB with a message naming it, the memory in use and what to do, and keeps working', () => {
    const backend = build.make();
    try {
      withBackend(backend, () => {
        const first = fillTo(backend, 2 ** 31 + 2 ** 20)[0]!; // the zeros([520e6]), unwritten
        expect(tensor([1, 2, 3]).add(1).toArray()).toEqual([2, 3, 4]);
        fillTo(backend, 3.5 * GiB);
        const state = () => ({
          heap: backend.heapBytes(),
          inUse: backend.bytesInUse(),
          available: backend.availableBytes(),
          memory: backend.memoryBytes(),
        });
        const before = state();
        let error: unknown;
        try {
          zeros([300e6, 2]);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(OutOfMemoryError);
        const message = (error as Error).message;
        expect(message).toMatch(
          /^the wasm backend is out of memory: a float32 tensor of shape \[300000000, 2\] needs 2\.24 GiB/,
        );
        expect(message).toMatch(
          /3\.50 GiB of its 4\.00 GiB \(a 32-bit WebAssembly memory addresses 4 GiB\) is taken/,
        );
        expect(message).toMatch(/scope\(\)/);
        expect(message).toMatch(/smaller batches/);
        expect(message).toMatch(/reference backend/);
        // The failed allocation changed nothing, and the backend still computes correctly.
        expect(state()).toEqual(before);
        expect(tensor([1, 2, 3]).add(1).toArray()).toEqual([2, 3, 4]);
        // A released 2 GiB block serves a smaller request that no longer fits at the top of the heap.
        backend.release(first);
        const again = backend.allocate('float32', 300e6, [300e6]) as unknown as { ptr: number };
        expect(again.ptr).toBe((first as unknown as { ptr: number }).ptr);
      });
    } finally {
      build.close(backend);
    }
  });
});
