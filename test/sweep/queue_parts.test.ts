/**
 * The queue's parts that need no Redis: URLs as ioredis reads them (TLS and passwords without a TLS
 * server), what a worker accepts from a job, the run directory's round trip through a job's return
 * value, and `descent worker`'s refusals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit_codes.js';
import { checkQueueUrl, importOptional, queueAddress, redact } from '../../src/sweep/queue/connection.js';
import { checkJobData, jobDataOf } from '../../src/sweep/queue/job_check.js';
import { jobIdOf, parseVerdict } from '../../src/sweep/queue/protocol.js';
import { packRunDir, TransferTooLargeError, unpackRunDir } from '../../src/sweep/queue/transfer.js';
import type { TrainTrialJob } from '../../src/sweep/types.js';
import { runCli } from '../cli/run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-queue-parts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('queue URLs', () => {
  it('reads a rediss:// URL with user, percent-encoded password and database as TLS', async () => {
    const a = await queueAddress('rediss://sweeper:p%40ss%3Aword@cache.example.org:6380/2');
    expect(a).toEqual({
      host: 'cache.example.org',
      port: 6380,
      db: 2,
      tls: true,
      username: 'sweeper',
      hasPassword: true,
    });
  });

  it('reads redis://host without port, password or TLS with the defaults', async () => {
    expect(await queueAddress('redis://10.0.0.7')).toEqual({
      host: '10.0.0.7',
      port: 6379,
      db: 0,
      tls: false,
      hasPassword: false,
    });
  });

  it('refuses what is not a redis:// or rediss:// URL, naming the flag and what is accepted', () => {
    expect(() => checkQueueUrl('http://127.0.0.1:6379')).toThrow(
      "--queue 'http://127.0.0.1:6379' must be a redis:// or rediss:// (TLS) URL with a host",
    );
    expect(() => checkQueueUrl('localhost:6379')).toThrow(/must be a redis:\/\/ or rediss:\/\//);
    expect(() => checkQueueUrl('redis queue')).toThrow(
      "--queue 'redis queue' is not a URL; accepted: redis://host:port or rediss://user:password@host:port (TLS)",
    );
  });

  it('says how to install bullmq and ioredis when one is missing (a usage error, not a bug)', async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const attempt = importOptional('ioredis', () => Promise.reject(missing));
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(importOptional('ioredis', () => Promise.reject(missing))).rejects.toThrow(
      '--queue needs the optional packages bullmq and ioredis (ioredis is missing): npm install bullmq ioredis',
    );
    // Any other failure to load is not a missing package and stays what it was.
    await expect(importOptional('bullmq', () => Promise.reject(new TypeError('boom')))).rejects.toThrow(
      TypeError,
    );
  });

  it('never shows a password in messages', () => {
    expect(redact('rediss://sweeper:secret@cache.example.org:6380')).toBe(
      'rediss://sweeper:***@cache.example.org:6380',
    );
    expect(() => checkQueueUrl('http://u:secret@host')).toThrow(/u:\*\*\*@host/);
  });
});

const spirals = { data: 'spirals', hidden: [8], epochs: 2 };
const job = (config: Record<string, unknown>, id = 't0000') => ({
  sweepId: 'abc',
  trial: { id, params: {}, job: { kind: 'train', config } },
});

describe('what a worker accepts from a job', () => {
  it('takes a train configuration the CLI schema accepts, with its defaults filled in', () => {
    const trial = checkJobData(job(spirals), 'abc.t0000');
    expect(trial.job.kind === 'train' && trial.job.config.optimizer).toBe('adam');
    expect(trial.job.kind === 'train' && trial.job.config.hidden).toEqual([8]);
  });

  it('refuses a configuration the schema refuses, with the schema message', () => {
    expect(() => checkJobData(job({ ...spirals, epochs: 0, shell: 'rm -rf /' }), 'abc.t0000')).toThrow(
      /queue job abc.t0000 \(trial t0000\): epochs must be an integer from 1 to .*unknown key 'shell'/,
    );
  });

  it('refuses data files and every other path: the worker chooses the paths', () => {
    expect(() => checkJobData(job({ ...spirals, data: '/etc/passwd' }), 'j')).toThrow(
      'data "/etc/passwd" is a file path; a queue worker trains only on mnist, fashion-mnist, spirals, moons, circles, xor, blobs',
    );
    for (const key of ['labels', 'testData', 'testLabels', 'out']) {
      expect(() => checkJobData(job({ ...spirals, [key]: '../x' }), 'j')).toThrow(
        `${key} names a path; a queue job names none`,
      );
    }
  });

  it('refuses a trial id that is not a plain name (it becomes a directory name)', () => {
    expect(() => checkJobData(job(spirals, '../../etc'), 'j')).toThrow(
      'trial id "../../etc" is not a plain name',
    );
  });

  it('takes a known experiment with plain options, and refuses others', () => {
    const exp = (experiment: unknown, options: Record<string, unknown>) => ({
      sweepId: 'abc',
      trial: { id: 't0001', params: {}, job: { kind: 'experiment', experiment, options, seed: 1 } },
    });
    expect(checkJobData(exp('batchnorm', { lang: 'zh', report: false }), 'j').job).toMatchObject({
      experiment: 'batchnorm',
      seed: 1,
    });
    expect(() => checkJobData(exp('rm -rf', {}), 'j')).toThrow(/experiment "rm -rf" is not one of /);
    expect(() => checkJobData(exp('batchnorm', { out: 'x' }), 'j')).toThrow(
      'option "out" = "x" is not accepted (plain values only; out, seed, json and paths are the worker\'s)',
    );
    expect(() => checkJobData(exp('batchnorm', { lang: '/etc/passwd' }), 'j')).toThrow(
      'option "lang" = "/etc/passwd" is not accepted',
    );
    expect(() => checkJobData(exp('batchnorm', { lang: '--out=x' }), 'j')).toThrow(/not accepted/);
  });

  it('refuses a payload that is not a trial, and a job kind it does not know', () => {
    expect(() => checkJobData('train', 'j')).toThrow(
      'queue job j: expected { sweepId, trial: { id, params, job } }',
    );
    expect(() =>
      checkJobData({ trial: { id: 't1', params: {}, job: { kind: 'shell', command: 'ls' } } }, 'j'),
    ).toThrow('queue job j: job.kind must be train or experiment');
  });

  it('puts a configuration on the queue without its out and threads (the worker sets both)', () => {
    const checked = checkJobData(job(spirals), 'j').job as TrainTrialJob;
    const trial = {
      id: 't0002',
      params: {},
      job: { kind: 'train' as const, config: { ...checked.config, out: 'runs/x', threads: 4 } },
    };
    const data = jobDataOf('abc', trial);
    expect(data.trial.job.kind === 'train' && 'out' in data.trial.job.config).toBe(false);
    expect(data.trial.job.kind === 'train' && 'threads' in data.trial.job.config).toBe(false);
    expect(() => checkJobData(data, 'j')).not.toThrow();
  });
});

describe('protocol', () => {
  it('names a job by sweep and trial, without the colon BullMQ refuses in custom ids', () => {
    expect(jobIdOf('0123abcd', 't0007')).toBe('0123abcd.t0007');
  });

  it('reads a verdict key and nothing else', () => {
    expect(parseVerdict('3:prune')).toEqual({ epoch: 3, verdict: 'prune' });
    expect(parseVerdict('12:continue')).toEqual({ epoch: 12, verdict: 'continue' });
    expect(parseVerdict(null)).toBeUndefined();
    expect(parseVerdict('3:stop')).toBeUndefined();
  });
});

describe('a run directory through the queue', () => {
  function runDir(name: string): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, 'figures'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), '{"epochs":2}\n');
    fs.writeFileSync(path.join(dir, '.trial_config.json'), '{}\n');
    fs.writeFileSync(path.join(dir, 'figures', 'loss.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    return dir;
  }

  it('arrives byte for byte, replacing what the trial directory held', () => {
    const files = packRunDir(runDir('sent'), 1024);
    expect(files.map((f) => f.path)).toEqual(['.trial_config.json', 'config.json', 'figures/loss.png']);
    const target = path.join(tmp, 'received', 'trials', 't0000');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'stale.txt'), 'from an earlier attempt');
    unpackRunDir(files, target, 'queue job j');
    expect(fs.readdirSync(target).sort()).toEqual(['.trial_config.json', 'config.json', 'figures']);
    expect(fs.readFileSync(path.join(target, 'figures', 'loss.png'))).toEqual(
      fs.readFileSync(path.join(tmp, 'sent', 'figures', 'loss.png')),
    );
  });

  it('is refused above the size limit, with both sizes and how to raise it', () => {
    const dir = runDir('big');
    fs.writeFileSync(path.join(dir, 'model.safetensors'), Buffer.alloc(3 * 1024 * 1024));
    expect(() => packRunDir(dir, 2 * 1024 * 1024)).toThrow(TransferTooLargeError);
    expect(() => packRunDir(dir, 2 * 1024 * 1024)).toThrow(
      'the run directory is 3.0 MB (model.safetensors: 3.0 MB), over the 2 MB a worker sends back through the queue; raise it with descent worker --max-result-mb (up to 256) or run this sweep without --queue',
    );
  });

  it('refuses any file path that could leave the trial directory, writing nothing', () => {
    const target = path.join(tmp, 'guarded', 't0000');
    for (const bad of ['../evil', '/etc/evil', 'a/../../evil', 'a\\..\\evil', '', 'a//b', '.']) {
      expect(() => unpackRunDir([{ path: bad, base64: '' }], target, 'queue job j')).toThrow(
        `queue job j: file path ${JSON.stringify(bad)} is not a plain relative path inside the run directory`,
      );
    }
    expect(fs.existsSync(path.join(tmp, 'evil'))).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('descent sweep with the queue flags', () => {
  const spec = path.join(tmp, 'spec.json');
  fs.writeFileSync(spec, JSON.stringify({ base: spirals, grid: { seed: [0, 1] } }));

  it('refuses --attempts without --queue, before making the sweep directory', async () => {
    const out = path.join(tmp, 'sweep-attempts');
    const run = await runCli(['sweep', spec, '--attempts', '2', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--attempts applies to --queue only');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a queue URL that is not Redis, before making the sweep directory', async () => {
    const out = path.join(tmp, 'sweep-url');
    const run = await runCli(['sweep', spec, '--queue', 'https://u:secret@example.org', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "--queue 'https://u:***@example.org' must be a redis:// or rediss:// (TLS) URL with a host",
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('says when Redis cannot be reached, and leaves the sweep directory unlocked', async () => {
    const out = path.join(tmp, 'sweep-unreachable');
    const run = await runCli(['sweep', spec, '--queue', 'redis://127.0.0.1:1', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1 (');
    expect(fs.existsSync(path.join(out, 'run.lock'))).toBe(false);
  });
});

describe('descent worker', () => {
  it('needs --queue', async () => {
    const run = await runCli(['worker']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--queue <url>' not specified");
  });

  it('refuses a queue URL that is not redis:// or rediss:// with exit code 2', async () => {
    const run = await runCli(['worker', '--queue', 'amqp://127.0.0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--queue 'amqp://127.0.0.1' must be a redis:// or rediss:// (TLS) URL");
  });

  it('says so at once, with exit code 2, when Redis cannot be reached', async () => {
    const run = await runCli(['worker', '--queue', 'redis://:secret@127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1 (');
    expect(run.stderr).toContain('check the host, port and password of --queue');
  });

  it('refuses a concurrency or result limit out of range', async () => {
    const zero = await runCli(['worker', '--queue', 'redis://h', '--concurrency', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("'0' is out of range: accepted 1 to 256");
    const huge = await runCli(['worker', '--queue', 'redis://h', '--max-result-mb', '1000']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain("'1000' is out of range: accepted 1 to 256");
  });
});
