/**
 * The WebGPU fused optimizer updates against the reference backend over several steps, for every kind
 * (SGD, Adam, AdamW, RMSprop, Adagrad) and every option the calls carry (momentum, dampening,
 * Nesterov, weight decay, maximize, AMSGrad, ε inside the root, bias correction, centered, lr decay):
 * the parameter and every state buffer have the reference's bits after each step.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BufferHandle } from '../../../src/backend/backend.js';
import type { OptimizerUpdateCall } from '../../../src/backend/optimizer_update.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { expectBits, floats, reference } from './kernel_parity.js';

const gpu = await testWebGpuBackend();
const skip = gpu ? '' : ` (skipped: ${webgpuSkipReason})`;

const STEPS = 4;
const SIZES = [3, 1000];

/** The call of step t (1-based) for one configuration, as the optimizer facade computes it. */
type Schedule = (t: number) => OptimizerUpdateCall;

function sgd(o: {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  wd: number;
  maximize: boolean;
}): Schedule {
  return (t) => ({
    kind: 'sgd',
    lr: o.lr,
    weightDecay: o.wd,
    momentum: o.momentum,
    oneMinusDampening: 1 - o.dampening,
    nesterov: o.nesterov,
    initMomentum: t === 1,
    maximize: o.maximize,
  });
}

function adam(o: {
  kind: 'adam' | 'adamw';
  lr: number;
  wd: number;
  amsgrad: boolean;
  epsInsideSqrt: boolean;
  correct: boolean;
  maximize: boolean;
}): Schedule {
  const [beta1, beta2] = [0.9, 0.999];
  return (t) => {
    const bc2 = o.correct ? 1 - beta2 ** t : 1;
    return {
      kind: o.kind,
      lr: o.lr,
      weightDecay: o.wd,
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      eps: 1e-8,
      biasCorrection1: o.correct ? 1 - beta1 ** t : 1,
      biasCorrection2: bc2,
      sqrtBiasCorrection2: Math.sqrt(bc2),
      amsgrad: o.amsgrad,
      epsInsideSqrt: o.epsInsideSqrt,
      maximize: o.maximize,
    };
  };
}

function rmsprop(o: {
  centered: boolean;
  momentum: number;
  epsInsideSqrt: boolean;
  wd: number;
  maximize: boolean;
}): Schedule {
  return (t) => ({
    kind: 'rmsprop',
    lr: 0.01,
    weightDecay: o.wd,
    alpha: 0.99,
    oneMinusAlpha: 1 - 0.99,
    eps: 1e-8,
    centered: o.centered,
    epsInsideSqrt: o.epsInsideSqrt,
    momentum: o.momentum,
    initMomentum: t === 1,
    maximize: o.maximize,
  });
}

function adagrad(o: {
  lrDecay: number;
  epsInsideSqrt: boolean;
  wd: number;
  maximize: boolean;
  eps?: number;
}): Schedule {
  return (t) => ({
    kind: 'adagrad',
    lr: 0.1,
    weightDecay: o.wd,
    eps: o.eps ?? 1e-10,
    stepSizeDivisor: 1 + (t - 1) * o.lrDecay,
    epsInsideSqrt: o.epsInsideSqrt,
    maximize: o.maximize,
  });
}

