/**
 * Experiment 6, `lr-sweep`: the lecture's learning-rate slide ("学习率对训练的影响": the objective
 * changes too slowly — the learning rate is too low; the objective becomes NaN — usually too high;
 * advice [1e-3 … 1e-5]) measured: Adam and SGD at learning rates 1, 1e-1, …, 1e-5 train the same MLP
 * from the same initial weights on the same batches, and the trainer's own diagnostics say what went
 * wrong — the divergence guard (NaN, infinite or exploding loss: "the learning rate is very likely too
 * high") and the plateau detector (a flat loss: "may be too low").
 *
 * Default set-up: the course's MLP shape 784-100-100-100-10, here with ReLU and no batch norm
 * (PyTorch's default initialization), on the first 1,600 training samples of the injected data
 * (MNIST: `loadMnist()`), 3 epochs of batches of 32 (150 steps), cross-entropy. "SGD" is SGD with
 * momentum 0.9 (the course's SGD + Momentum). Plain SGD (`sgdMomentum: 0`) does not diverge at lr 1
 * on such networks: its loss peaks at 4–10 and its ReLUs die, leaving the loss near chance level.
 * With momentum the loss explodes past the guard's 1000× its first value at lr 1 for seeds 0, 2 and 3
 * (seed 1 peaks at 640×). The plateau detector compares the two halves of its last 60 steps (window
 * 60, tolerance 1%, and only while the loss is above 90% of its starting level).
 *
 * Each run's verdict: 'diverged' when the guard fired, 'too slow' when the plateau detector fired,
 * else 'learning'.
 */
import { presentLrSweep } from './lr_sweep_present.js';
import { LR_SWEEP_STRINGS } from './lr_sweep_strings.js';
import { trainMlp } from './mlp_runs.js';
import { resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export type LrSweepOptimizer = 'adam' | 'sgd';

export interface LrSweepOptions {
  /** `{ train, test }` or a loader of them, e.g. `() => loadMnist()`; required (only `train` is used). */
  data?: TrainTestSource;
  optimizers: LrSweepOptimizer[];
  /** Learning rates, largest first (default 1, 0.1, …, 1e-5). */
  lrs: number[];
  /** Momentum of 'sgd' (default 0.9; 0 for plain SGD). */
  sgdMomentum: number;
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
  trainSize: number;
  epochs: number;
  batchSize: number;
  /** Steps compared by the plateau detector (even, ≥ 4; default 60). */
  plateauWindow: number;
  seed: number;
}

export type LrVerdict = 'diverged' | 'too slow' | 'learning';

export interface LrSweepRun {
  optimizer: LrSweepOptimizer;
  lr: number;
  /** Within the course's advice [1e-5, 1e-3]. */
  advised: boolean;
  verdict: LrVerdict;
  /** Per step; null where the loss was NaN or infinite. */
  stepLosses: (number | null)[];
  epochLosses: number[];
  /** The trainer's warnings, in order (divergence guard, plateau detector). */
  warnings: { kind: 'divergence' | 'plateau'; message: string; epoch: number; step: number }[];
  stopReason: string | null;
  /** Mean of the last 20 finite step losses (the loss where training ended or was stopped). */
  finalLoss: number | null;
  /** The largest finite step loss. */
  peakLoss: number | null;
}

export interface LrSweepResult {
  /** The course's advice [low, high]. */
  advice: [number, number];
  steps: number;
  runs: LrSweepRun[];
}

export const COURSE_LR_ADVICE: [number, number] = [1e-5, 1e-3];

const defaults: LrSweepOptions = {
  optimizers: ['adam', 'sgd'],
  lrs: [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5],
  sgdMomentum: 0.9,
  hidden: [100, 100, 100],
  activation: 'relu',
  trainSize: 1600,
  epochs: 3,
  batchSize: 32,
  plateauWindow: 60,
  seed: 0,
};

function run(options: Partial<LrSweepOptions> = {}): LrSweepResult {
  const o = { ...defaults, ...options };
  const who = 'lr-sweep';
  for (const name of o.optimizers) {
    if (name !== 'adam' && name !== 'sgd')
      throw new RangeError(`${who}: unknown optimizer '${name}'; accepted: adam, sgd`);
  }
  for (const lr of o.lrs) {
    if (!(lr > 0) || !Number.isFinite(lr))
      throw new RangeError(`${who}: learning rates must be positive, got ${lr}`);
  }
  const train = takeSamples(who, resolveTrainTest(who, o.data).train, 'trainSize', o.trainSize);
  const runs: LrSweepRun[] = [];
  for (const optimizer of o.optimizers) {
    for (const lr of o.lrs) {
      const r = trainMlp({
        train,
        val: null,
        hidden: o.hidden,
        activation: o.activation,
        optimizer,
        optimizerOptions: optimizer === 'sgd' && o.sgdMomentum > 0 ? { lr, momentum: o.sgdMomentum } : { lr },
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        plateauWindow: o.plateauWindow,
      });
      const finiteLosses = r.stepLosses.filter((l): l is number => l !== null);
      const tail = finiteLosses.slice(-20);
      const verdict: LrVerdict = r.warnings.some((w) => w.kind === 'divergence')
        ? 'diverged'
        : r.warnings.some((w) => w.kind === 'plateau')
          ? 'too slow'
          : 'learning';
      runs.push({
        optimizer,
        lr,
        advised: lr >= COURSE_LR_ADVICE[0] * (1 - 1e-9) && lr <= COURSE_LR_ADVICE[1] * (1 + 1e-9),
        verdict,
        stepLosses: r.stepLosses,
        epochLosses: r.epochLosses,
        warnings: r.warnings,
        stopReason: r.stopReason,
        finalLoss: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null,
        peakLoss: finiteLosses.length ? Math.max(...finiteLosses) : null,
      });
    }
  }
  return {
    advice: COURSE_LR_ADVICE,
    steps: Math.ceil(o.trainSize / o.batchSize) * o.epochs,
    runs,
  };
}

export const lrSweep: Experiment<LrSweepOptions, LrSweepResult> = {
  name: 'lr-sweep',
  title: LR_SWEEP_STRINGS.title,
  defaults,
  run,
  present: presentLrSweep,
};
