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
import { createScheduler, type ScheduleSpec } from '../optim/schedules/spec.js';
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
  // Split in full, never with a limit: a limit would drop what follows an extra ':' or '=' silently.
  const [name, rest, ...extra] = spec.split(':') as [string, string | undefined, ...string[]];
  if (extra.length > 0) {
    throw new UsageError(
      `--schedule ${spec}: one ':' only, between the name and its options; separate options with ',' (e.g. step:stepSize=2,gamma=0.5)`,
    );
  }
  const options: Record<string, number> = {};
  for (const part of rest ? rest.split(',') : []) {
    const [k, v, ...more] = part.split('=');
    const n = Number(v);
    if (!k || v === undefined || more.length > 0 || !Number.isFinite(n)) {
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

/** What a schedule's defaults are computed from. */
interface ScheduleContext {
  c: RunConfig;
  /** The options given after the name (`step:gamma=0.5`), which override the defaults. */
  options: Record<string, number>;
  totalSteps: number;
  /** The optimizer's learning rate (onecycle's default peak). */
  lr: number;
}

/** A `--schedule` name: when it steps and the scheduler spec with its defaults (null: none). */
interface ScheduleEntry {
  interval: 'step' | 'epoch';
  spec(x: ScheduleContext): ScheduleSpec | null;
}

const SCHEDULES: Record<string, ScheduleEntry> = {
  none: { interval: 'epoch', spec: () => null },
  step: {
    interval: 'epoch',
    spec: ({ c, options }) => ({
      scheduler: 'StepLR',
      options: { stepSize: Math.max(1, Math.round(c.epochs / 3)), gamma: 0.1, ...options },
    }),
  },
  multistep: {
    interval: 'epoch',
    spec: ({ c, options }) => ({
      scheduler: 'MultiStepLR',
      options: {
        milestones: [Math.round(c.epochs / 2), Math.round((3 * c.epochs) / 4)],
        gamma: 0.1,
        ...options,
      } as never,
    }),
  },
  exponential: {
    interval: 'epoch',
    spec: ({ options }) => ({ scheduler: 'ExponentialLR', options: { gamma: 0.9, ...options } }),
  },
  cosine: {
    interval: 'step',
    spec: ({ c, options, totalSteps }) => ({
      scheduler: 'CosineAnnealingLR',
      options: { tMax: Math.max(1, totalSteps - c.warmup), etaMin: 0, ...options },
    }),
  },
  onecycle: {
    interval: 'step',
    spec: ({ options, totalSteps, lr }) => ({
      scheduler: 'OneCycleLR',
      options: { maxLr: lr, totalSteps: Math.max(2, totalSteps), ...options },
    }),
  },
  poly: {
    interval: 'step',
    spec: ({ c, options, totalSteps }) => ({
      scheduler: 'PolynomialLR',
      options: { totalIters: Math.max(1, totalSteps - c.warmup), power: 1, ...options },
    }),
  },
  plateau: {
    interval: 'epoch',
    spec: ({ options }) => ({
      scheduler: 'ReduceLROnPlateau',
      options: { factor: 0.1, patience: 2, ...options },
    }),
  },
};

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
  const context: ScheduleContext = { c, options, totalSteps: c.epochs * stepsPerEpoch, lr: optimizer.lr };
  try {
    if (!Object.hasOwn(SCHEDULES, name)) {
      throw new UsageError(`--schedule ${c.schedule}: unknown schedule '${name}'`);
    }
    const entry = SCHEDULES[name]!;
    const spec = entry.spec(context);
    const schedule = spec === null ? null : createScheduler(optimizer, spec);
    if (c.warmup > 0) return withWarmupSchedule(c, name, optimizer, { schedule, interval: entry.interval });
    return schedule === null ? null : { schedule, interval: entry.interval };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--schedule ${c.schedule}: ${(error as Error).message}`);
  }
}

/** `--warmup`: linear warmup over `c.warmup` optimizer steps, before a per-step schedule or a fixed lr. */
function withWarmupSchedule(
  c: RunConfig,
  name: string,
  optimizer: Optimizer<{ lr: number }>,
  built: { schedule: LrScheduler | ReduceLROnPlateau | null; interval: 'step' | 'epoch' },
): RunSchedule {
  if (name === 'plateau' || name === 'onecycle')
    throw new UsageError(`--warmup cannot be combined with --schedule ${name}`);
  if (built.interval === 'epoch' && built.schedule !== null) {
    throw new UsageError(
      `--warmup counts optimizer steps; combine it with a per-step schedule (cosine, poly) or none`,
    );
  }
  const base = (built.schedule as LrScheduler | null) ?? createScheduler(optimizer, { scheduler: 'FixedLR' });
  return { schedule: withWarmup(base, { warmupSteps: c.warmup }), interval: 'step' };
}
