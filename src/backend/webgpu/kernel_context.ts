/**
 * The contract between the WebGPU backend's runtime (device, buffer pool, command encoding, uploads
 * and reads: webgpu_backend.ts and its runtime files) and its kernels (kernels/*.ts for the core,
 * fused/*.ts for the fused kernels). A kernel is a function `(ctx, call) => void` that validates
 * nothing the op layer already validated, picks a WGSL shader and records one or more dispatches; it
 * never touches the GPUDevice, never submits and never reads back. The runtime owns everything else:
 * pipeline caching by key, bind groups, the per-submission uniform arena, and the ordering of
 * dispatches, copies and uploads in one command encoder (submitted at a read or a flush).
 *
 * WGSL conventions every kernel follows:
 * - Entry point `main`. Storage bindings are `@group(0) @binding(i)` for i = 0…n−1 in the order of
 *   `DispatchSpec.bindings`: `var<storage, read>` unless the binding is `write: true`, then
 *   `var<storage, read_write>`. The uniform block, when `uniforms` is given, is `@group(0)
 *   @binding(n) var<uniform> params: Params;` with Params laid out as the words were appended.
 * - Buffers are bound whole, and a pooled buffer may be larger than the tensor it holds: index with
 *   the lengths and offsets passed in the uniforms, never with `arrayLength`.
 * - float32 tensors are `array<f32>`, int32 tensors `array<i32>` (see `wgslType`); float64 is not
 *   stored on this backend.
 */
import type { DType } from '../../tensor/dtype.js';
import type { BufferHandle } from '../backend.js';

/** A storage buffer a dispatch binds, at binding i for the i-th entry. */
export interface StorageBinding {
  readonly buffer: BufferHandle;
  /**
   * The kernel writes it (read_write storage). The runtime resolves a written buffer that is also
   * bound elsewhere in the same dispatch (out = a + a, in-place updates) by writing into a scratch
   * buffer and copying it back, since WebGPU forbids a writable binding aliasing another.
   */
  readonly write?: boolean;
}

/** One compute dispatch. */
export interface DispatchSpec {
  /**
   * Names the pipeline: equal keys must mean equal WGSL, and the runtime compiles each key once.
   * Put every parameter the generated source depends on (dtype, operation, rank, tile shape) in it.
   */
  readonly key: string;
  /** Builds the shader's WGSL source; called once per key. */
  readonly wgsl: () => string;
  readonly bindings: readonly StorageBinding[];
  /** The uniform block's contents (binding n, after the storage bindings); omitted: no uniform block. */
  readonly uniforms?: Uniforms;
  /** Workgroup counts per dimension, each at most `limits.maxWorkgroupsPerDimension` (see gridFor). A zero count records nothing. */
  readonly workgroups: readonly [number, number?, number?];
}

/** Device limits a kernel may size its tiles and grids by. */
export interface KernelLimits {
  readonly maxWorkgroupsPerDimension: number;
  readonly maxWorkgroupStorageBytes: number;
  readonly maxInvocationsPerWorkgroup: number;
}

/** What a kernel may do: record dispatches and use scratch buffers. */
export interface KernelContext {
  readonly limits: KernelLimits;
  /** Records one dispatch after everything recorded before it (WebGPU orders dispatches' memory effects). */
  dispatch(spec: DispatchSpec): void;
  /** A scratch buffer (from the pool) for a kernel's intermediates; contents undefined. */
  allocate(dtype: DType, length: number): BufferHandle;
  /** Returns a scratch buffer to the pool; dispatches already recorded may still use it safely. */
  release(buffer: BufferHandle): void;
}

/**
 * A uniform block built word by word, in the order of the shader's `struct Params` fields. Scalars
 * (u32, i32, f32) take 4 bytes each; `vec4u`/`vec4i` align to 16 bytes first, as WGSL lays out
 * `vec4<u32>` members and `array<vec4<u32>, N>` elements. The block is padded to 16 bytes.
 */
export class Uniforms {
  private readonly words: number[] = [];
  private readonly kinds: ('u' | 'i' | 'f')[] = [];

  u32(value: number): this {
    return this.push('u', value);
  }

  i32(value: number): this {
    return this.push('i', value);
  }

  f32(value: number): this {
    return this.push('f', value);
  }

  /** A vec4<u32> (16-byte aligned); missing components are 0. */
  vec4u(values: readonly number[]): this {
    this.align(4);
    for (let i = 0; i < 4; i++) this.push('u', values[i] ?? 0);
    return this;
  }

  /** A vec4<i32> (16-byte aligned); missing components are 0. */
  vec4i(values: readonly number[]): this {
    this.align(4);
    for (let i = 0; i < 4; i++) this.push('i', values[i] ?? 0);
    return this;
  }

  /** The block's bytes, padded to a multiple of 16. */
  bytes(): Uint8Array {
    const count = Math.max(4, Math.ceil(this.words.length / 4) * 4);
    const buffer = new ArrayBuffer(count * 4);
    const u = new Uint32Array(buffer);
    const i = new Int32Array(buffer);
    const f = new Float32Array(buffer);
    this.words.forEach((word, k) => {
      if (this.kinds[k] === 'u') u[k] = word;
      else if (this.kinds[k] === 'i') i[k] = word;
      else f[k] = word;
    });
    return new Uint8Array(buffer);
  }

  private align(words: number): void {
    while (this.words.length % words !== 0) this.push('u', 0);
  }

  private push(kind: 'u' | 'i' | 'f', value: number): this {
    this.words.push(value);
    this.kinds.push(kind);
    return this;
  }
}

/** The WGSL element type of a tensor dtype this backend stores. */
export function wgslType(dtype: DType): 'f32' | 'i32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  throw new TypeError(`webgpu: ${dtype} is not stored on this backend (float32 and int32 are)`);
}

/**
 * Workgroup counts for `count` workgroups in a 1-D launch, spread over x and y when count exceeds the
 * per-dimension limit. The shader recovers the linear workgroup index as wid.x + wid.y·nwg.x (use
 * `@builtin(num_workgroups)`) and must ignore indices past its element count.
 */
export function gridFor(count: number, limit = 65535): [number, number, number] {
  if (count <= limit) return [count, 1, 1];
  const y = Math.ceil(count / limit);
  return [Math.ceil(count / y), y, 1];
}
