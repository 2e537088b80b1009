/**
 * Atomic saves: a failure while encoding, while writing (a simulated full disk) or while renaming
 * leaves the previous checkpoint whole and loadable, and no temporary file behind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { tensor } from '../../src/index.js';
import { loadSafetensors, saveSafetensors } from '../../src/io/checkpoint.js';

const faults = vi.hoisted(() => ({
  writeSync: false,
  renameSync: false,
  /** Short writes: every call writes at most 1000 bytes and says so; 'then-fail' fails the next call. */
  shortWrite: false as false | 'then-fail' | 'then-succeed',
  shortWrites: 0,
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    // Writes half of what is asked, then fails as a full disk does.
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (faults.shortWrite) {
        // What write(2) does when the disk fills or a size limit is reached: it writes what fits and
        // returns the count without an error; only the next call fails (ENOSPC, EFBIG).
        if (faults.shortWrite === 'then-fail' && faults.shortWrites > 0)
          throw Object.assign(new Error('EFBIG: file too large, write'), { code: 'EFBIG' });
        faults.shortWrites++;
        return actual.writeSync(fd, buffer, offset, Math.min(length, 1000));
      }
      if (!faults.writeSync) return actual.writeSync(fd, buffer, offset, length);
      actual.writeSync(fd, buffer, offset, Math.floor(length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
    renameSync: (from: string, to: string) => {
      if (faults.renameSync)
        throw Object.assign(new Error('EXDEV: simulated rename failure'), { code: 'EXDEV' });
      return actual.renameSync(from, to);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'descent-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  faults.writeSync = false;
  faults.renameSync = false;
  faults.shortWrite = false;
  faults.shortWrites = 0;
});

function saveGood(file: string): Buffer {
  saveSafetensors(file, { w: tensor([1, 2, 3]), b: tensor([4]) }, { version: '1' });
  return readFileSync(file);
}

function expectOldFileIntact(file: string, bytes: Buffer): void {
  expect(readFileSync(file).equals(bytes)).toBe(true);
  const { tensors, metadata } = loadSafetensors(file);
  expect(metadata).toEqual({ version: '1' });
  expect([...tensors.get('w')!.data()]).toEqual([1, 2, 3]);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('atomic saves', () => {
  it('a tensor that fails while being encoded: no file is touched', () => {
    const file = join(dir, 'encode.safetensors');
    const old = saveGood(file);
    const bad = tensor(new Array(1000).fill(7));
    Object.defineProperty(bad, 'data', {
      value: () => {
        throw new Error('device lost');
      },
    });
    expect(() => saveSafetensors(file, { w: tensor([9, 9, 9]), bad })).toThrow('device lost');
    expectOldFileIntact(file, old);
  });

  it('a full disk in the middle of the write', () => {
    const file = join(dir, 'disk.safetensors');
    const old = saveGood(file);
    faults.writeSync = true;
    expect(() => saveSafetensors(file, { w: tensor(new Array(4096).fill(5)) })).toThrow(
      `saveSafetensors: could not write ${file} (the previous file, if any, is unchanged): ENOSPC: no space left on device`,
    );
    faults.writeSync = false;
    expectOldFileIntact(file, old);
  });

  // Why the writer is ours and not write-file-atomic's (7.0): that library calls writeSync once and
  // ignores the count it returns, so a short write (a full disk) is renamed over the good file.
  it('a short write that the next write cannot finish (a full disk) keeps the old file', () => {
    const file = join(dir, 'short.safetensors');
    const old = saveGood(file);
    faults.shortWrite = 'then-fail';
    expect(() => saveSafetensors(file, { w: tensor(new Array(4096).fill(5)) })).toThrow(
      `saveSafetensors: could not write ${file} (the previous file, if any, is unchanged): EFBIG: file too large`,
    );
    faults.shortWrite = false;
    expectOldFileIntact(file, old);
  });

  it('short writes that succeed on retry are continued until the whole file is written', () => {
    const file = join(dir, 'chunks.safetensors');
    faults.shortWrite = 'then-succeed';
    saveSafetensors(file, { w: tensor(Array.from({ length: 4096 }, (_, i) => i)) });
    faults.shortWrite = false;
    expect(faults.shortWrites).toBeGreaterThan(10);
    expect([...loadSafetensors(file).tensors.get('w')!.data()]).toEqual(
      Array.from({ length: 4096 }, (_, i) => i),
    );
  });

  it('a failing rename', () => {
    const file = join(dir, 'rename.safetensors');
    const old = saveGood(file);
    faults.renameSync = true;
    expect(() => saveSafetensors(file, { w: tensor([0]) })).toThrow('EXDEV: simulated rename failure');
    faults.renameSync = false;
    expectOldFileIntact(file, old);
  });

  it('a failed first save leaves no file at all', () => {
    const file = join(dir, 'fresh.safetensors');
    faults.writeSync = true;
    expect(() => saveSafetensors(file, { w: tensor([1, 2]) })).toThrow('could not write');
    faults.writeSync = false;
    expect(readdirSync(dir)).not.toContain('fresh.safetensors');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a directory that does not exist', () => {
    const file = join(dir, 'missing', 'x.safetensors');
    expect(() => saveSafetensors(file, { w: tensor([1]) })).toThrow(
      `saveSafetensors: could not write ${file} (the previous file, if any, is unchanged): ENOENT`,
    );
  });
});
