/**
 * How the WebAssembly backend shares matrix products and convolutions with helper threads — the part
 * common to Node's worker_threads (threads_node.ts) and browsers' Web Workers (threads_browser.ts).
 * Browser-safe.
 *
 * The backend's tensors live in a shared WebAssembly.Memory; each helper instantiates the same kernel
 * module over it. A task is split into chunks of items (rows of a product in whole 4-row tiles, images
 * of a convolution, output channels of its weight gradient): the calling thread writes the task into a
 * control block in that memory, wakes the helpers with Atomics.notify, takes chunks from an atomic
 * counter along with them, and then waits for the chunks still in progress — the kernels stay
 * synchronous calls. Each thread works in its own scratch block, and every output element is computed
 * by one thread with the same sequential sum whoever that is, so the result is bit-identical for any
 * number of threads.
 *
 * The one difference between platforms is how the caller waits for those last chunks: with
 * Atomics.wait where the thread may block (Node, a worker), by spinning on Atomics.load where it may
 * not (a browser's main thread). The spin is short: by then the caller has taken every remaining chunk
 * itself, so it waits only for chunks that helpers are computing at that moment.
 */
import { checkOptions } from '../../util/options.js';
import type { WasmVariant } from './features.js';
import type { Kernels } from './kernels.js';
import type { ParallelKernels, WasmBackend } from './wasm_backend.js';

/** Helpers per backend at most: scratch slots 0–63 are the threads' scratch buffers, 64 the control block. */
export const MAX_WORKERS = 63;

// Control block layout, in 32-bit words.
const TASK = 0; // the task: its kind, then up to 15 arguments (see runChunk)
const TASK_WORDS = 16;
const GENERATION = 16; // bumped (and notified) for each task; −1 stops the helpers
const NEXT = 17; // the next chunk to take (Atomics.add); CLOSED once the caller has finished
const CHUNKS = 18;
const CHUNK_SIZE = 19; // items per chunk
const TOTAL = 20; // items in the task
const DONE = 21; // chunks of the current task finished, by any thread
const SPIN = 22; // microseconds a helper spins for the next task before sleeping (HelperPool.spin)
const SLOTS = 23; // then per helper: scratch address, ready flag
const SLOT = 2;
const TALLY = SLOTS + SLOT * MAX_WORKERS; // then per helper: chunks it has computed (for tests)
const WORDS = TALLY + MAX_WORKERS;
const CLOSED = 1 << 30;
/**
 * How long (µs) a helper spins for the next task, and the caller for the helpers' last chunks, before
 * sleeping in Atomics.wait. Waking a sleeping thread goes through the operating system (10–50 µs on a
 * virtual machine, about a helper's share of a small product), and the kernels of a training step
 * often come back to back (a layer's products in the backward pass), so a short spin finds the
 * helper awake. Longer spins cost more than they save where the machine is busy: with other
 * processes on every core, a helper spinning 500 µs after each task made 784-512-512-10 and LeNet-5
 * slower on two threads than helpers that slept at once or spun 50 µs (bench/README.md, "Profiles"),
 * since the scheduler then preempts the spinner when its chunk comes.
 */
const SPIN_MICROSECONDS = 50;

/** The kinds of task the threads share (a task's first word). */
export const TaskKind = {
  /** transA, transB, n, k, a, lda, b, ldb, c, ldc; the items are rows of C. */
  gemmRows: 0,
  /** x, C, H, W, weight, O, kh, kw, ph, pw, bias, hasBias, out, bytes per image of x, of out; the items are images. */
  convForward: 1,
  /** g, C, H, W, weight, O, kh, kw, ph, pw, dx, bytes per image of g, of dx; the items are images. */
  convInputGrad: 2,
  /** g, x, N, C, H, W, O, kh, kw, ph, pw, dw; the items are output channels. */
  convWeightGrad: 3,
} as const;

/**
 * Computes items [lo, hi) of the task in the first words of `t` with the kernels `k` and the thread's
 * scratch block. The calling thread runs this function and the helpers run its source text (embedded
 * in helperSource), so it must use nothing but its parameters and literals: the kinds are TaskKind's
 * values. Addresses reach 4 GiB and read back from the Int32Array negative from 2 GiB up, so they
 * are read with `>>> 0` (unsigned) before any arithmetic.
 */
