/// <reference types="@webgpu/types" preserve="true" />
/**
 * The WebGPU backend: tensors in pooled GPU buffers (float32 and int32), kernels as WGSL compute
 * shaders recorded into one pending command encoder, submitted at a read, a flush (training flushes
 * once per step) or when the encoder grows large. It has no synchronous `read`: `readAsync` copies
 * into a mappable buffer, submits and maps it. Device errors surface as thrown Errors at the next
 * read or flush (device_errors.ts).
 *
 * The kernels live in kernels/ (the core) and fused/ (optional capabilities, present only when
 * complete); each records dispatches through a KernelContext (kernel_context.ts) and never touches
 * the device. See docs/ARCHITECTURE.md, "WebGPU backend".
 */
import { allocTyped, type DType, type TypedArray } from '../../tensor/dtype.js';
import { checkOptions } from '../../util/options.js';
import type {
  Backend,
  BinaryOp,
  BufferHandle,
  Col2imCall,
  GatherCall,
  Im2colCall,
  MatmulSpec,
  ReduceCall,
  ScatterAddCall,
  SoftmaxCall,
  UnaryCall,
  View,
} from '../backend.js';
import { OutOfMemoryError } from '../out_of_memory.js';
import type { Precision } from '../precision.js';
import { BufferPool, MAP_MODE_READ, STORAGE_USAGE, Usage } from './buffer_pool.js';
import { createKernelContext } from './context.js';
import { DeviceErrors } from './device_errors.js';
import { fusedKernels } from './fused/index.js';
import { GpuBuffer, gpuBufferOf } from './gpu_buffer.js';
import type { KernelContext } from './kernel_context.js';
import { binary } from './kernels/binary.js';
import { copy } from './kernels/copy.js';
import { fill } from './kernels/fill.js';
import { gather } from './kernels/gather.js';
import { matmul } from './kernels/matmul.js';
import { reduce } from './kernels/reduce.js';
import { scatterAdd } from './kernels/scatter_add.js';
import { softmax } from './kernels/softmax.js';
import { unary } from './kernels/unary.js';
import { where } from './kernels/where.js';
import { col2im, im2col } from './kernels/windows.js';
import { PipelineCache } from './pipeline_cache.js';
import { WEBGPU_PRECISION } from './precision.js';
import { Recorder } from './recorder.js';

export interface WebGpuBackendOptions {
  readonly device: GPUDevice;
  /** The adapter's description, for summaries and `descent info`. */
  readonly adapterName: string;
  /** Check every dispatch in an error scope, so a failing kernel is named by its key (slower). */
  readonly debug?: boolean;
}

/** Counters for tests and benchmarks: what the runtime created and submitted so far. */
export interface WebGpuStats {
  /** Storage GPUBuffers created (a steady training loop creates none). */
  readonly buffersCreated: number;
  readonly pipelines: number;
  readonly submissions: number;
  /** Bytes of released buffers kept in the pool for reuse. */
  readonly cachedBytes: number;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly precision: Precision = WEBGPU_PRECISION;
  readonly adapterName: string;
  readonly device: GPUDevice;
  /** The context every kernel records through (H2/H3's kernels and tests use it too). */
  readonly context: KernelContext;
  private readonly errors: DeviceErrors;
  private readonly pipelines: PipelineCache;
  private readonly recorder: Recorder;
  private readonly pool: BufferPool;
  private readonly readbacks: BufferPool;
  private live = 0;
  private destroyed = false;

  constructor(options: WebGpuBackendOptions) {
    checkOptions('WebGpuBackend', options, { device: true, adapterName: true, debug: true });
    this.device = options.device;
    this.adapterName = options.adapterName;
    this.errors = new DeviceErrors(this.device);
    this.pipelines = new PipelineCache(this.device, this.errors);
    this.recorder = new Recorder(this.device, this.errors);
    this.pool = new BufferPool(this.device, STORAGE_USAGE, 'tensor', maxBindingBytes(this.device));
    this.readbacks = new BufferPool(this.device, Usage.MAP_READ | Usage.COPY_DST, 'readback');
    this.context = createKernelContext({
      device: this.device,
      pipelines: this.pipelines,
      recorder: this.recorder,
      errors: this.errors,
      debug: options.debug ?? false,
      allocate: (dtype, length) => this.allocate(dtype, length),
      release: (buffer) => this.release(buffer),
    });
    Object.assign(this, fusedKernels(this.context));
  }

  supports(dtype: DType): boolean {
    return dtype === 'float32' || dtype === 'int32';
  }

  allocate(dtype: DType, length: number, shape?: readonly number[]): BufferHandle {
    if (!this.supports(dtype)) {
      throw new TypeError(`webgpu: ${dtype} tensors are not stored on this backend (float32 and int32 are)`);
    }
    this.checkUsable();
    const bytes = length * 4;
    this.checkLimit(dtype, bytes, shape ?? [length]);
    const buffer = new GpuBuffer(dtype, length, this.pool.take(bytes));
    this.live += bytes;
    return buffer;
  }

