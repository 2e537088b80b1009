/** im2col and col2im on WebGPU (stubs). */
import type { Col2imCall, Im2colCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function im2col(_ctx: KernelContext, _call: Im2colCall): void {
  throw new Error('webgpu: im2col is not implemented yet');
}

export function col2im(_ctx: KernelContext, _call: Col2imCall): void {
  throw new Error('webgpu: col2im is not implemented yet');
}
