/**
 * Fused optimizer updates on the WebAssembly backend: one kernel of assembly/optim.ts per kind, one pass
 * over the parameter, its gradient and its state. The scalars cross into WebAssembly as f32 arguments,
 * which rounds them to nearest as Math.fround (and a float32 scalar tensor) does; the stage switches are
 * decided here, on the float64 values, as the chain decides them. Bit-identical to the reference
 * (src/backend/reference/optimizer_update.ts) and to the unfused chain, in every build.
 */
import { checkOptimizerUpdate, type OptimizerUpdateCall } from '../optimizer_update.js';
import type { WasmBackend, WasmBuffer } from './wasm_backend.js';

type Ptr = number;

/** The exports of assembly/optim.ts (booleans folded into `flags`). */
interface OptimKernels {
  sgdUpdate(
    n: number,
    p: Ptr,
    g: Ptr,
    b: Ptr,
    flags: number,
    wd: number,
    rho: number,
    keep: number,
    lr: number,
  ): void;
  adamUpdate(
    n: number,
    p: Ptr,
    g: Ptr,
    m: Ptr,
    v: Ptr,
    vMax: Ptr,
    flags: number,
    wd: number,
    b1: number,
    omb1: number,
    b2: number,
    omb2: number,
    eps: number,
    bc1: number,
    bc2: number,
    sqrtBc2: number,
    lr: number,
  ): void;
  rmspropUpdate(
    n: number,
    p: Ptr,
    g: Ptr,
    s: Ptr,
    a: Ptr,
    b: Ptr,
    flags: number,
    wd: number,
    alpha: number,
    oma: number,
    eps: number,
    rho: number,
    lr: number,
  ): void;
  adagradUpdate(
    n: number,
    p: Ptr,
    g: Ptr,
    s: Ptr,
    flags: number,
    wd: number,
    eps: number,
    k: number,
    lr: number,
  ): void;
}

// The flag bits of assembly/optim.ts.
const MAXIMIZE = 1;
const DECAY = 2;
const DECOUPLED = 4;
const AMSGRAD = 8;
const EPS_INSIDE_SQRT = 16;
const DIVIDE = 32;
const MOMENTUM = 64;
const INIT_MOMENTUM = 128;
const NESTEROV = 256;
const CENTERED = 512;

const bit = (on: boolean, flag: number): number => (on ? flag : 0);

/** Runs one fused update in the kernels, in place (see src/backend/optimizer_update.ts for the buffers). */
export function wasmOptimizerUpdate(
  backend: WasmBackend,
  call: OptimizerUpdateCall,
  buffers: readonly WasmBuffer[],
): void {
  checkOptimizerUpdate(call, buffers);
  if (buffers[0]!.dtype !== 'float32') {
    throw new TypeError(
      `optimizerUpdate: the wasm backend updates float32 buffers, got ${buffers[0]!.dtype}`,
    );
  }
  const n = buffers[0]!.length;
  if (n === 0) return;
  const k = backend.kernels as unknown as OptimKernels;
  const ptr = (i: number): Ptr => buffers[i]?.ptr ?? 0;
  const common = bit(call.maximize, MAXIMIZE);
  switch (call.kind) {
    case 'sgd': {
      const flags =
        common |
        bit(call.weightDecay !== 0, DECAY) |
        bit(call.momentum !== 0, MOMENTUM) |
        bit(call.initMomentum, INIT_MOMENTUM) |
        bit(call.nesterov, NESTEROV);
      k.sgdUpdate(
        n,
        ptr(0),
        ptr(1),
        ptr(2),
        flags,
        call.weightDecay,
        call.momentum,
        call.oneMinusDampening,
        call.lr,
      );
      return;
    }
    case 'adam':
    case 'adamw': {
      const decays = call.weightDecay !== 0;
      const flags =
        common |
        bit(decays && call.kind === 'adam', DECAY) |
        bit(decays && call.kind === 'adamw', DECOUPLED) |
        bit(call.amsgrad, AMSGRAD) |
        bit(call.epsInsideSqrt, EPS_INSIDE_SQRT) |
        bit(call.biasCorrection1 !== 1, DIVIDE);
      k.adamUpdate(
        n,
        ptr(0),
        ptr(1),
        ptr(2),
        ptr(3),
        ptr(4),
        flags,
        call.weightDecay,
        call.beta1,
        call.oneMinusBeta1,
        call.beta2,
        call.oneMinusBeta2,
        call.eps,
        call.biasCorrection1,
        call.biasCorrection2,
        call.sqrtBiasCorrection2,
        call.lr,
      );
      return;
    }
    case 'rmsprop': {
      const momentum = call.momentum !== 0;
      const flags =
        common |
        bit(call.weightDecay !== 0, DECAY) |
        bit(call.centered, CENTERED) |
        bit(call.epsInsideSqrt, EPS_INSIDE_SQRT) |
        bit(momentum, MOMENTUM) |
        bit(call.initMomentum, INIT_MOMENTUM);
      k.rmspropUpdate(
        n,
        ptr(0),
        ptr(1),
        ptr(2),
        call.centered ? ptr(3) : 0,
        momentum ? ptr(call.centered ? 4 : 3) : 0,
        flags,
        call.weightDecay,
        call.alpha,
        call.oneMinusAlpha,
        call.eps,
        call.momentum,
        call.lr,
      );
      return;
    }
    case 'adagrad': {
      const flags =
        common |
        bit(call.weightDecay !== 0, DECAY) |
        bit(call.epsInsideSqrt, EPS_INSIDE_SQRT) |
        bit(call.stepSizeDivisor !== 1, DIVIDE);
      k.adagradUpdate(
        n,
        ptr(0),
        ptr(1),
        ptr(2),
        flags,
        call.weightDecay,
        call.eps,
        call.stepSizeDivisor,
        call.lr,
      );
      return;
    }
  }
}
