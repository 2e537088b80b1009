/**
 * The temporary files of atomic writes (Node only): `writeFileAtomic` writes `dir/name` through
 * `dir/.name.<pid>.<random>.tmp` and renames it over the target. A process killed between the
 * two (kill -9, a power cut) leaves that temporary file behind, up to the size of a training state;
 * the name carries the writer's pid so that a later process can tell an orphan (its writer is gone)
 * from a write in progress, and remove it (`removeOrphanedTempFiles`, which `descent train` runs on
 * its run directory under the run's lock).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const TEMP_NAME = /^\.(.+)\.(\d+)\.([0-9a-z]+)\.tmp$/;

/** A fresh temporary path next to `file`, named after it and this process. */
export function tempPathFor(file: string): string {
  const random = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.${random}.tmp`);
}

/** The target's base name and the writer's pid of a temporary file name, or null for other names. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP_NAME.exec(name);
  if (m === null) return null;
  return { target: m[1]!, pid: Number(m[2]) };
}

/**
 * Whether the process with this pid that was running at time `since` (ms since the epoch) still
 * runs, on this host. `process.kill(pid, 0)` says whether *a* process has the pid (EPERM: one that is
 * not ours); where the start time of processes can be read (Linux), a process that started after
 * `since` is another one that reused the pid (after a reboot, typically), so the answer is no.
 */
export function processAlive(pid: number, since?: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (since === undefined) return true;
  const started = processStartTime(pid);
  // Two seconds of slack: the boot time is given in whole seconds.
  return started === null || started <= since + 2000;
}

/** When the process with this pid started (ms since the epoch), or null where that is unknown. */
export function processStartTime(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, starttime in clock ticks (USER_HZ, 100 on Linux) since boot; the name (field 2) may
    // hold spaces, so count from its closing parenthesis.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(boot)) return null;
    return (boot + ticks / 100) * 1000;
  } catch {
    return null;
  }
}

interface OrphanSpec {
  /** Base names of the targets whose temporary files may be removed (others are left alone). */
  targets: readonly string[];
  /** Writers whose files are orphans even if a process with their pid exists (a previous run's). */
  formerWriters?: readonly number[];
}

/**
 * Removes the temporary files in `dir` for `spec.targets` whose writer is gone (no process with its
 * pid, or one started after the file was written) or is one of `formerWriters`; never this process's
 * own. Returns the names removed.
 */
export function removeOrphanedTempFiles(dir: string, spec: OrphanSpec): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const parsed = parseTempName(name);
    if (parsed === null || !spec.targets.includes(parsed.target) || parsed.pid === process.pid) continue;
    const file = path.join(dir, name);
    const written = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (written === undefined) continue;
    if (processAlive(parsed.pid, written) && !spec.formerWriters?.includes(parsed.pid)) continue;
    fs.rmSync(file, { force: true });
    removed.push(name);
  }
  return removed;
}
