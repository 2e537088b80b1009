/**
 * `--out` failures are bad input (exit 2) with a message naming the flag, the path, the cause and the
 * remedy, never Node's raw `EEXIST: file already exists, mkdir '…'`, and never a hang (/proc). A full
 * disk while checkpointing is reported the same way, naming the checkpoint that is intact.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/exit_codes.js';
import { ensureRunDirectory, explainFsError } from '../../src/cli/out_dir.js';
import { runCli } from './run_cli.js';

const faults = vi.hoisted(() => ({ fullDiskFor: null as string | null, files: new Map<number, string>() }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  // A disk that is full for temporary files of one target (e.g. 'state.safetensors').
  const openSync = (file: fs.PathLike, ...rest: unknown[]) => {
    const fd = (actual.openSync as (...a: unknown[]) => number)(file, ...rest);
    faults.files.set(fd, String(file));
    return fd;
  };
  const writeSync = (fd: number, ...rest: unknown[]) => {
    const target = faults.fullDiskFor;
    if (target !== null && faults.files.get(fd)?.includes(`.${target}.`)) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return (actual.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  };
  return { ...actual, openSync, writeSync, default: { ...actual, openSync, writeSync } };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-out-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  faults.fullDiskFor = null;
});

const small = ['--data', 'spirals', '--hidden', '8', '--epochs', '2', '--threads', '1', '--json'];

function refusal(dir: string): string {
  try {
    ensureRunDirectory(dir, '--out');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected --out ${dir} to be refused`);
}

describe('--out paths that cannot be a run directory', () => {
  it('an empty path', () => {
    expect(refusal('')).toBe('--out: the path is empty; give a directory such as runs/my-run');
  });

  it('a path under /proc is refused at once instead of hanging', () => {
    expect(refusal('/proc/x')).toBe(
      '--out /proc/x: is under /proc, a pseudo file system, not a place for files; accepted: a path on a disk (e.g. runs/my-run)',
    );
  });

  it('an existing regular file (Node: EEXIST … mkdir)', () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(refusal(file)).toBe(
      `--out ${file}: exists and is not a directory (a regular file); give a directory, or a path that does not exist yet`,
    );
  });

  it('a path through a regular file (Node: ENOTDIR)', () => {
    const file = path.join(tmp, 'b-file');
    fs.writeFileSync(file, 'x');
    expect(refusal(path.join(file, 'run'))).toBe(
      `--out ${path.join(file, 'run')}: a part of the path is a file, not a directory (${file}); choose another path`,
    );
  });

  it.skipIf(process.getuid?.() === 0)(
    'a directory without write permission (skipped as root, which may write anywhere)',
    () => {
      const dir = path.join(tmp, 'read-only');
      fs.mkdirSync(dir, { mode: 0o555 });
      expect(refusal(path.join(dir, 'run'))).toBe(
        `--out ${path.join(dir, 'run')}: cannot create the directory: permission denied; choose a directory you can write, or change its permissions`,
      );
    },
  );

  it('explains permission, read-only and full-disk errors in words with a remedy', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(explainFsError(err('EACCES'), 'x')).toBe(
      'permission denied; choose a directory you can write, or change its permissions',
    );
    expect(explainFsError(err('EROFS'), 'x')).toBe(
      'the file system is read-only; choose a directory on a writable disk',
    );
    expect(explainFsError(err('ENOSPC'), 'x')).toBe(
      'no space left on the device; free some space or choose a directory on another disk',
    );
    // A wrapped error (writeFileAtomic's) is explained by its cause's code.
    expect(explainFsError(new Error('could not write', { cause: err('EDQUOT') }), 'x')).toBe(
      'the disk quota is exhausted; free some space or choose another directory',
    );
    expect(explainFsError(err('EWHATEVER'), 'x')).toBe('EWHATEVER: raw');
  });

  it('descent train --out <file> exits 2 with one line naming --out', async () => {
    const file = path.join(tmp, 'c-file');
    fs.writeFileSync(file, 'x');
    const r = await runCli(['train', ...small, '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out ${file}: exists and is not a directory (a regular file); give a directory, or a path that does not exist yet\n`,
    );
  });
});

describe('a full disk while checkpointing', () => {
  it('exits 2 naming --out, the file and the cause, and keeps the complete checkpoint', async () => {
    const out = path.join(tmp, 'full-disk');
    faults.fullDiskFor = 'state.safetensors';
    const first = await runCli(['train', ...small, '--out', out]);
    expect(first.code).toBe(2);
    expect(first.stderr).toBe(
      `error: --out ${out}: could not write state.safetensors: no space left on the device; free some space or choose a directory on another disk; no checkpoint of this run was complete yet\n`,
    );
    expect(fs.readdirSync(out).sort()).toEqual(['config.json', 'metrics.jsonl']);
  });

  it('after a complete checkpoint, the message says which epoch can be resumed', async () => {
    const out = path.join(tmp, 'full-disk-later');
    // The state (written first) fits; the weights derived from it do not.
    faults.fullDiskFor = 'model.safetensors';
    const r = await runCli(['train', ...small, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out ${out}: could not write model.safetensors: no space left on the device; free some space or choose a directory on another disk; the checkpoint of epoch 1 is complete (continue with --resume ${out})\n`,
    );
    expect(fs.existsSync(path.join(out, 'state.safetensors'))).toBe(true);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
