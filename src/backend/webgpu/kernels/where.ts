/** where on WebGPU (stub). */
import type { BufferHandle, View } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function where(_ctx: KernelContext, _cond: View, _a: View, _b: View, _out: BufferHandle): void {
  throw new Error('webgpu: where is not implemented yet');
}
