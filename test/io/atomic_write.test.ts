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

const faults = vi.hoisted(() => ({ writeSync: false, renameSync: false }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    // Writes half of what is asked, then fails as a full disk does.
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
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
