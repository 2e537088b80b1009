/** Loss functions with PyTorch's definitions, defaults and reductions. */
import { record } from '../autograd/tape.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { logSoftmax, softplus } from './activation.js';
import { abs, add, mul, neg, square, sub } from './elementwise.js';
import { checkIndexValues, gather } from './indexing.js';
import { mean, sum } from './reduce.js';
import { contiguous, flatten, permute, reshape, squeeze, unsqueeze } from './shape_ops.js';
import { empty, requireFloat, requireSameBackend } from './util.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages over elements, 'sum' adds them, 'none' returns one loss per element. */
  reduction?: Reduction;
}

function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return mean(loss);
    case 'sum':
      return sum(loss);
    case 'none':
      return loss;
    default:
      throw new RangeError(
        `${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
      );
  }
}

function requireTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor`);
}

/** Moves the class axis (1) last and flattens: [N, C, d…] → [N·d…, C]; targets [N, d…] → [N·d…]. */
function classesLast(logits: Tensor): Tensor {
  if (logits.ndim <= 2) return logits;
  const dims = [0, ...Array.from({ length: logits.ndim - 2 }, (_, i) => i + 2), 1];
  return reshape(permute(logits, dims), [-1, logits.shape[1]!]);
}

function checkClassTargets(op: string, input: Tensor, target: Tensor): void {
  const expected = [input.shape[0]!, ...input.shape.slice(2)];
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `${op}: the target holds class indices and must be int32, got ${target.dtype}; cast it with target.int() or create it with { dtype: 'int32' }`,
    );
  }
  if (!shapesEqual(target.shape, expected)) {
    throw new RangeError(
      `${op}: target of shape ${formatShape(target.shape)} does not match input ${formatShape(input.shape)}; expected ${formatShape(expected)}`,
    );
  }
}

/**
 * A float target is read as class probabilities, shaped like the logits. One shaped like class
 * labels ([N] for [N, C] logits) is most likely labels stored as floats: say so, and how to cast.
 */
function checkProbabilityTargets(logits: Tensor, target: Tensor): void {
  if (shapesEqual(target.shape, logits.shape)) return;
  if (target.ndim === logits.ndim - 1) {
    throw new TypeError(
      `crossEntropy: the labels are ${target.dtype} (shape ${formatShape(target.shape)}); class labels must be int32: cast them with labels.int() or create them with { dtype: 'int32' } (a float target is read as class probabilities, shaped like the logits ${formatShape(logits.shape)})`,
    );
  }
  throw new RangeError(
    `crossEntropy: probability targets must match the logits' shape ${formatShape(logits.shape)}, got ${formatShape(target.shape)}; class labels would be int32 of shape ${formatShape([logits.shape[0]!, ...logits.shape.slice(2)])}`,
  );
}

/** −log p[target] for rows of log-probabilities [M, C] and targets [M]. */
function pickedNll(logProbs: Tensor, target: Tensor): Tensor {
  return neg(squeeze(gather(logProbs, 1, unsqueeze(flatten(target), 1)), 1));
}

