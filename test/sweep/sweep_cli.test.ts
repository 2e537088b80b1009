/**
 * `descent sweep` end to end with the embedded pool: the sweep and its trials are real processes (the
 * CLI bundled from the sources). Kept small: spirals, a few trials of 2 or 3 epochs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialResult } from '../../src/sweep/types.js';
import { bundleCli, type ChildRun, runChild } from '../cli/cli_process.js';
import { runCli } from '../cli/run_cli.js';

let cli: string;
let tmp: string;
beforeAll(async () => {
  cli = await bundleCli();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-sweep-'));
});
afterAll(() => {
  fs.rmSync(cli, { force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes a spec file and returns its path. */
function specFile(name: string, spec: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

function sweep(args: string[], onLine?: Parameters<typeof runChild>[0]['onLine']): Promise<ChildRun> {
  return runChild({
    script: cli,
    args: ['sweep', ...args],
    cwd: tmp,
    timeoutMs: 280_000,
    ...(onLine ? { onLine } : {}),
  });
}

/** Runs a sweep and sends it SIGINT once `ready()` holds (polled); resolves when it has exited. */
function interruptedSweep(args: string[], ready: () => boolean): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'sweep', ...args], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 100);
    const safety = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(safety);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function resultsOf(dir: string): TrialResult[] {
  return jsonLines(fs.readFileSync(path.join(dir, 'sweep.jsonl'), 'utf8')) as unknown as TrialResult[];
}

const ISSUE_SPEC = {
  base: { data: 'spirals', epochs: 2 },
  grid: { lr: [0.01, 0.1], seed: [0, 1] },
  metric: 'valAccuracy',
  mode: 'max',
};

