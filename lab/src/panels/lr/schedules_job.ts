/**
 * `lr.schedules`: the learning rate of each optimizer step for four schedules, computed by the
 * library's schedulers themselves (`scheduleCurve` steps the real `StepLR`, `CosineAnnealingLR`,
 * `OneCycleLR` and the warm-up wrapper on a stand-in optimizer, as `fit` steps them), so the curves
 * are the rates training would use. All four step after every optimizer step here.
 */
import { type LrScheduleSpec, scheduleCurve } from 'descent';

export interface SchedulesJobInput {
  /** The base learning rate η (one-cycle's peak). */
  lr: number;
  steps: number;
  stepSize: number;
  gamma: number;
  warmupSteps: number;
  pctStart: number;
}

export type ScheduleId = 'step' | 'cosine' | 'onecycle' | 'warmup';

export interface ScheduleCurve {
  id: ScheduleId;
  /** The spec handed to the library, shown next to the curve as its parameters. */
  spec: LrScheduleSpec;
  /** The learning rate of optimizer step 0, 1, …, steps − 1. */
  lr: number[];
}

export function scheduleSpecs(o: SchedulesJobInput): { id: ScheduleId; spec: LrScheduleSpec }[] {
  const tMax = Math.max(1, o.steps - 1);
  return [
    { id: 'step', spec: { scheduler: 'StepLR', options: { stepSize: o.stepSize, gamma: o.gamma } } },
    { id: 'cosine', spec: { scheduler: 'CosineAnnealingLR', options: { tMax, etaMin: 0 } } },
    {
      id: 'onecycle',
      spec: {
        scheduler: 'OneCycleLR',
        options: { maxLr: o.lr, totalSteps: Math.max(2, o.steps), pctStart: o.pctStart },
      },
    },
    {
      id: 'warmup',
      spec: {
        scheduler: 'CosineAnnealingLR',
        options: { tMax: Math.max(1, o.steps - 1 - o.warmupSteps), etaMin: 0 },
        warmup: { warmupSteps: o.warmupSteps },
      },
    },
  ];
}

export function schedulesJob(input: SchedulesJobInput): ScheduleCurve[] {
  return scheduleSpecs(input).map(({ id, spec }) => ({
    id,
    spec,
    lr: scheduleCurve(spec, { interval: 'step', epochs: 1, stepsPerEpoch: input.steps, baseLr: input.lr }).lr,
  }));
}
