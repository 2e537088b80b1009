/**
 * ModelCheckpoint (Node only, exported from `descent/node`): saves the model after epochs, atomically
 * (`writeFileAtomic`: temporary file, fsync, rename), so an interrupted save never leaves a broken file.
 *
 * At the end of every epoch (in `onCheckpoint`, once every other callback has updated) it writes
 * `path`, where `{epoch}` is replaced by the epoch number:
 * - the model's state dict as safetensors (`saveModel`, loadable with `loadModel` or by PyTorch), with
 *   metadata `epoch` and the monitored value; or, with `saveTrainingState`, the whole `TrainingState`
 *   (`saveTrainingState`), from which `fit(…, { resume: loadTrainingState(path) })` continues;
 * - with `saveBestOnly`, only when logs[monitor] improves on the best so far (mode 'auto': 'max' for
 *   accuracies, 'min' otherwise), so `path` always holds the best epoch.
 *
 * Defaults: monitor 'valLoss' (used only with saveBestOnly), mode 'auto', saveBestOnly false,
 * saveTrainingState false. `lastSaved` and `bestEpoch` tell what was written.
 *
 * @example
 * fit(model, data, { …, validation, callbacks: [new ModelCheckpoint({ path: 'runs/best.safetensors', saveBestOnly: true })] });
 */

import { saveModel } from '../../io/checkpoint.js';
import { checkOptions } from '../../util/options.js';
import { saveTrainingState } from '../training_state_file.js';
import type { EpochLogs } from '../types.js';
import { type Callback, monitored, requireValidation, resolveMode, type TrainContext } from './callback.js';

export interface ModelCheckpointOptions {
  /** The file to write; `{epoch}` is replaced by the epoch number. */
  path: string;
  /** The log key that decides "best" (default 'valLoss'). */
  monitor?: string;
  /** 'min', 'max' or 'auto' (default). */
  mode?: 'auto' | 'min' | 'max';
  /** Save only epochs that improve on the best so far (default false: every epoch). */
  saveBestOnly?: boolean;
  /** Save the full training state (for resuming) instead of the model alone (default false). */
  saveTrainingState?: boolean;
}

export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveTrainingState: boolean;
  /** The best monitored value so far (saveBestOnly), or null. */
  best: number | null = null;
  /** The epoch of the last file written, or null. */
  bestEpoch: number | null = null;
  /** The path of the last file written, or null. */
  lastSaved: string | null = null;
  private readonly mode: 'min' | 'max';

  constructor(options: ModelCheckpointOptions) {
    const who = 'ModelCheckpoint';
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${who}: options { path, … } are required`);
    }
    checkOptions(who, options, {
      path: true,
      monitor: true,
      mode: true,
      saveBestOnly: true,
      saveTrainingState: true,
    });
    if (typeof options.path !== 'string' || options.path === '') {
      throw new TypeError(
        `${who}: path must be a non-empty string (a file name, may contain {epoch}), got ${JSON.stringify(options.path)}`,
      );
    }
    this.path = options.path;
    this.monitor = options.monitor ?? 'valLoss';
    this.mode = resolveMode(who, options.mode ?? 'auto', this.monitor);
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveTrainingState = options.saveTrainingState ?? false;
  }

  onTrainBegin(ctx: TrainContext): void {
    if (this.saveBestOnly) requireValidation('ModelCheckpoint', this.monitor, ctx);
  }

  onCheckpoint(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    const metadata: Record<string, string> = { epoch: String(epoch) };
    if (this.saveBestOnly) {
      const v = monitored('ModelCheckpoint', this.monitor, logs);
      const better =
        !Number.isNaN(v) && (this.best === null || (this.mode === 'min' ? v < this.best : v > this.best));
      if (!better) return;
      this.best = v;
      metadata[this.monitor] = String(v);
    }
    const file = this.path.replaceAll('{epoch}', String(epoch));
    if (this.saveTrainingState) saveTrainingState(file, ctx.trainingState());
    else saveModel(file, ctx.model, metadata);
    this.bestEpoch = epoch;
    this.lastSaved = file;
  }

  stateDict(): { best: number | null; bestEpoch: number | null } {
    return { best: this.best, bestEpoch: this.bestEpoch };
  }

  loadStateDict(state: unknown): void {
    const s = state as { best?: number | null; bestEpoch?: number | null } | null;
    this.best = s?.best ?? null;
    this.bestEpoch = s?.bestEpoch ?? null;
  }
}
