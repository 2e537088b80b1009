/**
 * Linear warmup in front of any schedule: `withWarmup(schedule, { warmupSteps, startFactor })`.
 *
 *   steps 0 … W−1:  lr = baseLr · (s + (1 − s) · t / W)          (LinearLR, computed recursively)
 *   steps W, W+1 …: the given schedule, restarted at its epoch 0 at step W
 *
 * Symbols: W = `warmupSteps` (required), s = `startFactor` (default 1/3, LinearLR's default). It is
 * exactly PyTorch's idiom `SequentialLR(opt, [LinearLR(opt, start_factor=s, total_iters=W), schedule],
 * milestones=[W])`, and returns that `SequentialLR`, so values equal PyTorch 1.13's. The schedule keeps
 * its own time axis: a `CosineAnnealingLR` with `tMax: 90` reaches `etaMin` at step W + 90. Warmup
 * for large-batch SGD: Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
 * arXiv:1706.02677.
 *
 * @example
 * // 5 warmup epochs from 0.1·lr, then cosine annealing over 95 epochs
 * const sched = withWarmup(new CosineAnnealingLR(opt, { tMax: 95 }), { warmupSteps: 5, startFactor: 0.1 });
 * // warmup, then constant
 * const flat = withWarmup(new FixedLR(opt), { warmupSteps: 1000, startFactor: 0.01 });
 *
 * `ReduceLROnPlateau` cannot follow a warmup this way (its step needs a metric, as in PyTorch): step a
 * `LinearLR` for the first W steps and the plateau scheduler after them.
 */
import { checkOptions } from '../../util/options.js';
import { describe, inRange, positiveInt } from './checks.js';
import { LinearLR } from './linear_lr.js';
import { LrScheduler } from './scheduler.js';
import { SequentialLR } from './sequential_lr.js';

export interface WarmupOptions {
  /** Steps of warmup; the schedule starts at this step. Required. */
  warmupSteps: number;
  /** The lr factor at step 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
}

export function withWarmup(schedule: LrScheduler, options: WarmupOptions): SequentialLR {
  const who = 'withWarmup';
  if (!(schedule instanceof LrScheduler)) {
    throw new TypeError(
      `${who}: schedule must be a learning-rate scheduler such as CosineAnnealingLR (ReduceLROnPlateau cannot follow a warmup), got ${describe(schedule)}`,
    );
  }
  checkOptions(who, options, { warmupSteps: true, startFactor: true });
  const warmupSteps = positiveInt(who, 'warmupSteps', options?.warmupSteps);
  const startFactor = inRange(who, 'startFactor', options.startFactor ?? 1 / 3, 0, 1, { openLo: true });
  const warmup = new LinearLR(schedule.optimizer, { startFactor, endFactor: 1, totalIters: warmupSteps });
  return new SequentialLR(schedule.optimizer, [warmup, schedule], [warmupSteps]);
}
