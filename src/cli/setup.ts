/**
 * Builds what a run configuration describes, for the commands: the library's builders (src/run/), with
 * the CLI's additions — a memory check before a model is built, and every configuration problem as a
 * `UsageError` (exit code 2) whose message names the flag.
 */
import { concatDatasets, type TensorDataset } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import * as run from '../run/build_model.js';
import * as schedules from '../run/build_schedule.js';
import { checkModelFits } from './memory_check.js';
import { optimizerFlagError } from './optimizer_flags.js';
import { asUsage, type RunConfig, UsageError } from './run_config.js';
import type { RunData } from './run_data.js';

export type { RunSchedule } from '../run/build_schedule.js';
// Loading and checking the data is run_data.ts's job; re-exported for the commands that import it here.
export { loadRunData, type RunData } from './run_data.js';

/** train + validation + test, for evaluating on all the data. */
export function allOf(d: RunData): TensorDataset {
  return concatDatasets([d.train, ...(d.validation ? [d.validation] : []), d.test]);
}

/** Builds (and initializes) the model, after refusing at once one that cannot fit in memory. */
export function buildModel(c: RunConfig, sampleShape: readonly number[], classes: number): Module {
  checkModelFits(c, sampleShape, classes); // before allocating
  return run.buildModel(c, sampleShape, classes);
}

/** The configured optimizer; an option it does not take is refused naming the flag. */
export function buildOptimizer(c: RunConfig, model: Module, stepsPerEpoch?: number): OptimizerLike {
  try {
    return run.buildOptimizer(c, model, stepsPerEpoch);
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    throw new UsageError(optimizerFlagError(error, c.optimizer) ?? error.message);
  }
}

/** The schedule a configuration names (see run/build_schedule.ts), or null for none. */
export function buildSchedule(
  c: RunConfig,
  optimizer: OptimizerLike,
  stepsPerEpoch: number,
): schedules.RunSchedule | null {
  return asUsage(() => schedules.buildSchedule(c, optimizer, stepsPerEpoch));
}
