/**
 * When the WebAssembly backend shares a kernel with its helper threads, with how many, and in what
 * chunks (threads_protocol.ts runs the chunks). Browser-safe, pure arithmetic.
 *
 * Handing a kernel to the pool is not free: the task is written to shared memory, a helper that
 * sleeps in Atomics.wait is woken through the operating system (10–50 µs on a virtual machine; a
 * helper still spinning after its last task sees it in well under a microsecond), and each chunk of
 * a matrix product packs its own copy of B. A training step of the course's network
 * (784-100-100-100-10, batch 64) is made of products of 0.6 to 5 million multiply-adds, 40–300 µs
 * each on one thread: sharing the small ones made the whole step slower on two threads than on one
 * (bench/README.md, "Profiles"). So a kernel uses only as many threads as give each at least
 * `minMacsPerThread` multiply-adds (about 60 µs of work at WebAssembly SIMD speed, several times
 * the hand-off), and one that would use fewer than two stays on the calling thread.
 *
 * Which thread computes which chunk never changes a result's bits (every output element is one
 * sequential sum computed by one thread), so this policy is free to change with measurements.
 */

/** The thresholds, measured on the benchmark machine (bench/profile_step.mjs). */
export const threadPolicy = {
  /** Multiply-adds each taking thread must get; below that, fewer threads (or only the caller). */
  minMacsPerThread: 1 << 20,
  /** Rows of a product each taking thread must get: C is split by 4-row tiles (the micro-kernel's MR). */
  minRowsPerThread: 8,
  /** Images or output channels of a convolution each taking thread must get. */
  minItemsPerThread: 2,
  /**
   * Chunks per taking thread: two, so that on a busy machine the caller picks up the chunks of a
   * helper the system has not scheduled, but no more, since every chunk of a product packs B again.
   */
  chunksPerThread: 2,
} as const;

/** The rows of a product's tiles: chunks of a product hold whole tiles. */
const TILE_ROWS = 4;

/** How a kernel is shared: `threads` take part, in chunks of `chunk` items. */
export interface Share {
  threads: number;
  chunk: number;
}

/** A kernel's size: its multiply-adds and the items (rows, images, channels) it can be split into. */
export interface Work {
  macs: number;
  items: number;
  /** Chunks hold a multiple of this many items (4-row tiles, the weight gradient's blocks of 3). */
  multiple?: number;
  /** Fewest items per taking thread. */
  minItems: number;
}

/**
 * How to share `work` over a pool of `poolThreads` threads (the caller included), or null where it
 * stays on the calling thread.
 */
export function shareOf(work: Work, poolThreads: number): Share | null {
  const multiple = work.multiple ?? 1;
  const byMacs = Math.floor(work.macs / threadPolicy.minMacsPerThread);
  const byItems = Math.floor(work.items / Math.max(work.minItems, multiple));
  const threads = Math.min(poolThreads, byMacs, byItems);
  if (threads < 2) return null;
  const chunks = threads * threadPolicy.chunksPerThread;
  const chunk = Math.ceil(work.items / chunks / multiple) * multiple;
  return { threads, chunk: Math.max(multiple, chunk) };
}

/** How a matrix product of m×n×k is shared (by rows of C, in whole tiles), or null. */
export function productShare(shape: { m: number; n: number; k: number }, poolThreads: number): Share | null {
  return shareOf(
    {
      macs: shape.m * shape.n * shape.k,
      items: shape.m,
      multiple: TILE_ROWS,
      minItems: threadPolicy.minRowsPerThread,
    },
    poolThreads,
  );
}

/** What a convolution is split into: its images, or its output channels in blocks of `multiple`. */
export interface Split {
  items: number;
  multiple?: number;
}

/** How a direct convolution of `macs` multiply-adds is shared over its split, or null. */
export function convolutionShare(work: Split & { macs: number }, poolThreads: number): Share | null {
  return shareOf({ ...work, minItems: threadPolicy.minItemsPerThread }, poolThreads);
}