const f = false;
const T = true;
const CONFIGS: [string, Schedule, number][] = [
  ['sgd plain', sgd({ lr: 0.1, momentum: 0, dampening: 0, nesterov: f, wd: 0, maximize: f }), 2],
  ['sgd wd maximize', sgd({ lr: 3, momentum: 0, dampening: 0, nesterov: f, wd: 0.01, maximize: T }), 2],
  [
    'sgd momentum dampening',
    sgd({ lr: 0.05, momentum: 0.9, dampening: 0.1, nesterov: f, wd: 0, maximize: f }),
    3,
  ],
  ['sgd nesterov wd', sgd({ lr: 0.05, momentum: 0.9, dampening: 0, nesterov: T, wd: 1e-4, maximize: f }), 3],
  ['adam', adam({ kind: 'adam', lr: 1e-3, wd: 0, amsgrad: f, epsInsideSqrt: f, correct: T, maximize: f }), 4],
  [
    'adam L2 amsgrad',
    adam({ kind: 'adam', lr: 0.5, wd: 0.01, amsgrad: T, epsInsideSqrt: f, correct: T, maximize: f }),
    5,
  ],
  [
    'adam eps inside, no correction, maximize',
    adam({ kind: 'adam', lr: 1e-2, wd: 0, amsgrad: f, epsInsideSqrt: T, correct: f, maximize: T }),
    4,
  ],
  [
    'adamw',
    adam({ kind: 'adamw', lr: 1e-3, wd: 0.01, amsgrad: f, epsInsideSqrt: f, correct: T, maximize: f }),
    4,
  ],
  [
    'adamw amsgrad eps inside',
    adam({ kind: 'adamw', lr: 1e-3, wd: 0.1, amsgrad: T, epsInsideSqrt: T, correct: T, maximize: f }),
    5,
  ],
  ['rmsprop', rmsprop({ centered: f, momentum: 0, epsInsideSqrt: f, wd: 0, maximize: f }), 3],
  [
    'rmsprop centered momentum',
    rmsprop({ centered: T, momentum: 0.9, epsInsideSqrt: f, wd: 0.01, maximize: f }),
    5,
  ],
  [
    'rmsprop momentum eps inside maximize',
    rmsprop({ centered: f, momentum: 0.5, epsInsideSqrt: T, wd: 0, maximize: T }),
    4,
  ],
  ['rmsprop centered', rmsprop({ centered: T, momentum: 0, epsInsideSqrt: T, wd: 0, maximize: f }), 4],
  ['adagrad', adagrad({ lrDecay: 0, epsInsideSqrt: f, wd: 0, maximize: f }), 3],
  [
    'adagrad lr decay wd eps inside maximize',
    adagrad({ lrDecay: 0.01, epsInsideSqrt: T, wd: 0.01, maximize: T }),
    3,
  ],
  // ε = 0 and a zero gradient element (grad[1]): 0/0 = NaN there, as in the reference.
  ['adagrad eps 0', adagrad({ lrDecay: 0, epsInsideSqrt: f, wd: 0, maximize: f, eps: 0 }), 3],
];

/** Runs STEPS updates from the same start on `backend`; returns every buffer after each step. */
async function run(backend: Backend, schedule: Schedule, count: number, n: number, seed: number) {
  const buffers: BufferHandle[] = [];
  for (let b = 0; b < count; b++) {
    const h = backend.allocate('float32', n);
    // State starts at zero except the parameter; the gradient is written per step.
    backend.write(h, b === 0 ? floats(n, seed, 2) : new Float32Array(n));
    buffers.push(h);
  }
  const after: Float32Array[][] = [];
  for (let t = 1; t <= STEPS; t++) {
    const grad = floats(n, seed + t, t === 2 ? 50 : 1);
    if (n > 2) grad[1] = 0;
    backend.write(buffers[1]!, grad);
    backend.optimizerUpdate!(schedule(t), buffers);
    const read: Float32Array[] = [];
    for (const b of buffers) read.push((await backend.readAsync(b)) as Float32Array);
    after.push(read);
  }
  for (const b of buffers) backend.release(b);
  return after;
}

describe('webgpu optimizer updates', () => {
  it.skipIf(!gpu)(
    `every kind and option: parameter and state have the reference's bits after each of ${STEPS} steps${skip}`,
    async () => {
      let nans = 0;
      for (const [k, [name, schedule, count]] of CONFIGS.entries()) {
        for (const n of SIZES) {
          const actual = await run(gpu!, schedule, count, n, 1000 + 10 * k);
          const expected = await run(reference, schedule, count, n, 1000 + 10 * k);
          for (let t = 0; t < STEPS; t++) {
            for (let b = 0; b < count; b++) {
              if (b === 1) continue; // the gradient, read only
              expectBits(actual[t]![b]!, expected[t]![b]!, `${name}, n = ${n}, step ${t + 1}, buffer ${b}`);
              nans += actual[t]![b]!.filter(Number.isNaN).length;
            }
          }
        }
      }
      // The ε = 0 case divided 0 by 0 (spelled out in divCr: WGSL leaves x / 0 undefined).
      expect(nans).toBeGreaterThan(0);
    },
  );

  it.skipIf(!gpu)(`a wrong number of buffers is refused with the kind's count${skip}`, () => {
    const p = gpu!.allocate('float32', 4);
    const g = gpu!.allocate('float32', 4);
    const backend: Backend = gpu!;
    expect(() =>
      backend.optimizerUpdate!(
        adam({ kind: 'adam', lr: 1, wd: 0, amsgrad: f, epsInsideSqrt: f, correct: T, maximize: f })(1),
        [p, g],
      ),
    ).toThrow(
      "optimizerUpdate: a 'adam' update with these options takes 4 buffers (param, grad, state), got 2",
    );
    gpu!.release(p);
    gpu!.release(g);
  });
});
