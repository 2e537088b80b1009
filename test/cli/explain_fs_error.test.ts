/**
 * explainFsError: the meaning of an errno code comes from the one table (io/safe_path.ts,
 * ERRNO_MEANING), followed by what to do about a failed write.
 */
import { describe, expect, it } from 'vitest';
import { explainFsError } from '../../src/cli/out_dir.js';

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: raw message`), { code });
}

describe('explainFsError', () => {
  it.each([
    ['ENOSPC', 'no space left on the device; free some space or choose a directory on another disk'],
    ['EROFS', 'the file system is read-only; choose a directory on a writable disk'],
    ['EPERM', 'permission denied; choose a directory you can write, or change its permissions'],
    ['EIO', 'an input/output error on the device; check the disk'],
  ])('says what %s means and what to do', (code, words) => {
    expect(explainFsError(fsError(code), '/x')).toBe(words);
  });

  it('reads the code of the error that caused it', () => {
    const wrapped = new Error('write failed', { cause: fsError('EDQUOT') });
    expect(explainFsError(wrapped, '/x')).toBe(
      'the disk quota is exhausted; free some space or choose another directory',
    );
  });

  it("keeps Node's message for a code it does not know", () => {
    expect(explainFsError(fsError('EWHATEVER'), '/x')).toBe('EWHATEVER: raw message');
  });
});
