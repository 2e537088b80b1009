/**
 * Optimizers as chains of gradient transformations (Optax's `optax.adam` and friends). Options may be
 * numbers or functions returning numbers (read at every step). The PyTorch-like classes in
 * src/optim/optimizers/ build exactly these chains, reading their options from parameter groups.
 *
 * The order inside each chain is the algorithm: see the comments on each. An alias that a backend
 * kernel can run in one pass (SGD, Adam, AdamW, AdaGrad, RMSprop) declares that fused form on the
 * chain it returns (`withFused`, fused.ts), from the same hyperparameters and transformations.
 */
import { checkOptions, type OptionKeys } from '../util/options.js';
import { fusedAdagrad, fusedAdam, fusedRmsprop, fusedSgd, stateOfPart, withFused } from './fused.js';
import { type Chain, chain, type Hyper, read } from './transform.js';
import { addDecayedWeights } from './transforms/add_decayed_weights.js';
import { nesterovLookahead } from './transforms/nesterov_lookahead.js';
import { scale } from './transforms/scale.js';
import { scaleByAdadelta } from './transforms/scale_by_adadelta.js';
import { scaleByAdagrad } from './transforms/scale_by_adagrad.js';
import { scaleByAdam } from './transforms/scale_by_adam.js';
import { scaleByAdamax } from './transforms/scale_by_adamax.js';
import { scaleByAggmo } from './transforms/scale_by_aggmo.js';
import { scaleByDemon } from './transforms/scale_by_demon.js';
import { scaleByLearningRate } from './transforms/scale_by_learning_rate.js';
import { scaleByLion } from './transforms/scale_by_lion.js';
import { scaleByNadam } from './transforms/scale_by_nadam.js';
import { scaleByQhadam } from './transforms/scale_by_qhadam.js';
import { scaleByQhm } from './transforms/scale_by_qhm.js';
import { scaleByRadam } from './transforms/scale_by_radam.js';
import { scaleByRms } from './transforms/scale_by_rms.js';
import { scaleByTrustRatio } from './transforms/scale_by_trust_ratio.js';
import { trace } from './transforms/trace.js';

type Betas = readonly [number, number];

const sign = (maximize: Hyper<boolean> | undefined) => scale(() => (read(maximize ?? false) ? -1 : 1));
const beta = (betas: Hyper<Betas> | undefined, i: 0 | 1, fallback: Betas) => () => read(betas ?? fallback)[i];

