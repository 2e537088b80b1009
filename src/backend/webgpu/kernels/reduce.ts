/** reduce on WebGPU (stub). */
import type { ReduceCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function reduce(_ctx: KernelContext, _call: ReduceCall): void {
  throw new Error('webgpu: reduce is not implemented yet');
}
