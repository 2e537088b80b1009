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
 */

const PAGE = 65536;

/** The size class of a request of `bytes` bytes (bytes > 0). */
export function sizeClass(bytes: number): number {
  if (bytes <= 64) return Math.max(16, Math.ceil(bytes / 16) * 16);
  // A quarter of the largest power of two below bytes; 31 − clz32(v) is ⌊log₂ v⌋ for v < 2³².
  const step =
    bytes - 1 < 2 ** 32 ? 2 ** (29 - Math.clz32(bytes - 1)) : 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

export class Allocator {
  private top: number;
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
    this.top = Math.ceil(base / 16) * 16;
  }

  /** A 16-byte aligned block of at least `bytes` bytes; returns its address and its class size. */
  allocate(bytes: number): { ptr: number; size: number } {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) {
      this.reserved += size;
      return { ptr: list.pop()!, size };
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > this.memory.buffer.byteLength) this.grow(end);
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

  /** Grows the memory to hold at least `end` bytes, by half its size at least, so growth is rare. */
  private grow(end: number): void {
    const current = this.memory.buffer.byteLength;
    const wanted = Math.max(end, current + (current >> 1));
    const pages = Math.ceil((wanted - current) / PAGE);
    try {
      this.memory.grow(pages);
    } catch {
      const minimal = Math.ceil((end - current) / PAGE);
      try {
        this.memory.grow(minimal);
      } catch {
        throw new RangeError(
          `the wasm backend is out of memory: ${end} bytes of WebAssembly memory needed, the runtime refused to grow beyond ${current}; release tensors (scope, dispose) or use smaller batches`,
        );
      }
    }
    this.onGrow();
  }
}
