/** Softmax cross-entropy on WebGPU (stub). */
import type { SoftmaxCrossEntropyBackwardCall, SoftmaxCrossEntropyCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function softmaxCrossEntropy(_ctx: KernelContext, _call: SoftmaxCrossEntropyCall): void {
  throw new Error('webgpu: softmaxCrossEntropy is not implemented yet');
}

export function softmaxCrossEntropyBackward(
  _ctx: KernelContext,
  _call: SoftmaxCrossEntropyBackwardCall,
): void {
  throw new Error('webgpu: softmaxCrossEntropyBackward is not implemented yet');
}
