/** Activation functions and (log-)softmax, with PyTorch's definitions and defaults. */
import { record } from '../autograd/tape.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { unary } from './elementwise.js';
import { contiguous } from './shape_ops.js';
import { asTensor, emptyLike, requireFloat } from './util.js';

/** σ(x) = 1 / (1 + e^(−x)). */
export function sigmoid(x: TensorLike): Tensor {
  return unary({ op: 'sigmoid' }, x);
}

/** tanh x. */
export function tanh(x: TensorLike): Tensor {
  return unary({ op: 'tanh' }, x);
}

/** max(0, x); the gradient at exactly 0 is 0, as in PyTorch. */
export function relu(x: TensorLike): Tensor {
  return unary({ op: 'relu' }, x);
}

/** x for x > 0, else negativeSlope·x. Default negativeSlope 0.01 (PyTorch). */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  if (!Number.isFinite(negativeSlope))
    throw new RangeError(`leakyRelu: negativeSlope must be finite, got ${negativeSlope}`);
  return unary({ op: 'leakyRelu', negativeSlope }, x);
}

/** x for x > 0, else α(e^x − 1). Default α = 1 (Clevert et al. 2015, arXiv:1511.07289). */
export function elu(x: TensorLike, alpha = 1): Tensor {
  if (!Number.isFinite(alpha)) throw new RangeError(`elu: alpha must be finite, got ${alpha}`);
  return unary({ op: 'elu', alpha }, x);
}

export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': Hendrycks & Gimpel's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/** GELU(x) = x·Φ(x) (Hendrycks & Gimpel 2016, arXiv:1606.08415). */
export function gelu(x: TensorLike, options: GeluOptions = {}): Tensor {
  checkOptions('gelu', options, { approximate: true });
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new RangeError(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  }
  return unary({ op: 'gelu', approximate }, x);
}

export interface SoftplusOptions {
  /** Default 1. */
  beta?: number;
  /** Above beta·x > threshold the function is taken as linear. Default 20. */
  threshold?: number;
}

/** softplus(x) = log(1 + e^(βx))/β, linear where βx > threshold (PyTorch's definition). */
export function softplus(x: TensorLike, options: SoftplusOptions = {}): Tensor {
  checkOptions('softplus', options, { beta: true, threshold: true });
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  if (!(beta > 0) || !Number.isFinite(beta))
    throw new RangeError(`softplus: beta must be a positive number, got ${beta}`);
  if (Number.isNaN(threshold)) throw new RangeError('softplus: threshold must be a number');
  return unary({ op: 'softplus', beta, threshold }, x);
}

function softmaxLike(op: 'softmax' | 'logSoftmax', x: TensorLike, axis: number): Tensor {
  const t = asTensor(op, x);
  requireFloat(op, t);
  if (axis === undefined) throw new TypeError(`${op}: axis is required (PyTorch's dim), e.g. ${op}(x, -1)`);
  const a = normalizeAxis(op, axis, t.ndim);
  const c = contiguous(t);
  const out = emptyLike(c);
  const outer = sizeOf(c.shape.slice(0, a));
  const length = c.shape[a] ?? 1;
  const inner = sizeOf(c.shape.slice(a + 1));
  const log = op === 'logSoftmax';
  c.backend.softmax({ x: c.strided(), outer, length, inner, log, out: out.storage.buffer });
  return record(op, [c], out, { axis: a });
}

/** softmax(x)_i = e^(x_i − max x) / Σ_j e^(x_j − max x) along `axis`. */
export function softmax(x: TensorLike, axis: number): Tensor {
  return softmaxLike('softmax', x, axis);
}

/** log softmax, computed as (x − max) − log Σ e^(x − max): finite for logits of any magnitude. */
export function logSoftmax(x: TensorLike, axis: number): Tensor {
  return softmaxLike('logSoftmax', x, axis);
}
