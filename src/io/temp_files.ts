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

/** Whether a process with this pid exists (on this host); EPERM means it exists but is not ours. */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OrphanSpec {
  /** Base names of the targets whose temporary files may be removed (others are left alone). */
  targets: readonly string[];
  /** Writers whose files are orphans even if a process with their pid exists (a previous run's). */
  formerWriters?: readonly number[];
}

/**
 * Removes the temporary files in `dir` for `spec.targets` whose writer is gone (or is one of
 * `formerWriters`); never this process's own. Returns the names removed.
 */
export function removeOrphanedTempFiles(dir: string, spec: OrphanSpec): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const parsed = parseTempName(name);
    if (parsed === null || !spec.targets.includes(parsed.target) || parsed.pid === process.pid) continue;
    if (processAlive(parsed.pid) && !spec.formerWriters?.includes(parsed.pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
