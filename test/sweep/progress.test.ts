/** The sweep's progress lines: each trial's start and end, with the counts of finished, running and pruned. */
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../src/run/run_config.js';
import { sweepProgress } from '../../src/sweep/progress.js';
import type { Trial, TrialResult } from '../../src/sweep/types.js';

const trial = (id: string, lr: number): Trial => ({
  id,
  params: { lr },
  job: { kind: 'train', config: parseRunConfig({ data: 'spirals', lr }) },
});

const epoch = (valAccuracy: number) => ({
  epoch: 1,
  trainLoss: 0.5,
  trainAccuracy: 0.8,
  valLoss: 0.6,
  valAccuracy,
  lr: 0.1,
  samplesPerSec: 1000,
});

const ended = (
  trialId: string,
  status: TrialResult['status'],
  extra: Partial<TrialResult> = {},
): TrialResult => ({
  trialId,
  status,
  params: {},
  epochs: [epoch(0.75)],
  runDir: `trials/${trialId}`,
  worker: 'local',
  attempts: 1,
  wallSeconds: 2.5,
  ...extra,
});

describe('sweepProgress', () => {
  it('counts running, finished and pruned trials as they start and end', () => {
    const p = sweepProgress({ total: 3, metric: 'valAccuracy' });
    expect(p.line({ type: 'resumed', done: 1, total: 3 })).toBe('resuming: 1 of 3 trials already finished');
    expect(p.line({ type: 'start', trial: trial('t0001', 0.1) })).toBe(
      't0001 started (lr=0.1)  [1/3 finished, 1 running, 0 pruned]',
    );
    expect(p.line({ type: 'start', trial: trial('t0002', 0.01) })).toBe(
      't0002 started (lr=0.01)  [1/3 finished, 2 running, 0 pruned]',
    );
    expect(
      p.line({ type: 'epoch', report: { trialId: 't0001', record: epoch(0.5) }, verdict: 'prune' }),
    ).toBeNull();
    expect(p.line({ type: 'end', result: ended('t0001', 'pruned') })).toBe(
      't0001 pruned valAccuracy 0.7500 after 1 epochs, 2.5s  [2/3 finished, 1 running, 1 pruned]',
    );
    expect(
      p.line({ type: 'end', result: ended('t0002', 'failed', { epochs: [], error: '--batch-size 1: no' }) }),
    ).toBe('t0002 failed after 0 epochs, 2.5s: --batch-size 1: no  [3/3 finished, 0 running, 1 pruned]');
  });
});
