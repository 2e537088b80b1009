/** Batch normalization on WebGPU (stub). */
import type { BatchNormBackwardCall, BatchNormForwardCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function batchNormForward(_ctx: KernelContext, _call: BatchNormForwardCall): void {
  throw new Error('webgpu: batchNormForward is not implemented yet');
}

export function batchNormBackward(_ctx: KernelContext, _call: BatchNormBackwardCall): void {
  throw new Error('webgpu: batchNormBackward is not implemented yet');
}