  release(buffer: BufferHandle): void {
    const b = buffer as GpuBuffer;
    if (!(b instanceof GpuBuffer) || !b.live) return;
    b.live = false;
    this.live -= b.bytes;
    if (!this.destroyed) this.pool.give(b.gpu);
  }

  bytesInUse(): number {
    return this.live;
  }

  write(buffer: BufferHandle, data: TypedArray): void {
    const b = gpuBufferOf(buffer);
    if (data.length > b.length) {
      throw new RangeError(`webgpu: write of ${data.length} elements into a buffer of ${b.length}`);
    }
    const typed = b.dtype === 'int32' ? asInt32(data) : asFloat32(data);
    this.recorder.upload(
      b.gpu,
      new Uint8Array(typed.buffer as ArrayBuffer, typed.byteOffset, typed.byteLength),
    );
  }

  async readAsync(buffer: BufferHandle): Promise<TypedArray> {
    const b = gpuBufferOf(buffer);
    this.checkUsable();
    if (b.length === 0) {
      this.flush();
      return allocTyped(b.dtype, 0);
    }
    const readback = this.readbacks.take(b.bytes);
    this.recorder.copy(b.gpu, 0, readback, 0, b.bytes);
    this.recorder.submit();
    try {
      await readback.mapAsync(MAP_MODE_READ, 0, b.bytes);
    } catch (error) {
      await this.errors.settle();
      throw error;
    }
    const bytes = readback.getMappedRange(0, b.bytes).slice(0);
    readback.unmap();
    this.readbacks.give(readback);
    await this.errors.settle();
    return b.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  /** Submits the recorded work; throws the first device error reported since the last read or flush. */
  flush(): void {
    this.checkUsable();
    this.recorder.submit();
    this.errors.throwIfAny();
  }

  /** Counters for tests and benchmarks. */
  stats(): WebGpuStats {
    return {
      buffersCreated: this.pool.created,
      pipelines: this.pipelines.size,
      submissions: this.recorder.submissions,
      cachedBytes: this.pool.cached(),
    };
  }

  /** Frees the pooled GPU memory and the device; the backend cannot be used after. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pool.trim();
    this.readbacks.trim();
    this.recorder.destroy();
    this.device.destroy();
  }

  fill(out: BufferHandle, value: number): void {
    fill(this.context, out, value);
  }
  copy(src: View, dst: View): void {
    copy(this.context, src, dst);
  }
  unary(call: UnaryCall, x: View, out: BufferHandle): void {
    unary(this.context, call, x, out);
  }
  binary(op: BinaryOp, a: View, b: View, out: BufferHandle): void {
    binary(this.context, op, a, b, out);
  }
  where(cond: View, a: View, b: View, out: BufferHandle): void {
    where(this.context, cond, a, b, out);
  }
  reduce(call: ReduceCall): void {
    reduce(this.context, call);
  }
  matmul(a: View, b: View, spec: MatmulSpec, out: BufferHandle): void {
    matmul(this.context, a, b, spec, out);
  }
  softmax(call: SoftmaxCall): void {
    softmax(this.context, call);
  }
  gather(call: GatherCall): void {
    gather(this.context, call);
  }
  scatterAdd(call: ScatterAddCall): void {
    scatterAdd(this.context, call);
  }
  im2col(call: Im2colCall): void {
    im2col(this.context, call);
  }
  col2im(call: Col2imCall): void {
    col2im(this.context, call);
  }

  private checkUsable(): void {
    if (this.destroyed) throw new Error('webgpu: this backend was destroyed; create a new one');
  }

  /** A buffer beyond what the device can bind is refused as out of memory, naming the limit. */
  private checkLimit(dtype: DType, bytes: number, shape: readonly number[]): void {
    const limits = this.device.limits;
    const limit = maxBindingBytes(this.device);
    if (bytes <= limit) return;
    throw new OutOfMemoryError({
      backend: 'webgpu',
      what: `a ${dtype} tensor of shape [${shape.join(', ')}]`,
      requested: bytes,
      live: this.live,
      cached: this.pool.cached(),
      limit,
      limitReason: `the largest buffer this device binds (maxBufferSize ${limits.maxBufferSize}, maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize})`,
    });
  }
}

/** The largest tensor buffer: one the device can both create and bind whole. */
function maxBindingBytes(device: GPUDevice): number {
  return Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize);
}

function asFloat32(data: TypedArray): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

/** As an Int32Array stores them (ToInt32: truncation, wrapping). */
function asInt32(data: TypedArray): Int32Array {
  return data instanceof Int32Array ? data : Int32Array.from(data);
}
