/**
 * Fused optimizer updates on the WebAssembly backend: one kernel of assembly/optim.ts per kind, one pass
 * over the parameter, its gradient and its state. The scalars cross into WebAssembly as f32 arguments,
 * which rounds them to nearest as Math.fround (and a float32 scalar tensor) does; the stage switches are
 * decided here, on the float64 values, as the chain decides them. Bit-identical to the reference
 * (src/backend/reference/optimizer_update.ts) and to the unfused chain, in every build.
 *
 * The kernels' signatures (`Kernels`) and flag bits (`optimFlags`) are generated from assembly/ by
 * scripts/gen_wasm_bindings.mjs; what stays here is each kind's mapping of its call onto its kernel.
 */
import {
  type AdagradUpdateCall,
  type AdamUpdateCall,
  checkOptimizerUpdate,
  type OptimizerUpdateCall,
  type RmspropUpdateCall,
  type SgdUpdateCall,
} from '../optimizer_update.js';
import type { Kernels, Ptr } from './kernel_exports.js';
import { optimFlags as F } from './opcodes.js';
import type { WasmBackend, WasmBuffer } from './wasm_backend.js';

const bit = (on: boolean, flag: number): number => (on ? flag : 0);

/** One kernel launch over one parameter: the kernels, the length, the buffers and the shared flag bits. */
interface Launch {
  k: Kernels;
  n: number;
  buffers: readonly WasmBuffer[];
  /** The stages every kind decides alike (commonFlags). */
  common: number;
}

/**
 * The stages of the gradient every kernel starts from (assembly/optim.ts's gradIn): maximize, and
 * the coupled L2 decay, which every kind but AdamW (decoupled, after the scaling) applies there.
 */
function commonFlags(call: OptimizerUpdateCall): number {
  return bit(call.maximize, F.maximize) | bit(call.weightDecay !== 0 && call.kind !== 'adamw', F.decay);
}

/** The address of buffer `i`, or 0 (a null pointer the kernel does not read) when it is absent. */
const ptr = (launch: Launch, i: number): Ptr => launch.buffers[i]?.ptr ?? 0;

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
  const launch: Launch = { k: backend.kernels, n, buffers, common: commonFlags(call) };
  switch (call.kind) {
    case 'sgd':
      sgd(launch, call);
      return;
    case 'adam':
    case 'adamw':
      adam(launch, call);
      return;
    case 'rmsprop':
      rmsprop(launch, call);
      return;
    case 'adagrad':
      adagrad(launch, call);
      return;
  }
}

function sgd(launch: Launch, call: SgdUpdateCall): void {
  const flags =
    launch.common |
    bit(call.momentum !== 0, F.momentum) |
    bit(call.initMomentum, F.initMomentum) |
    bit(call.nesterov, F.nesterov);
  launch.k.sgdUpdate(
    launch.n,
    ptr(launch, 0),
    ptr(launch, 1),
    ptr(launch, 2),
    flags,
    call.weightDecay,
    call.momentum,
    call.oneMinusDampening,
    call.lr,
  );
}

function adam(launch: Launch, call: AdamUpdateCall): void {
  const flags =
    launch.common |
    bit(call.weightDecay !== 0 && call.kind === 'adamw', F.decoupled) |
    bit(call.amsgrad, F.amsgrad) |
    bit(call.epsInsideSqrt, F.epsInsideSqrt) |
    bit(call.biasCorrection1 !== 1, F.divide);
  launch.k.adamUpdate(
    launch.n,
    ptr(launch, 0),
    ptr(launch, 1),
    ptr(launch, 2),
    ptr(launch, 3),
    ptr(launch, 4),
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
}

/** Buffers: param, grad, square average, then the gradient average (centered), then the momentum buffer. */
function rmsprop(launch: Launch, call: RmspropUpdateCall): void {
  const momentum = call.momentum !== 0;
  const flags =
    launch.common |
    bit(call.centered, F.centered) |
    bit(call.epsInsideSqrt, F.epsInsideSqrt) |
    bit(momentum, F.momentum) |
    bit(call.initMomentum, F.initMomentum);
  launch.k.rmspropUpdate(
    launch.n,
    ptr(launch, 0),
    ptr(launch, 1),
    ptr(launch, 2),
    call.centered ? ptr(launch, 3) : 0,
    momentum ? ptr(launch, call.centered ? 4 : 3) : 0,
    flags,
    call.weightDecay,
    call.alpha,
    call.oneMinusAlpha,
    call.eps,
    call.momentum,
    call.lr,
  );
}

function adagrad(launch: Launch, call: AdagradUpdateCall): void {
  const flags =
    launch.common | bit(call.epsInsideSqrt, F.epsInsideSqrt) | bit(call.stepSizeDivisor !== 1, F.divide);
  launch.k.adagradUpdate(
    launch.n,
    ptr(launch, 0),
    ptr(launch, 1),
    ptr(launch, 2),
    flags,
    call.weightDecay,
    call.eps,
    call.stepSizeDivisor,
    call.lr,
  );
}
