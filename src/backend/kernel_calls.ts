/**
 * One spec object per kernel with more than a few arguments, shared by the Backend interface, every
 * backend and the ops that call them: a kernel's arguments are named once, here, instead of as six to
 * nine positional numbers repeated in the interface, each backend and each call site.
 *
 * Conventions: inputs are `View`s (contiguous from their offset unless the kernel says otherwise);
 * outputs are whole, contiguous `BufferHandle`s exactly the size of the result, allocated by the
 * caller. The meaning of each kernel is the reference backend's (src/backend/reference/), stated on
 * the Backend interface.
 */
import type {
  BatchNormSpec,
  BufferHandle,
  FusedActivation,
  ReduceOp,
  RunningStatsUpdate,
  View,
  WindowSpec,
} from './backend.js';

/** A reduction along the middle axis of a contiguous [outer, length, inner] block. */
export interface ReduceCall {
  readonly op: ReduceOp;
  readonly x: View;
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
  /** [outer, inner]; int32 for argmax and argmin. */
  readonly out: BufferHandle;
}

/** (Log-)softmax along the middle axis of a contiguous [outer, length, inner] block. */
export interface SoftmaxCall {
  readonly x: View;
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
  readonly log: boolean;
  readonly out: BufferHandle;
}

/** out[o, j, i] = x[o, index[o, j, i], i]: x is [outer, xLength, inner], index and out [outer, indexLength, inner]. */
export interface GatherCall {
  readonly x: View;
  /** int32, already validated to lie in [0, xLength). */
  readonly index: View;
  readonly outer: number;
  readonly xLength: number;
  readonly indexLength: number;
  readonly inner: number;
  readonly out: BufferHandle;
}

/** out[o, index[o, j, i], i] += src[o, j, i]: out holds [outer, outLength, inner] and is not cleared. */
export interface ScatterAddCall {
  readonly src: View;
  /** int32, already validated to lie in [0, outLength). */
  readonly index: View;
  readonly outer: number;
  readonly outLength: number;
  readonly indexLength: number;
  readonly inner: number;
  readonly out: BufferHandle;
}

/** Unfolding sliding windows: x [N, C, H, W] → out in `spec.columnLayout`; padding reads `padValue`. */
export interface Im2colCall {
  readonly x: View;
  readonly spec: WindowSpec;
  readonly padValue: number;
  readonly out: BufferHandle;
}

/** The adjoint of im2col: columns summed back into out [N, C, H, W] (cleared first). */
export interface Col2imCall {
  readonly cols: View;
  readonly spec: WindowSpec;
  readonly out: BufferHandle;
}

/** out = act(x·Wᵀ + bias): x [m, k], weight [n, k] (nn.Linear's layout), bias [n] or null, out [m, n]. */
export interface LinearCall {
  readonly x: View;
  readonly weight: View;
  readonly bias: View | null;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly activation: FusedActivation;
  readonly out: BufferHandle;
}

/** out = g · act′ from the activation's output y (contiguous, same length as g). */
export interface ActivationBackwardCall {
  readonly activation: FusedActivation;
  readonly g: View;
  readonly y: View;
  readonly out: BufferHandle;
}

/** Training-mode batch normalization of a contiguous [outer, channels, inner] block. */
export interface BatchNormForwardCall {
  readonly x: View;
  /** γ [C], or null for 1. */
  readonly gamma: View | null;
  /** β [C], or null for 0. */
  readonly beta: View | null;
  readonly spec: BatchNormSpec;
  readonly out: BufferHandle;
  /** Receives the batch mean per channel [C]. */
  readonly mean: BufferHandle;
  /** Receives the biased batch variance per channel [C]. */
  readonly variance: BufferHandle;
  /** Running averages to update in place, or null. */
  readonly running: RunningStatsUpdate | null;
}

/** The gradients of batchNormForward for upstream g, from its saved mean and variance. */
export interface BatchNormBackwardCall {
  readonly g: View;
  readonly x: View;
  readonly mean: View;
  readonly variance: View;
  readonly gamma: View | null;
  readonly spec: BatchNormSpec;
  readonly dx: BufferHandle;
  /** Receives dγ [C], or null when not wanted. */
  readonly dGamma: BufferHandle | null;
  /** Receives dβ [C], or null when not wanted. */
  readonly dBeta: BufferHandle | null;
}

/** Softmax cross-entropy of logits [rows, classes] at int32 class indices target [rows] (validated). */
export interface SoftmaxCrossEntropyCall {
  readonly logits: View;
  readonly target: View;
  readonly rows: number;
  readonly classes: number;
  /** Receives softmax(logits), [rows, classes], which the backward kernel reads. */
  readonly probs: BufferHandle;
  /** Receives the loss per row, [rows]. */
  readonly losses: BufferHandle;
}

/** out[r, c] = g[r]·(probs[r, c] − [c = target[r]]). */
export interface SoftmaxCrossEntropyBackwardCall {
  readonly probs: View;
  readonly target: View;
  /** The upstream gradient per row, [rows]. */
  readonly g: View;
  readonly rows: number;
  readonly classes: number;
  readonly out: BufferHandle;
}

/** Direct 2-D convolution: x [N, C, H, W], weight [O, C, kh, kw], bias [O] or null → out [N, O, outH, outW]. */
export interface Conv2dCall {
  readonly x: View;
  readonly weight: View;
  readonly bias: View | null;
  readonly spec: WindowSpec;
  readonly outChannels: number;
  readonly out: BufferHandle;
}

/** The direct convolution's input gradient: g [N, O, outH, outW] → out [N, C, H, W]. */
export interface Conv2dInputGradCall {
  readonly g: View;
  readonly weight: View;
  readonly spec: WindowSpec;
  readonly outChannels: number;
  readonly out: BufferHandle;
}

/** The direct convolution's weight gradient: g [N, O, outH, outW] and x → out [O, C, kh, kw]. */
export interface Conv2dWeightGradCall {
  readonly g: View;
  readonly x: View;
  readonly spec: WindowSpec;
  readonly outChannels: number;
  readonly out: BufferHandle;
}

/** Max pooling of x [N, C, H, W]: the maxima and, in int32 `indices`, where each came from. */
export interface MaxPool2dForwardCall {
  readonly x: View;
  readonly spec: WindowSpec;
  readonly out: BufferHandle;
  readonly indices: BufferHandle;
}

/** Max pooling's gradient: g [N, C, outH, outW] added at `indices` into out [N, C, H, W]. */
export interface MaxPool2dBackwardCall {
  readonly g: View;
  readonly indices: View;
  readonly spec: WindowSpec;
  readonly out: BufferHandle;
}
