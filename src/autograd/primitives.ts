/**
 * The differentiable primitives and the parameters each one records on the tape. Every op in
 * src/ops is either one of these or a composition of them; src/autograd/grad_rules.ts holds one
 * vector-Jacobian product per entry, and a primitive without a rule does not compile.
 */
import type { BatchNormSpec, FusedActivation, WindowSpec } from '../backend/backend.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

type None = Record<string, never>;

export interface PrimitiveParams {
  // Elementwise, two inputs (broadcasting).
  add: None;
  sub: None;
  mul: None;
  div: None;
  pow: None;
  maximum: None;
  minimum: None;
  /** Inputs: condition (not differentiated), a, b. */
  where: None;
  // Elementwise, one input.
  neg: None;
  abs: None;
  sign: None;
  exp: None;
  log: None;
  sqrt: None;
  rsqrt: None;
  square: None;
  sigmoid: None;
  tanh: None;
  relu: None;
  erf: None;
  leakyRelu: { negativeSlope: number };
  elu: { alpha: number };
  softplus: { beta: number; threshold: number };
  clamp: { min: number; max: number };
  gelu: { approximate: 'none' | 'tanh' };
  // Reductions and normalizations.
  sum: { axes: number[]; keepDim: boolean };
  /**
   * max/min over axes whose gradient ties share (PyTorch's amax/amin, and its max()/min() when
   * `full`: no axis given). The one-axis max(x, dim) is a gather instead (first index takes it).
   */
  amax: { axes: number[]; keepDim: boolean; full: boolean };
  amin: { axes: number[]; keepDim: boolean; full: boolean };
  /** Σ(x − mean)²/(N − correction) over axes; `full`: no axis given (PyTorch's dim=None branch). */
  variance: { axes: number[]; correction: number; keepDim: boolean; full: boolean };
  /** √variance, with the same parameters. */
  std: { axes: number[]; correction: number; keepDim: boolean; full: boolean };
  softmax: { axis: number };
  logSoftmax: { axis: number };
  // Views and copies.
  reshape: { shape: number[] };
  permute: { dims: number[] };
  expand: { shape: number[] };
  /** Strided window: per axis begin, end (exclusive) and a positive step. */
  slice: { begin: number[]; end: number[]; step: number[] };
  /** The adjoint of slice: x placed at begin/step inside a tensor of `shape` filled with `value`. */
  embed: { shape: number[]; begin: number[]; step: number[]; value: number };
  contiguous: None;
  cast: { dtype: DType };
  concat: { axis: number };
  // Indexing. Inputs: x, index (int32, not differentiated).
  gather: { axis: number };
  /** Inputs: src, index. Output: zeros of `shape` with src added at the indices along axis. */
  scatterAdd: { axis: number; shape: number[] };
  // Linear algebra and convolution.
  /** Inputs have at least 2 dimensions; batch dimensions broadcast. */
  matmul: None;
  im2col: { spec: WindowSpec; padValue: number };
  col2im: { spec: WindowSpec };
  /** Direct convolution (stride 1, one group). Inputs: x [N, C, H, W], weight [O, C, kh, kw], then bias [O] if present. */
  conv2d: { spec: WindowSpec };
  // Fused layers (one kernel each way; see backend.ts).
  /** Inputs: x [m, k], weight [n, k], then bias [n] if present. Output act(x·Wᵀ + b). */
  linear: { activation: FusedActivation };
  /** Inputs: x, then γ and β where present. The saved batch statistics are not differentiated. */
  batchNorm: { spec: BatchNormSpec; mean: Tensor; variance: Tensor; hasWeight: boolean; hasBias: boolean };
  /** Input: x [N, C, H, W]. `indices` (int32, like the output) says where each maximum came from. */
  maxPool2d: { spec: WindowSpec; indices: Tensor };
  /** Inputs: logits [rows, classes], target (int32, not differentiated). Output: the loss per row. */
  softmaxCrossEntropy: { probs: Tensor };
}

export type Primitive = keyof PrimitiveParams;
