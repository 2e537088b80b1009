/**
 * The uniform blocks of one submission. Each dispatch's block gets its own slice of a chunk (a
 * UNIFORM buffer), aligned as the device requires for dynamic offsets; the chunks' contents are kept
 * on the CPU while recording and written with one queue.writeBuffer per chunk just before the
 * submission, which the queue orders after every earlier submission, so a chunk is reused by the next
 * submission without waiting.
 */
import { Usage } from './buffer_pool.js';

const CHUNK_BYTES = 64 * 1024;

interface Chunk {
  readonly buffer: GPUBuffer;
  readonly shadow: Uint8Array<ArrayBuffer>;
  used: number;
}

export interface UniformSlice {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

export class UniformArena {
  private readonly chunks: Chunk[] = [];
  private current = 0;
  private readonly alignment: number;

  constructor(private readonly device: GPUDevice) {
    this.alignment = device.limits.minUniformBufferOffsetAlignment;
  }

  /** Places one block for the submission being recorded. */
  place(bytes: Uint8Array): UniformSlice {
    if (bytes.length > CHUNK_BYTES) {
      throw new RangeError(`webgpu: a uniform block of ${bytes.length} bytes exceeds ${CHUNK_BYTES}`);
    }
    let chunk = this.chunk(this.current);
    if (chunk.used + bytes.length > CHUNK_BYTES) chunk = this.chunk(++this.current);
    const offset = chunk.used;
    chunk.shadow.set(bytes, offset);
    chunk.used = Math.ceil((offset + bytes.length) / this.alignment) * this.alignment;
    return { buffer: chunk.buffer, offset, size: bytes.length };
  }

  /** Writes the used chunks (before the submission that reads them) and starts over. */
  upload(queue: GPUQueue): void {
    for (let i = 0; i <= this.current && i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      if (chunk.used > 0) queue.writeBuffer(chunk.buffer, 0, chunk.shadow, 0, chunk.used);
      chunk.used = 0;
    }
    this.current = 0;
  }

  private chunk(index: number): Chunk {
    while (this.chunks.length <= index) {
      const buffer = this.device.createBuffer({
        size: CHUNK_BYTES,
        usage: Usage.UNIFORM | Usage.COPY_DST,
        label: 'uniform arena',
      });
      this.chunks.push({ buffer, shadow: new Uint8Array(CHUNK_BYTES), used: 0 });
    }
    return this.chunks[index]!;
  }

  destroy(): void {
    for (const chunk of this.chunks) chunk.buffer.destroy();
    this.chunks.length = 0;
  }
}
