/**
 * The records of a training run as `descent train --json` prints them, one JSON object per line: one per
 * epoch, then the final summary. Browser-safe, so that the lab exports exactly what the CLI prints; the
 * CLI's `--json` reporter calls these very functions.
 *
 * Epoch record: `{ epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec }`, a metric
 * that was not measured (no validation split) as null. Final record: `{ final: true, status, testLoss,
 * testAccuracy, bestEpoch, epochs, wallSeconds, samplesPerSec, steadySamplesPerSec, warmupSeconds }`,
 * with `checkpointEpoch` after `status` for a diverged run; `JSON.stringify` writes NaN (a diverged run's
 * test loss) as null. `steadySamplesPerSec` and `warmupSeconds` (see `throughput.ts`) are null for a run
 * that trained fewer than two epochs in this process.
 */
import type { EpochLogs } from '../train/types.js';

export interface FinalSummary {
  /**
   * How training ended: `completed` (every epoch ran), `stopped` (a callback such as early stopping
   * ended it before the last epoch) or `diverged` (the test metrics are then null; exit code 3).
   */
  status: 'completed' | 'stopped' | 'diverged';
  /** Diverged runs only: the epoch of the checkpoint kept in the run directory, or null for none. */
  checkpointEpoch?: number | null;
  testLoss: number;
  testAccuracy: number | undefined;
  /** The epoch with the lowest validation loss, or null without a validation split (or diverged). */
  bestEpoch: number | null;
  /** Epochs completed. */
  epochs: number;
  wallSeconds: number;
  /** Training samples per second over all epochs. */
  samplesPerSec: number;
  /** Training samples per second of the epochs after the first one this process ran, or null. */
  steadySamplesPerSec: number | null;
  /** The first epoch's warm-up cost in seconds (its time beyond the steady rate), or null. */
  warmupSeconds: number | null;
}

/** One epoch's line of `descent train --json`. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  lr: number;
  samplesPerSec: number;
}

/** The last line of `descent train --json`. */
export interface FinalRecord {
  final: true;
  status: FinalSummary['status'];
  checkpointEpoch?: number | null;
  testLoss: number;
  testAccuracy: number | null;
  bestEpoch: number | null;
  epochs: number;
  wallSeconds: number;
  samplesPerSec: number;
  steadySamplesPerSec: number | null;
  warmupSeconds: number | null;
}

/** The record of an epoch, in the key order the CLI prints. */
export function epochRecord(logs: EpochLogs): EpochRecord {
  const { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr, samplesPerSec } = logs;
  return {
    epoch,
    trainLoss,
    trainAccuracy: trainAccuracy ?? null,
    valLoss: valLoss ?? null,
    valAccuracy: valAccuracy ?? null,
    lr,
    samplesPerSec,
  };
}

/** The final record of a run, in the key order the CLI prints (`checkpointEpoch` only when given). */
export function finalRecord(s: FinalSummary): FinalRecord {
  return {
    final: true,
    status: s.status,
    ...(s.checkpointEpoch === undefined ? {} : { checkpointEpoch: s.checkpointEpoch }),
    testLoss: s.testLoss,
    testAccuracy: s.testAccuracy ?? null,
    bestEpoch: s.bestEpoch,
    epochs: s.epochs,
    wallSeconds: s.wallSeconds,
    samplesPerSec: s.samplesPerSec,
    steadySamplesPerSec: s.steadySamplesPerSec,
    warmupSeconds: s.warmupSeconds,
  };
}
