/** Loss functions with PyTorch's (1.13) definitions, options, defaults and reductions. */
import { record } from '../autograd/tape.js';
import { hasFused } from '../backend/capabilities.js';
import { broadcastShapes, formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { logSoftmax, softplus } from './activation.js';
import {
  type ClassRows,
  checkClassTargets,
  checkClassWeight,
  checkConstantWeight,
  checkIgnoreIndex,
  checkProbabilityTargets,
  classCount,
  classTargetShape,
  readClassTargets,
  requireInputBackend,
} from './class_targets.js';
import { abs, add, div, mul, neg, square, sub, where } from './elementwise.js';
import { gatherInRange } from './indexing.js';
import { mean, sum } from './reduce.js';
import { contiguous, permute, reshape, squeeze, unsqueeze } from './shape_ops.js';
import { empty, requireFloat, requireSameBackend } from './util.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages over elements, 'sum' adds them, 'none' returns one loss per element. */
  reduction?: Reduction;
}

const LOSS_KEYS: OptionKeys<LossOptions> = { reduction: true };

function checkReduction(op: string, reduction: Reduction | undefined): Reduction {
  const r = reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new RangeError(
      `${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
    );
  }
  return r;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return mean(loss);
  return reduction === 'sum' ? sum(loss) : loss;
}

function requireTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor`);
}

function requireClassInput(op: string, name: string, input: Tensor): void {
  if (input.ndim < 1)
    throw new RangeError(`${op}: ${name} must be [C] (one unbatched sample) or [N, C, d…], got a 0-d tensor`);
}

/** The input as rows of classes: [C] → [1, C]; [N, C] as it is; [N, C, d…] → [N·d…, C] (class axis last). */
function classRows(input: Tensor): Tensor {
  if (input.ndim === 1) return reshape(input, [1, input.shape[0]!]);
  if (input.ndim === 2) return input;
  const dims = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2), 1];
  return reshape(permute(input, dims), [-1, input.shape[1]!]);
}

/** −log p[target] for rows of log-probabilities [M, C] and (valid) targets [M]. */
function pickedNll(logProbs: Tensor, target: Tensor): Tensor {
  // The targets were checked by readClassTargets.
  return neg(squeeze(gatherInRange(logProbs, 1, unsqueeze(target, 1)), 1));
}

/**
 * Per-row contributions [M] of class-index losses reduced as PyTorch's nll_loss reduces them:
 * an ignored row contributes 0 ('none' and 'sum': masked, not multiplied, so a NaN in an ignored row
 * stays out, as in PyTorch), and 'mean' divides by the rows' total weight (their count without
 * `weight`), which is NaN (0/0) when every target is ignored.
 */
function reduceRows(contrib: Tensor, rows: ClassRows, reduction: Reduction, shape: number[]): Tensor {
  const masked = rows.keep === null ? contrib : where(rows.keep, contrib, 0);
  if (reduction === 'none') return reshape(masked, shape);
  if (reduction === 'sum') return sum(masked);
  if (rows.keep === null && rows.rowWeight === null) return mean(masked);
  return div(sum(masked), rows.total);
}

export interface CrossEntropyOptions extends LossOptions {
  /**
   * ε in [0, 1] (PyTorch's range; 1 gives the uniform target): the target becomes (1 − ε)·onehot + ε/C (Szegedy et al. 2016, arXiv:1512.00567).
   * Default 0.
   */
  labelSmoothing?: number;
  /**
   * One weight per class, [C], of the logits' dtype; null or absent for none. The 'mean' of class-index
   * targets divides by the sum of the targets' weights; that of probability targets by the batch size.
   * With class-index targets it gets no gradient (refused if it requires one, as PyTorch).
   */
  weight?: Tensor | null;
  /**
   * A class index whose targets are skipped: they add 0 to the loss and are left out of the mean's
   * divisor. Default −100 (no class). Not supported with probability targets (a value ≥ 0 is refused).
   */
  ignoreIndex?: number;
}

const CROSS_ENTROPY_KEYS: OptionKeys<CrossEntropyOptions> = {
  reduction: true,
  labelSmoothing: true,
  weight: true,
  ignoreIndex: true,
};

