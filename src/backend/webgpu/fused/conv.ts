/** The direct convolution kernels on WebGPU (stubs). */
import type { Conv2dCall, Conv2dInputGradCall, Conv2dWeightGradCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function conv2d(_ctx: KernelContext, _call: Conv2dCall): void {
  throw new Error('webgpu: conv2d is not implemented yet');
}

export function conv2dInputGrad(_ctx: KernelContext, _call: Conv2dInputGradCall): void {
  throw new Error('webgpu: conv2dInputGrad is not implemented yet');
}

export function conv2dWeightGrad(_ctx: KernelContext, _call: Conv2dWeightGradCall): void {
  throw new Error('webgpu: conv2dWeightGrad is not implemented yet');
}
