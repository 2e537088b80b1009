/**
 * GPU buffers recycled by size class, so that a training step in steady state creates no new
 * GPUBuffer: `release` puts a buffer back on its class's free list and the next allocation of that
 * class takes it. Handing a released buffer out again at once is safe even while recorded work still
 * uses it, because one queue runs everything in order: the earlier reads and writes are recorded (or
 * submitted) before anything the new owner records.
 */

/** WebGPU's usage and map-mode flags (fixed by the specification; not read from globals, which Node lacks). */
export const Usage = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;
export const MAP_MODE_READ = 0x1;

/** The usage of every tensor and scratch buffer: bound as storage, copied from and into. */
export const STORAGE_USAGE = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;

/** The smallest buffer the pool hands out (an empty tensor still needs something to bind). */
const MIN_BYTES = 16;
/** Above this, classes grow by an eighth of the power of two below instead of doubling (less waste). */
const FINE_CLASSES_FROM = 1 << 20;

/**
 * The capacity a request of `bytes` is served with: powers of two up to 1 MiB, then steps of 1/8 of
 * the power of two below (at most 12.5% unused), always a multiple of 16.
 */
export function sizeClass(bytes: number): number {
  const need = Math.max(MIN_BYTES, bytes);
  if (need <= FINE_CLASSES_FROM) return 2 ** Math.ceil(Math.log2(need));
  const step = 2 ** Math.floor(Math.log2(need)) / 8;
  return Math.ceil(need / step) * step;
}

/** Free GPU buffers of one usage, by capacity. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private cachedBytes = 0;
  /** GPUBuffers this pool has created (tests check that a steady loop creates none). */
  created = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly label: string,
    /** The largest buffer the device allows: a class above it is cut down to the request. */
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** A buffer of capacity `sizeClass(bytes)`, from the free list when one is there. */
  take(bytes: number): GPUBuffer {
    let size = sizeClass(bytes);
    if (size > this.maxBytes) size = Math.ceil(Math.max(MIN_BYTES, bytes) / 16) * 16;
    const buffer = this.free.get(size)?.pop();
    if (buffer !== undefined) {
      this.cachedBytes -= size;
      return buffer;
    }
    this.created++;
    return this.device.createBuffer({ size, usage: this.usage, label: `${this.label} ${size}` });
  }

  /** Puts a buffer taken from this pool back for reuse. */
  give(buffer: GPUBuffer): void {
    const size = buffer.size;
    let list = this.free.get(size);
    if (list === undefined) {
      list = [];
      this.free.set(size, list);
    }
    list.push(buffer);
    this.cachedBytes += size;
  }

  /** Bytes held in free lists. */
  cached(): number {
    return this.cachedBytes;
  }

  /** Destroys every free buffer (their memory goes back to the device). */
  trim(): void {
    for (const list of this.free.values()) for (const buffer of list) buffer.destroy();
    this.free.clear();
    this.cachedBytes = 0;
  }
}
