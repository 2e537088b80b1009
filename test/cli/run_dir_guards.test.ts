/**
 * What the run directory protects (review issue 12): a directory holding someone's own files is not
 * taken for a run; `experiment --out` never writes into a training run or a locked directory, and a
 * full disk there is bad input; a resume locks before it reads; an error while a resumed run trains
 * is not mistaken for a checkpoint that does not fit; a resume's new settings reach config.json; a
 * lock that cannot be written is removed and reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/exit_codes.js';
import { acquireRunLock, LOCK_FILE } from '../../src/cli/run_lock.js';
import { runCli } from './run_cli.js';

/** Writes to an fd whose path matches `failFor` throw `error` (a full disk, or any other failure). */
const faults = vi.hoisted(() => ({
  failFor: null as RegExp | null,
  error: null as Error | null,
  files: new Map<number, string>(),
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const openSync = (file: fs.PathLike, ...rest: unknown[]) => {
    const fd = (actual.openSync as (...a: unknown[]) => number)(file, ...rest);
    faults.files.set(fd, String(file));
    return fd;
  };
  const writeSync = (fd: number, ...rest: unknown[]) => {
    if (faults.failFor?.test(faults.files.get(fd) ?? '') && faults.error) throw faults.error;
    return (actual.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  };
  return { ...actual, openSync, writeSync, default: { ...actual, openSync, writeSync } };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-guards-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  faults.failFor = null;
  faults.error = null;
});

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const small = ['--data', 'spirals', '--hidden', '8', '--batch-size', '64', '--threads', '1', '--json'];
const tinyExperiment = ['experiment', 'init', '--layers', '2', '--width', '4', '--batch', '8'];

function freshDir(): string {
  return fs.mkdtempSync(path.join(tmp, 'd-'));
}

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    files[name] = fs.readFileSync(path.join(dir, name)).toString('base64');
  }
  return files;
}

/** A lock held by a live process (this one), as a concurrent run in this process holds it. */
function plantLiveLock(dir: string): void {
  const owner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), token: 'x' };
  fs.writeFileSync(path.join(dir, LOCK_FILE), `${JSON.stringify(owner)}\n`);
}

async function trainedRun(epochs: number): Promise<string> {
  const dir = path.join(freshDir(), 'run');
  const r = await runCli(['train', ...small, '--epochs', String(epochs), '--out', dir]);
  expect(r.code).toBe(0);
  return dir;
}

describe('train --out refuses a directory that holds no descent run', () => {
  it("a directory with the user's own config.json and report.html: exit 2 naming them, both kept", async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'config.json'), '{"epochs": 1}\n');
    fs.writeFileSync(path.join(dir, 'report.html'), '<p>mine</p>');
    const before = snapshot(dir);
    for (const extra of [[], ['--overwrite']]) {
      const r = await runCli([
        'train',
        ...small,
        '--config',
        path.join(dir, 'config.json'),
        '--out',
        dir,
        ...extra,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: --out ${dir}: is not empty and holds no descent run (config.json, report.html would be replaced by the run's files); choose a new or empty directory\n`,
      );
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('a run directory with a file of its own added is refused naming that file', async () => {
    const dir = await trainedRun(1);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = await runCli(['train', ...small, '--epochs', '1', '--out', dir, '--overwrite']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `--out ${dir}: is not empty and holds no descent run (notes.txt would be mixed with`,
    );
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('an empty directory with only dot-files is used', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, '.keep'), '');
    const r = await runCli(['train', ...small, '--epochs', '1', '--out', dir]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'state.safetensors'))).toBe(true);
  });
});

describe('experiment --out', () => {
  it("refuses a training run's directory (exit 2) and leaves its report as it was", async () => {
    const dir = await trainedRun(1);
    const before = snapshot(dir);
    const r = await runCli([...tinyExperiment, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out ${dir}: holds a training run (state.safetensors); the experiment's report.html would replace the run's report; choose another directory\n`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a directory locked by a live run, naming it', async () => {
    const dir = freshDir();
    plantLiveLock(dir);
    const r = await runCli([...tinyExperiment, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `--out ${dir}: another training is writing this run directory (pid ${process.pid}`,
    );
    expect(fs.existsSync(path.join(dir, 'results.json'))).toBe(false);
  });

  it('a full disk while writing results.json is exit 2 naming the file, and the lock is released', async () => {
    const dir = freshDir();
    faults.failFor = /results\.json/;
    faults.error = enospc();
    const r = await runCli([...tinyExperiment, '--out', dir, '--no-report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^error: --out ${dir}: could not write results\\.json: no space left on the device`),
    );
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});

describe('--resume', () => {
  it('takes the lock before reading the state: a locked run is refused even when its state is damaged', async () => {
    const dir = await trainedRun(1);
    fs.writeFileSync(path.join(dir, 'state.safetensors'), 'damaged');
    plantLiveLock(dir);
    const r = await runCli(['train', '--resume', dir, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--resume ${dir}: another training is writing this run directory`);
  });

  it('an error while the resumed run trains (its message mentions a shape) is not called a checkpoint misfit', async () => {
    const dir = await trainedRun(1);
    faults.failFor = /\.state\.safetensors\./;
    faults.error = new Error('out of memory: cannot allocate a tensor of shape [1000000000]');
    const r = await runCli(['train', '--resume', dir, '--epochs', '2', '--json']);
    expect(r.stderr).not.toContain('the checkpoint does not fit');
    expect(r.code).toBe(1);
  });

  it('writes the resumed settings to config.json: a later plain --resume continues with them', async () => {
    const dir = await trainedRun(1);
    expect((await runCli(['train', '--resume', dir, '--epochs', '2', '--json'])).code).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { epochs: number };
    expect(config.epochs).toBe(2);
    const again = await runCli(['train', '--resume', dir, '--json']);
    expect(again.code).toBe(0);
    const metrics = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(metrics.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2]);
  });
});

describe('run.lock on a full disk', () => {
  it('is removed again and reported as exit-2 input naming the directory and the cause', () => {
    const dir = freshDir();
    faults.failFor = /run\.lock$/;
    faults.error = enospc();
    let error: unknown;
    try {
      acquireRunLock({ dir, flag: '--out' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `--out ${dir}: cannot write the lock file ${path.join(dir, LOCK_FILE)}: no space left on the device; free some space or choose a directory on another disk`,
    );
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