export interface SgdChainOptions {
  lr: Hyper<number>;
  momentum?: Hyper<number>;
  dampening?: Hyper<number>;
  nesterov?: Hyper<boolean>;
  /** 'pytorch' (default): u = g + ρb; 'lookahead': the course's v ← ρv − η∇J(θ + ρv), needs step(closure). */
  nesterovForm?: 'pytorch' | 'lookahead';
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** SGD: [maximize] → L2 (weightDecay) → momentum → −lr; fused as the `'sgd'` kernel (not the look-ahead form). */
export function sgd(o: SgdChainOptions): Chain {
  checkOptions('sgd', o, {
    lr: true,
    momentum: true,
    dampening: true,
    nesterov: true,
    nesterovForm: true,
    weightDecay: true,
    maximize: true,
  });
  if (o.nesterovForm === 'lookahead') {
    return chain(
      sign(o.maximize),
      addDecayedWeights(o.weightDecay ?? 0),
      nesterovLookahead({ momentum: o.momentum ?? 0, lr: o.lr }),
    );
  }
  const h = {
    lr: o.lr,
    momentum: o.momentum ?? 0,
    dampening: o.dampening ?? 0,
    nesterov: o.nesterov ?? false,
    weightDecay: o.weightDecay ?? 0,
    maximize: o.maximize ?? false,
  };
  const momentum = trace({ momentum: h.momentum, dampening: h.dampening, nesterov: h.nesterov });
  const c = chain(sign(h.maximize), addDecayedWeights(h.weightDecay), momentum, scaleByLearningRate(h.lr));
  return withFused(c, fusedSgd(h, stateOfPart(c, momentum)));
}

export interface AdamChainOptions {
  lr: Hyper<number>;
  betas?: Hyper<Betas>;
  eps?: Hyper<number>;
  weightDecay?: Hyper<number>;
  amsgrad?: Hyper<boolean>;
  maximize?: Hyper<boolean>;
  biasCorrection?: Hyper<boolean>;
  epsInsideSqrt?: Hyper<boolean>;
}

/** Adam's options with their defaults (`weightDecay`'s is Adam's or AdamW's), read by the chain and its fused form alike. */
function adamHypers(o: AdamChainOptions, weightDecay: number) {
  return {
    lr: o.lr,
    betas: o.betas ?? ([0.9, 0.999] as const),
    eps: o.eps ?? 1e-8,
    weightDecay: o.weightDecay ?? weightDecay,
    amsgrad: o.amsgrad ?? false,
    maximize: o.maximize ?? false,
    biasCorrection: o.biasCorrection ?? true,
    epsInsideSqrt: o.epsInsideSqrt ?? false,
  };
}

function adamScaler(h: ReturnType<typeof adamHypers>) {
  return scaleByAdam({
    b1: beta(h.betas, 0, [0.9, 0.999]),
    b2: beta(h.betas, 1, [0.9, 0.999]),
    eps: h.eps,
    amsgrad: h.amsgrad,
    biasCorrection: h.biasCorrection,
    epsInsideSqrt: h.epsInsideSqrt,
  });
}

const ADAM_CHAIN_KEYS: OptionKeys<AdamChainOptions> = {
  lr: true,
  betas: true,
  eps: true,
  weightDecay: true,
  amsgrad: true,
  maximize: true,
  biasCorrection: true,
  epsInsideSqrt: true,
};

/**
 * Adam: [maximize] → L2 (weightDecay, coupled: it passes through the adaptive scaling) → Adam → −lr;
 * fused as the `'adam'` kernel.
 */
export function adam(o: AdamChainOptions): Chain {
  checkOptions('adam', o, ADAM_CHAIN_KEYS);
  const h = adamHypers(o, 0);
  const scaler = adamScaler(h);
  const c = chain(sign(h.maximize), addDecayedWeights(h.weightDecay), scaler, scaleByLearningRate(h.lr));
  return withFused(c, fusedAdam('adam', h, stateOfPart(c, scaler)));
}

/**
 * AdamW: [maximize] → Adam → decoupled weight decay (added after the scaling) → −lr; fused as the
 * `'adamw'` kernel.
 */
export function adamw(o: AdamChainOptions): Chain {
  checkOptions('adamw', o, ADAM_CHAIN_KEYS);
  const h = adamHypers(o, 0.01);
  const scaler = adamScaler(h);
  const c = chain(sign(h.maximize), scaler, addDecayedWeights(h.weightDecay), scaleByLearningRate(h.lr));
  return withFused(c, fusedAdam('adamw', h, stateOfPart(c, scaler)));
}

export interface AdagradChainOptions {
  lr: Hyper<number>;
  lrDecay?: Hyper<number>;
  weightDecay?: Hyper<number>;
  initialAccumulatorValue?: number;
  eps?: Hyper<number>;
  maximize?: Hyper<boolean>;
  epsInsideSqrt?: Hyper<boolean>;
}

/** AdaGrad: [maximize] → L2 → AdaGrad scaling (with lrDecay) → −lr; fused as the `'adagrad'` kernel. */
export function adagrad(o: AdagradChainOptions): Chain {
  checkOptions('adagrad', o, {
    lr: true,
    lrDecay: true,
    weightDecay: true,
    initialAccumulatorValue: true,
    eps: true,
    maximize: true,
    epsInsideSqrt: true,
  });
  const h = {
    lr: o.lr,
    lrDecay: o.lrDecay ?? 0,
    weightDecay: o.weightDecay ?? 0,
    eps: o.eps ?? 1e-10,
    maximize: o.maximize ?? false,
    epsInsideSqrt: o.epsInsideSqrt ?? false,
  };
  const scaler = scaleByAdagrad({
    eps: h.eps,
    lrDecay: h.lrDecay,
    initialAccumulatorValue: o.initialAccumulatorValue ?? 0,
    epsInsideSqrt: h.epsInsideSqrt,
  });
  const c = chain(sign(h.maximize), addDecayedWeights(h.weightDecay), scaler, scaleByLearningRate(h.lr));
  return withFused(c, fusedAdagrad(h, stateOfPart(c, scaler)));
}

export interface RmspropChainOptions {
  lr: Hyper<number>;
  alpha?: Hyper<number>;
  eps?: Hyper<number>;
  weightDecay?: Hyper<number>;
  momentum?: Hyper<number>;
  centered?: Hyper<boolean>;
  maximize?: Hyper<boolean>;
  epsInsideSqrt?: Hyper<boolean>;
}

/** RMSprop: [maximize] → L2 → RMS scaling → momentum (no dampening) → −lr; fused as the `'rmsprop'` kernel. */
export function rmsprop(o: RmspropChainOptions): Chain {
  checkOptions('rmsprop', o, {
    lr: true,
    alpha: true,
    eps: true,
    weightDecay: true,
    momentum: true,
    centered: true,
    maximize: true,
    epsInsideSqrt: true,
  });
  const h = {
    lr: o.lr,
    alpha: o.alpha ?? 0.99,
    eps: o.eps ?? 1e-8,
    weightDecay: o.weightDecay ?? 0,
    momentum: o.momentum ?? 0,
    centered: o.centered ?? false,
    maximize: o.maximize ?? false,
    epsInsideSqrt: o.epsInsideSqrt ?? false,
  };
  const rms = scaleByRms({
    alpha: h.alpha,
    eps: h.eps,
    centered: h.centered,
    epsInsideSqrt: h.epsInsideSqrt,
  });
  const momentum = trace({ momentum: h.momentum });
  const c = chain(
    sign(h.maximize),
    addDecayedWeights(h.weightDecay),
    rms,
    momentum,
    scaleByLearningRate(h.lr),
  );
  return withFused(c, fusedRmsprop(h, stateOfPart(c, rms), stateOfPart(c, momentum)));
}

export interface AdadeltaChainOptions {
  lr?: Hyper<number>;
  rho?: Hyper<number>;
  eps?: Hyper<number>;
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** AdaDelta: [maximize] → L2 → AdaDelta scaling → −lr (default lr 1). */
export function adadelta(o: AdadeltaChainOptions = {}): Chain {
  checkOptions('adadelta', o, { lr: true, rho: true, eps: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByAdadelta({ rho: o.rho ?? 0.9, eps: o.eps ?? 1e-6 }),
    scaleByLearningRate(o.lr ?? 1),
  );
}

export interface AdamaxChainOptions {
  lr: Hyper<number>;
  betas?: Hyper<Betas>;
  eps?: Hyper<number>;
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** Adamax: [maximize] → L2 → Adamax scaling → −lr. */
export function adamax(o: AdamaxChainOptions): Chain {
  checkOptions('adamax', o, { lr: true, betas: true, eps: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByAdamax({
      b1: beta(o.betas, 0, [0.9, 0.999]),
      b2: beta(o.betas, 1, [0.9, 0.999]),
      eps: o.eps ?? 1e-8,
    }),
    scaleByLearningRate(o.lr),
  );
}

export interface NadamChainOptions extends AdamaxChainOptions {
  momentumDecay?: Hyper<number>;
}

/** NAdam: [maximize] → L2 → NAdam scaling → −lr. */
export function nadam(o: NadamChainOptions): Chain {
  checkOptions('nadam', o, {
    lr: true,
    betas: true,
    eps: true,
    weightDecay: true,
    maximize: true,
    momentumDecay: true,
  });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByNadam({
      b1: beta(o.betas, 0, [0.9, 0.999]),
      b2: beta(o.betas, 1, [0.9, 0.999]),
      eps: o.eps ?? 1e-8,
      momentumDecay: o.momentumDecay ?? 4e-3,
    }),
    scaleByLearningRate(o.lr),
  );
}

/** RAdam: [maximize] → L2 → rectified Adam scaling → −lr. */
export function radam(o: AdamaxChainOptions): Chain {
  checkOptions('radam', o, { lr: true, betas: true, eps: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByRadam({
      b1: beta(o.betas, 0, [0.9, 0.999]),
      b2: beta(o.betas, 1, [0.9, 0.999]),
      eps: o.eps ?? 1e-8,
    }),
    scaleByLearningRate(o.lr),
  );
}

export interface LionChainOptions {
  lr: Hyper<number>;
  betas?: Hyper<Betas>;
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** Lion: [maximize] → sign update → decoupled weight decay → −lr. */
export function lion(o: LionChainOptions): Chain {
  checkOptions('lion', o, { lr: true, betas: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    scaleByLion({ b1: beta(o.betas, 0, [0.9, 0.99]), b2: beta(o.betas, 1, [0.9, 0.99]) }),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByLearningRate(o.lr),
  );
}

export interface LambChainOptions extends AdamaxChainOptions {}

/** LAMB: [maximize] → Adam scaling → decoupled weight decay → layer-wise trust ratio → −lr. */
export function lamb(o: LambChainOptions): Chain {
  checkOptions('lamb', o, { lr: true, betas: true, eps: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    scaleByAdam({
      b1: beta(o.betas, 0, [0.9, 0.999]),
      b2: beta(o.betas, 1, [0.9, 0.999]),
      eps: o.eps ?? 1e-6,
    }),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByTrustRatio(),
    scaleByLearningRate(o.lr),
  );
}

export interface QhmChainOptions {
  lr: Hyper<number>;
  momentum?: Hyper<number>;
  nu?: Hyper<number>;
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** QHM: [maximize] → L2 → quasi-hyperbolic momentum → −lr. */
export function qhm(o: QhmChainOptions): Chain {
  checkOptions('qhm', o, { lr: true, momentum: true, nu: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByQhm({ beta: o.momentum ?? 0.999, nu: o.nu ?? 0.7 }),
    scaleByLearningRate(o.lr),
  );
}

export interface QhadamChainOptions extends AdamaxChainOptions {
  nus?: Hyper<Betas>;
}

/** QHAdam: [maximize] → L2 → QHAdam scaling → −lr. */
export function qhadam(o: QhadamChainOptions): Chain {
  checkOptions('qhadam', o, {
    lr: true,
    betas: true,
    eps: true,
    weightDecay: true,
    maximize: true,
    nus: true,
  });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByQhadam({
      b1: beta(o.betas, 0, [0.995, 0.999]),
      b2: beta(o.betas, 1, [0.995, 0.999]),
      nu1: beta(o.nus, 0, [0.7, 1]),
      nu2: beta(o.nus, 1, [0.7, 1]),
      eps: o.eps ?? 1e-8,
    }),
    scaleByLearningRate(o.lr),
  );
}

export interface AggmoChainOptions {
  lr: Hyper<number>;
  betas?: Hyper<readonly number[]>;
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** AggMo: [maximize] → L2 → aggregated momentum → −lr. */
export function aggmo(o: AggmoChainOptions): Chain {
  checkOptions('aggmo', o, { lr: true, betas: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByAggmo({ betas: o.betas ?? [0, 0.9, 0.99] }),
    scaleByLearningRate(o.lr),
  );
}

export interface DemonChainOptions {
  lr: Hyper<number>;
  momentum?: Hyper<number>;
  totalSteps: Hyper<number>;
  weightDecay?: Hyper<number>;
  maximize?: Hyper<boolean>;
}

/** Demon: [maximize] → L2 → momentum with decaying β → −lr. */
export function demon(o: DemonChainOptions): Chain {
  checkOptions('demon', o, { lr: true, momentum: true, totalSteps: true, weightDecay: true, maximize: true });
  return chain(
    sign(o.maximize),
    addDecayedWeights(o.weightDecay ?? 0),
    scaleByDemon({ momentum: o.momentum ?? 0.9, totalSteps: o.totalSteps }),
    scaleByLearningRate(o.lr),
  );
}
