/** Max pooling on WebGPU (stub). */
import type { MaxPool2dBackwardCall, MaxPool2dForwardCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function maxPool2dForward(_ctx: KernelContext, _call: MaxPool2dForwardCall): void {
  throw new Error('webgpu: maxPool2dForward is not implemented yet');
}

export function maxPool2dBackward(_ctx: KernelContext, _call: MaxPool2dBackwardCall): void {
  throw new Error('webgpu: maxPool2dBackward is not implemented yet');
}
