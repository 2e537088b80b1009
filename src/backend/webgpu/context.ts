/**
 * The KernelContext over the runtime: a dispatch gets its pipeline from the cache, its uniform block
 * a slice of the arena and a bind group of its own, and is recorded in order. A written binding whose
 * buffer is also bound elsewhere in the same dispatch (WebGPU forbids a writable binding aliasing
 * another) is redirected to a scratch copy of it, and copied back after the dispatch.
 */
import type { DType } from '../../tensor/dtype.js';
import type { BufferHandle } from '../backend.js';
import type { DeviceErrors } from './device_errors.js';
import { type GpuBuffer, gpuBufferOf } from './gpu_buffer.js';
import type { DispatchSpec, KernelContext, KernelLimits } from './kernel_context.js';
import type { PipelineCache } from './pipeline_cache.js';
import type { Recorder } from './recorder.js';

/** What the context needs from the backend. */
export interface ContextRuntime {
  readonly device: GPUDevice;
  readonly pipelines: PipelineCache;
  readonly recorder: Recorder;
  readonly errors: DeviceErrors;
  /** Wrap each dispatch in an error scope naming its key (slower; for finding a failing kernel). */
  readonly debug: boolean;
  allocate(dtype: DType, length: number): BufferHandle;
  release(buffer: BufferHandle): void;
}

export function kernelLimits(device: GPUDevice): KernelLimits {
  return {
    maxWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    maxWorkgroupStorageBytes: device.limits.maxComputeWorkgroupStorageSize,
    maxInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
  };
}

export function createKernelContext(runtime: ContextRuntime): KernelContext {
  return {
    limits: kernelLimits(runtime.device),
    dispatch: (spec) => {
      if (runtime.debug) runtime.errors.scoped(`kernel "${spec.key}"`, () => dispatch(runtime, spec));
      else dispatch(runtime, spec);
    },
    allocate: (dtype, length) => runtime.allocate(dtype, length),
    release: (buffer) => runtime.release(buffer),
  };
}

/** A written binding redirected to a scratch buffer, to be copied back after the dispatch. */
interface Redirect {
  readonly target: GpuBuffer;
  readonly scratch: GpuBuffer;
}

function dispatch(runtime: ContextRuntime, spec: DispatchSpec): void {
  const [x, y = 1, z = 1] = spec.workgroups;
  if (x === 0 || y === 0 || z === 0) return;
  const { pipeline, layout } = runtime.pipelines.get(spec);
  const buffers = spec.bindings.map((binding) => gpuBufferOf(binding.buffer));
  const redirects = redirectAliases(runtime, spec, buffers);
  const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({
    binding: i,
    resource: { buffer: redirects.get(i)?.scratch.gpu ?? buffer.gpu },
  }));
  if (spec.uniforms !== undefined) {
    const slice = runtime.recorder.uniform(spec.uniforms.bytes());
    entries.push({
      binding: entries.length,
      resource: { buffer: slice.buffer, offset: slice.offset, size: slice.size },
    });
  }
  const bindGroup = runtime.device.createBindGroup({ label: spec.key, layout, entries });
  runtime.recorder.dispatch(spec.key, pipeline, bindGroup, [x, y, z]);
  for (const { target, scratch } of redirects.values()) {
    runtime.recorder.copy(scratch.gpu, 0, target.gpu, 0, copyBytes(target));
    runtime.release(scratch);
  }
}

/** Scratch copies for the written bindings whose buffer appears in another binding too. */
function redirectAliases(
  runtime: ContextRuntime,
  spec: DispatchSpec,
  buffers: GpuBuffer[],
): Map<number, Redirect> {
  const redirects = new Map<number, Redirect>();
  spec.bindings.forEach((binding, i) => {
    if (!binding.write) return;
    const target = buffers[i]!;
    if (!buffers.some((other, j) => j !== i && other.gpu === target.gpu)) return;
    const scratch = gpuBufferOf(runtime.allocate(target.dtype, target.length));
    // The kernel may read what it writes (in-place updates), so the scratch starts as a copy.
    runtime.recorder.copy(target.gpu, 0, scratch.gpu, 0, copyBytes(target));
    redirects.set(i, { target, scratch });
  });
  return redirects;
}

function copyBytes(buffer: GpuBuffer): number {
  return buffer.bytes;
}
