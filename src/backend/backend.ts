/**
 * The backend seam: what a device provides for descent to run on it.
 *
 * A backend is a small required core plus optional fused kernels:
 *
 * - The core (`CoreBackend`): memory (allocate, release, write, readAsync and, where the device can,
 *   a synchronous read), and the general kernels every op is composed from: fill, copy, unary,
 *   binary, where, reduce, matmul, softmax, gather, scatterAdd and the window unfold (im2col, col2im).
 *   A backend that implements only these runs every op, layer and optimizer of the library.
 * - Fused kernels (`FusedKernels`, optional): several ops in one pass over memory (linear with bias
 *   and activation, batch norm, softmax cross-entropy, max pooling, direct convolution, optimizer
 *   updates) and their backward passes. The op layer uses a fused capability (capabilities.ts) when the
 *   backend has all of its kernels and composes the same op from the core otherwise, so gradients flow
 *   through autograd either way.
 *
 * Kernels with more than a few arguments take one spec object each (kernel_calls.ts). Kernels write
 * into output buffers the caller allocated, which lets a backend whose memory lives outside the
 * JavaScript heap (WebAssembly linear memory, GPU buffers) recycle buffers from a pool. A backend knows
 * nothing about autograd: gradient rules live in src/autograd/grad_rules.ts and call kernels through
 * the ops.
 *
 * Each backend declares its `precision` (precision.ts): the reference backend is the specification
 * (float64 arithmetic rounded once, sums in float64 in index order), and every other backend states how
 * closely it agrees with it; the parity suites hold it to that declaration.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import type {
  ActivationBackwardCall,
  BatchNormBackwardCall,
  BatchNormForwardCall,
  Col2imCall,
  Conv2dCall,
  Conv2dInputGradCall,
  Conv2dWeightGradCall,
  GatherCall,
  Im2colCall,
  LinearCall,
  MaxPool2dBackwardCall,
  MaxPool2dForwardCall,
  ReduceCall,
  ScatterAddCall,
  SoftmaxCall,
  SoftmaxCrossEntropyBackwardCall,
  SoftmaxCrossEntropyCall,
} from './kernel_calls.js';
import type { OptimizerUpdateCall } from './optimizer_update.js';
import type { Precision } from './precision.js';

export type * from './kernel_calls.js';
export type { Precision } from './precision.js';

/** An opaque handle to memory owned by a backend. */
export interface BufferHandle {
  readonly dtype: DType;
  readonly length: number;
}

/**
 * A strided window onto a buffer: element [i0, i1, …] is at offset + Σ ik·strides[k].
 * Broadcast dimensions have stride 0; transposes and slices are just other strides.
 */
export interface View {
  readonly buffer: BufferHandle;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Elementwise one-input kernels; parameterized ones carry their parameters. */
export type UnaryCall =
  | {
      op:
        | 'neg'
        | 'abs'
        | 'sign'
        | 'exp'
        | 'log'
        | 'sqrt'
        | 'rsqrt'
        | 'square'
        | 'sigmoid'
        | 'tanh'
        | 'relu'
        | 'erf';
    }
  | { op: 'leakyRelu'; negativeSlope: number }
  | { op: 'elu'; alpha: number }
  | { op: 'softplus'; beta: number; threshold: number }
  | { op: 'clamp'; min: number; max: number }
  | { op: 'gelu'; approximate: 'none' | 'tanh' };

export type UnaryOp = UnaryCall['op'];

/** Elementwise two-input kernels. Comparisons write 1 or 0 in the output's dtype. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'eq'
  | 'ne';

/** Reductions along the middle axis of an [outer, length, inner] contiguous block. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/** A batched matrix product out[b] = op(A[b]) · op(B[b]), op = identity or transpose. */
export interface MatmulSpec {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A[b] is stored as k×m (row-major) instead of m×k. */
  readonly transA: boolean;
  /** B[b] is stored as n×k instead of k×n. */
  readonly transB: boolean;
  /** Batch dimensions of the output; empty for a single product. */
  readonly batchShape: readonly number[];
  /** Element strides of A and B over the batch dimensions (0 where broadcast). */
  readonly aBatchStrides: readonly number[];
  readonly bBatchStrides: readonly number[];
}

/** The product x·Wᵀ of a linear layer: x [m, k] times W stored [n, k] (nn.Linear's layout), no batch. */
export function linearProduct(m: number, n: number, k: number): MatmulSpec {
  return { m, n, k, transA: false, transB: true, batchShape: [], aBatchStrides: [], bBatchStrides: [] };
}

/** The geometry of a 2-D sliding window over an [N, C, H, W] tensor. */
export interface WindowSpec {
  /**
   * How im2col lays out its columns (and col2im reads them): 'NKL' (default) is torch.nn.Unfold's
   * [N, C·kh·kw, outH·outW]; 'KNL' is [C·kh·kw, N, outH·outW], the batch inside, which makes a
   * convolution over the whole batch one matrix product.
   */
  readonly columnLayout?: 'NKL' | 'KNL';
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly outHeight: number;
  readonly outWidth: number;
}

/** Activations that `linear` applies in its epilogue and `activationBackward` differentiates. */
export type FusedActivation = 'none' | 'relu' | 'sigmoid' | 'tanh';

/** Batch normalization of a contiguous [outer, channels, inner] block: statistics per channel over outer × inner. */
export interface BatchNormSpec {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
  readonly eps: number;
}

/**
 * Running statistics that batchNormForward updates in place (contiguous [C] views of the layer's
 * running_mean and running_var buffers) with the batch's statistics, at rate `momentum`.
 */
export interface RunningStatsUpdate {
  readonly mean: View;
  readonly variance: View;
  readonly momentum: number;
}

/** The members every backend implements: memory and the general kernels every op is composed from. */
export interface CoreBackend {
  readonly name: string;
  /** How closely this backend's results agree with the reference backend's (precision.ts). */
  readonly precision: Precision;
  /** Which element types this backend stores; the reference backend has all of them. */
  supports(dtype: DType): boolean;