function runChunk(k: Kernels, t: Int32Array, lo: number, hi: number, scratch: number): void {
  switch (t[0]) {
    case 0:
      k.gemmRows(
        t[1]!,
        t[2]!,
        lo,
        hi,
        t[3]!,
        t[4]!,
        t[5]! >>> 0,
        t[6]!,
        t[7]! >>> 0,
        t[8]!,
        t[9]! >>> 0,
        t[10]!,
        scratch,
      );
      break;
    case 1:
      k.conv2dForward(
        (t[1]! >>> 0) + lo * t[14]!,
        hi - lo,
        t[2]!,
        t[3]!,
        t[4]!,
        t[5]! >>> 0,
        t[6]!,
        t[7]!,
        t[8]!,
        t[9]!,
        t[10]!,
        t[11]! >>> 0,
        t[12]!,
        (t[13]! >>> 0) + lo * t[15]!,
        scratch,
      );
      break;
    case 2:
      k.conv2dInputGrad(
        (t[1]! >>> 0) + lo * t[12]!,
        hi - lo,
        t[2]!,
        t[3]!,
        t[4]!,
        t[5]! >>> 0,
        t[6]!,
        t[7]!,
        t[8]!,
        t[9]!,
        t[10]!,
        (t[11]! >>> 0) + lo * t[13]!,
        scratch,
      );
      break;
    case 3:
      k.conv2dWeightGrad(
        t[1]! >>> 0,
        t[2]! >>> 0,
        t[3]!,
        t[4]!,
        t[5]!,
        t[6]!,
        t[7]!,
        t[8]!,
        t[9]!,
        t[10]!,
        t[11]!,
        t[12]! >>> 0,
        scratch,
        lo,
        hi,
      );
      break;
    default:
      throw new Error(`the thread pool was given an unknown task kind ${t[0]}`);
  }
}

/**
 * The helper's program, as JavaScript source to embed in a worker: it defines
 * `serve(module, memory, control, slot, ready)`, which instantiates the kernels over the shared memory,
 * marks the helper ready, calls `ready()` and then computes chunks until the pool is closed.
 *
 * A helper that wakes late, or for a task that has already been finished, finds the chunk counter
 * closed and goes back to sleep; one that takes a chunk reads the task only after taking it, and the
 * caller rewrites the task only once every chunk is done, so the task it reads is the one its chunk
 * belongs to.
 */
export const helperSource = `
const runChunk = (${runChunk.toString()});
function serve(module, memory, control, slot, ready) {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const w = new Int32Array(memory.buffer, control, ${WORDS});
  const mine = ${SLOTS} + slot * ${SLOT};
  Atomics.store(w, mine + 1, 1);
  ready();
  let seen = Atomics.load(w, ${GENERATION});
  for (;;) {
    // Spin a moment before sleeping (SPIN_MICROSECONDS in threads_protocol.ts says why).
    const until = performance.now() + w[${SPIN}] / 1000;
    while (Atomics.load(w, ${GENERATION}) === seen && performance.now() < until) {}
    Atomics.wait(w, ${GENERATION}, seen);
    seen = Atomics.load(w, ${GENERATION});
    if (seen < 0) return;
    for (;;) {
      const chunk = Atomics.add(w, ${NEXT}, 1);
      const chunks = Atomics.load(w, ${CHUNKS});
      if (chunk >= chunks) break;
      const lo = chunk * w[${CHUNK_SIZE}];
      runChunk(k, w, lo, Math.min(w[${TOTAL}], lo + w[${CHUNK_SIZE}]), w[mine] >>> 0);
      w[${TALLY} + slot]++;
      if (Atomics.add(w, ${DONE}, 1) + 1 === chunks) Atomics.notify(w, ${DONE});
    }
  }
}
`;

/** What the pool needs of a worker: Node's and the browser's Worker both have it. */
interface Helper {
  terminate(): unknown;
}

