/** copy on WebGPU (stub until the strided copy lands). */
import type { View } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function copy(_ctx: KernelContext, _src: View, _dst: View): void {
  throw new Error('webgpu: copy is not implemented yet');
}
