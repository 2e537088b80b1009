/**
 * Sweeps on the Redis queue, with the real thing: Debian's redis-server on a free port, `descent
 * worker` processes (the CLI bundled from the sources) and the queue executor in this process. Every
 * trial must end once with the numbers of the same configuration run alone with `descent train`; a
 * worker killed with -9 mid-trial, Redis restarted empty mid-sweep and the sweep process restarted
 * must all be survived; a trial that fails by itself is not retried. Under CI=true a missing
 * redis-server fails the file instead of skipping it (.ci/run installs it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochRecord, FinalRecord } from '../../src/run/records.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { createQueueExecutor, sweepIdOf } from '../../src/sweep/queue/executor.js';
import { TrialAbortedError } from '../../src/sweep/trial_process.js';
import type { EpochReport, Trial, TrialExecutor, TrialHooks, TrialResult } from '../../src/sweep/types.js';
import { bundleCli, runChild } from '../cli/cli_process.js';
import { findRedisServer, type RedisServer, startRedis } from './queue_redis_server.js';

const redisBin = findRedisServer();
const skip = redisBin === undefined && process.env.CI !== 'true';
const LOCK_MS = 2000;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-queue-'));
let cli = '';
let redis: RedisServer;
const workers: Worker[] = [];

interface Worker {
  child: ChildProcess;
  log: string;
}

function startWorker(): Worker {
  const n = workers.length;
  const args = [cli, 'worker', '--queue', redis.url, '--lock-ms', String(LOCK_MS)];
  const child = spawn(process.execPath, [...args, '--work-dir', path.join(tmp, `worker${n}`)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const worker: Worker = { child, log: '' };
  child.stderr!.on('data', (chunk: Buffer) => {
    worker.log += chunk;
  });
  workers.push(worker);
  return worker;
}

/** How many times any worker started `trialId` of the sweep in `dir` (from the workers' logs). */
function starts(trialId: string, dir: string): number {
  const line = new RegExp(`trial ${trialId} of sweep ${sweepIdOf(dir)}: started`, 'g');
  return workers.reduce((sum, w) => sum + (w.log.match(line)?.length ?? 0), 0);
}

function trial(id: string, settings: Record<string, unknown>): Trial {
  const config = parseRunConfig({ data: 'spirals', hidden: [8], epochs: 2, ...settings });
  return { id, params: settings, job: { kind: 'train', config } };
}

/** Hooks that keep every epoch delivered and prune when `pruneAt` says so. */
function recorder(pruneAt?: (r: EpochReport) => boolean) {
  const seen: EpochRecord[] = [];
  const hooks: TrialHooks = {
    onEpoch(report) {
      seen.push(report.record);
      return pruneAt?.(report) ? 'prune' : 'continue';
    },
  };
  return { seen, hooks };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sweepCount = 0;
async function executor(dir = path.join(tmp, `sweep${sweepCount++}`)): Promise<TrialExecutor> {
  fs.mkdirSync(dir, { recursive: true });
  return createQueueExecutor({ url: redis.url, sweepDir: dir, pollMs: 100, attempts: 3 });
}

/** The metrics of a record without its timings, which differ from run to run. */
function numbers(record: EpochRecord | FinalRecord | undefined): Record<string, unknown> {
  const {
    samplesPerSec: _s,
    wallSeconds: _w,
    steadySamplesPerSec: _ss,
    warmupSeconds: _ws,
    ...rest
  } = (record ?? {}) as Record<string, unknown>;
  return rest;
}

/** `descent train` alone on the trial's configuration: its records and its weights. */
async function trainAlone(t: Trial): Promise<{ lines: Record<string, unknown>[]; weights: Buffer }> {
  const dir = path.join(tmp, `alone-${t.id}`);
  const configFile = path.join(tmp, `alone-${t.id}.json`);
  const { out: _o, threads: _t, ...config } = (t.job as { config: Record<string, unknown> }).config;
  fs.writeFileSync(configFile, JSON.stringify(config));
  const args = ['train', '--config', configFile, '--out', dir, '--json', '--threads', '1'];
  const run = await runChild({ script: cli, args, cwd: tmp });
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => numbers(JSON.parse(l)));
  return { lines, weights: fs.readFileSync(path.join(dir, 'model.safetensors')) };
}

