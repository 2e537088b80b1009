/**
 * Fused optimizer updates for the facade: SGD, Adam, AdamW, RMSprop and AdaGrad update a parameter and
 * its state in one kernel call (`Backend.optimizerUpdate`) instead of running their chain of
 * transformations, which is about a dozen elementwise tensor ops per parameter — on the WebAssembly
 * backend each a separate pass over memory and a new allocation. The result is bit-identical to the
 * chain's: the kernels perform the chain's float32 operations in its order, with its scalars
 * (src/backend/optimizer_update.ts), and the state stays the chain's tensors, so `stateDict()`, the
 * wrappers and switching between the two paths see no difference. The chain stays the specification
 * and the fallback (test/optim/fused_update.test.ts holds the two to the same bits).
 *
 * Each `fused*` function below maps one step's hyperparameters and a parameter's chain state to a
 * kernel call, doing to the state what the chain's transformation would (counting the step, creating a
 * lazy buffer), or returns null, before touching anything, when the state cannot go to a kernel.
 */
import type { OptimizerUpdateCall } from '../backend/optimizer_update.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AdagradOptions } from './optimizers/adagrad.js';
import type { AdamOptions } from './optimizers/adam.js';
import type { RmspropOptions } from './optimizers/rmsprop.js';
import type { SgdOptions } from './optimizers/sgd.js';
import { type Chain, zerosLikeState } from './transform.js';
import type { AdagradState } from './transforms/scale_by_adagrad.js';
import type { AdamState } from './transforms/scale_by_adam.js';
import type { RmsState } from './transforms/scale_by_rms.js';
import type { TraceState } from './transforms/trace.js';

/** A fused update ready to run: the call and the state tensors it takes after `[param, grad]`. */
export interface FusedUpdate {
  readonly call: OptimizerUpdateCall;
  readonly state: readonly Tensor[];
}

/** Whether `t` covers a whole buffer in order, with `like`'s shape, dtype and backend (what a kernel takes). */
export function isFlatLike(t: Tensor, like: Tensor): boolean {
  return (
    t.offset === 0 &&
    t.isContiguous() &&
    t.storage.length === t.size &&
    t.dtype === like.dtype &&
    t.backend === like.backend &&
    shapesEqual(t.shape, like.shape)
  );
}

/** Whether the chain is made of exactly the transformations named, in order: the fused kernels know these chains and no other. */
export function chainIs(chain: Chain, names: readonly string[]): boolean {
  const parts = chain.parts;
  return parts.length === names.length && parts.every((t, i) => t.name === names[i]);
}

const flat = (t: Tensor | null, param: Tensor): boolean => t === null || isFlatLike(t, param);

/** SGD's chain [scale, addDecayedWeights, trace, scaleByLearningRate] as one call. */
export function fusedSgd(o: SgdOptions, trace: TraceState, param: Tensor): FusedUpdate | null {
  if (!flat(trace.momentumBuffer, param)) return null;
  const momentum = o.momentum;
  // trace leaves its buffer alone while the momentum is 0; otherwise its first step sets it to g.
  const initMomentum = momentum !== 0 && trace.momentumBuffer === null;
  if (initMomentum) trace.momentumBuffer = zerosLikeState(param);
  return {
    call: {
      kind: 'sgd',
      lr: o.lr,
      weightDecay: o.weightDecay,
      momentum,
      oneMinusDampening: 1 - o.dampening,
      nesterov: o.nesterov,
      initMomentum,
      maximize: o.maximize,
    },
    state: momentum === 0 ? [] : [trace.momentumBuffer!],
  };
}

/**
 * Adam's chain [scale, addDecayedWeights, scaleByAdam, scaleByLearningRate] (`'adam'`) or AdamW's
 * [scale, scaleByAdam, addDecayedWeights, scaleByLearningRate] (`'adamw'`) as one call.
 */
export function fusedAdam(
  kind: 'adam' | 'adamw',
  o: AdamOptions,
  s: AdamState,
  param: Tensor,
): FusedUpdate | null {
  if (!flat(s.expAvg, param) || !flat(s.expAvgSq, param) || !flat(s.maxExpAvgSq, param)) return null;
  const [b1, b2] = o.betas;
  s.step += 1;
  if (o.amsgrad) s.maxExpAvgSq ??= zerosLikeState(param);
  const bc1 = o.biasCorrection ? 1 - b1 ** s.step : 1;
  const bc2 = o.biasCorrection ? 1 - b2 ** s.step : 1;
  return {
    call: {
      kind,
      lr: o.lr,
      weightDecay: o.weightDecay,
      beta1: b1,
      oneMinusBeta1: 1 - b1,
      beta2: b2,
      oneMinusBeta2: 1 - b2,
      eps: o.eps,
      biasCorrection1: bc1,
      biasCorrection2: bc2,
      sqrtBiasCorrection2: Math.sqrt(bc2),
      amsgrad: o.amsgrad,
      epsInsideSqrt: o.epsInsideSqrt,
      maximize: o.maximize,
    },
    state: o.amsgrad ? [s.expAvg, s.expAvgSq, s.maxExpAvgSq!] : [s.expAvg, s.expAvgSq],
  };
}

/** RMSprop's chain [scale, addDecayedWeights, scaleByRms, trace, scaleByLearningRate] as one call. */
export function fusedRmsprop(
  o: RmspropOptions,
  s: RmsState,
  trace: TraceState,
  param: Tensor,
): FusedUpdate | null {
  if (!flat(s.squareAvg, param) || !flat(s.gradAvg, param) || !flat(trace.momentumBuffer, param)) return null;
  if (o.centered) s.gradAvg ??= zerosLikeState(param);
  const momentum = o.momentum;
  const initMomentum = momentum !== 0 && trace.momentumBuffer === null;
  if (initMomentum) trace.momentumBuffer = zerosLikeState(param);
  const state = [s.squareAvg];
  if (o.centered) state.push(s.gradAvg!);
  if (momentum !== 0) state.push(trace.momentumBuffer!);
  return {
    call: {
      kind: 'rmsprop',
      lr: o.lr,
      weightDecay: o.weightDecay,
      alpha: o.alpha,
      oneMinusAlpha: 1 - o.alpha,
      eps: o.eps,
      centered: o.centered,
      epsInsideSqrt: o.epsInsideSqrt,
      momentum,
      initMomentum,
      maximize: o.maximize,
    },
    state,
  };
}

/** AdaGrad's chain [scale, addDecayedWeights, scaleByAdagrad, scaleByLearningRate] as one call. */
export function fusedAdagrad(o: AdagradOptions, s: AdagradState, param: Tensor): FusedUpdate | null {
  if (!flat(s.sum, param)) return null;
  s.step += 1;
  return {
    call: {
      kind: 'adagrad',
      lr: o.lr,
      weightDecay: o.weightDecay,
      eps: o.eps,
      stepSizeDivisor: o.lrDecay === 0 ? 1 : 1 + (s.step - 1) * o.lrDecay,
      epsInsideSqrt: o.epsInsideSqrt,
      maximize: o.maximize,
    },
    state: [s.sum],
  };
}