/**
 * Cross-entropy of logits [N, C] (or [N, C, d…], or one unbatched sample [C]) against class indices
 * (int32 [N], [N, d…] or 0-d) or class probabilities (float, shaped like the logits):
 * ℓ_n = −Σ_c w_c q_{n,c} log softmax(x_n)_c, with q the (smoothed) target distribution and w the
 * class `weight` (1 without). PyTorch 1.13's rules for the options:
 * - class indices: ℓ_n = w_{t_n}·(−log p_{n,t_n}), 0 where t_n = ignoreIndex; 'mean' is
 *   Σ ℓ_n / Σ_{n counted} w_{t_n} (NaN when every target is ignored);
 * - with labelSmoothing ε: ℓ_n = (1 − ε)·w_{t_n}·(−log p_{n,t_n}) + (ε/C)·(−Σ_c w_c log p_{n,c}),
 *   0 where ignored, and the same divisor (PyTorch's cross_entropy_loss_label_smoothing);
 * - probability targets: ℓ_n = −Σ_c w_c q_{n,c} log p_{n,c}; 'mean' divides by the number of rows,
 *   not by the weights; ignoreIndex ≥ 0 is refused ("not supported for floating point target").
 * log softmax is computed in one stable step (the maximum subtracted first, as PyTorch does), so the
 * loss keeps its float32 precision at any magnitude: logits [a, a] give log 2 for a = 1e30 as for 1.
 * Class indices without label smoothing run the fused softmax-cross-entropy kernel; weights and
 * ignored targets scale and mask its per-row losses.
 * @example crossEntropy(logits, labels, { weight: tensor([1, 2, 1]), ignoreIndex: 0 })
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkOptions('crossEntropy', options, CROSS_ENTROPY_KEYS);
  requireTensor('crossEntropy', 'logits', logits);
  requireTensor('crossEntropy', 'target', target);
  requireFloat('crossEntropy', logits, 'logits');
  requireClassInput('crossEntropy', 'logits', logits);
  const eps: unknown = options.labelSmoothing ?? 0;
  // typeof first: '0.1' >= 0 would pass through string coercion.
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1))
    throw new RangeError(
      `crossEntropy: labelSmoothing must be in [0, 1], got ${typeof eps === 'number' ? eps : `${JSON.stringify(eps) ?? typeof eps} (a ${typeof eps}; give a number)`}`,
    );
  const reduction = checkReduction('crossEntropy', options.reduction);
  const ignoreIndex = checkIgnoreIndex('crossEntropy', options.ignoreIndex);
  if (target.dtype !== 'int32') {
    requireInputBackend('crossEntropy', 'target', target, logits);
    checkProbabilityTargets(logits, target);
    if (ignoreIndex >= 0)
      throw new RangeError(
        `crossEntropy: ignoreIndex (${ignoreIndex}) is not supported with probability targets (float, shaped like the logits); give class indices (int32) to skip a class, or zero its probabilities`,
      );
    const weight = checkClassWeight('crossEntropy', options.weight, logits, true);
    return probabilityCrossEntropy(logits, target, weight, eps, reduction);
  }
  checkClassTargets('crossEntropy', logits, target);
  requireSameBackend('crossEntropy', logits, target);
  const weight = checkClassWeight('crossEntropy', options.weight, logits, false);
  const x = classRows(logits);
  const classes = classCount(logits);
  const rows = readClassTargets({
    op: 'crossEntropy',
    target,
    classes,
    ignoreIndex,
    weight,
    dtype: logits.dtype,
    backend: logits.backend,
  });
  let contrib: Tensor;
  if (eps === 0) {
    const nll = softmaxCrossEntropyRows(x, rows.safe);
    contrib = rows.rowWeight === null ? nll : mul(nll, rows.rowWeight);
  } else {
    const logProbs = logSoftmax(x, 1);
    const nll = pickedNll(logProbs, rows.safe);
    const picked = rows.rowWeight === null ? nll : mul(nll, rows.rowWeight);
    const all = neg(sum(weight === null ? logProbs : mul(logProbs, weight), 1));
    contrib = add(mul(picked, 1 - eps), mul(all, eps / classes));
  }
  return reduceRows(contrib, rows, reduction, classTargetShape(logits));
}

/** Cross-entropy against class probabilities (PyTorch's cross_entropy_loss_prob_target). */
function probabilityCrossEntropy(
  logits: Tensor,
  target: Tensor,
  weight: Tensor | null,
  eps: number,
  reduction: Reduction,
): Tensor {
  const logProbs = logSoftmax(classRows(logits), 1);
  let q = classRows(target);
  if (eps > 0) q = add(mul(q, 1 - eps), eps / classCount(logits));
  if (weight !== null) q = mul(q, weight);
  const loss = neg(sum(mul(q, logProbs), 1));
  return reduce(reshape(loss, classTargetShape(logits)), reduction);
}

