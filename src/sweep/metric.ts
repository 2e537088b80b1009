/**
 * A trial's value of the sweep's metric, and the best trial. A final-record metric (testAccuracy, …)
 * comes from the final record, so pruned and failed trials have none; an epoch metric (valAccuracy,
 * …) is the last epoch's, so a pruned trial is ranked by where it stood when it was stopped.
 */
import type { EpochRecord } from '../run/records.js';
import { EPOCH_METRICS, type SweepMetric } from './spec_schema.js';
import type { TrialResult } from './types.js';

/** The metric in an epoch record (NaN for a null: not measured, or a diverged loss). */
export function epochMetric(record: EpochRecord, metric: SweepMetric): number {
  const value = (record as unknown as Record<string, unknown>)[metric];
  return typeof value === 'number' ? value : Number.NaN;
}

/** The trial's value of the metric, or null when it has none. */
export function trialMetric(result: TrialResult, metric: SweepMetric): number | null {
  if (result.status === 'failed' || result.status === 'diverged') return null;
  if ((EPOCH_METRICS as readonly string[]).includes(metric)) {
    const last = result.epochs.at(-1);
    const value = last === undefined ? Number.NaN : epochMetric(last, metric);
    return Number.isFinite(value) ? value : null;
  }
  const value = (result.final as unknown as Record<string, unknown> | undefined)?.[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The trial with the best value of the metric (the first one on ties), or null when none has one. */
export function bestTrial(
  results: readonly TrialResult[],
  spec: { metric: SweepMetric; mode: 'max' | 'min' },
): { result: TrialResult; value: number } | null {
  let best: { result: TrialResult; value: number } | null = null;
  for (const result of results) {
    const value = trialMetric(result, spec.metric);
    if (value === null) continue;
    if (best === null || (spec.mode === 'max' ? value > best.value : value < best.value)) {
      best = { result, value };
    }
  }
  return best;
}
