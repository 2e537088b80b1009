/**
 * A run's throughput: the steady state leaves out the first epoch this process ran, the warm-up is that
 * epoch's time beyond the steady rate, and every epoch's training time comes from its samples and
 * samples/s (validation time, in `seconds`, is not training).
 */
import { describe, expect, it } from 'vitest';
import { throughput } from '../../src/run/throughput.js';
import type { EpochLogs } from '../../src/train/types.js';

/** An epoch of `steps` steps at `samplesPerSec`; `seconds` holds validation too, and must not count. */
function epoch(n: number, samplesPerSec: number, steps = 10): EpochLogs {
  return { epoch: n, trainLoss: 1, lr: 0.1, samplesPerSec, seconds: 99, steps };
}

describe('throughput', () => {
  it('the steady rate is over the epochs after the first; the warm-up is the first epoch’s extra time', () => {
    // 1000 samples per epoch: 2 s, then 1 s and 0.5 s.
    const t = throughput([epoch(1, 500), epoch(2, 1000), epoch(3, 2000)], { samples: 1000, batchSize: 100 });
    expect(t.steadySamplesPerSec).toBeCloseTo(2000 / 1.5, 9);
    expect(t.warmupSeconds).toBeCloseTo(2 - 1000 / (2000 / 1.5), 9);
    expect(t.samplesPerSec).toBeCloseTo(3000 / 3.5, 9);
  });

  it('counts a short last batch and a partial epoch by their samples, not by steps × batch size', () => {
    // 1050 samples in 11 batches of up to 100 (1 s), then an epoch stopped after 3 steps (0.3 s).
    const t = throughput([epoch(1, 1050, 11), epoch(2, 1000, 3)], { samples: 1050, batchSize: 100 });
    expect(t.samplesPerSec).toBeCloseTo(1350 / 1.3, 9);
    expect(t.steadySamplesPerSec).toBeCloseTo(1000, 9);
    // The first epoch ran faster than the steady state (1 s against 1.05 s): no warm-up, not a negative one.
    expect(t.warmupSeconds).toBe(0);
  });

  it('after a resume, the warm-up is the first epoch this process ran, not the run’s first', () => {
    const logs = [epoch(1, 100), epoch(2, 1000), epoch(3, 250), epoch(4, 1000), epoch(5, 1000)];
    const t = throughput(logs, { samples: 1000, batchSize: 100, resumedFrom: 2 });
    expect(t.steadySamplesPerSec).toBeCloseTo(1000, 9);
    expect(t.warmupSeconds).toBeCloseTo(4 - 1, 9);
    // The overall rate still covers every epoch of the history: 5000 samples in 10 + 1 + 4 + 1 + 1 s.
    expect(t.samplesPerSec).toBeCloseTo(5000 / 17, 9);
  });

  it('has no steady rate or warm-up with fewer than two epochs run by this process', () => {
    const expected = { samplesPerSec: 500, steadySamplesPerSec: null, warmupSeconds: null };
    expect(throughput([epoch(1, 500)], { samples: 1000, batchSize: 100 })).toEqual(expected);
    const resumed = throughput([epoch(1, 9000), epoch(2, 500)], {
      samples: 1000,
      batchSize: 100,
      resumedFrom: 1,
    });
    expect(resumed.steadySamplesPerSec).toBeNull();
    expect(resumed.warmupSeconds).toBeNull();
    expect(throughput([], { samples: 1000, batchSize: 100 })).toEqual({ ...expected, samplesPerSec: 0 });
  });
});