/**
 * The loss per row of logits [M, C] at valid class indices [M], by the backend's fused
 * softmax-cross-entropy kernel where it has one: one pass forward (which keeps the probabilities)
 * and one backward, p − onehot, where the composed form (on a backend without it) runs log-softmax,
 * a gather and their gradients.
 */
function softmaxCrossEntropyRows(logits: Tensor, target: Tensor): Tensor {
  const backend = logits.backend;
  if (!hasFused(backend, 'softmaxCrossEntropy')) return pickedNll(logSoftmax(logits, 1), target);
  const [rows, classes] = logits.shape as [number, number];
  const x = contiguous(logits);
  const tc = contiguous(target);
  const probs = empty([rows, classes], x.dtype, backend);
  const losses = empty([rows], x.dtype, backend);
  backend.softmaxCrossEntropy({
    logits: x.strided(),
    target: tc.strided(),
    rows,
    classes,
    probs: probs.storage.buffer,
    losses: losses.storage.buffer,
  });
  return record('softmaxCrossEntropy', [x, tc], losses, { probs });
}

export interface NllLossOptions extends LossOptions {
  /** One weight per class, [C]; 'mean' divides by the sum of the targets' weights. No gradient. */
  weight?: Tensor | null;
  /** A class index whose targets add 0 and leave the mean's divisor. Default −100 (no class). */
  ignoreIndex?: number;
}

const NLL_KEYS: OptionKeys<NllLossOptions> = { reduction: true, weight: true, ignoreIndex: true };

/**
 * Negative log-likelihood of log-probabilities [N, C] (or [N, C, d…], or unbatched [C]) at int32
 * class targets ([N], [N, d…] or 0-d): ℓ_n = −w_{t_n}·x_{n,t_n}, 0 where t_n = ignoreIndex;
 * 'mean' is Σ ℓ_n / Σ_{n counted} w_{t_n} (NaN when every target is ignored), as PyTorch's nll_loss.
 * @example nllLoss(logSoftmax(logits, 1), labels, { weight: tensor([1, 2, 1]) })
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  checkOptions('nllLoss', options, NLL_KEYS);
  requireTensor('nllLoss', 'input', logProbs);
  requireTensor('nllLoss', 'target', target);
  requireFloat('nllLoss', logProbs);
  requireClassInput('nllLoss', 'input', logProbs);
  const reduction = checkReduction('nllLoss', options.reduction);
  const ignoreIndex = checkIgnoreIndex('nllLoss', options.ignoreIndex);
  checkClassTargets('nllLoss', logProbs, target);
  requireSameBackend('nllLoss', logProbs, target);
  const weight = checkClassWeight('nllLoss', options.weight, logProbs, false);
  const rows = readClassTargets({
    op: 'nllLoss',
    target,
    classes: classCount(logProbs),
    ignoreIndex,
    weight,
    dtype: logProbs.dtype,
    backend: logProbs.backend,
  });
  const nll = pickedNll(classRows(logProbs), rows.safe);
  const contrib = rows.rowWeight === null ? nll : mul(nll, rows.rowWeight);
  return reduceRows(contrib, rows, reduction, classTargetShape(logProbs));
}

/** Input and target, both float; their shapes must broadcast together. */
function checkBroadcastPair(op: string, input: Tensor, target: Tensor): void {
  requireTensor(op, 'input', input);
  requireTensor(op, 'target', target);
  requireFloat(op, input);
  requireFloat(op, target, 'target');
  requireInputBackend(op, 'target', target, input);
  broadcastShapes(`${op}: input and target`, input.shape, target.shape);
}

