/**
 * Compute pipelines by DispatchSpec.key, each compiled once. The bind group layout is explicit (not
 * 'auto'): storage bindings read-only or read-write as the spec says, then the uniform block, so a
 * shader that leaves a binding unused still takes the same bind group.
 */
import type { DeviceErrors } from './device_errors.js';
import type { DispatchSpec } from './kernel_context.js';

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

const COMPUTE_STAGE = 0x4; // GPUShaderStage.COMPUTE

export class PipelineCache {
  private readonly pipelines = new Map<string, CachedPipeline>();

  constructor(
    private readonly device: GPUDevice,
    private readonly errors: DeviceErrors,
  ) {}

  get size(): number {
    return this.pipelines.size;
  }

  get(spec: DispatchSpec): CachedPipeline {
    const cached = this.pipelines.get(spec.key);
    if (cached !== undefined) return cached;
    const made = this.errors.scoped(`compiling kernel "${spec.key}"`, () => this.compile(spec));
    this.pipelines.set(spec.key, made);
    return made;
  }

  private compile(spec: DispatchSpec): CachedPipeline {
    const entries: GPUBindGroupLayoutEntry[] = spec.bindings.map((binding, i) => ({
      binding: i,
      visibility: COMPUTE_STAGE,
      buffer: { type: binding.write ? 'storage' : 'read-only-storage' },
    }));
    if (spec.uniforms !== undefined) {
      entries.push({ binding: entries.length, visibility: COMPUTE_STAGE, buffer: { type: 'uniform' } });
    }
    const label = spec.key;
    const layout = this.device.createBindGroupLayout({ label, entries });
    const module = this.device.createShaderModule({ label, code: spec.wgsl() });
    const pipeline = this.device.createComputePipeline({
      label,
      layout: this.device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    return { pipeline, layout };
  }
}
