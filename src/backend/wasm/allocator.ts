/**
 * The allocator behind the WebAssembly backend: blocks of linear memory handed out by size class and
 * recycled through per-class free lists.
 *
 * A request is rounded up to its class — a multiple of 16 bytes below 64 bytes, then four classes per
 * power of two (64, 80, 96, 112, 128, 160, …), so at most 25% is lost to rounding — and served from
 * that class's free list, or else from the top of the heap, growing the memory when the heap is full.
 * Freed blocks go back to their class's list and are never split or merged: a training step that
 * allocates the same sizes every time finds all of them on the free lists after the first step, so in
 * steady state nothing new is taken from the system and the memory stays flat.
 *
 * Addresses are unsigned 32-bit numbers up to 4 GiB (a wasm32 memory's limit). The heap ends one page
 * short of 2³² so that no block ends exactly at 2³²: the kernels compute a block's end as a u32, which
 * would wrap to 0 there. When a request fits neither a free list nor the space left, a free block of a
 * larger class serves it; when none does, `allocate` throws `HeapFull` and changes nothing, so the
 * allocator stays usable after an out-of-memory error.
 */

const PAGE = 65536;

/** The first byte past the heap: 4 GiB less one page (see above). */
export const HEAP_LIMIT = 2 ** 32 - PAGE;

/** The size class of a request of `bytes` bytes (bytes > 0). */
export function sizeClass(bytes: number): number {
  if (bytes <= 64) return Math.max(16, Math.ceil(bytes / 16) * 16);
  // A quarter of the largest power of two below bytes; 31 − clz32(v) is ⌊log₂ v⌋ for v < 2³².
  const step =
    bytes - 1 < 2 ** 32 ? 2 ** (29 - Math.clz32(bytes - 1)) : 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

/** Why a request could not be served: the heap's limit, or the runtime refusing to grow the memory. */
export class HeapFull extends Error {
  constructor(
    /** The class size that was needed. */
    readonly size: number,
    /** The runtime's refusal, when the memory could not grow below HEAP_LIMIT; null at the limit. */
    readonly refusedAt: number | null,
  ) {
    super(
      refusedAt === null
        ? `no room for ${size} bytes below the ${HEAP_LIMIT}-byte limit`
        : `the runtime refused to grow the memory beyond ${refusedAt} bytes`,
    );
  }
}

export class Allocator {
  private top: number;
  private readonly base: number;
  private readonly free = new Map<number, number[]>();
  /** Bytes of live blocks, counted by their class sizes. */
  private reserved = 0;

  /**
   * @param memory the linear memory to carve up
   * @param base the first usable byte (after the module's static data), 16-byte aligned
   * @param onGrow called after the memory grows, so that views of its old buffer can be replaced
   */
  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    private readonly onGrow: () => void,
  ) {
    this.base = Math.ceil(base / 16) * 16;
    this.top = this.base;
  }

  /**
   * A 16-byte aligned block of at least `bytes` bytes; returns its address and its size (the class
   * it is released to). Throws HeapFull, with nothing changed, when there is no room.
   */
  allocate(bytes: number): { ptr: number; size: number } {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) return this.reuse(size, list);
    const ptr = this.top;
    const end = ptr + size;
    if (end > HEAP_LIMIT) return this.reuseLarger(size, null);
    if (end > this.memory.buffer.byteLength) {
      const refusedAt = this.grow(end);
      if (refusedAt !== null) return this.reuseLarger(size, refusedAt);
    }
    this.top = end;
    this.reserved += size;
    return { ptr, size };
  }

  /** Returns a block to its class's free list. */
  release(ptr: number, size: number): void {
    let list = this.free.get(size);
    if (list === undefined) {
      list = [];
      this.free.set(size, list);
    }
    list.push(ptr);
    this.reserved -= size;
  }

  /** Bytes handed out from the heap so far, free or not: the high-water mark. */
  heapBytes(): number {
    return this.top;
  }

  /** Bytes in live blocks, class rounding included. */
  reservedBytes(): number {
    return this.reserved;
  }

  /** Bytes in released blocks waiting on the free lists for a request of their class. */
  freeBytes(): number {
    return this.top - this.base - this.reserved;
  }

  /**
   * Bytes that could still be handed out: the room left below HEAP_LIMIT plus the free blocks (which
   * serve requests of their own class, or smaller ones when the heap is full). An upper bound: the
   * runtime may refuse to grow the memory before the limit.
   */
  availableBytes(): number {
    return HEAP_LIMIT - this.top + this.freeBytes();
  }

  private reuse(size: number, list: number[]): { ptr: number; size: number } {
    this.reserved += size;
    return { ptr: list.pop()!, size };
  }

  /** The smallest free block of a larger class, or HeapFull. */
  private reuseLarger(size: number, refusedAt: number | null): { ptr: number; size: number } {
    let best = Infinity;
    for (const [s, list] of this.free) if (s > size && s < best && list.length > 0) best = s;
    if (best === Infinity) throw new HeapFull(size, refusedAt);
    return this.reuse(best, this.free.get(best)!);
  }

  /**
   * Grows the memory to hold at least `end` bytes, by half its size at least (up to the limit), so
   * growth is rare; returns null, or the size the runtime refused to grow beyond.
   */
  private grow(end: number): number | null {
    const current = this.memory.buffer.byteLength;
    const wanted = Math.min(HEAP_LIMIT, Math.max(end, current + Math.floor(current / 2)));
    for (const target of [wanted, end]) {
      try {
        this.memory.grow(Math.ceil((target - current) / PAGE));
        this.onGrow();
        return null;
      } catch {
        // Try the smaller request; the memory is unchanged when grow throws.
      }
    }
    return current;
  }
}
