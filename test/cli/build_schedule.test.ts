// buildSchedule: the --schedule names, their defaults, their step interval, and --warmup's rules.
import { describe, expect, it } from 'vitest';
import { resolveConfig, UsageError } from '../../src/cli/run_config.js';
import { buildSchedule } from '../../src/cli/setup.js';
import { mlp } from '../../src/nn/builders/mlp.js';
import { SGD } from '../../src/optim/optimizers/sgd.js';
import { ReduceLROnPlateau } from '../../src/optim/schedules/reduce_lr_on_plateau.js';
import type { LrScheduler } from '../../src/optim/schedules/scheduler.js';

function build(schedule: string, extra: Record<string, unknown> = {}, stepsPerEpoch = 10) {
  const config = { ...resolveConfig({}, {}), epochs: 6, lr: 0.1, ...extra, schedule };
  const optimizer = new SGD(mlp({ sizes: [2, 2] }).parameters(), { lr: 0.1 });
  return { optimizer, built: buildSchedule(config, optimizer, stepsPerEpoch) };
}

/** The learning rates after each of `n` schedule steps. */
function lrs(schedule: LrScheduler, optimizer: { lr: number }, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    schedule.step();
    out.push(optimizer.lr);
  }
  return out;
}

describe('buildSchedule', () => {
  it("'none' without warmup is no schedule", () => {
    expect(build('none').built).toBeNull();
  });

  it("'step' steps per epoch and by default divides the lr by 10 every round(epochs / 3) epochs", () => {
    const { optimizer, built } = build('step');
    expect(built?.interval).toBe('epoch');
    const seen = lrs(built!.schedule as LrScheduler, optimizer, 4);
    expect(seen.map((v) => Number(v.toPrecision(6)))).toEqual([0.1, 0.01, 0.01, 0.001]);
  });

  it('options after the name override the defaults (step:stepSize=1,gamma=0.5)', () => {
    const { optimizer, built } = build('step:stepSize=1,gamma=0.5');
    expect(lrs(built!.schedule as LrScheduler, optimizer, 2)).toEqual([0.05, 0.025]);
  });

  it('cosine, onecycle and poly step per optimizer step; multistep, exponential and plateau per epoch', () => {
    for (const name of ['cosine', 'onecycle', 'poly']) expect(build(name).built?.interval).toBe('step');
    for (const name of ['multistep', 'exponential', 'plateau'])
      expect(build(name).built?.interval).toBe('epoch');
    expect(build('plateau').built?.schedule).toBeInstanceOf(ReduceLROnPlateau);
  });

  it('cosine reaches etaMin 0 after epochs × stepsPerEpoch steps by default', () => {
    const { optimizer, built } = build('cosine', {}, 5);
    const seen = lrs(built!.schedule as LrScheduler, optimizer, 30);
    expect(seen[29]).toBeCloseTo(0, 12);
    expect(seen[14]).toBeCloseTo(0.05, 12);
  });

  it('refuses an unknown name, also one that is an Object.prototype key', () => {
    for (const name of ['bogus', 'toString', 'constructor']) {
      expect(() => build(name)).toThrow(UsageError);
      expect(() => build(name)).toThrow(`--schedule ${name}: unknown schedule '${name}'`);
    }
  });

  it('names --schedule in the error of a bad option', () => {
    expect(() => build('exponential:gamma=-1')).toThrow(UsageError);
    expect(() => build('exponential:gamma=-1')).toThrow(/^--schedule exponential:gamma=-1: .*gamma/);
  });

  it('--warmup alone warms a fixed lr up, per step', () => {
    const { optimizer, built } = build('none', { warmup: 4 });
    expect(built?.interval).toBe('step');
    const seen = lrs(built!.schedule as LrScheduler, optimizer, 6);
    expect(seen[5]).toBeCloseTo(0.1, 12);
    expect(seen[0]).toBeLessThan(0.1);
  });

  it('--warmup refuses plateau and onecycle, and per-epoch schedules', () => {
    expect(() => build('plateau', { warmup: 2 })).toThrow(
      '--warmup cannot be combined with --schedule plateau',
    );
    expect(() => build('onecycle', { warmup: 2 })).toThrow(
      '--warmup cannot be combined with --schedule onecycle',
    );
    expect(() => build('step', { warmup: 2 })).toThrow(
      '--warmup counts optimizer steps; combine it with a per-step schedule (cosine, poly) or none',
    );
    expect(build('cosine', { warmup: 2 }).built?.interval).toBe('step');
  });
});
