/**
 * One epoch of `fit`: its steps, then its logs (validation included) and the end-of-epoch phases in
 * their fixed order — history, per-epoch schedule step, `onEpochEnd`, `onCheckpoint` (skipped in an
 * epoch the divergence guard stopped), the verbose line and the progress event.
 *
 * Read points: a step reads nothing (its loss goes to a device log, the metrics accumulate on the
 * device). Every `logEvery` steps, and at the epoch's end, the losses logged since the last read are
 * read as one block and the steps are delivered in order: each loss into the epoch's sum and
 * `history.stepLosses`, then `onBatchEnd` and the batch progress event. So callbacks see a step's loss
 * up to `logEvery − 1` steps late: a callback that stops training (the divergence guard) stops it at
 * the next read, and the steps run after the one that stopped it still count in the history and the
 * epoch's loss (they trained the weights) but no callback sees them. Everything else (weights,
 * history values) is the same whatever `logEvery` is.
 */
import { getBackend } from '../backend/registry.js';
import { ReduceLROnPlateau } from '../optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../optim/schedules/scheduler.js';
import { evaluationReads } from './evaluation.js';
import type { FitPlan } from './fit_options.js';
import type { Run } from './fit_run.js';
import type { FitStep } from './fit_step.js';
import type { History } from './history.js';
import { metricKey, metricValue } from './metrics.js';
import { PAUSE, type Reads, read } from './reads.js';
import type { EpochLogs, StepLogs } from './types.js';

/** A step that ran and is not yet delivered: its logs, the loss still on the device when null. */
type PendingStep = Omit<StepLogs, 'loss'> & { loss: number | null };

/** An epoch in progress: what its steps add up to (one object per epoch, updated by every step). */
interface EpochTotals {
  epoch: number;
  /** `performance.now()` at the epoch's start. */
  started: number;
  /** Σ loss · size over the steps delivered so far, in step order. */
  lossSum: number;
  /** Samples of the steps run so far. */
  samples: number;
  batches: number;
  /** The source's batch count per epoch, when it knows it (for progress bars). */
  perEpoch: number | undefined;
  /** Steps run since the last read, in order. */
  pending: PendingStep[];
}

/** Trains epoch `epoch` (from 1) and runs its end-of-epoch phases, reading through `yield` (see `reads.ts`). */
export function* epochReads(plan: FitPlan, run: Run, step: FitStep, epoch: number): Reads<void> {
  run.epoch = epoch;
  plan.source.setEpoch?.(epoch - 1);
  for (const c of plan.callbacks) c.onEpochBegin?.(epoch, run);
  const totals = yield* trainSteps(plan, run, step, epoch);
  const logs = yield* epochLogs(plan, run, step, totals);
  endEpoch(plan, run, epoch, logs);
}

function* trainSteps(plan: FitPlan, run: Run, step: FitStep, epoch: number): Reads<EpochTotals> {
  const started = performance.now();
  run.model.train();
  step.newEpoch();
  for (const m of step.metrics ?? []) m.reset();
  const perEpoch = typeof plan.source.length === 'number' ? plan.source.length : undefined;
  const totals: EpochTotals = { epoch, started, lossSum: 0, samples: 0, batches: 0, perEpoch, pending: [] };
  const it = plan.source[Symbol.iterator]();
  try {
    for (;;) {
      const lr = plan.optimizer.lr; // the rate this step runs with
      if (!step.run(it, epoch, totals.batches)) break;
      afterStep(plan, run, step, totals, lr);
      // A queueing device (WebGPU) submits the step's kernels now: one submission per step.
      getBackend().flush?.();
      if (totals.pending.length >= plan.logEvery) yield* deliverSteps(plan, run, step, totals);
      if (run.stopTraining) break;
      yield PAUSE;
    }
    yield* deliverSteps(plan, run, step, totals);
  } catch (error) {
    yield* deliverAfterError(plan, run, step, totals);
    throw error;
  } finally {
    it.return?.();
  }
  if (totals.batches === 0) {
    throw new RangeError(`${plan.who}: the training data yielded no batches in epoch ${epoch}`);
  }
  return totals;
}

/** Right after a step: the step count, the per-step schedule, the samples; the rest waits for the read. */
function afterStep(plan: FitPlan, run: Run, step: FitStep, totals: EpochTotals, lr: number): void {
  run.step += 1;
  if (plan.schedule !== undefined && plan.interval === 'step') (plan.schedule as LrScheduler).step();
  totals.samples += step.size;
  const { epoch, batches: batch } = totals;
  totals.pending.push({ epoch, batch, step: run.step, loss: step.loss, lr, size: step.size });
  totals.batches += 1;
}

/** Reads the losses of the pending steps (one read) and delivers the steps in order. */
function* deliverSteps(plan: FitPlan, run: Run, step: FitStep, totals: EpochTotals): Reads<void> {
  const steps = totals.pending.splice(0);
  if (steps.length === 0) return;
  const losses = steps.some((s) => s.loss === null) ? yield* step.losses.take() : [];
  let k = 0;
  for (const s of steps) deliver(plan, run, totals, { ...s, loss: s.loss ?? losses[k++]! });
}

/** The steps that ran before an error still belong to the history, if their losses can be read. */
function* deliverAfterError(plan: FitPlan, run: Run, step: FitStep, totals: EpochTotals): Reads<void> {
  try {
    yield* deliverSteps(plan, run, step, totals);
  } catch {
    // The original error is the one to report.
  }
}

/** One step's loss into the totals and history, then (unless training was stopped) `onBatchEnd` and progress. */
function deliver(plan: FitPlan, run: Run, totals: EpochTotals, logs: StepLogs): void {
  totals.lossSum += logs.loss * logs.size;
  run.history.stepLosses.push(logs.loss);
  run.history.stepLrs.push(logs.lr);
  if (run.stopTraining) return;
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
function* epochLogs(plan: FitPlan, run: Run, step: FitStep, totals: EpochTotals): Reads<EpochLogs> {
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
  for (const m of step.metrics ?? []) logs[metricKey('train', m.name)] = yield* read(metricValue(m));
  // Validation runs also after a stop within the epoch, so every epoch has the same keys (a diverged
  // model simply gets a NaN valLoss, which no callback counts as an improvement).
  if (plan.validation !== undefined) {
    const where = `${plan.who}: epoch ${epoch}, validation`;
    const v = yield* evaluationReads(where, run.model, plan.validation, plan.lossFn, step.metrics);
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
