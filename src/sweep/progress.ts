/**
 * The lines `descent sweep` shows on stderr as a sweep goes (without --json): a trial starting, and
 * each trial's end with its status, metric and the sweep's counts of running, finished and pruned
 * trials. Plain lines (no redrawing), so that a log file reads the same as a terminal.
 */
import type { SweepEvent } from './driver.js';
import { trialMetric } from './metric.js';
import { describeParams } from './sampling.js';
import type { SweepMetric } from './spec_schema.js';

export interface SweepProgress {
  /** The line for an event, or null when it shows none. */
  line(event: SweepEvent): string | null;
}

export function sweepProgress(spec: { total: number; metric: SweepMetric }): SweepProgress {
  let running = 0;
  let finished = 0;
  let pruned = 0;
  const counts = () => `[${finished}/${spec.total} finished, ${running} running, ${pruned} pruned]`;
  return {
    line(event) {
      switch (event.type) {
        case 'resumed':
          finished = event.done;
          return `resuming: ${event.done} of ${event.total} trials already finished`;
        case 'start':
          running++;
          return `${event.trial.id} started (${describeParams(event.trial.params) || 'the base'})  ${counts()}`;
        case 'epoch':
          return null;
        case 'end': {
          const r = event.result;
          running--;
          finished++;
          if (r.status === 'pruned') pruned++;
          const value = trialMetric(r, spec.metric);
          const shown = value === null ? '' : ` ${spec.metric} ${value.toFixed(4)}`;
          const why = r.error !== undefined ? `: ${r.error}` : '';
          return `${r.trialId} ${r.status}${shown} after ${r.epochs.length} epochs, ${r.wallSeconds.toFixed(1)}s${why}  ${counts()}`;
        }
      }
    },
  };
}
