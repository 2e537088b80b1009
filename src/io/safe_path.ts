/**
 * Safe file reads and output paths (Node only). `fs.readFileSync` on a path a user typed can read
 * forever: `/dev/zero` and `/dev/urandom` never end (8.8 GB of memory after 200 s), a FIFO blocks until
 * a writer comes, and files under `/proc` or `/sys` report a size of 0 whatever they hold. Node's
 * recursive `mkdir` loops forever under `/proc`. So every file that descent reads from outside goes
 * through `readRegularFile`, and every output path is checked with `pseudoFileSystemOf`:
 *
 * - only regular files are read (directories, character and block devices, FIFOs and sockets are
 *   refused, by `stat` before anything is opened, so a FIFO never blocks);
 * - paths under the pseudo file systems `/proc`, `/sys` and `/dev` are refused, after resolving
 *   symbolic links (a link into `/proc` is refused like the path itself);
 * - the size is checked against the caller's limit before a byte is read, and the read never goes
 *   past the size `stat` gave (a file that grows meanwhile is cut there, not followed).
 *
 * The limits each reader passes are in `READ_LIMITS` (and in the README, "Files descent reads").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from '../backend/out_of_memory.js';
import { FormatError } from './format_error.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * The size limits of the files descent reads, in bytes. Each is far above any real file of its kind
 * and below what the reader could hold: a JavaScript string tops out near 512 M characters (CSV, JSON),
 * and a Node Buffer and the wasm backend's memory at 4 GiB (tensors).
 */
export const READ_LIMITS = {
  /** safetensors weights and training states: the wasm backend's whole memory. */
  safetensors: 4 * GiB - 1,
  /** One IDX file, raw or gzip-compressed, and its decompressed content. */
  idx: 2 * GiB,
  /** A file of a bundled dataset's package (MNIST's JSON) or of its binary cache. */
  bundled: 2 * GiB,
  /** A CSV file (read as one string). */
  csv: 256 * MiB,
  /** A --config or config.json file. */
  config: 1 * MiB,
} as const;

/** The pseudo file systems whose files are not data: refused for reading and as output paths. */
const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev'] as const;

interface ReadRegularFileSpec {
  /** The most bytes accepted (see `READ_LIMITS`); larger files are refused before reading. */
  maxBytes: number;
  /** Who reads, for messages: a flag (`--weights`) or a function (`loadSafetensors`). */
  what: string;
  /**
   * How messages introduce the file instead, followed by ": cannot read the file" (e.g. a resumed
   * run's `runs/a/config.json`, or `--config x.json`); `what` is then unused in messages.
   */
  name?: string;
}

/**
 * Reads a whole regular file, refusing anything else (see the module comment). Errors are
 * `FormatError`s whose message names `what`, the file, what it is and what is accepted.
 *
 * @example
 * const bytes = readRegularFile('model.safetensors', { maxBytes: READ_LIMITS.safetensors, what: '--weights' });
 */
export function readRegularFile(file: string, spec: ReadRegularFileSpec): Buffer {
  const fail = failure(file, spec);
  return readBounded(file, statRegular(file, fail, spec.maxBytes).size, fail);
}

/**
 * The checks of `readRegularFile` without the read (nothing is opened): for a command that names the
 * flag in its message before a library function reads the file. Returns the size in bytes.
 *
 * @example
 * checkRegularFile(flags.weights, { maxBytes: READ_LIMITS.safetensors, what: '--weights' });
 */
export function checkRegularFile(file: string, spec: ReadRegularFileSpec): number {
  return statRegular(file, failure(file, spec), spec.maxBytes).size;
}

function failure(file: string, spec: ReadRegularFileSpec): (problem: string) => FormatError {
  // A flag reads as the CLI's other messages (`--weights x: …`), a function as Node's (`loadCsv: cannot read x: …`).
  const head =
    spec.name !== undefined
      ? `${spec.name}: cannot read the file`
      : spec.what.startsWith('-')
        ? `${spec.what} ${file}: cannot read the file`
        : `${spec.what}: cannot read ${file}`;
  return (problem) => new FormatError(file, `${head}: ${problem}; accepted: ${accepted(spec.maxBytes)}`);
}

function statRegular(file: string, fail: (problem: string) => FormatError, maxBytes: number): fs.Stats {
  if (file === '') throw fail('the path is empty');
  const pseudo = pseudoFileSystemOf(file);
  if (pseudo !== null)
    throw fail(
      `it is under ${pseudo}, a pseudo file system whose files are not data (no size, possibly endless)`,
    );
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw fail(describeErrno(error));
  }
  if (!stat.isFile()) throw fail(`it is ${kindOf(stat)}, not a regular file`);
  if (stat.size > maxBytes) throw fail(`it is ${formatBytes(stat.size)}, larger than the limit`);
  return stat;
}

/** Reads at most `size` bytes, checking again on the open descriptor (the path may have changed). */
function readBounded(file: string, size: number, fail: (problem: string) => FormatError): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since stat, opening must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fail(describeErrno(error));
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw fail(`it is ${kindOf(stat)}, not a regular file`);
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, bytes, at, size - at, at);
      if (n === 0) break; // the file shrank meanwhile: what is there is what we have
      at += n;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw fail(describeErrno(error));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The pseudo file system (`/proc`, `/sys` or `/dev`) that `p` lies under, after resolving symbolic
 * links as far as the path exists, or null. Output paths are refused there (the CLI's `--out`): `mkdir
 * -p` loops forever under `/proc`, and writes go to the kernel, not to a file.
 */
export function pseudoFileSystemOf(p: string): string | null {
  if (p === '') return null;
  for (const candidate of [path.resolve(p), realPathOfExistingPart(p)]) {
    for (const root of PSEUDO_FILE_SYSTEMS) {
      if (candidate === root || candidate.startsWith(`${root}/`)) return root;
    }
  }
  return null;
}

/** The real path of the longest existing prefix of `p`, with the rest appended (for output paths). */
function realPathOfExistingPart(p: string): string {
  let head = path.resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return path.resolve(p);
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

/**
 * What kind of file `stat` describes, for messages ("it is a FIFO (named pipe), not a regular
 * file"; "exists and is not a directory (a regular file)"). The one table: readers and the run
 * directory's checks both use it.
 */
export function kindOf(stat: fs.Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  return 'another kind of file';
}

/**
 * What a file-system error code means, in words: the one table, for the readers here ("ENOENT: no such
 * file") and for the writers' advice (src/cli/out_dir.ts, explainFsError: "permission denied; choose…").
 */
export const ERRNO_MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  EISDIR: 'it is a directory, not a regular file',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file with that name is in the way',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'an input/output error on the device',
};

/** The errno code of a file-system error, or of the error that caused it. */
export function errnoCode(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? (e.cause as NodeJS.ErrnoException | undefined)?.code;
}

function describeErrno(error: unknown): string {
  const code = errnoCode(error);
  const meaning = code === undefined ? undefined : ERRNO_MEANING[code];
  if (meaning !== undefined) return `${code}: ${meaning}`;
  return code ?? (error as Error).message;
}

function accepted(maxBytes: number): string {
  return `a regular file of at most ${formatBytes(maxBytes)}`;
}

/** Re-exported for the readers that import it from here; the one definition is core-safe. */
export { formatBytes };
