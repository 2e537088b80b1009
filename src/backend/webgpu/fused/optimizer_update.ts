/** Fused optimizer updates on WebGPU (stub). */
import type { BufferHandle } from '../../backend.js';
import type { OptimizerUpdateCall } from '../../optimizer_update.js';
import type { KernelContext } from '../kernel_context.js';

export function optimizerUpdate(
  _ctx: KernelContext,
  _call: OptimizerUpdateCall,
  _buffers: readonly BufferHandle[],
): void {
  throw new Error('webgpu: optimizerUpdate is not implemented yet');
}
