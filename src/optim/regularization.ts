/**
 * Regularization of the course's form J(θ) = Σ L + λR(θ), with R = ‖w‖₂² (L2) or ‖w‖₁ (L1), where
 * "the penalty does not include the biases" (正则项不考虑偏置). By default every function here skips
 * parameters with at most one dimension — biases and the scales/shifts of normalization layers —
 * and `{ includeBiases: true }` includes them.
 *
 * Relation to optimizers' weightDecay: PyTorch's coupled `weightDecay: λ'` adds λ'θ to the gradient,
 * which is the gradient of (λ'/2)‖θ‖², i.e. l2Penalty with λ = λ'/2 — but applied to every parameter of
 * the group; use `weightDecayGroups` to exclude biases there too.
 */
import { noGrad } from '../autograd/tape.js';
import { add, clamp } from '../ops/elementwise.js';
import { cast } from '../ops/shape_ops.js';
import { zeros } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { clipCoefficient, l2NormOf, maxAbsOf } from './clip_norm.js';

export interface PenaltyOptions {
  /** Also penalize 1-D parameters (biases, normalization scales and shifts). Default false. */
  includeBiases?: boolean;
}

/** Whether a parameter is penalized by default: weights (2-D and more), not biases or norm parameters. */
export function isWeight(p: Tensor): boolean {
  return p.ndim > 1;
}

function selected(op: string, params: Iterable<Tensor>, options: PenaltyOptions): Tensor[] {
  const list = [...params];
  for (const [i, p] of list.entries())
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: params[${i}] is not a Tensor`);
  return options.includeBiases ? list : list.filter(isWeight);
}

function total(terms: Tensor[]): Tensor {
  return terms.length === 0 ? zeros([]) : terms.reduce((a, b) => add(a, b));
}

function checkLambda(op: string, lambda: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda))
    throw new RangeError(`${op}: lambda must be a non-negative number, got ${lambda}`);
}

/** λ·Σ‖w‖₂² over the weights (add it to the loss). */
export function l2Penalty(params: Iterable<Tensor>, lambda: number, options: PenaltyOptions = {}): Tensor {
  checkLambda('l2Penalty', lambda);
  checkOptions('l2Penalty', options, { includeBiases: true });
  const ws = selected('l2Penalty', params, options);
  return total(ws.map((w) => w.square().sum())).mul(lambda);
}

/** λ·Σ‖w‖₁ over the weights (add it to the loss); its subgradient drives small weights to exactly zero. */
export function l1Penalty(params: Iterable<Tensor>, lambda: number, options: PenaltyOptions = {}): Tensor {
  checkLambda('l1Penalty', lambda);
  checkOptions('l1Penalty', options, { includeBiases: true });
  const ws = selected('l1Penalty', params, options);
  return total(ws.map((w) => w.abs().sum())).mul(lambda);
}

/**
 * Parameter groups for an optimizer with weight decay on the weights only:
 * `new AdamW(weightDecayGroups(model.parameters(), 0.01))`.
 */
export function weightDecayGroups(
  params: Iterable<Tensor>,
  weightDecay: number,
  options: PenaltyOptions = {},
): { params: Tensor[]; weightDecay: number }[] {
  checkLambda('weightDecayGroups', weightDecay);
  checkOptions('weightDecayGroups', options, { includeBiases: true });
  const list = [...params];
  const decayed = options.includeBiases ? list : list.filter(isWeight);
  const rest = list.filter((p) => !decayed.includes(p));
  return [
    { params: decayed, weightDecay },
    { params: rest, weightDecay: 0 },
  ].filter((g) => g.params.length > 0);
}

/**
 * Rescales the gradients in place so that their joint norm is at most maxNorm: multiplies each by
 * min(1, maxNorm/(total + 1e-6)); returns the norm before clipping as a 0-d float32 tensor (read it
 * with `item()` or `itemAsync()`), as torch.nn.utils.clip_grad_norm_ (PyTorch 1.13) with the L2 norm,
 * or normType Infinity for the max norm. Nothing is read on the host (clip_norm.ts: a captured step
 * can replay it); a NaN or infinite norm therefore reaches the gradients as in PyTorch (NaN
 * everywhere for NaN; 0, or NaN where a gradient is infinite, for an infinite norm).
 */
export function clipGradNorm_(
  params: Iterable<Tensor>,
  maxNorm: number,
  normType: 2 | typeof Infinity = 2,
): Tensor {
  if (!(maxNorm >= 0))
    throw new RangeError(`clipGradNorm_: maxNorm must be a non-negative number, got ${maxNorm}`);
  if (normType !== 2 && normType !== Infinity)
    throw new RangeError(`clipGradNorm_: normType must be 2 or Infinity, got ${normType}`);
  const grads = [...params].map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return zeros([]);
  return scope(() =>
    noGrad(() => {
      const total = normType === 2 ? l2NormOf(grads) : maxAbsOf(grads);
      // Rounded once to float32, as the host's Math.fround did, whatever the gradients' dtype.
      const coef = cast(clipCoefficient(total, maxNorm), 'float32');
      for (const g of grads) g.assign(g.mul(g.dtype === 'float32' ? coef : cast(coef, g.dtype)));
      return total.dtype === 'float32' ? total : cast(total, 'float32');
    }),
  );
}

/** Clamps every gradient coordinate to [−clipValue, clipValue] in place (torch.nn.utils.clip_grad_value_). */
export function clipGradValue_(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0))
    throw new RangeError(`clipGradValue_: clipValue must be a non-negative number, got ${clipValue}`);
  scope(() =>
    noGrad(() => {
      for (const p of params) if (p.grad !== null) p.grad.assign(clamp(p.grad, -clipValue, clipValue));
    }),
  );
}
