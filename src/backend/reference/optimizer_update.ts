/**
 * The reference meaning of every fused optimizer update: the chain of transformations it replaces
 * (src/optim/alias.ts), written out per element. Each line is one tensor op of the chain, rounded as
 * the reference backend rounds that op's result when it stores it: `r` is Math.fround on float32
 * data (scalars are rounded too, as a number combined with a float32 tensor becomes a float32 scalar)
 * and the identity on float64 data. That is what makes the fused update bit-identical to the chain.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import {
  type AdagradUpdateCall,
  type AdamUpdateCall,
  checkOptimizerUpdate,
  type OptimizerUpdateCall,
  type RmspropUpdateCall,
  type SgdUpdateCall,
} from '../optimizer_update.js';
import { rounder } from './fused.js';

type Round = (x: number) => number;
type Arrays = readonly TypedArray[];

function dtypeOf(a: TypedArray): string {
  return a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32';
}

/** Runs one fused update over the buffers' typed arrays, in place (see src/backend/optimizer_update.ts). */
export function referenceOptimizerUpdate(call: OptimizerUpdateCall, buffers: Arrays): void {
  checkOptimizerUpdate(
    call,
    buffers.map((b) => ({ dtype: dtypeOf(b), length: b.length })),
  );
  const r = rounder(buffers[0]!);
  switch (call.kind) {
    case 'sgd':
      sgd(call, buffers, r);
      break;
    case 'adam':
    case 'adamw':
      adam(call, buffers, r);
      break;
    case 'rmsprop':
      rmsprop(call, buffers, r);
      break;
    case 'adagrad':
      adagrad(call, buffers, r);
      break;
  }
}

function sgd(c: SgdUpdateCall, [p, g, b]: Arrays, r: Round): void {
  const decay = c.weightDecay !== 0;
  const momentum = c.momentum !== 0;
  const wd = r(c.weightDecay);
  const rho = r(c.momentum);
  const keep = r(c.oneMinusDampening);
  const negLr = r(-c.lr);
  for (let i = 0; i < p.length; i++) {
    const theta = p[i]!;
    let u = g[i]!;
    if (c.maximize) u = -u; // scale(−1)
    if (decay) u = r(u + r(theta * wd)); // addDecayedWeights
    if (momentum) {
      // trace
      const bi = c.initMomentum ? u : r(r(b![i]! * rho) + r(u * keep));
      b![i] = bi;
      u = c.nesterov ? r(u + r(bi * rho)) : bi;
    }
    p[i] = r(theta + r(u * negLr)); // scaleByLearningRate, then θ + u
  }
}

function adam(c: AdamUpdateCall, [p, g, m, v, vMax]: Arrays, r: Round): void {
  const coupled = c.kind === 'adam' && c.weightDecay !== 0;
  const decoupled = c.kind === 'adamw' && c.weightDecay !== 0;
  const correct1 = c.biasCorrection1 !== 1;
  const wd = r(c.weightDecay);
  const b1 = r(c.beta1);
  const omb1 = r(c.oneMinusBeta1);
  const b2 = r(c.beta2);
  const omb2 = r(c.oneMinusBeta2);
  const eps = r(c.eps);
  const bc1 = r(c.biasCorrection1);
  const bc2 = r(c.biasCorrection2);
  const sqrtBc2 = r(c.sqrtBiasCorrection2);
  const negLr = r(-c.lr);
  for (let i = 0; i < p.length; i++) {
    const theta = p[i]!;
    let u = g[i]!;
    if (c.maximize) u = -u;
    if (coupled) u = r(u + r(theta * wd));
    // scaleByAdam
    const mi = r(r(m![i]! * b1) + r(u * omb1));
    const vi = r(r(v![i]! * b2) + r(r(u * omb2) * u));
    m![i] = mi;
    v![i] = vi;
    let second = vi;
    if (c.amsgrad) {
      second = Math.max(vMax![i]!, vi); // NaN propagates, as `maximum` does
      vMax![i] = second;
    }
    const denom = c.epsInsideSqrt
      ? r(Math.sqrt(r(r(second / bc2) + eps)))
      : r(r(r(Math.sqrt(second)) / sqrtBc2) + eps);
    u = r(mi / denom);
    if (correct1) u = r(u / bc1);
    if (decoupled) u = r(u + r(theta * wd));
    p[i] = r(theta + r(u * negLr));
  }
}

function rmsprop(c: RmspropUpdateCall, buffers: Arrays, r: Round): void {
  const [p, g, sq] = buffers;
  const ga = c.centered ? buffers[3] : undefined;
  const b = c.momentum !== 0 ? buffers[c.centered ? 4 : 3] : undefined;
  const decay = c.weightDecay !== 0;
  const wd = r(c.weightDecay);
  const alpha = r(c.alpha);
  const oma = r(c.oneMinusAlpha);
  const eps = r(c.eps);
  const rho = r(c.momentum);
  const negLr = r(-c.lr);
  for (let i = 0; i < p!.length; i++) {
    const theta = p![i]!;
    let u = g![i]!;
    if (c.maximize) u = -u;
    if (decay) u = r(u + r(theta * wd));
    // scaleByRms
    const si = r(r(sq![i]! * alpha) + r(r(u * oma) * u));
    sq![i] = si;
    let second = si;
    if (ga !== undefined) {
      const ai = r(r(ga[i]! * alpha) + r(u * oma));
      ga[i] = ai;
      second = r(si - r(ai * ai));
    }
    const denom = c.epsInsideSqrt ? r(Math.sqrt(r(second + eps))) : r(r(Math.sqrt(second)) + eps);
    u = r(u / denom);
    if (b !== undefined) {
      // trace without dampening: the new term is u·1, exact
      const bi = c.initMomentum ? u : r(r(b[i]! * rho) + u);
      b[i] = bi;
      u = bi;
    }
    p![i] = r(theta + r(u * negLr));
  }
}

function adagrad(c: AdagradUpdateCall, [p, g, s]: Arrays, r: Round): void {
  const decay = c.weightDecay !== 0;
  const divide = c.stepSizeDivisor !== 1;
  const wd = r(c.weightDecay);
  const eps = r(c.eps);
  const k = r(c.stepSizeDivisor);
  const negLr = r(-c.lr);
  for (let i = 0; i < p!.length; i++) {
    const theta = p![i]!;
    let u = g![i]!;
    if (c.maximize) u = -u;
    if (decay) u = r(u + r(theta * wd));
    // scaleByAdagrad
    const si = r(s![i]! + r(u * u));
    s![i] = si;
    const denom = c.epsInsideSqrt ? r(Math.sqrt(r(si + eps))) : r(r(Math.sqrt(si)) + eps);
    u = r(u / denom);
    if (divide) u = r(u / k);
    p![i] = r(theta + r(u * negLr));
  }
}
