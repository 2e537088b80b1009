/** The WebGPU backend's BufferHandle: a tensor's dtype and length over a pooled GPUBuffer. */
import type { DType } from '../../tensor/dtype.js';
import type { BufferHandle } from '../backend.js';

export class GpuBuffer implements BufferHandle {
  /** False once released; a released buffer must not be used again. */
  live = true;
  constructor(
    readonly dtype: DType,
    readonly length: number,
    readonly gpu: GPUBuffer,
  ) {}

  /** The tensor's bytes (4 per element: float32 and int32 are all this backend stores). */
  get bytes(): number {
    return this.length * 4;
  }
}

/** The GpuBuffer behind a handle, refusing one released or from another backend. */
export function gpuBufferOf(handle: BufferHandle): GpuBuffer {
  if (!(handle instanceof GpuBuffer)) {
    throw new TypeError('webgpu: given a buffer that another backend allocated');
  }
  if (!handle.live) throw new Error('webgpu: given a released buffer');
  return handle;
}
