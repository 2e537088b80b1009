/**
 * runTrialProcess: a trial is a real `descent train` child (the CLI bundled from the sources); its epoch
 * records reach the hook in order, `prune` stops it, and its exit says how it ended.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../src/run/run_config.js';
import {
  runTrialProcess,
  TrialAbortedError,
  TrialKilledError,
  trialArgs,
} from '../../src/sweep/trial_process.js';
import type { EpochReport, Trial } from '../../src/sweep/types.js';
import { bundleCli } from '../cli/cli_process.js';

let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await bundleCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-trial-'));
});
afterAll(() => {
  fs.rmSync(cli, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

function trainTrial(id: string, settings: Record<string, unknown>): Trial {
  const config = parseRunConfig({ data: 'spirals', hidden: [8], epochs: 2, ...settings });
  return { id, params: settings, job: { kind: 'train', config } };
}

describe('runTrialProcess', () => {
  it('streams each epoch record to onEpoch and ends completed with the final record', async () => {
    const seen: EpochReport[] = [];
    const result = await runTrialProcess({
      trial: trainTrial('t0000', { lr: 0.01 }),
      runDir: path.join(dir, 'ok'),
      hooks: {
        onEpoch: (r) => {
          seen.push(r);
          return 'continue';
        },
      },
      cli,
    });
    expect(result.status).toBe('completed');
    expect(seen.map((r) => [r.trialId, r.record.epoch])).toEqual([
      ['t0000', 1],
      ['t0000', 2],
    ]);
    expect(result.epochs).toEqual(seen.map((r) => r.record));
    expect(result.final?.epochs).toBe(2);
    expect(result.runDir).toBe('trials/t0000');
    expect(fs.existsSync(path.join(dir, 'ok', 'model.safetensors'))).toBe(true);
  });

  it('stops the child on prune and ends pruned with the epochs reported so far', async () => {
    const result = await runTrialProcess({
      trial: trainTrial('t0001', { epochs: 30 }),
      runDir: path.join(dir, 'pruned'),
      hooks: { onEpoch: () => 'prune' },
      cli,
    });
    expect(result.status).toBe('pruned');
    expect(result.epochs.map((e) => e.epoch)).toEqual([1]);
    expect(result.final).toBeUndefined();
    // The process was stopped long before its 30 epochs: no report (the last thing a run writes).
    const metrics = fs
      .readFileSync(path.join(dir, 'pruned', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(metrics.length).toBeLessThan(30);
    expect(fs.existsSync(path.join(dir, 'pruned', 'report.html'))).toBe(false);
  });

  it('records a diverged trial with the CLI message', async () => {
    const result = await runTrialProcess({
      trial: trainTrial('t0002', { lr: 1000 }),
      runDir: path.join(dir, 'diverged'),
      hooks: { onEpoch: () => 'continue' },
      cli,
    });
    expect(result.status).toBe('diverged');
    expect(result.error).toMatch(/^training diverged: loss exploded/);
  });

  it('records a trial the CLI refuses as failed with its message', async () => {
    // A configuration the schema takes but the data refuses: a batch norm batch of one sample.
    const result = await runTrialProcess({
      trial: trainTrial('t0003', { batchSize: 1 }),
      runDir: path.join(dir, 'failed'),
      hooks: { onEpoch: () => 'continue' },
      cli,
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^--batch-size 1: batch normalization needs at least 2 samples/);
  });

  it('throws TrialKilledError when the child dies of a signal it was not sent', async () => {
    const run = runTrialProcess({
      trial: trainTrial('t0004', { epochs: 30 }),
      runDir: path.join(dir, 'killed'),
      hooks: {
        onEpoch: () => {
          // The child's pid is not ours to see: kill it through its run lock's owner.
          const lock = JSON.parse(fs.readFileSync(path.join(dir, 'killed', 'run.lock'), 'utf8'));
          process.kill(lock.pid, 'SIGKILL');
          return 'continue';
        },
      },
      cli,
    });
    await expect(run).rejects.toBeInstanceOf(TrialKilledError);
  });

  it('stops the child and throws TrialAbortedError when the signal aborts', async () => {
    const abort = new AbortController();
    const run = runTrialProcess({
      trial: trainTrial('t0005', { epochs: 30 }),
      runDir: path.join(dir, 'aborted'),
      hooks: {
        onEpoch: () => {
          abort.abort();
          return 'continue';
        },
      },
      signal: abort.signal,
      cli,
    });
    await expect(run).rejects.toBeInstanceOf(TrialAbortedError);
  });
});

describe('trialArgs', () => {
  it('runs a train trial on one thread into its directory, without --threads on the reference backend', () => {
    const config = parseRunConfig({ data: 'spirals' });
    expect(trialArgs({ kind: 'train', config }, 'd')).toEqual([
      'train',
      '--config',
      path.join('d', '.trial_config.json'),
      '--out',
      'd',
      '--json',
      '--threads',
      '1',
      '--overwrite',
    ]);
    const reference = parseRunConfig({ data: 'spirals', backend: 'reference' });
    expect(trialArgs({ kind: 'train', config: reference }, 'd')).not.toContain('--threads');
  });

  it('passes an experiment trial its options as kebab-case flags, on one thread unless on the reference backend', () => {
    const job = {
      kind: 'experiment' as const,
      experiment: 'regularization',
      options: { batchNorm: false, lrList: [0.1, 1] },
      seed: 3,
    };
    expect(trialArgs(job, 'd')).toEqual([
      'experiment',
      'regularization',
      '--seed',
      '3',
      '--json',
      '--out',
      'd',
      '--threads',
      '1',
      '--no-batch-norm',
      '--lr-list',
      '0.1,1',
    ]);
    const reference = { ...job, options: { backend: 'reference' } };
    expect(trialArgs(reference, 'd')).not.toContain('--threads');
  });
});
