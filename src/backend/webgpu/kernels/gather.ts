/** gather on WebGPU (stub). */
import type { GatherCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function gather(_ctx: KernelContext, _call: GatherCall): void {
  throw new Error('webgpu: gather is not implemented yet');
}