describe('descent sweep', () => {
  let dir: string;
  let run: ChildRun;
  beforeAll(async () => {
    dir = path.join(tmp, 'issue');
    run = await sweep([specFile('issue.json', ISSUE_SPEC), '--out', dir, '--workers', '2', '--json']);
  }, 300_000);

  it('runs the issue’s four-trial example on two workers: a line per trial, then the summary', () => {
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(5);
    const trials = lines.slice(0, 4) as unknown as TrialResult[];
    expect(trials.map((t) => t.trialId).sort()).toEqual(['t0000', 't0001', 't0002', 't0003']);
    for (const t of trials) {
      expect(t.status).toBe('completed');
      expect(t.epochs.map((e) => e.epoch)).toEqual([1, 2]);
      expect(t.final?.epochs).toBe(2);
    }
    const best = [...trials].sort((a, b) => b.epochs[1]!.valAccuracy! - a.epochs[1]!.valAccuracy!)[0]!;
    const summary = lines[4]!;
    expect(summary).toMatchObject({
      final: true,
      trials: 4,
      ran: 4,
      counts: { completed: 4, pruned: 0, failed: 0, diverged: 0, stopped: 0 },
      best: { trialId: best.trialId, params: best.params, value: best.epochs[1]!.valAccuracy },
    });
  });

  it('leaves the sweep directory: sweep.json, one sweep.jsonl line per trial, each trial’s run directory', () => {
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
    expect(record.trials.map((t: { id: string; params: unknown }) => [t.id, t.params])).toEqual([
      ['t0000', { lr: 0.01, seed: 0 }],
      ['t0001', { lr: 0.01, seed: 1 }],
      ['t0002', { lr: 0.1, seed: 0 }],
      ['t0003', { lr: 0.1, seed: 1 }],
    ]);
    expect(
      resultsOf(dir)
        .map((r) => r.trialId)
        .sort(),
    ).toEqual(['t0000', 't0001', 't0002', 't0003']);
    for (const id of ['t0000', 't0003']) {
      const files = fs.readdirSync(path.join(dir, 'trials', id));
      expect(files).toEqual(expect.arrayContaining(['config.json', 'metrics.jsonl', 'model.safetensors']));
    }
  });

  it('gives a trial the same numbers, bit for bit, as its best command line run alone', async () => {
    const summary = jsonLines(run.stdout)[4] as { best: { trialId: string; command: string } };
    const trial = resultsOf(dir).find((r) => r.trialId === summary.best.trialId)!;
    const words = summary.best.command.split(' ');
    expect(words.slice(0, 2)).toEqual(['descent', 'train']);
    const alone = await runChild({
      script: cli,
      args: [...words.slice(1), '--out', path.join(tmp, 'alone'), '--json'],
      cwd: tmp,
    });
    expect(alone.code, alone.stderr).toBe(0);
    const lines = jsonLines(alone.stdout);
    const strip = (r: Record<string, unknown>) => {
      const { samplesPerSec: _s, wallSeconds: _w, steadySamplesPerSec: _ss, warmupSeconds: _ws, ...rest } = r;
      return rest;
    };
    expect(lines.slice(0, -1).map(strip)).toEqual(trial.epochs.map((e) => strip({ ...e })));
    expect(strip(lines.at(-1)!)).toEqual(strip({ ...trial.final! }));
  });

  it('runs nothing again on a rerun of a finished sweep, and refuses another spec in its directory', async () => {
    const again = await sweep([path.join(tmp, 'issue.json'), '--out', dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(jsonLines(again.stdout)).toEqual([expect.objectContaining({ final: true, trials: 4, ran: 0 })]);
    const other = specFile('other.json', { ...ISSUE_SPEC, grid: { lr: [0.5], seed: [0, 1] } });
    const refused = await runCli(['sweep', other, '--out', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^error: --out ${dir} holds a different sweep: its grid is .*; resume it with its own spec, or choose a new --out directory`,
      ),
    );
  });
});

describe('descent sweep: resume and failures', () => {
  it('resumes after the sweep process is killed: every trial ends exactly once', async () => {
    const dir = path.join(tmp, 'killed');
    const spec = specFile('killed.json', {
      base: { data: 'spirals', epochs: 2, hidden: [8] },
      grid: { seed: [0, 1, 2] },
      metric: 'valLoss',
    });
    const first = await sweep([spec, '--out', dir, '--workers', '1', '--json'], (_line, child) => {
      child.kill('SIGKILL'); // after the first finished trial, while the next one runs
    });
    expect(first.signal).toBe('SIGKILL');
    const before = resultsOf(dir);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(3);
    const second = await sweep([spec, '--out', dir, '--workers', '1', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const ranAgain = jsonLines(second.stdout)
      .filter((l) => l.final !== true)
      .map((l) => l.trialId);
    expect(ranAgain.sort()).toEqual(
      ['t0000', 't0001', 't0002'].filter((id) => !before.some((r) => r.trialId === id)),
    );
    const after = resultsOf(dir);
    expect(after.map((r) => r.trialId).sort()).toEqual(['t0000', 't0001', 't0002']);
    expect(after.every((r) => r.status === 'completed')).toBe(true);
    expect(after.slice(0, before.length)).toEqual(before);
  }, 300_000);

  it('resumes after a kill in the middle of writing sweep.json (no leftover file blocks the rerun)', async () => {
    const dir = path.join(tmp, 'killed_spec_write');
    const spec = specFile('killed_spec_write.json', {
      base: { data: 'spirals', epochs: 1, hidden: [4] },
      metric: 'valLoss',
    });
    const args = ['sweep', spec, '--out', dir, '--workers', '1', '--json'];
    const first = await runChild({
      script: cli,
      args,
      cwd: tmp,
      env: { DESCENT_FAULT: 'before-rename:sweep.json:1' },
    });
    expect(first.signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'sweep.json'))).toBe(false);
    const second = await sweep([spec, '--out', dir, '--workers', '1', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(resultsOf(dir).map((r) => r.trialId)).toEqual(['t0000']);
  }, 120_000);

  it('stops its trials on Ctrl-C, keeps what finished and says how to continue', async () => {
    const dir = path.join(tmp, 'interrupted');
    const spec = specFile('interrupted.json', {
      base: { data: 'spirals', epochs: 30, hidden: [8] },
      grid: { seed: [0, 1] },
      metric: 'valLoss',
    });
    // Once both trials have checkpointed an epoch, interrupt.
    const run = await interruptedSweep([spec, '--out', dir, '--workers', '2'], () =>
      ['t0000', 't0001'].every((id) => fs.existsSync(path.join(dir, 'trials', id, 'state.safetensors'))),
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(
      `descent: sweep stopped by SIGINT; finished trials are in ${path.join(dir, 'sweep.jsonl')}; run the same command to continue`,
    );
    expect(fs.existsSync(path.join(dir, 'sweep.jsonl'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'run.lock'))).toBe(false);
    // The trials' processes are gone: each left the lock of a process that no longer exists.
    for (const id of ['t0000', 't0001']) {
      const lock = JSON.parse(fs.readFileSync(path.join(dir, 'trials', id, 'run.lock'), 'utf8'));
      expect(() => process.kill(lock.pid, 0)).toThrow(/ESRCH/);
      expect(fs.existsSync(path.join(dir, 'trials', id, 'report.html'))).toBe(false);
    }
  }, 300_000);

  it('records a diverging trial and one the CLI refuses with their messages, and runs the rest', async () => {
    const dir = path.join(tmp, 'failures');
    const spec = specFile('failures.json', {
      base: { data: 'spirals', epochs: 2, hidden: [8] },
      grid: { lr: [1000, 0.01], batchSize: [1, 32] },
      metric: 'valLoss',
    });
    const run = await sweep([spec, '--out', dir, '--workers', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const byParams = new Map(resultsOf(dir).map((r) => [JSON.stringify(r.params), r]));
    const at = (lr: number, batchSize: number) => byParams.get(JSON.stringify({ lr, batchSize }))!;
    expect(at(1000, 32)).toMatchObject({
      status: 'diverged',
      error: expect.stringMatching(/^training diverged: loss exploded/),
    });
    for (const lr of [1000, 0.01]) {
      expect(at(lr, 1)).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^--batch-size 1: batch normalization needs at least 2 samples per batch/,
        ),
      });
    }
    expect(at(0.01, 32).status).toBe('completed');
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({
      counts: { completed: 1, diverged: 1, failed: 2 },
      best: { params: { lr: 0.01, batchSize: 32 } },
    });
  }, 300_000);

  it('refuses a spec whose trial the run schema refuses before any trial runs', async () => {
    const dir = path.join(tmp, 'refused');
    const spec = specFile('refused.json', {
      base: { data: 'spirals' },
      grid: { optimizer: ['adam', 'adamm'] },
    });
    const r = await runCli(['sweep', spec, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: .*refused\.json: trial t0001 \(optimizer="adamm"\): optimizer must be one of sgd,/,
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses an optimizer option a trial’s optimizer does not take before any trial runs', async () => {
    const dir = path.join(tmp, 'momentum');
    const spec = specFile('momentum.json', {
      base: { data: 'spirals' },
      grid: { optimizer: ['sgd', 'adam'], momentum: [0.9] },
    });
    const r = await runCli(['sweep', spec, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: .*momentum\.json: trial t0001 \(optimizer="adam", momentum=0\.9\): option '--momentum' is not accepted by adam; it takes /,
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses ASHA flags without --prune asha, and ASHA on a final-record metric', async () => {
    const spec = specFile('asha_flags.json', { base: { data: 'spirals' }, metric: 'testAccuracy' });
    const flags = await runCli(['sweep', spec, '--asha-min-epochs', '2']);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toBe('error: --asha-min-epochs tunes ASHA: add --prune asha\n');
    const metric = await runCli(['sweep', spec, '--prune', 'asha']);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(
      /^error: --prune asha compares trials at each epoch, and metric testAccuracy is known only when a trial ends/,
    );
  });
});

describe('descent sweep --prune asha', () => {
  it('stops the trials below the top 1/η at the first rung, with the epochs they ran', async () => {
    const dir = path.join(tmp, 'asha');
    // One worker: the trials report in order, so the verdicts are known. The first (a working lr)
    // sets the rung; the next two barely learn and fall below it at epoch 1.
    const spec = specFile('asha.json', {
      base: { data: 'spirals', epochs: 3, hidden: [8] },
      grid: { lr: [0.05, 1e-6, 2e-6] },
      metric: 'valLoss',
    });
    const run = await sweep([
      spec,
      '--out',
      dir,
      '--workers',
      '1',
      '--json',
      '--prune',
      'asha',
      '--asha-min-epochs',
      '1',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const results = resultsOf(dir);
    expect(results.map((r) => [r.trialId, r.status, r.epochs.length])).toEqual([
      ['t0000', 'completed', 3],
      ['t0001', 'pruned', 1],
      ['t0002', 'pruned', 1],
    ]);
    expect(results[1]!.final).toBeUndefined();
    // The pruned trial's process was stopped: it wrote no report (the last thing a run does).
    expect(fs.existsSync(path.join(dir, 'trials', 't0001', 'report.html'))).toBe(false);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({
      counts: { completed: 1, pruned: 2 },
      best: { trialId: 't0000' },
    });
  }, 300_000);
});
