/** softmax on WebGPU (stub). */
import type { SoftmaxCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function softmax(_ctx: KernelContext, _call: SoftmaxCall): void {
  throw new Error('webgpu: softmax is not implemented yet');
}
