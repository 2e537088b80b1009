/** Builds what a run configuration describes: the data, the model, the optimizer and the schedule. */
import { concatDatasets, type TensorDataset } from '../data/dataset.js';
import { initialize } from '../init/initialize.js';
import { densenet } from '../nn/builders/densenet.js';
import { lenet5 } from '../nn/builders/lenet5.js';
import { mlp } from '../nn/builders/mlp.js';
import { plainNet, resnet } from '../nn/builders/resnet.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/registry.js';
import type { ReduceLROnPlateau } from '../optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../optim/schedules/scheduler.js';
import { createScheduler } from '../optim/schedules/spec.js';
import { withWarmup } from '../optim/schedules/warmup.js';
import { manualSeed } from '../tensor/random.js';
import { checkModelFits } from './memory_check.js';
import { optimizerFlagError } from './optimizer_flags.js';
import { optimizerOptionsOf, type RunConfig, UsageError } from './run_config.js';
import type { RunData } from './run_data.js';

// Loading and checking the data is run_data.ts's job; re-exported for the commands that import it here.
export { loadRunData, type RunData } from './run_data.js';

/** train + validation + test, for evaluating on all the data. */
export function allOf(d: RunData): TensorDataset {
  return concatDatasets([d.train, ...(d.validation ? [d.validation] : []), d.test]);
}

/** Builds (and initializes) the model; the global generator is seeded first, so the same seed gives the same weights. */
export function buildModel(c: RunConfig, sampleShape: readonly number[], classes: number): Module {
  checkModelFits(c, sampleShape, classes); // before allocating: refuse at once what cannot fit
  manualSeed(c.seed);
  const channels = sampleShape.length === 3 ? sampleShape[0]! : 1;
  const activation = c.activation ?? (c.arch === 'mlp' ? 'sigmoid' : 'relu');
  let model: Module;
  switch (c.arch) {
    case 'mlp': {
      const inputs = sampleShape.reduce((a, b) => a * b, 1);
      model = mlp({
        sizes: [inputs, ...c.hidden, classes],
        activation,
        batchNorm: c.batchNorm,
        dropout: c.dropout,
        inputDropout: c.inputDropout,
      });
      break;
    }
    case 'lenet5':
      model = lenet5({ inChannels: channels, classes, activation });
      break;
    case 'resnet':
      model = resnet({ depth: c.depth, width: c.width, inChannels: channels, classes });
      break;
    case 'plain':
      model = plainNet({ depth: c.depth, width: c.width, inChannels: channels, classes });
      break;
    case 'densenet':
      model = densenet({ inChannels: channels, classes });
      break;
  }
  if (c.init !== 'default') initialize(model, c.init);
  return model;
}

export function buildOptimizer(c: RunConfig, model: Module): Optimizer<{ lr: number }> {
  try {
    return createOptimizer(c.optimizer, model.parameters(), optimizerOptionsOf(c));
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    throw new UsageError(optimizerFlagError(error, c.optimizer) ?? error.message);
  }
}

/** Parses 'name:key=value,key=value' into a schedule name and numeric options. */
export function parseSchedule(spec: string): { name: string; options: Record<string, number> } {
  const [name, rest] = spec.split(':', 2) as [string, string | undefined];
  const options: Record<string, number> = {};
  for (const part of rest ? rest.split(',') : []) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (!k || v === undefined || !Number.isFinite(n)) {
      throw new UsageError(
        `--schedule ${spec}: '${part}' is not key=number (e.g. step:stepSize=2,gamma=0.5)`,
      );
    }
    options[k] = n;
  }
  return { name, options };
}

export interface RunSchedule {
  schedule: LrScheduler | ReduceLROnPlateau;
  interval: 'step' | 'epoch';
}

/**
 * The schedule a configuration names, stepped per optimizer step ('cosine', 'onecycle', 'poly' and any
 * warmup) or per epoch ('step', 'multistep', 'exponential', 'plateau'). Defaults: step halves… see README.
 */
export function buildSchedule(
  c: RunConfig,
  optimizer: Optimizer<{ lr: number }>,
  stepsPerEpoch: number,
): RunSchedule | null {
  const { name, options } = parseSchedule(c.schedule);
  const totalSteps = c.epochs * stepsPerEpoch;
  const lr = optimizer.lr;
  try {
    let schedule: LrScheduler | ReduceLROnPlateau | null;
    let interval: 'step' | 'epoch' = 'epoch';
    switch (name) {
      case 'none':
        schedule = null;
        break;
      case 'step':
        schedule = createScheduler(optimizer, {
          scheduler: 'StepLR',
          options: { stepSize: Math.max(1, Math.round(c.epochs / 3)), gamma: 0.1, ...options },
        });
        break;
      case 'multistep':
        schedule = createScheduler(optimizer, {
          scheduler: 'MultiStepLR',
          options: {
            milestones: [Math.round(c.epochs / 2), Math.round((3 * c.epochs) / 4)],
            gamma: 0.1,
            ...options,
          } as never,
        });
        break;
      case 'exponential':
        schedule = createScheduler(optimizer, {
          scheduler: 'ExponentialLR',
          options: { gamma: 0.9, ...options },
        });
        break;
      case 'cosine':
        interval = 'step';
        schedule = createScheduler(optimizer, {
          scheduler: 'CosineAnnealingLR',
          options: { tMax: Math.max(1, totalSteps - c.warmup), etaMin: 0, ...options },
        });
        break;
      case 'onecycle':
        interval = 'step';
        schedule = createScheduler(optimizer, {
          scheduler: 'OneCycleLR',
          options: { maxLr: lr, totalSteps: Math.max(2, totalSteps), ...options },
        });
        break;
      case 'poly':
        interval = 'step';
        schedule = createScheduler(optimizer, {
          scheduler: 'PolynomialLR',
          options: { totalIters: Math.max(1, totalSteps - c.warmup), power: 1, ...options },
        });
        break;
      case 'plateau':
        schedule = createScheduler(optimizer, {
          scheduler: 'ReduceLROnPlateau',
          options: { factor: 0.1, patience: 2, ...options },
        });
        break;
      default:
        throw new UsageError(`--schedule ${c.schedule}: unknown schedule '${name}'`);
    }
    if (c.warmup > 0) {
      if (name === 'plateau' || name === 'onecycle')
        throw new UsageError(`--warmup cannot be combined with --schedule ${name}`);
      if (interval === 'epoch' && schedule !== null) {
        throw new UsageError(
          `--warmup counts optimizer steps; combine it with a per-step schedule (cosine, poly) or none`,
        );
      }
      const base = (schedule as LrScheduler | null) ?? createScheduler(optimizer, { scheduler: 'FixedLR' });
      return { schedule: withWarmup(base, { warmupSteps: c.warmup }), interval: 'step' };
    }
    return schedule === null ? null : { schedule, interval };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--schedule ${c.schedule}: ${(error as Error).message}`);
  }
}
