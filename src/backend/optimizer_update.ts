/**
 * Fused optimizer updates: the call a backend's `optimizerUpdate` kernel receives.
 *
 * An optimizer step run as a chain of gradient transformations (src/optim/alias.ts) is about a dozen
 * elementwise ops per parameter, each a pass over memory and a new tensor. A fused update reads the
 * parameter, its gradient and the optimizer state once, and writes the parameter and the state in
 * place, in one pass. It computes exactly what the chain computes: the same float32 operations in the
 * same order, every scalar rounded to the buffers' dtype as a number combined with a tensor is, so the
 * results are bit-identical to the chain's (test/optim/fused_update.test.ts).
 *
 * The caller (the optimizer facade, src/optim/fused.ts) reads the hyperparameters of this step and
 * computes the per-step scalars (Adam's bias corrections, AdaGrad's step-size divisor) in float64, as
 * the chain does; the kernel only rounds them. A flag or a scalar being 0 switches its stage off the
 * way the chain's `=== 0` tests do, judged on the float64 value.
 *
 * Buffers, always: `[param, grad, ...state]`, contiguous, of one dtype and one length; the state
 * buffers each kind takes are listed on its call. Every one is written in place except `grad`.
 */

/**
 * SGD with momentum, as `sgd()` in src/optim/alias.ts (torch.optim.SGD):
 * g ← ±∇ (maximize); g ← g + λθ; b ← g on the first step with momentum, else b ← ρb + (1 − τ)g;
 * u = g + ρb (nesterov) or b; θ ← θ + u·(−η). Without momentum u = g.
 *
 * Buffers: `[param, grad]` when `momentum` is 0, else `[param, grad, momentumBuffer]`.
 */
export interface SgdUpdateCall {
  readonly kind: 'sgd';
  /** η. */
  readonly lr: number;
  /** λ, coupled L2 (0: none). */
  readonly weightDecay: number;
  /** ρ (0: no momentum buffer). */
  readonly momentum: number;
  /** 1 − τ, the weight of the new gradient in the momentum buffer (τ the dampening). */
  readonly oneMinusDampening: number;
  readonly nesterov: boolean;
  /** The momentum buffer has no value yet: it is set to the gradient (PyTorch's first step). */
  readonly initMomentum: boolean;
  readonly maximize: boolean;
}

/**
 * Adam (`kind: 'adam'`, L2 coupled: added to the gradient) and AdamW (`kind: 'adamw'`, decoupled: added
 * to the update after the scaling), as `adam()`/`adamw()` in src/optim/alias.ts:
 * g ← ±∇; [adam: g ← g + λθ]; m ← β₁m + (1 − β₁)g; v ← β₂v + ((1 − β₂)g)·g; [amsgrad: v̄ ← max(v̄, v)];
 * d = √v / √bc₂ + ε, or √(v / bc₂ + ε) with epsInsideSqrt; u = m / d, then u / bc₁ unless bc₁ is 1;
 * [adamw: u ← u + λθ]; θ ← θ + u·(−η).
 *
 * Buffers: `[param, grad, expAvg, expAvgSq]`, and `maxExpAvgSq` after them with amsgrad.
 */
export interface AdamUpdateCall {
  readonly kind: 'adam' | 'adamw';
  readonly lr: number;
  readonly weightDecay: number;
  readonly beta1: number;
  /** 1 − β₁. */
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  /** 1 − β₂. */
  readonly oneMinusBeta2: number;
  readonly eps: number;
  /** 1 − β₁^t, or 1 without bias correction. */
  readonly biasCorrection1: number;
  /** 1 − β₂^t, or 1 without bias correction. */
  readonly biasCorrection2: number;
  /** √(1 − β₂^t) (rounded from the float64 square root). */
  readonly sqrtBiasCorrection2: number;
  readonly amsgrad: boolean;
  readonly epsInsideSqrt: boolean;
  readonly maximize: boolean;
}