beforeAll(async () => {
  if (skip) return;
  if (redisBin === undefined) {
    throw new Error("redis-server is missing: CI needs Debian's redis-server (.ci/run installs it)");
  }
  [cli, redis] = await Promise.all([bundleCli(), startRedis(redisBin)]);
  startWorker();
  startWorker();
}, 30_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  if (process.env.QUEUE_DEBUG) for (const w of workers) console.log(w.log);
  await redis?.stop();
  if (cli) fs.rmSync(cli, { force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(skip)('a sweep on a Redis queue (skipped: no redis-server outside CI)', () => {
  it('runs descent sweep --queue: four trials on two workers, each once, with the bits of descent train alone', async () => {
    const dir = path.join(tmp, 'cli-sweep');
    const base = { data: 'spirals', hidden: [8], epochs: 2 };
    const spec = { base, grid: { lr: [0.01, 0.1], seed: [0, 1] }, metric: 'valAccuracy', mode: 'max' };
    fs.writeFileSync(path.join(tmp, 'spec.json'), JSON.stringify(spec));
    const settings = [0.01, 0.1].flatMap((lr) => [0, 1].map((seed) => ({ lr, seed })));
    const [sweep, alone] = await Promise.all([
      runChild({
        script: cli,
        args: ['sweep', 'spec.json', '--queue', redis.url, '--json', '--out', dir],
        cwd: tmp,
      }),
      Promise.all(settings.map((p, i) => trainAlone(trial(`alone${i}`, p)))),
    ]);
    expect(sweep.code, sweep.stderr).toBe(0);
    const lines = fs.readFileSync(path.join(dir, 'sweep.jsonl'), 'utf8').trim().split('\n');
    const results = lines.map((l) => JSON.parse(l) as TrialResult);
    // Each trial once in the sweep's record, whatever the order the workers finished them in.
    expect(results.map((r) => r.trialId).sort()).toEqual(['t0000', 't0001', 't0002', 't0003']);
    for (const r of results) {
      const i = settings.findIndex((p) => p.lr === r.params.lr && p.seed === r.params.seed);
      expect(r.status).toBe('completed');
      expect(r.worker).toMatch(/:\d+$/);
      expect([...r.epochs.map(numbers), numbers(r.final)]).toEqual(alone[i]!.lines);
      const weights = fs.readFileSync(path.join(dir, r.runDir, 'model.safetensors'));
      expect(weights.equals(alone[i]!.weights)).toBe(true);
    }
  }, 180_000);

  it('retries the trial of a worker killed with -9 on another worker, and delivers each epoch once', async () => {
    const dir = path.join(tmp, 'kill');
    const ex = await executor(dir);
    const started = new RegExp(`trial t0000 of sweep ${sweepIdOf(dir)}: started`);
    const t = trial('t0000', { epochs: 20, seed: 3 });
    let killed: number | undefined;
    const rec = recorder();
    const hooks: TrialHooks = {
      onEpoch(report) {
        // Killed after three epochs have reached the sweep: the retry reports epochs 1–3 again.
        if (killed === undefined && report.record.epoch === 3) {
          // The worker running it: the one whose log says it started this trial.
          const victim = workers.find((w) => w.child.exitCode === null && started.test(w.log));
          killed = victim?.child.pid;
          victim?.child.kill('SIGKILL');
        }
        return rec.hooks.onEpoch(report);
      },
    };
    const result = await ex.run(t, hooks);
    startWorker(); // back to two for the tests after this one
    expect(killed).toBeDefined();
    expect(result.status).toBe('completed');
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(result.worker).not.toContain(`:${killed}`);
    // Each epoch reached the sweep once, in order, and the retry computed the very same numbers.
    expect(rec.seen.map((e) => e.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(result.epochs.map(numbers)).toEqual(rec.seen.map(numbers));
    await ex.close();
  }, 180_000);

  it('survives Redis restarting empty mid-sweep: finished results stay, the lost job runs again', async () => {
    const dir = path.join(tmp, 'restart');
    const ex = await executor(dir);
    const first = await ex.run(trial('t0000', { seed: 5 }), recorder().hooks);
    const rec = recorder();
    let restarted: Promise<void> | undefined;
    const hooks: TrialHooks = {
      onEpoch(report) {
        restarted ??= redis.restart();
        return rec.hooks.onEpoch(report);
      },
    };
    const second = await ex.run(trial('t0001', { epochs: 20, seed: 6 }), hooks);
    await restarted;
    expect(first.status).toBe('completed');
    expect(fs.existsSync(path.join(dir, 'trials/t0000/model.safetensors'))).toBe(true);
    expect(second.status).toBe('completed');
    expect(rec.seen.map((e) => e.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(fs.existsSync(path.join(dir, 'trials/t0001/model.safetensors'))).toBe(true);
    await ex.close();
  }, 180_000);

  it('records a trial that fails by itself as failed with its message, without retrying it', async () => {
    const dir = path.join(tmp, 'failing');
    const ex = await executor(dir);
    // Refused by the worker (a file path: workers share nothing but Redis) and refused by descent train
    // itself (batch normalization on batches of one sample: exit code 2).
    const path_ = trial('t0100', {});
    (path_.job as { config: Record<string, unknown> }).config.data = '/etc/passwd';
    const [refused, bad] = await Promise.all([
      ex.run(path_, recorder().hooks),
      ex.run(trial('t0101', { batchSize: 1, validation: 0 }), recorder().hooks),
    ]);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/data "\/etc\/passwd" is a file path; a queue worker trains only on mnist/);
    expect(refused.attempts).toBe(1);
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/batch/i);
    expect(bad.attempts).toBe(1);
    expect(starts('t0101', dir)).toBe(1);
    await ex.close();
  }, 180_000);

  it('stops a trial the sweep prunes: it ends pruned, before its last epoch', async () => {
    const ex = await executor();
    const rec = recorder((r) => r.record.epoch === 1);
    const result = await ex.run(trial('t0000', { epochs: 100, seed: 7 }), rec.hooks);
    expect(result.status).toBe('pruned');
    expect(result.final).toBeUndefined();
    expect(rec.seen.map((e) => e.epoch)).toEqual([1]);
    expect(result.epochs.length).toBeLessThan(100);
    await ex.close();
  }, 180_000);

  it('lets a restarted sweep re-attach to its trial still running on the queue', async () => {
    const dir = path.join(tmp, 'reattach');
    const before = await executor(dir);
    let aborted: unknown;
    const running = before.run(trial('t0000', { epochs: 20, seed: 8 }), {
      onEpoch() {
        void before.close(); // the sweep process goes away mid-trial
        return 'continue';
      },
    });
    await running.catch((error: unknown) => {
      aborted = error;
    });
    expect(aborted).toBeInstanceOf(TrialAbortedError);
    const after = await executor(dir);
    const rec = recorder();
    const result = await after.run(trial('t0000', { epochs: 20, seed: 8 }), rec.hooks);
    expect(result.status).toBe('completed');
    expect(result.attempts).toBe(1);
    expect(starts('t0000', dir)).toBe(1);
    expect(rec.seen.map((e) => e.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await after.close();
  }, 180_000);

  it('stops a worker on SIGTERM: it closes its Redis connections and exits 0', async () => {
    const w = startWorker();
    for (let i = 0; i < 600 && !w.log.includes('taking trials'); i++) await sleep(100);
    const exited = new Promise((resolve) => {
      w.child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    w.child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(w.log).toContain('finishing the running trials');
  }, 60_000);
});
