/**
 * The WebGPU backend's fused kernels, bound to its kernel context: WebGpuBackend's constructor does
 * `Object.assign(this, fusedKernels(context))`, so only the kernels returned here exist as methods.
 * A capability (capabilities.ts) is added only when all of its kernels are complete and tested, so the
 * op layer never takes a half-fused path.
 */
import type { FusedKernels } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';
import { activationBackward } from './activation_backward.js';
import { batchNormBackward, batchNormForward } from './batch_norm.js';
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from './conv.js';
import { linear } from './linear.js';
import { maxPool2dBackward, maxPool2dForward } from './max_pool.js';
import { optimizerUpdate } from './optimizer_update.js';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax_cross_entropy.js';

export function fusedKernels(ctx: KernelContext): Partial<FusedKernels> {
  return {
    conv2d: (call) => conv2d(ctx, call),
    conv2dInputGrad: (call) => conv2dInputGrad(ctx, call),
    conv2dWeightGrad: (call) => conv2dWeightGrad(ctx, call),
    linear: (call) => linear(ctx, call),
    activationBackward: (call) => activationBackward(ctx, call),
    batchNormForward: (call) => batchNormForward(ctx, call),
    batchNormBackward: (call) => batchNormBackward(ctx, call),
    maxPool2dForward: (call) => maxPool2dForward(ctx, call),
    maxPool2dBackward: (call) => maxPool2dBackward(ctx, call),
    optimizerUpdate: (call, buffers) => optimizerUpdate(ctx, call, buffers),
    softmaxCrossEntropy: (call) => softmaxCrossEntropy(ctx, call),
    softmaxCrossEntropyBackward: (call) => softmaxCrossEntropyBackward(ctx, call),
  };
}
