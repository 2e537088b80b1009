/**
 * Files that are not files: `eval --weights /dev/zero` used to read forever (8.8 GB after 200 s), a
 * FIFO to wait forever. Every file the CLI reads is checked first: regular files only, no pseudo file
 * systems, a size limit checked before reading. Each case exits 2 at once with one line naming the flag,
 * the file, what it is and what is accepted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-bad-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const linux = process.platform === 'linux';
const posix = process.platform !== 'win32';

const fifo = path.join(tmp, 'weights.fifo');
if (posix) execFileSync('mkfifo', [fifo]);
const huge = path.join(tmp, 'huge.safetensors');
fs.writeFileSync(huge, '');
fs.truncateSync(huge, 5 * 2 ** 30); // sparse: 5 GiB that take no disk space
const data = ['--data', 'xor', '--hidden', '4'];

/** Runs the CLI and checks the contract for bad input: exit 2, one line, quickly. */
async function refused(args: string[]): Promise<string> {
  const started = Date.now();
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(Date.now() - started).toBeLessThan(5000);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('eval --weights reads only regular files of bounded size', () => {
  it.skipIf(!linux)('refuses /dev/zero as a pseudo file system path (linux only)', async () => {
    expect(await refused(['eval', '--weights', '/dev/zero', ...data])).toBe(
      'error: --weights /dev/zero: cannot read the file: it is under /dev, a pseudo file system whose files are not data (no size, possibly endless); accepted: a regular file of at most 4.00 GiB',
    );
  });

  it.skipIf(!linux)('refuses /dev/urandom (linux only)', async () => {
    expect(await refused(['eval', '--weights', '/dev/urandom', ...data])).toMatch(
      /--weights \/dev\/urandom: cannot read the file: it is under \/dev/,
    );
  });

  it.skipIf(!linux)('refuses /proc/self/status, whose size reads as 0 (linux only)', async () => {
    expect(await refused(['eval', '--weights', '/proc/self/status', ...data])).toMatch(
      /--weights \/proc\/self\/status: cannot read the file: it is under \/proc, a pseudo file system/,
    );
  });

  it.skipIf(!posix)('refuses a FIFO without waiting for a writer (not on Windows)', async () => {
    expect(await refused(['eval', '--weights', fifo, ...data])).toMatch(
      /--weights .*weights\.fifo: cannot read the file: it is a FIFO \(named pipe\), not a regular file; accepted: a regular file/,
    );
  });

  it('refuses a directory', async () => {
    expect(await refused(['eval', '--weights', tmp, ...data])).toMatch(
      /--weights .*: cannot read the file: it is a directory, not a regular file/,
    );
  });

  it('refuses a file above the 4 GiB limit before reading it (a sparse 5 GiB file)', async () => {
    expect(await refused(['eval', '--weights', huge, ...data])).toMatch(
      /--weights .*huge\.safetensors: cannot read the file: it is 5\.00 GiB, larger than the limit; accepted: a regular file of at most 4\.00 GiB/,
    );
  });

  it('names the model file of a --run directory', async () => {
    const run = path.join(tmp, 'run');
    fs.mkdirSync(run);
    fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify({ data: 'xor', hidden: [4] }));
    fs.mkdirSync(path.join(run, 'model.safetensors'));
    expect(await refused(['eval', '--run', run])).toMatch(
      /^error: --run .*run: .*model\.safetensors: cannot read the file: it is a directory/,
    );
  });
});

describe('train reads only regular files', () => {
  it.skipIf(!posix)('refuses a FIFO as --data (not on Windows)', async () => {
    const csvFifo = path.join(tmp, 'data.csv');
    execFileSync('mkfifo', [csvFifo]);
    expect(await refused(['train', '--data', csvFifo, '--out', path.join(tmp, 'o1')])).toMatch(
      /--data .*data\.csv: cannot read the file: it is a FIFO \(named pipe\)/,
    );
  });

  it.skipIf(!linux)('refuses /dev/zero as --labels (linux only)', async () => {
    const images = path.join(tmp, 'images.idx');
    fs.writeFileSync(images, Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7]));
    const args = ['train', '--data', images, '--labels', '/dev/zero', '--out', path.join(tmp, 'o2')];
    expect(await refused(args)).toMatch(/--labels \/dev\/zero: cannot read the file: it is under \/dev/);
  });

  it.skipIf(!posix)('refuses a FIFO as --config (not on Windows)', async () => {
    expect(await refused(['train', '--config', fifo])).toMatch(
      /--config .*weights\.fifo: cannot read the file: it is a FIFO/,
    );
  });

  it('refuses a --config file over 1 MiB before reading it', async () => {
    const big = path.join(tmp, 'big.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 2 * 2 ** 20);
    expect(await refused(['train', '--config', big])).toMatch(
      /--config .*big\.json: cannot read the file: it is 2\.00 MiB, larger than the limit; accepted: a regular file of at most 1\.00 MiB/,
    );
  });
});
