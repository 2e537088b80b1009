/** The core matrix product on WebGPU (stub until the GEMM lands). */
import type { BufferHandle, MatmulSpec, View } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function matmul(_ctx: KernelContext, _a: View, _b: View, _spec: MatmulSpec, _out: BufferHandle): void {
  throw new Error('webgpu: matmul is not implemented yet');
}
