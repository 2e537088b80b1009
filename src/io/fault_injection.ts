/**
 * A test-only hook (Node only) that kills this process with SIGKILL in the middle of a file write, so
 * that the fault-injection test (`test/cli/kill9.test.ts`) can hit every point of every write of a
 * training run deterministically. It is off unless the environment variable is set:
 *
 *   DESCENT_FAULT=<point>:<file>:<n>
 *
 * kills the process at `<point>` of the `<n>`-th atomic write (counted from 1, in this process) of the
 * file whose base name is `<file>`, where `<point>` is
 *   - `during-write`: half of the temporary file is written;
 *   - `before-rename`: the temporary file is complete and synced, the target not yet replaced;
 *   - `after-write`: the target has been replaced.
 * e.g. `DESCENT_FAULT=before-rename:state.safetensors:2`. Not for production use: it exists to prove
 * that a kill at any of these points leaves a loadable, resumable run directory.
 */
import * as path from 'node:path';

export type FaultPoint = 'during-write' | 'before-rename' | 'after-write';

const POINTS: readonly FaultPoint[] = ['during-write', 'before-rename', 'after-write'];

interface FaultSpec {
  point: FaultPoint;
  file: string;
  n: number;
}

let spec: FaultSpec | null | undefined;
const writes = new Map<string, number>();

function parseSpec(text: string | undefined): FaultSpec | null {
  if (text === undefined || text === '') return null;
  const [point, file, n] = text.split(':');
  if (!POINTS.includes(point as FaultPoint) || !file || !/^[1-9]\d*$/.test(n ?? '')) {
    throw new Error(
      `DESCENT_FAULT=${text}: expected <point>:<file>:<n> with point ${POINTS.join('|')} (a test-only hook)`,
    );
  }
  return { point: point as FaultPoint, file, n: Number(n) };
}

/**
 * Called once at the start of each atomic write of `file`: counts the write and returns the function
 * to call at each point of it (a no-op unless DESCENT_FAULT names this write).
 */
export function writeFaultHook(file: string): (point: FaultPoint) => void {
  spec ??= parseSpec(process.env.DESCENT_FAULT);
  if (spec === null) return noop;
  const name = path.basename(file);
  const n = (writes.get(name) ?? 0) + 1;
  writes.set(name, n);
  const { point: target, file: targetFile, n: targetN } = spec;
  if (name !== targetFile || n !== targetN) return noop;
  return (point) => {
    if (point === target) process.kill(process.pid, 'SIGKILL');
  };
}

function noop(): void {}
