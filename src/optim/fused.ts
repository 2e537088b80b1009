/**
 * Fused optimizer updates: SGD, Adam, AdamW, RMSprop and AdaGrad update a parameter and its state in
 * one kernel call (`Backend.optimizerUpdate`) instead of running their chain of transformations, which
 * is about a dozen elementwise tensor ops per parameter — on the WebAssembly backend each a separate
 * pass over memory and a new allocation. The result is bit-identical to the chain's: the kernels
 * perform the chain's float32 operations in its order, with its scalars (src/backend/optimizer_update.ts),
 * and the state stays the chain's tensors, so `stateDict()`, the wrappers and switching between the two
 * paths see no difference. The chain stays the specification and the fallback
 * (test/optim/fused_update.test.ts holds the two to the same bits).
 *
 * Fusion is declared, not detected: the alias that builds a chain (alias.ts) attaches the chain's fused
 * form with `withFused`, built by one of the `fused*` functions below from the alias's own
 * hyperparameters and the very transformations it chained (whose state it reads through
 * `stateOfPart`, typed by the transformation). A form maps one step's hyperparameters and a parameter's
 * chain state to a kernel call, doing to the state what the chain's transformation would (counting the
 * step, creating a lazy buffer), or returns null, before touching anything, when the state cannot go
 * to a kernel. A chain without a fused form (any other alias, SGD's look-ahead Nesterov form, a chain
 * built by hand) always runs as a chain.
 */
import type { OptimizerUpdateCall } from '../backend/optimizer_update.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AdamOptions } from './optimizers/adam.js';
import type { RmspropOptions } from './optimizers/rmsprop.js';
import { type Chain, type GradientTransformation, type Hyper, read, zerosLikeState } from './transform.js';
import type { AdagradState } from './transforms/scale_by_adagrad.js';
import type { AdamState } from './transforms/scale_by_adam.js';
import type { RmsState } from './transforms/scale_by_rms.js';
import type { TraceState } from './transforms/trace.js';

/** A fused update ready to run: the call and the state tensors it takes after `[param, grad]`. */
interface FusedUpdate {
  readonly call: OptimizerUpdateCall;
  readonly state: readonly Tensor[];
}

/** A chain's fused form: one parameter's update this step as a kernel call, or null to run the chain. */
export type FusedForm = (states: readonly unknown[], param: Tensor) => FusedUpdate | null;

/** Reads one transformation's state out of a chain's per-parameter states. */
type StateOf<S> = (states: readonly unknown[]) => S;

/** Every hyperparameter of `T`, each a constant or read at each step. */
type Hypers<T> = { readonly [K in keyof T]: Hyper<T[K]> };

/**
 * Reads the state `part` keeps in `c`'s per-parameter state tuple: found by the transformation's
 * identity when the chain is built (never by an assumed position), typed by the transformation.
 */
export function stateOfPart<S>(c: Chain, part: GradientTransformation<S>): StateOf<S> {
  const index = c.parts.indexOf(part);
  if (index < 0) throw new Error(`stateOfPart: ${part.name} is not a part of ${c.name}`);
  return (states) => states[index] as S;
}

