/** binary on WebGPU (stub). */
import type { BinaryOp, BufferHandle, View } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function binary(_ctx: KernelContext, _op: BinaryOp, _a: View, _b: View, _out: BufferHandle): void {
  throw new Error('webgpu: binary is not implemented yet');
}
