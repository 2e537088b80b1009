/** kindOf names a file's kind for the messages of both the readers and the run directory's checks. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kindOf } from '../../src/io/safe_path.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-kind-of-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('kindOf', () => {
  it('names a regular file and a directory', () => {
    const file = path.join(tmp, 'a.txt');
    fs.writeFileSync(file, 'x');
    expect(kindOf(fs.statSync(file))).toBe('a regular file');
    expect(kindOf(fs.statSync(tmp))).toBe('a directory');
  });

  it.skipIf(process.platform !== 'linux')(
    'names a FIFO and a character device (Linux only: mkfifo, /dev/null)',
    () => {
      const fifo = path.join(tmp, 'p');
      execFileSync('mkfifo', [fifo]);
      expect(kindOf(fs.statSync(fifo))).toBe('a FIFO (named pipe)');
      expect(kindOf(fs.statSync('/dev/null'))).toBe('a character device');
    },
  );
});