/** `c` with `form` declared as its fused form (what the facade runs instead of the chain). */
export function withFused(c: Chain, form: FusedForm): Chain {
  return { ...c, fused: form };
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

const flat = (t: Tensor | null, param: Tensor): boolean => t === null || isFlatLike(t, param);

interface SgdHypers {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

/** SGD's chain [scale, addDecayedWeights, trace, scaleByLearningRate] as one call. */
export function fusedSgd(h: Hypers<SgdHypers>, traceOf: StateOf<TraceState>): FusedForm {
  return (states, param) => {
    const trace = traceOf(states);
    if (!flat(trace.momentumBuffer, param)) return null;
    const momentum = read(h.momentum);
    // trace leaves its buffer alone while the momentum is 0; otherwise its first step sets it to g.
    const initMomentum = momentum !== 0 && trace.momentumBuffer === null;
    if (initMomentum) trace.momentumBuffer = zerosLikeState(param);
    return {
      call: {
        kind: 'sgd',
        lr: read(h.lr),
        weightDecay: read(h.weightDecay),
        momentum,
        oneMinusDampening: 1 - read(h.dampening),
        nesterov: read(h.nesterov),
        initMomentum,
        maximize: read(h.maximize),
      },
      state: momentum === 0 ? [] : [trace.momentumBuffer!],
    };
  };
}

/** The options the fused Adam/AdamW kernel reads (the facade's, by their names). */
type AdamHypers = AdamOptions;

/**
 * Adam's chain [scale, addDecayedWeights, scaleByAdam, scaleByLearningRate] (`'adam'`) or AdamW's
 * [scale, scaleByAdam, addDecayedWeights, scaleByLearningRate] (`'adamw'`) as one call.
 */
export function fusedAdam(
  kind: 'adam' | 'adamw',
  h: Hypers<AdamHypers>,
  adamOf: StateOf<AdamState>,
): FusedForm {
  return (states, param) => {
    const s = adamOf(states);
    if (!flat(s.expAvg, param) || !flat(s.expAvgSq, param) || !flat(s.maxExpAvgSq, param)) return null;
    const [b1, b2] = read(h.betas);
    const amsgrad = read(h.amsgrad);
    s.step += 1;
    if (amsgrad) s.maxExpAvgSq ??= zerosLikeState(param);
    const corrected = read(h.biasCorrection);
    const bc1 = corrected ? 1 - b1 ** s.step : 1;
    const bc2 = corrected ? 1 - b2 ** s.step : 1;
    return {
      call: {
        kind,
        lr: read(h.lr),
        weightDecay: read(h.weightDecay),
        beta1: b1,
        oneMinusBeta1: 1 - b1,
        beta2: b2,
        oneMinusBeta2: 1 - b2,
        eps: read(h.eps),
        biasCorrection1: bc1,
        biasCorrection2: bc2,
        sqrtBiasCorrection2: Math.sqrt(bc2),
        amsgrad,
        epsInsideSqrt: read(h.epsInsideSqrt),
        maximize: read(h.maximize),
      },
      state: amsgrad ? [s.expAvg, s.expAvgSq, s.maxExpAvgSq!] : [s.expAvg, s.expAvgSq],
    };
  };
}

/** The options the fused RMSprop kernel reads. */
type RmspropHypers = RmspropOptions;

/** RMSprop's chain [scale, addDecayedWeights, scaleByRms, trace, scaleByLearningRate] as one call. */
export function fusedRmsprop(
  h: Hypers<RmspropHypers>,
  rmsOf: StateOf<RmsState>,
  traceOf: StateOf<TraceState>,
): FusedForm {
  return (states, param) => {
    const s = rmsOf(states);
    const trace = traceOf(states);
    if (!flat(s.squareAvg, param) || !flat(s.gradAvg, param) || !flat(trace.momentumBuffer, param))
      return null;
    const centered = read(h.centered);
    if (centered) s.gradAvg ??= zerosLikeState(param);
    const momentum = read(h.momentum);
    const initMomentum = momentum !== 0 && trace.momentumBuffer === null;
    if (initMomentum) trace.momentumBuffer = zerosLikeState(param);
    const state = [s.squareAvg];
    if (centered) state.push(s.gradAvg!);
    if (momentum !== 0) state.push(trace.momentumBuffer!);
    const alpha = read(h.alpha);
    return {
      call: {
        kind: 'rmsprop',
        lr: read(h.lr),
        weightDecay: read(h.weightDecay),
        alpha,
        oneMinusAlpha: 1 - alpha,
        eps: read(h.eps),
        centered,
        epsInsideSqrt: read(h.epsInsideSqrt),
        momentum,
        initMomentum,
        maximize: read(h.maximize),
      },
      state,
    };
  };
}

interface AdagradHypers {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
  epsInsideSqrt: boolean;
}

/** AdaGrad's chain [scale, addDecayedWeights, scaleByAdagrad, scaleByLearningRate] as one call. */
export function fusedAdagrad(h: Hypers<AdagradHypers>, adagradOf: StateOf<AdagradState>): FusedForm {
  return (states, param) => {
    const s = adagradOf(states);
    if (!flat(s.sum, param)) return null;
    s.step += 1;
    const lrDecay = read(h.lrDecay);
    return {
      call: {
        kind: 'adagrad',
        lr: read(h.lr),
        weightDecay: read(h.weightDecay),
        eps: read(h.eps),
        stepSizeDivisor: lrDecay === 0 ? 1 : 1 + (s.step - 1) * lrDecay,
        epsInsideSqrt: read(h.epsInsideSqrt),
        maximize: read(h.maximize),
      },
      state: [s.sum],
    };
  };
}