  // Memory.
  /** `shape`, when given, only names the tensor in an out-of-memory error. */
  allocate(dtype: DType, length: number, shape?: readonly number[]): BufferHandle;
  /** Returns the buffer to the backend; it may be recycled for a later allocation of the same size. */
  release(buffer: BufferHandle): void;
  write(buffer: BufferHandle, data: TypedArray): void;
  /**
   * A copy of the whole buffer, synchronously. Absent on a backend that can only read asynchronously
   * (a GPU): `Tensor.data()` and friends then throw an error that names their async form.
   */
  read?(buffer: BufferHandle): TypedArray;
  /** A copy of the whole buffer, when the device has finished every kernel queued before the call. */
  readAsync(buffer: BufferHandle): Promise<TypedArray>;
  /** Bytes currently allocated and not released (for leak checks). */
  bytesInUse(): number;
  /**
   * Bytes the backend could still allocate, where it has a limit of its own (the wasm backend's 4 GiB
   * address space); absent where only the machine's memory bounds it (the reference backend).
   */
  availableBytes?(): number;
  /**
   * Hands the kernels queued so far to the device, where a backend queues them (a GPU records
   * dispatches into a command buffer and submits it here, at a read, or when the buffer grows large).
   * Training calls it once per step, so a step is one submission. Absent where kernels run at once.
   */
  flush?(): void;

