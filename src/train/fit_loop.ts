/**
 * `fit` one epoch at a time: the loop `fit` runs, opened up so that a caller can stop between epochs
 * and come back later (a browser worker that pauses, steps and resumes a run; the CLI's training
 * session). `fit` itself is `begin()`, `runEpoch()` until `done`, then `end()`, so an epoch run through
 * a `FitLoop` is the very code `fit` runs and gives bit-identical weights and logs.
 *
 * `runEpoch()` reads synchronously (the reference and wasm backends); `runEpochAsync()` awaits its reads
 * and lets the event loop run every ~10 ms, on every backend (`fitAsync` runs it). Both run the same
 * code (`fit_epoch.ts`), so an epoch gives the same weights and logs either way.
 *
 * Between epochs the model stays in training mode (every module's own mode comes back at `end()`, or
 * when an epoch throws, as `fit` does in its `finally`); a loop whose epoch threw is finished.
 *
 * @example
 * const loop = new FitLoop(model, data, { optimizer, loss: 'crossEntropy', epochs: 10 });
 * while (!loop.done) console.log(loop.runEpoch().trainLoss);
 * const history = loop.end();
 */
import { getBackend } from '../backend/registry.js';
import type { Module } from '../nn/module.js';
import { checkModel } from './evaluation.js';
import { epochReads } from './fit_epoch.js';
import { type FitOptions, type FitPlan, resolveFitOptions } from './fit_options.js';
import { Run } from './fit_run.js';
import { FitStep } from './fit_step.js';
import type { History } from './history.js';
import { saveModes } from './mode.js';
import { type Reads, runAsync, runSync } from './reads.js';
import { ScalarLog } from './scalar_log.js';
import type { TrainingState } from './training_state.js';
import type { EpochLogs, TrainData } from './types.js';

export class FitLoop {
  private readonly plan: FitPlan;
  private readonly run: Run;
  private readonly step: FitStep;
  private nextEpoch: number;
  /** Set by `begin()`: puts every module's mode back. */
  private restoreModes: (() => void) | null = null;
  private finished = false;
  /** Set while an epoch runs (an async one spans many turns of the event loop). */
  private running = false;

  /** Checks and resolves `options` exactly as `fit` does (and restores `options.resume`, if given). */
  constructor(
    readonly model: Module,
    data: TrainData,
    options: FitOptions,
  ) {
    checkModel('fit', model);
    const plan = resolveFitOptions(model, data, options);
    this.plan = plan;
    this.run = new Run({
      model,
      optimizer: plan.optimizer,
      epochs: plan.epochs,
      hasValidation: plan.validation !== undefined,
      callbacks: plan.callbacks,
      schedule: plan.schedule,
      onProgress: plan.onProgress,
      verbose: plan.verbose,
    });
    this.nextEpoch = plan.resume === undefined ? 1 : this.run.resume(plan.resume);
    this.step = new FitStep({
      who: plan.who,
      model,
      optimizer: plan.optimizer,
      lossFn: plan.lossFn,
      penalties: plan.penalties,
      metrics: plan.metrics,
      losses: new ScalarLog(Math.min(plan.logEvery, 1024)),
      capture: plan.capture,
    });
    this.run.history.capture = this.step.captureStats;
  }

  /** The history so far (a resumed loop's includes the epochs before the resume). */
  get history(): History {
    return this.run.history;
  }

  /** Epochs completed, counting those of a resumed state. */
  get completedEpochs(): number {
    return this.run.completedEpochs;
  }

  /** The last epoch this loop trains (`options.epochs`). */
  get epochs(): number {
    return this.plan.epochs;
  }

  /** Whether no epoch is left: the last one ran, a callback stopped training, an epoch threw, or `end()` ran. */
  get done(): boolean {
    return this.finished || this.nextEpoch > this.plan.epochs || this.run.stopTraining;
  }

  /** The state to resume from after the epochs run so far (`TrainContext.trainingState`). */
  trainingState(): TrainingState {
    return this.run.trainingState();
  }

  /** Calls the callbacks' `onTrainBegin` (once; `runEpoch` and `end` call it when needed). */
  begin(): void {
    if (this.restoreModes !== null || this.finished) return;
    this.restoreModes = saveModes(this.model);
    this.guarded(() => {
      for (const c of this.plan.callbacks) c.onTrainBegin?.(this.run);
    });
  }

  /**
   * Trains the next epoch and returns its logs (also in `history.epochs`). Needs a backend that reads
   * synchronously; elsewhere (a GPU) use `runEpochAsync()`.
   */
  runEpoch(): EpochLogs {
    const backend = this.model.parameters()[0]?.backend ?? getBackend();
    if (backend.read === undefined) {
      throw new Error(
        `fit: the ${backend.name} backend reads only asynchronously; use await fitAsync(model, data, options) (or await loop.runEpochAsync())`,
      );
    }
    return runSync(this.nextEpochReads());
  }

  /** `runEpoch()` with awaited reads, letting the event loop run every ~10 ms of work: every backend. */
  runEpochAsync(): Promise<EpochLogs> {
    return runAsync(this.nextEpochReads());
  }

  private *nextEpochReads(): Reads<EpochLogs> {
    if (this.running) {
      throw new Error('fit: an epoch of this loop is already running; await runEpochAsync() before the next');
    }
    if (this.done) {
      throw new RangeError(
        `fit: no epoch left to run (${this.run.completedEpochs} of ${this.plan.epochs} done${this.run.stopTraining ? `, stopped: ${this.run.history.stopReason}` : ''})`,
      );
    }
    this.begin();
    const epoch = this.nextEpoch;
    this.running = true;
    try {
      yield* epochReads(this.plan, this.run, this.step, epoch);
    } catch (error) {
      this.finish();
      throw error;
    } finally {
      this.running = false;
    }
    this.nextEpoch = epoch + 1;
    return this.run.history.epochs.at(-1) as EpochLogs;
  }

  /** Calls the callbacks' `onTrainEnd`, puts every module's mode back and returns the history. */
  end(): History {
    if (this.finished) return this.run.history;
    this.begin();
    try {
      for (const c of this.plan.callbacks) c.onTrainEnd?.(this.run);
    } finally {
      this.finish();
    }
    return this.run.history;
  }

  /** Runs `f`; if it throws, the loop is finished (modes restored, as `fit`'s `finally` does). */
  private guarded(f: () => void): void {
    try {
      f();
    } catch (error) {
      this.finish();
      throw error;
    }
  }

  /** Ends the loop: modes back, the device memory of the loss log and of the metrics fit chose released. */
  private finish(): void {
    this.finished = true;
    this.restoreModes?.();
    this.step.losses.dispose();
    this.step.dispose();
    if (this.step.ownMetrics) for (const m of this.step.metrics ?? []) m.reset();
  }
}
