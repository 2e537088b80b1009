/**
 * The test-only DESCENT_FAULT hook: it kills the process (SIGKILL) at the named point of the n-th
 * write of the named file and nowhere else, and refuses a malformed specification. `process.kill` is
 * replaced by a spy here, so nothing is killed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-fault-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

/** A fresh copy of the modules, reading DESCENT_FAULT again. */
async function withFault(spec: string) {
  vi.stubEnv('DESCENT_FAULT', spec);
  vi.resetModules();
  const hook = await import('../../src/io/fault_injection.js');
  const checkpoint = await import('../../src/io/checkpoint.js');
  return { ...hook, ...checkpoint };
}

describe('DESCENT_FAULT', () => {
  it('kills at the named point of the n-th write of the named file only', async () => {
    const { writeFileAtomic } = await withFault('before-rename:state.safetensors:2');
    const kills: string[] = [];
    // A spy that records instead of killing; throwing stops the write where the process would die.
    vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      kills.push(`${pid} ${String(signal)}`);
      throw new Error('killed');
    });
    const file = path.join(tmp, 'state.safetensors');
    const bytes = new TextEncoder().encode('state');
    writeFileAtomic(path.join(tmp, 'model.safetensors'), bytes);
    writeFileAtomic(file, bytes);
    expect(kills).toEqual([]);
    expect(() => writeFileAtomic(file, new TextEncoder().encode('second'))).toThrow('killed');
    expect(kills).toEqual([`${process.pid} SIGKILL`]);
    // Killed before the rename: the target still holds the first write.
    expect(fs.readFileSync(file, 'utf8')).toBe('state');
    writeFileAtomic(file, bytes);
    expect(kills).toHaveLength(1);
  });

  it('a point names one moment of the write: during-write kills there and not at the others', async () => {
    const { writeFaultHook } = await withFault('during-write:a.bin:1');
    const points: string[] = [];
    vi.spyOn(process, 'kill').mockImplementation(() => {
      points.push('kill');
      return true;
    });
    const fault = writeFaultHook(path.join(tmp, 'a.bin'));
    for (const point of ['during-write', 'before-rename', 'after-write'] as const) {
      fault(point);
      points.push(point);
    }
    expect(points).toEqual(['kill', 'during-write', 'before-rename', 'after-write']);
  });

  it('refuses a malformed specification, saying what is expected', async () => {
    const { writeFaultHook } = await withFault('after-rename:state.safetensors:0');
    expect(() => writeFaultHook('state.safetensors')).toThrow(
      'DESCENT_FAULT=after-rename:state.safetensors:0: expected <point>:<file>:<n> with point during-write|before-rename|after-write (a test-only hook)',
    );
  });
});
