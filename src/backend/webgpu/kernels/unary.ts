/** unary on WebGPU (stub). */
import type { BufferHandle, UnaryCall, View } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function unary(_ctx: KernelContext, _call: UnaryCall, _x: View, _out: BufferHandle): void {
  throw new Error('webgpu: unary is not implemented yet');
}