export interface CrossEntropyOptions extends LossOptions {
  /**
   * ε in [0, 1): the target becomes (1 − ε)·onehot + ε/C (Szegedy et al. 2016, arXiv:1512.00567).
   * Default 0.
   */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits [N, C] (or [N, C, d…]) against class indices (int32 [N] or [N, d…]) or
 * class probabilities (float, shaped like the logits):
 * ℓ_n = −Σ_c q_{n,c} log softmax(x_n)_c, with q the (smoothed) target distribution.
 * log softmax is computed in one stable step (the maximum subtracted first, as PyTorch does), so the
 * loss keeps its float32 precision at any magnitude: logits [a, a] give log 2 for a = 1e30 as for 1.
 * Divergence from PyTorch: no class `weight` or `ignoreIndex` yet.
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  requireTensor('crossEntropy', 'logits', logits);
  requireTensor('crossEntropy', 'target', target);
  requireFloat('crossEntropy', logits, 'logits');
  if (logits.ndim < 2)
    throw new RangeError(
      `crossEntropy: logits must be at least 2-D (N, C), got shape ${formatShape(logits.shape)}`,
    );
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps < 1))
    throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1), got ${eps}`);
  const classes = logits.shape[1]!;
  if (target.dtype === 'int32' && logits.ndim === 2 && eps === 0) {
    checkClassTargets('crossEntropy', logits, target);
    return reduce('crossEntropy', softmaxCrossEntropyRows(logits, target), options.reduction);
  }
  const batchShape = [logits.shape[0]!, ...logits.shape.slice(2)];
  const logProbs = logSoftmax(classesLast(logits), 1);
  let loss: Tensor;
  if (target.dtype === 'int32') {
    checkClassTargets('crossEntropy', logits, target);
    loss = pickedNll(logProbs, target);
    if (eps > 0) loss = add(mul(loss, 1 - eps), mul(neg(mean(logProbs, 1)), eps));
  } else {
    checkProbabilityTargets(logits, target);
    let q = classesLast(target);
    if (eps > 0) q = add(mul(q, 1 - eps), eps / classes);
    loss = neg(sum(mul(q, logProbs), 1));
  }
  return reduce('crossEntropy', reshape(loss, batchShape), options.reduction);
}

/**
 * The loss per row of logits [N, C] at class indices [N], by the backend's fused softmax-cross-entropy
 * kernel: one pass forward (which keeps the probabilities) and one backward, p − onehot, where the
 * composed form runs log-softmax, a gather and their gradients.
 */
function softmaxCrossEntropyRows(logits: Tensor, target: Tensor): Tensor {
  requireSameBackend('crossEntropy', logits, target);
  const [rows, classes] = logits.shape as [number, number];
  checkIndexValues('crossEntropy', target, classes, 1);
  const x = contiguous(logits);
  const tc = contiguous(target);
  const probs = empty([rows, classes], x.dtype, x.backend);
  const losses = empty([rows], x.dtype, x.backend);
  x.backend.softmaxCrossEntropy(
    x.strided(),
    tc.strided(),
    rows,
    classes,
    probs.storage.buffer,
    losses.storage.buffer,
  );
  return record('softmaxCrossEntropy', [x, tc], losses, { probs });
}

/** Negative log-likelihood of log-probabilities [N, C] (or [N, C, d…]) at int32 class targets. */
export function nllLoss(logProbs: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  requireTensor('nllLoss', 'input', logProbs);
  requireTensor('nllLoss', 'target', target);
  requireFloat('nllLoss', logProbs);
  if (logProbs.ndim < 2)
    throw new RangeError(
      `nllLoss: input must be at least 2-D (N, C), got shape ${formatShape(logProbs.shape)}`,
    );
  checkClassTargets('nllLoss', logProbs, target);
  const loss = reshape(pickedNll(classesLast(logProbs), target), target.shape);
  return reduce('nllLoss', loss, options.reduction);
}

function checkPair(op: string, input: Tensor, target: Tensor): void {
  requireTensor(op, 'input', input);
  requireTensor(op, 'target', target);
  requireFloat(op, input);
  requireFloat(op, target, 'target');
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RangeError(
      `${op}: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
}

/** Mean squared error (x − y)². Divergence from PyTorch: shapes must match exactly (PyTorch broadcasts with a warning). */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair('mseLoss', input, target);
  return reduce('mseLoss', square(sub(input, target)), options.reduction);
}

/** Mean absolute error |x − y|; shapes must match. */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair('l1Loss', input, target);
  return reduce('l1Loss', abs(sub(input, target)), options.reduction);
}

/**
 * Binary cross-entropy on logits: ℓ = −[y log σ(x) + (1 − y) log(1 − σ(x))], computed as
 * softplus(x) − x·y, which is exact for logits of any magnitude; gradient σ(x) − y.
 * Divergence from PyTorch: no `weight` or `posWeight` yet.
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor,
  options: LossOptions = {},
): Tensor {
  checkPair('binaryCrossEntropyWithLogits', logits, target);
  return reduce(
    'binaryCrossEntropyWithLogits',
    sub(softplus(logits), mul(logits, target)),
    options.reduction,
  );
}
