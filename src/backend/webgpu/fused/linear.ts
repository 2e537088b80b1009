/** The fused linear kernel on WebGPU (stub). */
import type { LinearCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function linear(_ctx: KernelContext, _call: LinearCall): void {
  throw new Error('webgpu: linear is not implemented yet');
}
