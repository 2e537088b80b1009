/**
 * One epoch of `fit`: its steps, then its logs (validation included) and the end-of-epoch phases in
 * their fixed order — history, per-epoch schedule step, `onEpochEnd`, `onCheckpoint` (skipped in an
 * epoch the divergence guard stopped), the verbose line and the progress event.
 */
import { ReduceLROnPlateau } from '../optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../optim/schedules/scheduler.js';
import { runEvaluation } from './evaluation.js';
import type { FitPlan } from './fit_options.js';
import type { Run } from './fit_run.js';
import type { FitStep } from './fit_step.js';
import type { History } from './history.js';
import { metricKey } from './metrics.js';
import type { EpochLogs, StepLogs } from './types.js';

/** An epoch in progress: what its steps add up to (one object per epoch, updated by every step). */
interface EpochTotals {
  epoch: number;
  /** The learning rate the current step ran with (read before the step). */
  lr: number;
  /** `performance.now()` at the epoch's start. */
  started: number;
  lossSum: number;
  samples: number;
  batches: number;
  /** The source's batch count per epoch, when it knows it (for progress bars). */
  perEpoch: number | undefined;
}

/** Trains epoch `epoch` (from 1) and runs its end-of-epoch phases. */
export function runEpoch(plan: FitPlan, run: Run, step: FitStep, epoch: number): void {
  run.epoch = epoch;
  plan.source.setEpoch?.(epoch - 1);
  for (const c of plan.callbacks) c.onEpochBegin?.(epoch, run);
  const totals = trainSteps(plan, run, step, epoch);
  const logs = epochLogs(plan, run, step, totals);
  endEpoch(plan, run, epoch, logs);
}

function trainSteps(plan: FitPlan, run: Run, step: FitStep, epoch: number): EpochTotals {
  const started = performance.now();
  run.model.train();
  for (const m of step.metrics ?? []) m.reset();
  const perEpoch = typeof plan.source.length === 'number' ? plan.source.length : undefined;
  const totals: EpochTotals = { epoch, lr: 0, started, lossSum: 0, samples: 0, batches: 0, perEpoch };
  const it = plan.source[Symbol.iterator]();
  try {
    for (;;) {
      totals.lr = plan.optimizer.lr;
      if (!step.run(it, epoch, totals.batches)) break;
      afterStep(plan, run, step, totals);
      if (run.stopTraining) break;
    }
  } finally {
    it.return?.();
  }
  if (totals.batches === 0) {
    throw new RangeError(`${plan.who}: the training data yielded no batches in epoch ${epoch}`);
  }
  return totals;
}

/** After a step: the per-step schedule, the totals and history, `onBatchEnd`, the batch progress event. */
function afterStep(plan: FitPlan, run: Run, step: FitStep, totals: EpochTotals): void {
  const { epoch, lr } = totals;
  const { loss, size } = step;
  run.step += 1;
  if (plan.schedule !== undefined && plan.interval === 'step') (plan.schedule as LrScheduler).step();
  totals.lossSum += loss * size;
  totals.samples += size;
  run.history.stepLosses.push(loss);
  run.history.stepLrs.push(lr);
  const logs: StepLogs = { epoch, batch: totals.batches, step: run.step, loss, lr, size };
  totals.batches += 1;
  for (const c of plan.callbacks) c.onBatchEnd?.(logs, run);
  if (plan.onProgress) {
    const seconds = (performance.now() - totals.started) / 1000;
    plan.onProgress({
      type: 'batch',
      logs,
      epochs: plan.epochs,
      batches: totals.perEpoch,
      samplesPerSec: totals.samples / Math.max(seconds, 1e-9),
    });
  }
}

/** The epoch's logs: training loss and metrics, then validation (in evaluation mode). */
function epochLogs(plan: FitPlan, run: Run, step: FitStep, totals: EpochTotals): EpochLogs {
  const { epoch } = totals;
  const trainSeconds = (performance.now() - totals.started) / 1000;
  const logs: EpochLogs = {
    epoch,
    trainLoss: totals.lossSum / totals.samples,
    lr: plan.optimizer.lr,
    samplesPerSec: totals.samples / Math.max(trainSeconds, 1e-9),
    seconds: 0,
    steps: totals.batches,
  };
  for (const m of step.metrics ?? []) logs[metricKey('train', m.name)] = m.compute();
  // Validation runs also after a stop within the epoch, so every epoch has the same keys (a diverged
  // model simply gets a NaN valLoss, which no callback counts as an improvement).
  if (plan.validation !== undefined) {
    const where = `${plan.who}: epoch ${epoch}, validation`;
    const v = runEvaluation(where, run.model, plan.validation, plan.lossFn, step.metrics);
    logs.valLoss = v.loss;
    for (const [name, value] of Object.entries(v.values)) logs[metricKey('val', name)] = value;
  }
  logs.seconds = (performance.now() - totals.started) / 1000;
  return logs;
}

/** The end-of-epoch phases, in their fixed order (see the module comment). */
function endEpoch(plan: FitPlan, run: Run, epoch: number, logs: EpochLogs): void {
  const { schedule, callbacks } = plan;
  run.history.epochs.push(logs);
  run.completedEpochs = epoch;
  if (schedule !== undefined && plan.interval === 'epoch') {
    if (schedule instanceof ReduceLROnPlateau) schedule.step(logs.valLoss ?? logs.trainLoss);
    else schedule.step();
  }
  for (const c of callbacks) c.onEpochEnd?.(epoch, logs, run);
  // A diverged epoch's weights are not worth resuming from: checkpoints keep the last good epoch.
  if (!divergedIn(run.history, epoch)) for (const c of callbacks) c.onCheckpoint?.(epoch, logs, run);
  if (plan.verbose) console.log(formatEpoch(logs, plan.epochs));
  plan.onProgress?.({ type: 'epoch', logs, epochs: plan.epochs });
}

/** Whether a divergence guard stopped training in `epoch` (it records a `divergence` warning). */
function divergedIn(history: History, epoch: number): boolean {
  return history.warnings.some((w) => w.kind === 'divergence' && w.epoch === epoch);
}

/** One plain line per epoch: `epoch 3/10  loss 0.4123  accuracy 0.8750  valLoss 0.4410  valAccuracy 0.8600  lr 0.001  5120 samples/s`. */
export function formatEpoch(logs: EpochLogs, epochs: number): string {
  const parts = [`epoch ${logs.epoch}/${epochs}`, `loss ${logs.trainLoss.toFixed(4)}`];
  for (const [k, v] of Object.entries(logs)) {
    if (
      typeof v !== 'number' ||
      ['epoch', 'trainLoss', 'lr', 'samplesPerSec', 'seconds', 'steps'].includes(k)
    )
      continue;
    const name = k.startsWith('train') ? k.charAt(5).toLowerCase() + k.slice(6) : k;
    parts.push(`${name} ${v.toFixed(4)}`);
  }
  parts.push(`lr ${Number(logs.lr.toPrecision(3))}`, `${Math.round(logs.samplesPerSec)} samples/s`);
  return parts.join('  ');
}
