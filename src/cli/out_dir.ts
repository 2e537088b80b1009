/**
 * Creating the run directory and explaining file-system failures (Node only). Node's own messages
 * (`EEXIST: file already exists, mkdir 'runs/x'`, `ENOTDIR`, `mkdir ''`) name neither the flag nor
 * what to do, and `mkdir -p` under /proc never returns; these become `UsageError`s (exit 2) that name
 * the flag, the path, the cause in words, and the remedy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERRNO_MEANING, errnoCode, kindOf, pseudoFileSystemOf } from '../io/safe_path.js';
import { UsageError } from './exit_codes.js';

/**
 * Refuses an output path under a pseudo file system with a `UsageError` naming `flag`; there `mkdir -p`
 * loops forever and writes go to the kernel, not to a file.
 */
function refusePseudoFileSystem(p: string, flag: string): void {
  const pseudo = pseudoFileSystemOf(p);
  if (pseudo !== null)
    throw new UsageError(
      `${flag} ${p}: is under ${pseudo}, a pseudo file system, not a place for files; accepted: a path on a disk (e.g. runs/my-run)`,
    );
}

/**
 * Makes sure `dir` is a directory this process can write, creating it (and its parents) if needed.
 * `flag` names the option that gave it (`--out`, `--resume`).
 */
export function ensureRunDirectory(dir: string, flag: string): void {
  if (dir.trim() === '') {
    throw new UsageError(`${flag}: the path is empty; give a directory such as runs/my-run`);
  }
  refusePseudoFileSystem(dir, flag);
  const existing = statOrNull(dir, flag);
  if (existing !== null && !existing.isDirectory()) {
    throw new UsageError(
      `${flag} ${dir}: exists and is not a directory (${kindOf(existing)}); give a directory, or a path that does not exist yet`,
    );
  }
  if (existing === null) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`${flag} ${dir}: cannot create the directory: ${explainFsError(error, dir)}`);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new UsageError(`${flag} ${dir}: cannot write in the directory: ${explainFsError(error, dir)}`);
  }
}

/**
 * A file-system error in words with what to do, for messages: "no space left on the device; free
 * some space…". Unknown codes keep Node's message.
 */
export function explainFsError(error: unknown, target: string): string {
  const code = errnoCode(error);
  if (code === 'ENOTDIR') {
    return `a part of the path is a file, not a directory (${firstFileOnPath(target) ?? 'see the path'}); choose another path`;
  }
  const advice = code === undefined ? undefined : WHAT_TO_DO[code];
  if (advice === undefined) return (error as Error).message ?? String(error);
  return `${ERRNO_MEANING[code!]}; ${advice}`;
}

/** What to do about a failed write, by errno code; the meanings are io/safe_path.ts's ERRNO_MEANING. */
const WHAT_TO_DO: Readonly<Record<string, string>> = {
  ENOSPC: 'free some space or choose a directory on another disk',
  EDQUOT: 'free some space or choose another directory',
  EACCES: 'choose a directory you can write, or change its permissions',
  EPERM: 'choose a directory you can write, or change its permissions',
  EROFS: 'choose a directory on a writable disk',
  EEXIST: 'remove it or choose another path',
  ENAMETOOLONG: 'choose a shorter one',
  ELOOP: 'check the links on the path',
  EIO: 'check the disk',
};

function statOrNull(p: string, flag: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UsageError(`${flag} ${p}: ${explainFsError(error, p)}`);
  }
}

/** The first existing non-directory on the way to `p` (what makes ENOTDIR). */
function firstFileOnPath(p: string): string | null {
  const parts = path.resolve(p).split(path.sep);
  let at = parts[0] === '' ? path.sep : parts[0]!;
  for (const part of parts.slice(1)) {
    at = path.join(at, part);
    const s = fs.statSync(at, { throwIfNoEntry: false });
    if (s === undefined) return null;
    if (!s.isDirectory()) return at;
  }
  return null;
}
