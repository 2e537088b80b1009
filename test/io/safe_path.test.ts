import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/io/format_error.js';
import {
  checkRegularFile,
  formatBytes,
  pseudoFileSystemOf,
  readRegularFile,
} from '../../src/io/safe_path.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-safe-path-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const linux = process.platform === 'linux';
const spec = { maxBytes: 1024, what: '--weights' };

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('readRegularFile', () => {
  it('reads a regular file whole', () => {
    const file = path.join(dir, 'ok.bin');
    fs.writeFileSync(file, Buffer.from([1, 2, 3, 250]));
    expect([...readRegularFile(file, spec)]).toEqual([1, 2, 3, 250]);
  });

  it.skipIf(!linux)('refuses /dev/zero as a device under /dev without reading it (linux only)', () => {
    const e = errorOf(() => readRegularFile('/dev/zero', spec));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /^--weights \/dev\/zero: cannot read the file: it is under \/dev, a pseudo file system.*accepted: a regular file of at most 1\.00 KiB/,
    );
  });

  it.skipIf(!linux)('refuses a symbolic link into /dev by where it points (linux only)', () => {
    const link = path.join(dir, 'zero-link');
    fs.symlinkSync('/dev/zero', link);
    expect(() => readRegularFile(link, spec)).toThrow(/zero-link: cannot read the file: it is under \/dev/);
  });

  it.skipIf(!linux)('refuses /proc/self/status, whose size reads as 0 (linux only)', () => {
    expect(() => readRegularFile('/proc/self/status', spec)).toThrow(
      /\/proc\/self\/status: cannot read the file: it is under \/proc, a pseudo file system/,
    );
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO at once instead of waiting for a writer (not on Windows)',
    () => {
      const fifo = path.join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const started = Date.now();
      expect(() => readRegularFile(fifo, spec)).toThrow(
        /pipe: cannot read the file: it is a FIFO \(named pipe\), not a regular file; accepted: a regular file/,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    },
  );

  it('refuses a directory', () => {
    expect(() => readRegularFile(dir, spec)).toThrow(/: it is a directory, not a regular file/);
  });

  it('refuses a file larger than the limit before reading it (a sparse 1 TiB file)', () => {
    const big = path.join(dir, 'big.bin');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 2 ** 40);
    const e = errorOf(() => readRegularFile(big, { maxBytes: 4 * 2 ** 30, what: 'loadSafetensors' }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toBe(
      `loadSafetensors: cannot read ${big}: it is 1.00 TiB, larger than the limit; accepted: a regular file of at most 4.00 GiB`,
    );
  });

  it("introduces the file by spec.name when given (a resumed run's config.json)", () => {
    expect(() =>
      readRegularFile(dir, { maxBytes: 10, what: 'readConfigFile', name: 'runs/a/config.json' }),
    ).toThrow(
      /^runs\/a\/config\.json: cannot read the file: it is a directory, not a regular file; accepted/,
    );
  });

  it('names a missing file and an empty path', () => {
    expect(() => readRegularFile(path.join(dir, 'nope'), spec)).toThrow(
      /nope: cannot read the file: ENOENT: no such file; accepted/,
    );
    expect(() => readRegularFile('', spec)).toThrow(/^--weights : cannot read the file: the path is empty/);
  });
});

describe('pseudo file systems for output paths', () => {
  it('recognizes /proc, /sys and /dev and paths below them, and nothing else', () => {
    expect(pseudoFileSystemOf('/proc/x')).toBe('/proc');
    expect(pseudoFileSystemOf('/sys')).toBe('/sys');
    expect(pseudoFileSystemOf('/dev/shm/run')).toBe('/dev');
    expect(pseudoFileSystemOf('/processes/x')).toBeNull();
    expect(pseudoFileSystemOf(path.join(dir, 'run'))).toBeNull();
  });

  it.skipIf(process.platform === 'win32')(
    'follows a symbolic link into /proc for a path that does not exist yet (not on Windows)',
    () => {
      const link = path.join(dir, 'proc-link');
      fs.symlinkSync('/proc', link);
      expect(pseudoFileSystemOf(path.join(link, 'new', 'run'))).toBe('/proc');
    },
  );
});

describe('formatBytes', () => {
  it('uses the largest unit that keeps the number at least 1', () => {
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(256 * 2 ** 20)).toBe('256.0 MiB');
  });
});

describe('checkRegularFile', () => {
  it('returns the size of a regular file without reading it, and refuses what readRegularFile refuses', () => {
    const file = path.join(dir, 'sized.bin');
    fs.writeFileSync(file, Buffer.alloc(100));
    expect(checkRegularFile(file, spec)).toBe(100);
    expect(() => checkRegularFile(dir, { maxBytes: 10, what: '--data' })).toThrow(
      /^--data .*: cannot read the file: it is a directory, not a regular file; accepted: a regular file of at most 10 B$/,
    );
    expect(() => checkRegularFile(file, { maxBytes: 10, what: '--data' })).toThrow(
      /it is 100 B, larger than the limit/,
    );
  });
});
