/**
 * Worker threads for the WebAssembly backend (Node only; exported from descent/node).
 *
 * The backend's tensors live in a shared WebAssembly.Memory; each worker instantiates the same kernel
 * module over it. A matrix product is split into chunks of rows: the calling thread writes the task
 * into a control block in that memory, wakes the workers with Atomics.notify, takes chunks from an
 * atomic counter along with them, and then waits with Atomics.wait for the chunks still in progress —
 * the kernels stay synchronous calls. Each thread packs into its own scratch block, and every element
 * of C is the same sequential sum whoever computes it, so the result is bit-identical for any number
 * of threads.
 *
 * Workers start asynchronously and take part once they run. They are unref'd, so they never keep a
 * process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { setBackend } from '../registry.js';
import type { WasmVariant } from './features.js';
import { type ParallelGemm, WasmBackend } from './wasm_backend.js';

/** Rows of one micro-kernel tile (assembly/gemm.ts): chunks are multiples of it. */
const MR = 4;
const MAX_WORKERS = 63;

// Control block layout, in 32-bit words.
const TASK = 0; // transA, transB, n, k, a, lda, b, ldb, c, ldc
const GENERATION = 10; // bumped (and notified) for each product; −1 stops the workers
const NEXT = 11; // the next chunk to take (Atomics.add); CLOSED once the caller has finished
const CHUNKS = 12;
const CHUNK_ROWS = 13;
const M = 14;
const DONE = 15; // chunks of the current product finished, by any thread
const SLOTS = 16; // then per worker: scratch address, ready flag
const SLOT = 2;
const WORDS = SLOTS + SLOT * MAX_WORKERS;
const CLOSED = 1 << 30;

