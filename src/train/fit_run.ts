/** The state of one `fit` call as its callbacks see it (`TrainContext`). */
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import type { Callback, TrainContext } from './callbacks/callback.js';
import type { Schedule } from './fit_options.js';
import { History } from './history.js';
import { captureTrainingState, restoreTrainingState, type TrainingState } from './training_state.js';
import type { ProgressEvent, TrainingWarning } from './types.js';

/** What a `Run` is built from. */
export interface RunSpec {
  model: Module;
  optimizer: OptimizerLike;
  epochs: number;
  hasValidation: boolean;
  callbacks: readonly Callback[];
  schedule: Schedule | undefined;
  onProgress: ((event: ProgressEvent) => void) | undefined;
  verbose: boolean;
}

export class Run implements TrainContext {
  epoch = 0;
  step = 0;
  stopTraining = false;
  completedEpochs = 0;
  history = new History();
  readonly model: Module;
  readonly optimizer: OptimizerLike;
  readonly epochs: number;
  readonly hasValidation: boolean;

  constructor(private readonly spec: RunSpec) {
    this.model = spec.model;
    this.optimizer = spec.optimizer;
    this.epochs = spec.epochs;
    this.hasValidation = spec.hasValidation;
  }

  get lr(): number {
    return this.optimizer.lr;
  }

  stop(reason: string): void {
    this.stopTraining = true;
    if (this.history.stopReason === null) this.history.stopReason = String(reason);
  }

  warn(warning: TrainingWarning): void {
    this.history.warnings.push(warning);
    if (this.spec.verbose) console.log(`warning: ${warning.message}`);
    this.spec.onProgress?.({ type: 'warning', warning });
  }

  trainingState(): TrainingState {
    return captureTrainingState(this.parts(), {
      epoch: this.completedEpochs,
      step: this.step,
      history: this.history,
    });
  }

  /** Continues from `state`: history, step count and completed epochs; returns the first epoch to run. */
  resume(state: TrainingState): number {
    const restored = restoreTrainingState(state, this.parts());
    this.history = restored.history;
    this.step = restored.step;
    this.completedEpochs = restored.epoch;
    this.epoch = restored.epoch;
    return restored.epoch + 1;
  }

  private parts() {
    const { model, optimizer, schedule, callbacks } = this.spec;
    return { model, optimizer, schedule: schedule ?? null, callbacks };
  }
}