  // Kernels. `out` buffers are contiguous and exactly the size of the result.
  fill(out: BufferHandle, value: number): void;
  /** Strided copy with element-type conversion (float → int32 truncates toward zero). */
  copy(src: View, dst: View): void;
  /** `x` is already broadcast to the output shape. */
  unary(call: UnaryCall, x: View, out: BufferHandle): void;
  /** `a` and `b` are already broadcast (stride 0) to the output shape. */
  binary(op: BinaryOp, a: View, b: View, out: BufferHandle): void;
  /** out = cond ≠ 0 ? a : b, all three broadcast to the output shape. */
  where(cond: View, a: View, b: View, out: BufferHandle): void;
  /**
   * `x` is contiguous from x.offset; sums accumulate in float64; max and min let NaN win;
   * arg-reductions write int32 indices, the first occurrence winning.
   */
  reduce(call: ReduceCall): void;
  /** A and B are contiguous matrices (possibly transposed) from their view offsets; out is [batch…, m, n]. */
  matmul(a: View, b: View, spec: MatmulSpec, out: BufferHandle): void;
  /**
   * Numerically stable (log-)softmax along the middle axis, the sum in float64. Core rather than
   * composed from max, exp and sum: composed in float32 it rounds the sum and the logarithm once more,
   * which cross-entropy's precision cannot afford, and it is one pass on any device.
   */
  softmax(call: SoftmaxCall): void;
  gather(call: GatherCall): void;
  scatterAdd(call: ScatterAddCall): void;
  /** Unfolds sliding windows: x [N, C, H, W] → columns [N, C·kh·kw, outH·outW] (or the KNL layout). */
  im2col(call: Im2colCall): void;
  /** The adjoint of im2col: sums columns back into out [N, C, H, W] (cleared first). */
  col2im(call: Col2imCall): void;
}

/**
 * Fused kernels: several ops in one pass over memory, each optional. Their meaning is the reference
 * backend's (src/backend/reference/fused.ts, conv.ts, optimizer_update.ts) and the parity tests hold
 * the others to it; capabilities.ts groups each forward kernel with the backward kernels its gradient
 * needs, and the op layer uses a group only when all of it is present.
 */
export interface FusedKernels {
  /**
   * out = act(x·Wᵀ + bias): the product, the bias and the activation in one call. The sum is rounded
   * to float32 before the activation, as the unfused ops would.
   */
  linear(call: LinearCall): void;
  /**
   * out = g · act′, from the activation's output y, in float32 with the gradient table's order: relu
   * g where y > 0 else 0; sigmoid g·(y·(1 − y)); tanh g·(1 − y·y); none g.
   */
  activationBackward(call: ActivationBackwardCall): void;
  /**
   * Training-mode batch normalization. Per channel: mean μ and biased variance σ² over outer × inner,
   * summed in float64 in index order (two passes); `mean` and `variance` receive them rounded to
   * float32; with invStd = 1/√(σ² + ε) computed from the rounded σ², s = γ·invStd and t = β − μ·s (γ = 1
   * and β = 0 when null), out = x·s + t in float32. With `running`, also (as PyTorch's CPU kernel,
   * from the float64 μ and σ² before rounding, each result rounded once): running mean =
   * m·μ + (1 − m)·running mean, running variance = m·Σ(x − μ)²/(M − 1) + (1 − m)·running variance,
   * with m = running.momentum and M = outer × inner.
   */
  batchNormForward(call: BatchNormForwardCall): void;
  /**
   * The gradients of batchNormForward for upstream g, from the saved mean and variance: with
   * x̂ = (x − μ)·invStd, Σg and Σg·x̂ per channel in float64, dBeta = Σg, dGamma = Σg·x̂ and
   * dx = γ·invStd·(g − Σg/M − x̂·Σg·x̂/M), M = outer × inner.
   */
  batchNormBackward(call: BatchNormBackwardCall): void;
  /**
   * Softmax cross-entropy per row: probs = softmax(logits), losses[r] = log Σ e^(z − m) + m − z[target[r]]
   * with m the row's maximum and the sum in float64.
   */
  softmaxCrossEntropy(call: SoftmaxCrossEntropyCall): void;
  /** out[r, c] = g[r]·(probs[r, c] − [c = target[r]]), in float32. */
  softmaxCrossEntropyBackward(call: SoftmaxCrossEntropyBackwardCall): void;
  /**
   * Direct 2-D convolution, for stride 1, dilation 1, one group and padding below the kernel size
   * (what conv2d routes here: see `directConvolution` in src/ops/conv.ts): out [N, O, outH, outW] =
   * bias[o] + Σ_(c,i,j) weight[o, c, i, j]·x[n, c, y + i − ph, x + j − pw], zero outside the image.
   * Float32: each output is summed from 0 over its taps in (c, i, j) order, padding taps included,
   * rounding every product and sum, and the bias is added last (the relaxed-SIMD build fuses each
   * multiply-add).
   */
  conv2d(call: Conv2dCall): void;
  /**
   * The gradient of conv2d with respect to x: dx [N, C, H, W] = Σ_(i,j) Σ_o weight[o, c, i, j]·g[n, o,
   * y + ph − i, x + pw − j] over the positions inside g. The summation order is the backend's own, so
   * float32 results agree between backends to rounding only.
   */
  conv2dInputGrad(call: Conv2dInputGradCall): void;
  /**
   * The gradient of conv2d with respect to the weight: out [O, C, kh, kw] = Σ_(n,y,x) g[n, o, y, x]
   * ·x[n, c, y + i − ph, x + j − pw]. The summation order is the backend's own (the WebAssembly kernels
   * sum in four SIMD lanes), so float32 results agree between backends to rounding only.
   */
  conv2dWeightGrad(call: Conv2dWeightGradCall): void;
  /**
   * Max pooling over the windows of `spec` (padding never wins): the maxima and, in `indices`, where
   * each came from as y·W + x within its plane. The first maximal element of a window wins, in
   * row-major window order; a NaN wins over numbers, and of several NaNs the last (PyTorch's CPU rule
   * `val > max || isnan(val)`). A window lying entirely in the padding gets −∞ and index −1.
   */
  maxPool2dForward(call: MaxPool2dForwardCall): void;
  /**
   * The gradient of max pooling: out is cleared, then each g[n, c, o] is added at indices[n, c, o] of
   * its plane, in order of o; an index of −1 passes nothing and is never used as an address.
   */
  maxPool2dBackward(call: MaxPool2dBackwardCall): void;
  /**
   * One fused optimizer update of one parameter, in place: `buffers` are the parameter, its gradient
   * and the optimizer's state tensors, in the order `call.kind` defines (src/backend/optimizer_update.ts).
   * All are contiguous buffers of one floating-point dtype (float32; float64 on backends that store
   * it) and the same length.
   */
  optimizerUpdate(call: OptimizerUpdateCall, buffers: readonly BufferHandle[]): void;
}

/** A backend: the core, and whichever fused kernels it has (see capabilities.ts for how they are used). */
export interface Backend extends CoreBackend, Partial<FusedKernels> {}