// The worker's program (CommonJS, evaluated). A worker that wakes late, or for a product that has
// already been finished, finds the chunk counter closed and goes back to sleep; one that takes a
// chunk reads the task only after taking it, and the caller rewrites the task only once every chunk
// is done, so the task it reads is the one its chunk belongs to.
const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const w = new Int32Array(memory.buffer, control, ${WORDS});
const mine = ${SLOTS} + slot * ${SLOT};
Atomics.store(w, mine + 1, 1);
let seen = Atomics.load(w, ${GENERATION});
for (;;) {
  Atomics.wait(w, ${GENERATION}, seen);
  seen = Atomics.load(w, ${GENERATION});
  if (seen < 0) break;
  for (;;) {
    const chunk = Atomics.add(w, ${NEXT}, 1);
    const chunks = Atomics.load(w, ${CHUNKS});
    if (chunk >= chunks) break;
    const rows = w[${CHUNK_ROWS}];
    const i0 = chunk * rows;
    k.gemmRows(w[0], w[1], i0, Math.min(w[${M}], i0 + rows), w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[mine]);
    if (Atomics.add(w, ${DONE}, 1) + 1 === chunks) Atomics.notify(w, ${DONE});
  }
}
`;

/**
 * Row chunks handed out through an atomic counter: the calling thread works through them too, so a
 * worker that the operating system has not scheduled delays nothing — on a busy machine the caller
 * simply does more of the chunks. Which thread computes a chunk does not change its bits.
 */
class WorkerPool implements ParallelGemm {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array;

  constructor(
    private readonly backend: WasmBackend,
    helpers: number,
  ) {
    if (backend.module === null)
      throw new Error('useWasmThreads: the backend has no compiled module to share');
    if (helpers > MAX_WORKERS) throw new RangeError(`useWasmThreads: at most ${MAX_WORKERS + 1} threads`);
    this.threads = helpers + 1;
    // Scratch slot 64 holds the control block (slots 0–63 are the threads' packing buffers).
    const address = backend.scratchBlock(MAX_WORKERS + 1, WORDS * 4);
    this.control = new Int32Array(backend.memory.buffer, address, WORDS);
    this.control.fill(0);
    this.control[NEXT] = CLOSED;
    for (let slot = 0; slot < helpers; slot++) {
      const worker = new Worker(workerSource, {
        eval: true,
        workerData: { module: backend.module, memory: backend.memory, control: address, slot },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
  ): void {
    const w = this.control;
    const kernels = this.backend.kernels;
    const bytes = kernels.gemmScratchBytes(n);
    // Scratch blocks first: allocating may grow the memory, which is shared, so no view goes stale.
    const own = this.backend.scratchBlock(0, bytes);
    for (let slot = 0; slot < this.workers.length; slot++) {
      w[SLOTS + slot * SLOT] = this.backend.scratchBlock(slot + 1, bytes);
    }
    // About two chunks per thread, in whole tiles: enough to balance, few enough that re-packing B
    // for each chunk stays cheap.
    const rows = Math.max(MR, Math.ceil(m / (2 * this.threads) / MR) * MR);
    const chunks = Math.ceil(m / rows);
    w.set([transA ? 1 : 0, transB ? 1 : 0, n, k, a, lda, b, ldb, c, ldc], TASK);
    w[CHUNKS] = chunks;
    w[CHUNK_ROWS] = rows;
    w[M] = m;
    Atomics.store(w, DONE, 0);
    Atomics.store(w, NEXT, 0);
    Atomics.add(w, GENERATION, 1);
    Atomics.notify(w, GENERATION);
    for (let chunk = Atomics.add(w, NEXT, 1); chunk < chunks; chunk = Atomics.add(w, NEXT, 1)) {
      const i0 = chunk * rows;
      kernels.gemmRows(
        transA ? 1 : 0,
        transB ? 1 : 0,
        i0,
        Math.min(m, i0 + rows),
        n,
        k,
        a,
        lda,
        b,
        ldb,
        c,
        ldc,
        own,
      );
      Atomics.add(w, DONE, 1);
    }
    Atomics.store(w, NEXT, CLOSED);
    // Only chunks that a worker is computing right now are waited for.
    for (let done = Atomics.load(w, DONE); done !== chunks; done = Atomics.load(w, DONE)) {
      Atomics.wait(w, DONE, done);
    }
  }

  close(): void {
    Atomics.store(this.control, GENERATION, -1);
    Atomics.notify(this.control, GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}

export interface WasmThreadsOptions {
  /** Threads for matrix products, the calling one included (default: the number of cores). */
  threads?: number;
  /** The build (default: the fastest this runtime runs; it must have SIMD). */
  variant?: Exclude<WasmVariant, 'scalar'>;
}

/**
 * A WebAssembly backend whose matrix products run on `threads` threads (worker_threads over a shared
 * memory). Results are bit-identical to the single-threaded backend's for any thread count.
 */
export function createThreadedWasmBackend(options: WasmThreadsOptions = {}): WasmBackend {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`useWasmThreads: threads must be a positive integer, got ${threads}`);
  }
  const backend = new WasmBackend({
    sharedMemory: true,
    ...(options.variant && { variant: options.variant }),
  });
  if (threads > 1) backend.setParallelGemm(new WorkerPool(backend, threads - 1));
  return backend;
}

/**
 * Makes a threaded WebAssembly backend the default (see createThreadedWasmBackend) and returns it.
 *
 * ```ts
 * import { useWasmThreads } from 'descent/node';
 * useWasmThreads(); // one thread per core for matrix products
 * ```
 */
export function useWasmThreads(options: WasmThreadsOptions = {}): WasmBackend {
  const backend = createThreadedWasmBackend(options);
  setBackend(backend);
  return backend;
}

/** Stops a threaded backend's workers (they never keep the process alive, so this is optional). */
export function closeWasmThreads(backend: WasmBackend): void {
  const pool = (backend as unknown as { parallel: ParallelGemm | null }).parallel;
  if (pool instanceof WorkerPool) pool.close();
  backend.setParallelGemm(null);
}
