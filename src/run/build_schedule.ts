/**
 * The learning-rate schedule a run configuration names (browser-safe): `schedule` is a name with
 * optional numeric options, `'step:stepSize=2,gamma=0.5'`, and `warmup` a number of optimizer steps of
 * linear warmup. Every problem is a `FormatError` whose message names the setting as the CLI's flag
 * (`--schedule`, `--warmup`), the spelling the README documents for both flags and keys.
 */
import { FormatError } from '../io/format_error.js';
import { Optimizer, type OptimizerLike } from '../optim/optimizer.js';
import type { ReduceLROnPlateau } from '../optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../optim/schedules/scheduler.js';
import { createScheduler, type ScheduleSpec } from '../optim/schedules/spec.js';
import { withWarmup } from '../optim/schedules/warmup.js';
import type { RunConfig } from './config_schema.js';

const SOURCE = 'run config';
const refuse = (message: string) => new FormatError(SOURCE, message);

/** Parses 'name:key=value,key=value' into a schedule name and numeric options. */
export function parseSchedule(spec: string): { name: string; options: Record<string, number> } {
  // Split in full, never with a limit: a limit would drop what follows an extra ':' or '=' silently.
  const [name, rest, ...extra] = spec.split(':') as [string, string | undefined, ...string[]];
  if (extra.length > 0) {
    throw refuse(
      `--schedule ${spec}: one ':' only, between the name and its options; separate options with ',' (e.g. step:stepSize=2,gamma=0.5)`,
    );
  }
  const options: Record<string, number> = {};
  for (const part of rest ? rest.split(',') : []) {
    const [k, v, ...more] = part.split('=');
    const n = Number(v);
    if (!k || v === undefined || more.length > 0 || !Number.isFinite(n)) {
      throw refuse(`--schedule ${spec}: '${part}' is not key=number (e.g. step:stepSize=2,gamma=0.5)`);
    }
    options[k] = n;
  }
  return { name, options };
}

/** A built schedule and when `fit` steps it. */
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

/** A schedule name: when it steps and the scheduler spec with its defaults (null: none). */
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
 * warmup) or per epoch ('step', 'multistep', 'exponential', 'plateau'), or null for 'none' without
 * warmup. Defaults (README, "descent train"): step divides the lr by 10 every round(epochs / 3)
 * epochs; multistep at 1/2 and 3/4 of the epochs; exponential γ = 0.9; cosine and poly reach their end
 * after epochs × stepsPerEpoch − warmup steps; onecycle peaks at the optimizer's lr; plateau ×0.1 after
 * 2 epochs without improvement.
 */
export function buildSchedule(
  c: RunConfig,
  optimizer: OptimizerLike,
  stepsPerEpoch: number,
): RunSchedule | null {
  const { name, options } = parseSchedule(c.schedule);
  const context: ScheduleContext = { c, options, totalSteps: c.epochs * stepsPerEpoch, lr: optimizer.lr };
  try {
    if (!Object.hasOwn(SCHEDULES, name)) throw refuse(`--schedule ${c.schedule}: unknown schedule '${name}'`);
    if (name === 'none' && c.warmup === 0) return null;
    // A wrapper (AdamToSGD) changes its parameter groups mid-run, which a scheduler cannot follow.
    if (!(optimizer instanceof Optimizer)) {
      throw refuse(
        `--schedule ${c.schedule}: --optimizer ${c.optimizer} cannot be combined with a schedule or warmup`,
      );
    }
    const entry = SCHEDULES[name]!;
    const spec = entry.spec(context);
    const schedule = spec === null ? null : createScheduler(optimizer, spec);
    if (c.warmup > 0) return withWarmupSchedule(c, name, optimizer, { schedule, interval: entry.interval });
    return schedule === null ? null : { schedule, interval: entry.interval };
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw refuse(`--schedule ${c.schedule}: ${(error as Error).message}`);
  }
}

/** `warmup`: linear warmup over `c.warmup` optimizer steps, before a per-step schedule or a fixed lr. */
function withWarmupSchedule(
  c: RunConfig,
  name: string,
  optimizer: Optimizer<{ lr: number }>,
  built: { schedule: LrScheduler | ReduceLROnPlateau | null; interval: 'step' | 'epoch' },
): RunSchedule {
  if (name === 'plateau' || name === 'onecycle')
    throw refuse(`--warmup cannot be combined with --schedule ${name}`);
  if (built.interval === 'epoch' && built.schedule !== null) {
    throw refuse(
      `--warmup counts optimizer steps; combine it with a per-step schedule (cosine, poly) or none`,
    );
  }
  const base = (built.schedule as LrScheduler | null) ?? createScheduler(optimizer, { scheduler: 'FixedLR' });
  return { schedule: withWarmup(base, { warmupSteps: c.warmup }), interval: 'step' };
}