/**
 * Mean squared error (x − y)². Input and target broadcast together, as in PyTorch, and 'none' returns
 * the broadcast shape. PyTorch warns when their shapes differ ("this will likely lead to incorrect
 * results due to broadcasting"); descent does not: a target [N] against predictions [N, 1] gives an
 * [N, N] loss, which is rarely what is meant, so reshape one of them when in doubt.
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('mseLoss', options, LOSS_KEYS);
  checkBroadcastPair('mseLoss', input, target);
  const reduction = checkReduction('mseLoss', options.reduction);
  return reduce(square(sub(input, target)), reduction);
}

/** Mean absolute error |x − y|; input and target broadcast together, as in mseLoss (no warning). */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('l1Loss', options, LOSS_KEYS);
  checkBroadcastPair('l1Loss', input, target);
  const reduction = checkReduction('l1Loss', options.reduction);
  return reduce(abs(sub(input, target)), reduction);
}

export interface BinaryCrossEntropyWithLogitsOptions extends LossOptions {
  /** A weight per element, broadcast to the input's shape (which it must not enlarge). Default none. */
  weight?: Tensor | null;
  /**
   * The weight p of the positive term, broadcast to the input's shape: usually one per class, [C],
   * along the last axis (p = negatives/positives balances a class). Default none (p = 1).
   */
  posWeight?: Tensor | null;
}

const BCE_KEYS: OptionKeys<BinaryCrossEntropyWithLogitsOptions> = {
  reduction: true,
  weight: true,
  posWeight: true,
};

/** BCE's weight or posWeight: a constant that broadcasts to the input's shape without enlarging it. */
function checkBroadcastWeight(name: string, w: unknown, input: Tensor): Tensor | null {
  const op = 'binaryCrossEntropyWithLogits';
  return checkConstantWeight({
    op,
    name,
    value: w,
    input,
    expected: 'a Tensor or null',
    differentiable: false,
    checkShape: (t) => {
      const shape = broadcastShapes(`${op}: ${name} and input`, t.shape, input.shape);
      if (!shapesEqual(shape, input.shape)) {
        throw new RangeError(
          `${op}: ${name} of shape ${formatShape(t.shape)} must broadcast to the input's shape ${formatShape(input.shape)} without enlarging it`,
        );
      }
    },
  });
}

/**
 * Binary cross-entropy on logits x with targets y in [0, 1], a pos-weight p and a weight w:
 * ℓ = −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], computed as
 * w·(softplus(x) − x·y + (p − 1)·y·softplus(−x)), which is exact for logits of any magnitude
 * (softplus(x) = x + softplus(−x) turns it into PyTorch's (1 − y)·x + (1 + (p − 1)·y)·softplus(−x));
 * gradient w·(σ(x) − y − (p − 1)·y·σ(−x)) (the target gets one too). Input and target must have the
 * same shape, as in PyTorch; `weight` and `posWeight` broadcast to it and, as in PyTorch, are constants
 * (one that requires a gradient is refused).
 * @example binaryCrossEntropyWithLogits(logits, targets, { posWeight: tensor([3, 1, 0.5]) })
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor,
  options: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  checkOptions(op, options, BCE_KEYS);
  requireTensor(op, 'input', logits);
  requireTensor(op, 'target', target);
  requireFloat(op, logits);
  requireFloat(op, target, 'target');
  requireInputBackend(op, 'target', target, logits);
  if (!shapesEqual(logits.shape, target.shape)) {
    throw new RangeError(
      `${op}: input ${formatShape(logits.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
  const reduction = checkReduction(op, options.reduction);
  const weight = checkBroadcastWeight('weight', options.weight, logits);
  const posWeight = checkBroadcastWeight('posWeight', options.posWeight, logits);
  let loss = sub(softplus(logits), mul(logits, target));
  if (posWeight !== null) loss = add(loss, mul(mul(sub(posWeight, 1), target), softplus(neg(logits))));
  if (weight !== null) loss = mul(loss, weight);
  return reduce(loss, reduction);
}
