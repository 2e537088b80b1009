/**
 * Copy elision, a rewrite of a recorded step that the trace makes visible: a temporary computed by
 * some kernels and then copied whole into another buffer (backward's gradient into the parameter's
 * `.grad`, which a deferred zeroGrad lets backward overwrite) is computed in that buffer directly, and
 * the copy is dropped.
 *
 * Sound when, for the copy's source T (a temporary the recording owns) and destination G:
 * - both are whole, contiguous and of one dtype and length (the copy is a plain duplicate);
 * - T's current life began inside the trace (an allocation at a known call), and nothing mentions T
 *   after the copy until T is allocated again (its value after the copy is dead);
 * - nothing mentions G from T's allocation to the copy (writing G early changes no one's input), and
 *   no host check runs in between (it could read either through tensors this module cannot see).
 * Then every call of T's life reads and writes G instead and computes the same values, so the
 * replay stays bit-identical to the eager step and skips one pass over memory per elided copy.
 */
import type { BufferHandle, View } from '../backend/backend.js';
import { buffersOf } from './call_buffers.js';
import type { RecordedCall } from './tracer.js';

function wholeContiguous(v: View): boolean {
  if (v.offset !== 0) return false;
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i]!;
    if (d !== 1 && v.strides[i] !== expected) return false;
    expected *= d;
  }
  return expected === v.buffer.length;
}

function mentions(call: RecordedCall, b: BufferHandle): boolean {
  return buffersOf(call.args).includes(b);
}

/** `value` with every mention of buffer `from` replaced by `to` (arrays and plain objects copied). */
function renamed(value: unknown, from: BufferHandle, to: BufferHandle, depth = 0): unknown {
  if (value === from) return to;
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => renamed(v, from, to, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = renamed(v, from, to, depth + 1);
  return out;
}

/** The copy at `c` as [T, G] when it is a whole, plain duplicate of a temporary; null otherwise. */
function plainCopy(
  call: RecordedCall,
  temporaries: ReadonlySet<BufferHandle>,
): [BufferHandle, BufferHandle] | null {
  if (call.name !== 'copy' || call.args.length !== 2) return null;
  const [src, dst] = call.args as [View, View];
  const t = src.buffer;
  const g = dst.buffer;
  if (t === g || t.dtype !== g.dtype || t.length !== g.length || !temporaries.has(t)) return null;
  return wholeContiguous(src) && wholeContiguous(dst) ? [t, g] : null;
}

/**
 * The calls with the copies that can go elided (see the module comment). `allocatedAt`: for each
 * buffer allocated during the trace, the number of calls recorded before each of its allocations;
 * `temporaries`: the buffers the recording owns that are neither inputs nor results.
 */
export function elideCopies(
  input: readonly RecordedCall[],
  allocatedAt: ReadonlyMap<BufferHandle, readonly number[]>,
  temporaries: ReadonlySet<BufferHandle>,
): RecordedCall[] {
  const calls: (RecordedCall | null)[] = [...input];
  for (let c = 0; c < calls.length; c++) {
    const pair = plainCopy(calls[c]!, temporaries);
    if (pair === null) continue;
    const [t, g] = pair;
    const lives = allocatedAt.get(t) ?? [];
    const start = lives.filter((at) => at <= c).pop();
    if (start === undefined) continue;
    const end = lives.find((at) => at > c) ?? calls.length;
    const live = (from: number, to: number, b: BufferHandle): boolean =>
      calls.slice(from, to).some((call) => call !== null && mentions(call, b));
    // A host check between could read either buffer through its own tensors, unseen here.
    const checked = calls.slice(start, c).some((call) => call?.name === 'hostCheck');
    if (checked || live(c + 1, end, t) || live(start, c, g)) continue;
    for (let i = start; i < c; i++) {
      const call = calls[i];
      if (call != null && mentions(call, t))
        calls[i] = { ...call, args: renamed(call.args, t, g) as unknown[] };
    }
    calls[c] = null;
  }
  return calls.filter((call): call is RecordedCall => call !== null);
}
