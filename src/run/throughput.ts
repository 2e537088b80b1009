/**
 * How fast a run trained, from its epochs' logs: the overall samples per second, the steady-state rate
 * (the epochs after the first one this process ran) and the first epoch's warm-up cost, so that a
 * short run's average, dragged down by compiling the JavaScript and WebAssembly on the first steps,
 * is not read as the speed of training (issue #15's target compares the steady state with the
 * benchmark's bare loop).
 *
 * Each epoch's training time is recovered from its logs: `samplesPerSec` counts training steps only
 * (no validation), and an epoch of `steps` batches of `batchSize` over `samples` samples trained
 * min(steps · batchSize, samples) of them (the last batch may be short). `seconds` is not used: it
 * includes validation.
 */
import type { EpochLogs } from '../train/types.js';

/** What `throughput` needs besides the logs. */
export interface ThroughputSpec {
  /** Samples in the training split (one full epoch). */
  samples: number;
  batchSize: number;
  /**
   * The epochs this process ran start after this one (a resumed run's history carries the epochs of
   * the run it resumed, trained by another process whose warm-up is long gone); default 0.
   */
  resumedFrom?: number;
}

export interface Throughput {
  /** Training samples per second over every epoch of the history. */
  samplesPerSec: number;
  /**
   * Training samples per second over the epochs after the first one this process ran (total samples
   * over total training time); null when it ran fewer than two.
   */
  steadySamplesPerSec: number | null;
  /**
   * The first epoch's training time beyond what it takes at the steady rate: the one-time cost of
   * compiling and tiering up the code on the first steps (seconds, at least 0); null without a steady
   * rate.
   */
  warmupSeconds: number | null;
}

interface EpochTime {
  samples: number;
  seconds: number;
}

/** The training samples and seconds of one epoch (see the module comment). */
function epochTime(logs: EpochLogs, spec: ThroughputSpec): EpochTime {
  const samples = Math.min(logs.steps * spec.batchSize, spec.samples);
  return { samples, seconds: logs.samplesPerSec > 0 ? samples / logs.samplesPerSec : 0 };
}

/** Total samples over total seconds; 0 for no time at all. */
function rate(times: readonly EpochTime[]): number {
  const seconds = times.reduce((a, t) => a + t.seconds, 0);
  const samples = times.reduce((a, t) => a + t.samples, 0);
  return seconds > 0 ? samples / seconds : 0;
}

/** The run's throughput (see `Throughput`) from the epochs' logs in the order they ran. */
export function throughput(epochs: readonly EpochLogs[], spec: ThroughputSpec): Throughput {
  const times = epochs.map((logs) => epochTime(logs, spec));
  const own = times.filter((_, i) => epochs[i]!.epoch > (spec.resumedFrom ?? 0));
  if (own.length < 2) return { samplesPerSec: rate(times), steadySamplesPerSec: null, warmupSeconds: null };
  const steady = rate(own.slice(1));
  const first = own[0]!;
  const warmupSeconds = steady > 0 ? Math.max(0, first.seconds - first.samples / steady) : null;
  return { samplesPerSec: rate(times), steadySamplesPerSec: steady, warmupSeconds };
}
