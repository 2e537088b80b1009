/**
 * The sweep driver: opens the sweep directory (resuming what it holds), keeps `executor.slots` trials
 * in flight, judges each epoch report with ASHA when the spec prunes, and appends each finished trial
 * to sweep.jsonl before it counts as done. Where trials run (child processes here, workers on a
 * queue) is the executor's business; what the sweep decides is all here.
 */
import { Asha } from './asha.js';
import { bestTrial, epochMetric } from './metric.js';
import type { SweepSpec } from './spec_schema.js';
import { openSweepDir } from './sweep_dir.js';
import type { EpochReport, EpochVerdict, Trial, TrialExecutor, TrialResult, TrialStatus } from './types.js';

/** What the driver tells its caller as the sweep goes (the progress display, --json lines). */
export type SweepEvent =
  | { type: 'resumed'; done: number; total: number }
  | { type: 'start'; trial: Trial }
  | { type: 'epoch'; report: EpochReport; verdict: EpochVerdict }
  | { type: 'end'; result: TrialResult };

export interface SweepRunSpec {
  /** The sweep directory. */
  dir: string;
  spec: SweepSpec;
  trials: Trial[];
  executor: TrialExecutor;
  onEvent?: (event: SweepEvent) => void;
}

export interface SweepSummary {
  /** Every trial's result, in trial order (those of an earlier run of the sweep included). */
  results: TrialResult[];
  /** How many trials ended in each status. */
  counts: Record<TrialStatus, number>;
  /** Trials run by this call (the others were in sweep.jsonl already). */
  ran: number;
  best: { result: TrialResult; value: number } | null;
}

/** ASHA's rung tables, with the results of a resumed sweep's finished trials recorded in them. */
function ashaFor(
  spec: SweepSpec,
  trials: readonly Trial[],
  done: ReadonlyMap<string, TrialResult>,
): Asha | null {
  if (spec.prune === null) return null;
  const asha = new Asha({ ...spec.prune, mode: spec.mode });
  for (const trial of trials) {
    const result = done.get(trial.id);
    if (result === undefined) continue;
    const values = new Map(result.epochs.map((r) => [r.epoch, epochMetric(r, spec.metric)]));
    asha.record({ trialId: result.trialId, values, maxEpochs: epochsOf(trial) });
  }
  return asha;
}

/** The epochs a trial runs (its configuration's), for ASHA's last rung. */
function epochsOf(trial: Trial): number {
  return trial.job.kind === 'train' ? trial.job.config.epochs : 0;
}

/**
 * Runs every trial of the sweep that sweep.jsonl does not hold yet, and resolves with the whole
 * sweep's summary. Rejects when the executor breaks or is closed (TrialAbortedError) mid-sweep; the
 * trials that finished before are in sweep.jsonl, and running it again continues from there.
 */
export async function runSweep(run: SweepRunSpec): Promise<SweepSummary> {
  const { spec, trials, executor } = run;
  const emit = run.onEvent ?? (() => {});
  const dir = openSweepDir({ dir: run.dir, record: { spec, trials } });
  if (dir.done.size > 0) emit({ type: 'resumed', done: dir.done.size, total: trials.length });
  const asha = ashaFor(spec, trials, dir.done);
  const pending = trials.filter((t) => !dir.done.has(t.id));
  const onEpoch = (trial: Trial) => (report: EpochReport) => {
    const verdict: EpochVerdict =
      asha?.report({
        trialId: trial.id,
        epoch: report.record.epoch,
        value: epochMetric(report.record, spec.metric),
        maxEpochs: epochsOf(trial),
      }) ?? 'continue';
    emit({ type: 'epoch', report, verdict });
    return verdict;
  };
  let next = 0;
  const lane = async () => {
    while (next < pending.length) {
      const trial = pending[next++]!;
      emit({ type: 'start', trial });
      const result = await executor.run(trial, { onEpoch: onEpoch(trial) });
      dir.append(result);
      emit({ type: 'end', result });
    }
  };
  const lanes = Array.from({ length: Math.min(executor.slots, pending.length) }, lane);
  try {
    await Promise.all(lanes);
  } catch (error) {
    // One lane failed: stop the others' trials and wait for them, so that nothing runs on after this.
    await executor.close();
    await Promise.allSettled(lanes);
    throw error;
  }
  return summarize(spec, trials, dir.done, pending.length);
}

function summarize(
  spec: SweepSpec,
  trials: readonly Trial[],
  done: ReadonlyMap<string, TrialResult>,
  ran: number,
): SweepSummary {
  const results = trials.flatMap((t) => {
    const result = done.get(t.id);
    return result ? [result] : [];
  });
  const counts: Record<TrialStatus, number> = { completed: 0, stopped: 0, diverged: 0, pruned: 0, failed: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts, ran, best: bestTrial(results, spec) };
}
