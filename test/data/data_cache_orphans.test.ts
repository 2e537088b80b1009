/**
 * The dataset cache removes the temporary files its killed writers left behind (each as large as the
 * cache) before writing, and leaves a live writer's alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CacheKey, readCache, writeCache } from '../../src/data/data_cache.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-data-cache-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The pid of a process that has exited (and been reaped), so no process has it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const key: CacheKey = {
  dataset: 'toy',
  package: 'toy-data',
  version: '1.0.0',
  sources: { 'toy.json': 10 },
  rowLength: 2,
};

describe('writeCache', () => {
  it('removes orphaned temporary files of the cache file, keeping a live writer’s and other files’', () => {
    const file = path.join(tmp, 'toy.bin');
    const orphan = `.toy.bin.${deadPid()}.abc123.tmp`;
    const live = `.toy.bin.${process.ppid}.def456.tmp`;
    const otherTarget = `.other.bin.${deadPid()}.ghi789.tmp`;
    for (const name of [orphan, live, otherTarget]) fs.writeFileSync(path.join(tmp, name), 'partial');

    const data = { labels: Uint8Array.of(1, 0), codes: Uint8Array.of(1, 2, 3, 4), images: 2 };
    expect(writeCache(file, key, data)).toBe(true);

    const left = fs.readdirSync(tmp);
    expect(left).not.toContain(orphan);
    expect(left).toEqual(expect.arrayContaining([live, otherTarget, 'toy.bin']));
    expect(Array.from(readCache(file, key)?.codes ?? [])).toEqual([1, 2, 3, 4]);
  });
});