/**
 * RMSprop, as `rmsprop()` in src/optim/alias.ts (torch.optim.RMSprop):
 * g ← ±∇; g ← g + λθ; s ← αs + ((1 − α)g)·g; [centered: a ← αa + (1 − α)g, s̃ = s − a·a];
 * d = √s̃ + ε, or √(s̃ + ε) with epsInsideSqrt; u = g / d; [momentum: b ← u on its first step, else
 * b ← ρb + u; u = b]; θ ← θ + u·(−η).
 *
 * Buffers: `[param, grad, squareAvg]`, then `gradAvg` when centered, then `momentumBuffer` when
 * `momentum` is not 0.
 */
export interface RmspropUpdateCall {
  readonly kind: 'rmsprop';
  readonly lr: number;
  readonly weightDecay: number;
  /** α. */
  readonly alpha: number;
  /** 1 − α. */
  readonly oneMinusAlpha: number;
  readonly eps: number;
  readonly centered: boolean;
  readonly epsInsideSqrt: boolean;
  /** ρ (0: no momentum buffer). */
  readonly momentum: number;
  /** The momentum buffer has no value yet: it is set to the scaled gradient. */
  readonly initMomentum: boolean;
  readonly maximize: boolean;
}

/**
 * AdaGrad, as `adagrad()` in src/optim/alias.ts (torch.optim.Adagrad):
 * g ← ±∇; g ← g + λθ; s ← s + g·g; d = √s + ε, or √(s + ε) with epsInsideSqrt; u = g / d, then
 * u / k unless k is 1, with k = 1 + (t − 1)·lrDecay; θ ← θ + u·(−η).
 *
 * Buffers: `[param, grad, sum]`.
 */
export interface AdagradUpdateCall {
  readonly kind: 'adagrad';
  readonly lr: number;
  readonly weightDecay: number;
  readonly eps: number;
  /** k = 1 + (t − 1)·lrDecay, the step-size divisor of step t (1 when lrDecay is 0). */
  readonly stepSizeDivisor: number;
  readonly epsInsideSqrt: boolean;
  readonly maximize: boolean;
}

/** One fused optimizer update of one parameter; `kind` names the algorithm and the buffers it takes. */
export type OptimizerUpdateCall = SgdUpdateCall | AdamUpdateCall | RmspropUpdateCall | AdagradUpdateCall;

/** How many buffers (param and grad included) a call takes. */
function optimizerUpdateBufferCount(call: OptimizerUpdateCall): number {
  switch (call.kind) {
    case 'sgd':
      return call.momentum === 0 ? 2 : 3;
    case 'adam':
    case 'adamw':
      return call.amsgrad ? 5 : 4;
    case 'rmsprop':
      return 3 + (call.centered ? 1 : 0) + (call.momentum === 0 ? 0 : 1);
    case 'adagrad':
      return 3;
    default:
      throw new Error(`optimizerUpdate: unknown update kind '${(call as { kind: unknown }).kind}'`);
  }
}

/**
 * Checks a call's buffers (their number, one length, one floating-point dtype) before a backend runs
 * it; throws an error saying what is wrong.
 */
export function checkOptimizerUpdate(
  call: OptimizerUpdateCall,
  buffers: readonly { readonly dtype: string; readonly length: number }[],
): void {
  const expected = optimizerUpdateBufferCount(call);
  if (buffers.length !== expected) {
    throw new RangeError(
      `optimizerUpdate: a '${call.kind}' update with these options takes ${expected} buffers (param, grad, state), got ${buffers.length}`,
    );
  }
  const { dtype, length } = buffers[0]!;
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new TypeError(`optimizerUpdate: buffers must be floating-point, got ${dtype}`);
  }
  buffers.forEach((b, i) => {
    if (b.dtype !== dtype || b.length !== length) {
      throw new RangeError(
        `optimizerUpdate: every buffer must be ${dtype} of length ${length}; buffer ${i} is ${b.dtype} of length ${b.length}`,
      );
    }
  });
}
