/**
 * The buffers a recorded backend call touches, found in its arguments without knowing the kernel.
 *
 * The Backend interface's conventions make this possible generically: inputs are `View`s (a buffer
 * with shape, strides and offset), outputs are bare `BufferHandle`s (alone, in an array or in a spec
 * object), and `copy` writes its destination view. Running statistics (`RunningStatsUpdate`) are
 * views written in place too; they are layer buffers, never parameters, so reading them as inputs is
 * harmless for what this module is used for: which external buffers a trace depends on (all), and
 * whether the step writes a parameter (outputs).
 */
import type { BufferHandle } from '../backend/backend.js';

function isBuffer(value: object): value is BufferHandle {
  const v = value as { dtype?: unknown; length?: unknown };
  return typeof v.dtype === 'string' && typeof v.length === 'number' && !ArrayBuffer.isView(value);
}

function isView(value: object): value is { buffer: BufferHandle } {
  return 'buffer' in value && 'strides' in value && 'shape' in value;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Walks `value` (arrays and plain objects, a few levels deep), calling `visit` on each buffer found. */
function walk(
  value: unknown,
  inView: boolean,
  visit: (b: BufferHandle, inView: boolean) => void,
  depth = 0,
): void {
  if (depth > 5 || value === null || typeof value !== 'object') return;
  if (isBuffer(value)) {
    visit(value, inView);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) walk(v, inView, visit, depth + 1);
    return;
  }
  if (!isPlain(value)) return;
  const view = inView || isView(value);
  for (const v of Object.values(value)) walk(v, view, visit, depth + 1);
}

/** Every buffer the call's arguments mention, read or written. */
export function buffersOf(args: readonly unknown[]): BufferHandle[] {
  const found: BufferHandle[] = [];
  walk(args, false, (b) => found.push(b));
  return found;
}

/** The buffers the call writes: its bare buffer arguments, and the destination of a copy. */
export function writtenBuffers(name: string, args: readonly unknown[]): BufferHandle[] {
  const found: BufferHandle[] = [];
  walk(args, false, (b, inView) => {
    if (!inView) found.push(b);
  });
  if (name === 'copy') {
    const dst = (args.length > 1 ? args[1] : (args[0] as { dst?: unknown } | undefined)?.dst) as
      | { buffer?: BufferHandle }
      | undefined;
    if (dst?.buffer !== undefined) found.push(dst.buffer);
  }
  return found;
}
