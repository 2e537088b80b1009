/** activationBackward on WebGPU (stub). */
import type { ActivationBackwardCall } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';

export function activationBackward(_ctx: KernelContext, _call: ActivationBackwardCall): void {
  throw new Error('webgpu: activationBackward is not implemented yet');
}