/** Starts the helper for `slot`, which must call helperSource's `serve` with the control block's address. */
type SpawnHelper = (slot: number, control: number) => Helper;

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
export function canBlock(): boolean {
  try {
    // The value differs, so where waiting is allowed this returns 'not-equal' at once.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Chunks of a task handed out through an atomic counter: the calling thread works through them too, so a
 * helper that the operating system has not scheduled delays nothing — on a busy machine the caller
 * simply does more of the chunks. Which thread computes a chunk does not change its bits.
 */
export class HelperPool implements ParallelKernels {
  readonly threads: number;
  readonly workers: Helper[] = [];
  /** The control block's address in linear memory (helpers get it when they start). */
  readonly address: number;
  readonly control: Int32Array;
  private readonly block: boolean;

  /**
   * @param helpers threads besides the calling one
   * @param spawn starts one helper
   * @param block wait for other threads' chunks with Atomics.wait (true) or by spinning (false); by
   *   default, blocks where this thread may
   */
  constructor(
    private readonly backend: WasmBackend,
    helpers: number,
    spawn: SpawnHelper,
    block = canBlock(),
  ) {
    if (helpers > MAX_WORKERS) throw new RangeError(`at most ${MAX_WORKERS + 1} threads, got ${helpers + 1}`);
    this.threads = helpers + 1;
    this.block = block;
    this.address = backend.scratchBlock(MAX_WORKERS + 1, WORDS * 4);
    this.control = new Int32Array(backend.memory.buffer, this.address, WORDS);
    this.control.fill(0);
    this.control[NEXT] = CLOSED;
    this.control[SPIN] = SPIN_MICROSECONDS;
    for (let slot = 0; slot < helpers; slot++) this.workers.push(spawn(slot, this.address));
  }

  /**
   * @internal microseconds the threads spin before sleeping (bench/profile_step.mjs compares values;
   * 0 sleeps at once).
   */
  get spin(): number {
    return this.control[SPIN]!;
  }

  set spin(microseconds: number) {
    Atomics.store(this.control, SPIN, Math.max(0, Math.round(microseconds)));
  }

  /** Whether every helper has instantiated its kernels (later products will include it). */
  ready(): boolean {
    return this.workers.every((_, slot) => Atomics.load(this.control, SLOTS + slot * SLOT + 1) === 1);
  }

  /** @internal chunks each helper has computed so far (it shows that they take part). */
  helperChunks(): number[] {
    return this.workers.map((_, slot) => Atomics.load(this.control, TALLY + slot));
  }

  run(task: readonly number[], total: number, size: number, scratchBytes: number): void {
    if (task.length > TASK_WORDS) throw new RangeError(`a task has at most ${TASK_WORDS} words`);
    const w = this.control;
    const kernels = this.backend.kernels;
    // Scratch blocks first: allocating may grow the memory, which is shared, so no view goes stale.
    const own = this.backend.scratchBlock(0, scratchBytes);
    for (let slot = 0; slot < this.workers.length; slot++) {
      w[SLOTS + slot * SLOT] = this.backend.scratchBlock(slot + 1, scratchBytes);
    }
    const chunks = Math.ceil(total / size);
    w.set(task, TASK);
    w[CHUNKS] = chunks;
    w[CHUNK_SIZE] = size;
    w[TOTAL] = total;
    Atomics.store(w, DONE, 0);
    Atomics.store(w, NEXT, 0);
    Atomics.add(w, GENERATION, 1);
    Atomics.notify(w, GENERATION);
    for (let chunk = Atomics.add(w, NEXT, 1); chunk < chunks; chunk = Atomics.add(w, NEXT, 1)) {
      const lo = chunk * size;
      runChunk(kernels, w, lo, Math.min(total, lo + size), own);
      Atomics.add(w, DONE, 1);
    }
    Atomics.store(w, NEXT, CLOSED);
    // Only chunks that a helper is computing right now are waited for.
    const until = performance.now() + w[SPIN]! / 1000;
    while (Atomics.load(w, DONE) !== chunks && performance.now() < until) {
      // Spin first: the chunks still in progress usually end within microseconds.
    }
    if (this.block) {
      for (let done = Atomics.load(w, DONE); done !== chunks; done = Atomics.load(w, DONE)) {
        Atomics.wait(w, DONE, done);
      }
    } else {
      while (Atomics.load(w, DONE) !== chunks) {
        // Spin: a browser's main thread may not block, and the wait is one chunk at most.
      }
    }
  }

  /** Stops and terminates the helpers. */
  close(): void {
    Atomics.store(this.control, GENERATION, -1);
    Atomics.notify(this.control, GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Stops the helpers of a threaded backend, if it has any; its products then run on the calling thread. */
export function closeHelpers(backend: WasmBackend): void {
  const pool = (backend as unknown as { parallel: ParallelKernels | null }).parallel;
  if (pool instanceof HelperPool) pool.close();
  backend.setParallelKernels(null);
}

export interface WasmThreadsOptions {
  /** Threads for matrix products, the calling one included (default: the number of cores). */
  threads?: number;
  /** The build (default: the fastest this runtime runs; it must have SIMD). */
  variant?: Exclude<WasmVariant, 'scalar'>;
}

/** The thread count asked for, checked; by default `cores` (up to the most a pool takes). */
export function threadCount(caller: string, options: WasmThreadsOptions, cores: number): number {
  checkOptions(caller, options, { threads: true, variant: true });
  const threads = options.threads ?? Math.min(Math.max(1, cores), MAX_WORKERS + 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`${caller}: threads must be a positive integer, got ${threads}`);
  }
  if (threads > MAX_WORKERS + 1) {
    throw new RangeError(`${caller}: at most ${MAX_WORKERS + 1} threads, got ${threads}`);
  }
  return threads;
}
