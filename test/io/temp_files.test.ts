/**
 * Temporary files of atomic writes: their names carry the writer's pid, and the ones whose writer is
 * gone (or was a previous run's) are removed, never a live writer's or this process's own.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/checkpoint.js';
import {
  parseTempName,
  processAlive,
  processStartTime,
  removeOrphanedTempFiles,
  tempPathFor,
} from '../../src/io/temp_files.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-temp-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The pid of a process that has exited (and been reaped), so no process has it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('temporary file names', () => {
  it('name the target and this process, next to the target', () => {
    const p = tempPathFor(path.join(tmp, 'state.safetensors'));
    expect(path.dirname(p)).toBe(tmp);
    expect(parseTempName(path.basename(p))).toEqual({ target: 'state.safetensors', pid: process.pid });
  });

  it('other names are not temporary files', () => {
    for (const name of ['state.safetensors', '.state.safetensors.tmp', '.x.abc.def.tmp', 'a.1.b.tmp']) {
      expect(parseTempName(name), name).toBeNull();
    }
  });

  it('a dead pid is not alive, this process is, and nonsense pids are not', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(process.pid, Date.now())).toBe(true);
    expect(processAlive(deadPid())).toBe(false);
    expect(processAlive(0)).toBe(false);
    expect(processAlive(-1)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')(
    'a process started after the given time is not the one that had its pid then (Linux only: start times)',
    () => {
      expect(processAlive(process.pid, Date.parse('2000-01-01T00:00:00Z'))).toBe(false);
      const started = processStartTime(process.pid)!;
      expect(Math.abs(started - (Date.now() - process.uptime() * 1000))).toBeLessThan(5000);
    },
  );
});

describe('removeOrphanedTempFiles', () => {
  it("removes a dead writer's and a former run's files, keeps live writers', its own and others' names", () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'orphans-'));
    const dead = deadPid();
    const live = process.ppid; // the process that started this test worker: alive
    const names = {
      deadState: `.state.safetensors.${dead}.k1abc.tmp`,
      deadMetrics: `.metrics.jsonl.${dead}.k2abc.tmp`,
      liveModel: `.model.safetensors.${live}.k3abc.tmp`,
      own: `.model.safetensors.${process.pid}.k4abc.tmp`,
      otherTarget: `.notes.txt.${dead}.k5abc.tmp`,
      plain: 'state.safetensors',
    };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(dir, name), 'x');
    const targets = ['state.safetensors', 'metrics.jsonl', 'model.safetensors'];
    const removed = removeOrphanedTempFiles(dir, { targets });
    expect(removed.sort()).toEqual([names.deadMetrics, names.deadState].sort());
    expect(fs.readdirSync(dir).sort()).toEqual(
      [names.liveModel, names.own, names.otherTarget, names.plain].sort(),
    );
    // A former run's pid, reused by a live process, is an orphan too.
    expect(removeOrphanedTempFiles(dir, { targets, formerWriters: [live] })).toEqual([names.liveModel]);
    expect(fs.readdirSync(dir).sort()).toEqual([names.own, names.otherTarget, names.plain].sort());
  });

  it('writeFileAtomic leaves no temporary file after a successful write', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'clean-'));
    writeFileAtomic(path.join(dir, 'a.txt'), new TextEncoder().encode('hello'));
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });
});
