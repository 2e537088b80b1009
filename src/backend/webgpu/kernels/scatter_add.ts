/** scatterAdd on WebGPU (stub). */
import type { ScatterAddCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function scatterAdd(_ctx: KernelContext, _call: ScatterAddCall): void {
  throw new Error('webgpu: scatterAdd is not implemented yet');
}
