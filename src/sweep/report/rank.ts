/**
 * The sweep's trials in the order of its metric (best first, by the spec's mode), and its axes with
 * the scale each is best read on.
 */
import { trialMetric } from '../metric.js';
import type { SweepSpec } from '../spec_schema.js';
import type { Trial, TrialResult } from '../types.js';
import type { SweepData } from './read.js';

export interface RankedTrial {
  trial: Trial;
  result: TrialResult;
  /** The trial's value of the spec's metric; null when it has none (failed, diverged, pruned on a final metric). */
  value: number | null;
}

export interface SweepAxis {
  name: string;
  /** Read on a log scale: a log-uniform axis, or a grid of positive numbers spanning 100× or more. */
  log: boolean;
  /** Every value is a number (else the axis is read as categories). */
  numeric: boolean;
}

/** Finished trials, best first; trials without a value last, in trial order. */
export function rankTrials(data: SweepData): RankedTrial[] {
  const byId = new Map(data.trials.map((t) => [t.id, t]));
  const ranked = data.results.map((result) => ({
    trial: byId.get(result.trialId)!,
    result,
    value: trialMetric(result, data.spec.metric),
  }));
  const sign = data.spec.mode === 'max' ? -1 : 1;
  return ranked.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? 0 : 1) : -1;
    return sign * (a.value - b.value);
  });
}

/** The grid's axes, then the random ones, as the spec lists them. */
export function sweepAxes(spec: SweepSpec, trials: readonly Trial[]): SweepAxis[] {
  const names = [...Object.keys(spec.grid), ...Object.keys(spec.random)];
  return names.map((name) => {
    const values = trials.map((t) => t.params[name]);
    const numeric = values.every((v) => typeof v === 'number' && Number.isFinite(v));
    const dist = spec.random[name];
    const nums = numeric ? (values as number[]) : [];
    const wide = numeric && nums.every((v) => v > 0) && Math.max(...nums) >= 100 * Math.min(...nums);
    const log = (dist !== undefined && 'logUniform' in dist) || (name in spec.grid && wide);
    return { name, log, numeric };
  });
}
