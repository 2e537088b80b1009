/**
 * The lock of a run directory (Node only): one training at a time writes a run directory. Two
 * trainings with the same `--out` would otherwise both exit 0 and leave one run's config next to the
 * other's weights, neither loadable.
 *
 * The lock is the file `run.lock`, created exclusively (`wx`: the file system decides who wins a
 * race) and holding its owner as JSON: pid, host name, start time and a random token. A second
 * process finds it and is refused with a `UsageError` (exit 2) naming the owner. The lock is
 * released (deleted, if it is still ours) when the run ends: on success, on an error, on divergence.
 *
 * A process killed by a signal (Ctrl-C, SIGTERM, kill -9) cannot release anything: training runs
 * synchronously, so a JavaScript signal handler would only run after the epoch (turning Ctrl-C into
 * "wait"), and kill -9 runs no code at all. Its lock is instead *stale*: the pid it names no longer
 * exists (`process.kill(pid, 0)` fails with ESRCH) or, where start times can be read (Linux),
 * belongs to a process started after the lock was taken (a pid reused after a reboot), and the next
 * run in that directory takes it over. Two processes taking over the same stale lock at once are serialized by a second exclusive
 * file, `run.lock.takeover`: inside it a process re-reads the lock, and replaces it only if it is still
 * the stale one it saw. A lock from another host cannot be checked (its pid means nothing here) and
 * is never taken over; the message says to delete it if that run is gone.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processAlive } from '../io/temp_files.js';
import { UsageError } from './exit_codes.js';
import { explainFsError } from './out_dir.js';

export const LOCK_FILE = 'run.lock';
const TAKEOVER_FILE = `${LOCK_FILE}.takeover`;
/** A takeover file older than this belongs to a process that died while taking over (rare). */
const TAKEOVER_STALE_MS = 10_000;
/** A lock file without a readable owner older than this is a crash between create and write. */
const UNREADABLE_STALE_MS = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  started: string;
  token: string;
}

export interface RunLock {
  readonly dir: string;
  /** The stale lock this one replaced (its writer's leftovers are orphans), or null. */
  readonly previous: LockOwner | null;
  /** Deletes the lock if it is still this one; safe to call twice. */
  release(): void;
}

interface LockSpec {
  /** The run directory (it must exist). */
  dir: string;
  /** The flag that named the directory, for messages (`--out`, `--resume`). */
  flag: string;
}

/**
 * Takes the lock of `spec.dir`, taking over a stale one; throws a `UsageError` naming the owner when
 * another live process holds it.
 */
export function acquireRunLock(spec: LockSpec): RunLock {
  const file = path.join(spec.dir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    token: Math.random().toString(36).slice(2, 12),
  };
  const text = `${JSON.stringify(me)}\n`;
  const kind = fs.lstatSync(file, { throwIfNoEntry: false });
  if (kind !== undefined && !kind.isFile()) {
    throw new UsageError(
      `${spec.flag} ${spec.dir}: ${file} is in the way of the run's lock file (it is not a regular file); remove it`,
    );
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createExclusive(file, text, spec)) return heldLock(spec.dir, file, me, null);
    const seen = readRaw(file);
    if (seen === null) continue; // released meanwhile: try again
    const owner = parseOwner(seen);
    const stale = staleness(owner, file);
    if (stale === 'live') throw lockedError(spec, owner);
    if (takeOver(file, seen, text, spec)) return heldLock(spec.dir, file, me, owner);
    sleep(25);
  }
  throw new UsageError(
    `${spec.flag} ${spec.dir}: could not lock the run directory (${file} keeps changing: other processes are starting runs there); try again`,
  );
}

function heldLock(dir: string, file: string, me: LockOwner, previous: LockOwner | null): RunLock {
  let held = true;
  return {
    dir,
    previous,
    release() {
      if (!held) return;
      held = false;
      const current = readRaw(file);
      if (current !== null && parseOwner(current)?.token === me.token) fs.rmSync(file, { force: true });
    },
  };
}

/** Creates `file` with `text` unless it exists; other errors become UsageErrors naming the flag. */
function createExclusive(file: string, text: string, spec: LockSpec): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UsageError(
      `${spec.flag} ${spec.dir}: cannot create the lock file ${file}: ${explainFsError(error, spec.dir)}`,
    );
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } catch (error) {
    // A half-written lock (a full disk) would block the directory until it turns stale: remove it.
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw new UsageError(
      `${spec.flag} ${spec.dir}: cannot write the lock file ${file}: ${explainFsError(error, spec.dir)}`,
    );
  }
  fs.closeSync(fd);
  return true;
}

/**
 * Replaces the stale lock whose content was `seen` by `text`, inside the takeover file; false when
 * someone else is taking over or the lock changed since it was seen (another process took it over
 * first: the caller looks again). Exported for the tests of that interleaving.
 */
export function takeOver(file: string, seen: string, text: string, spec: LockSpec): boolean {
  const guard = path.join(path.dirname(file), TAKEOVER_FILE);
  if (!createExclusive(guard, `${process.pid}\n`, spec)) {
    if (ageMs(guard) > TAKEOVER_STALE_MS) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    const current = readRaw(file);
    if (current !== null && current !== seen) return false;
    fs.rmSync(file, { force: true });
    return createExclusive(file, text, spec);
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

function staleness(owner: LockOwner | null, file: string): 'live' | 'stale' {
  if (owner === null) return ageMs(file) > UNREADABLE_STALE_MS ? 'stale' : 'live';
  if (owner.host !== os.hostname()) return 'live';
  if (owner.pid === process.pid) return 'live'; // another run in this very process
  const started = Date.parse(owner.started);
  return processAlive(owner.pid, Number.isNaN(started) ? undefined : started) ? 'live' : 'stale';
}

function lockedError(spec: LockSpec, owner: LockOwner | null): UsageError {
  const file = path.join(spec.dir, LOCK_FILE);
  if (owner === null) {
    return new UsageError(
      `${spec.flag} ${spec.dir}: the run directory is locked by a run that is starting (${file}); wait for it, or use another directory`,
    );
  }
  const who = `pid ${owner.pid} on ${owner.host}, started ${owner.started}`;
  const elsewhere =
    owner.host === os.hostname()
      ? ''
      : `; this host cannot check whether it still runs: if it does not, delete ${file}`;
  return new UsageError(
    `${spec.flag} ${spec.dir}: another training is writing this run directory (${who})${elsewhere}; wait for it to finish, stop it, or use another directory`,
  );
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isSafeInteger(o.pid) && typeof o.host === 'string' && typeof o.token === 'string') {
      return { pid: o.pid!, host: o.host, started: String(o.started), token: o.token };
    }
  } catch {
    // unreadable: a lock being written, or damaged
  }
  return null;
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
